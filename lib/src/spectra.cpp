#include "sbias/spectra.hpp"

#include "sbias/errors.hpp"

namespace sbias {

arma::vec singular_values(const arma::mat& A) {
    arma::vec s;
    if (!arma::svd(s, A)) throw std::runtime_error("singular_values: LAPACK SVD failed");
    return s;
}

Svd thin_svd(const arma::mat& A) {
    Svd r;
    if (!arma::svd_econ(r.U, r.s, r.V, A, "both", "dc"))
        throw std::runtime_error("thin_svd: LAPACK SVD failed");
    fix_signs(r.U, r.V);
    return r;
}

void fix_signs(arma::mat& U, arma::mat& V) {
    for (arma::uword k = 0; k < U.n_cols; ++k) {
        const arma::uword i = arma::index_max(arma::abs(U.col(k)));
        if (U(i, k) < 0.0) {
            U.col(k) *= -1.0;
            if (k < V.n_cols) V.col(k) *= -1.0;
        }
    }
}

arma::vec normalized(const arma::vec& s) {
    return s.is_empty() ? s : arma::vec(s / s(0));
}

} // namespace sbias
