#include "sbias/signals.hpp"
#include "sbias/constants.hpp"

#include <stdexcept>

namespace sbias {

arma::vec smooth_test_signal(const arma::vec& x) {
    return arma::sin(2 * pi * x) + 0.5 * arma::cos(6 * pi * x) + 0.25 * x;
}

arma::mat dst_basis(const arma::vec& x, arma::uword K) {
    arma::mat P(x.n_elem, K);
    for (arma::uword k = 0; k < K; ++k)
        P.col(k) = arma::sin(pi * (k + 0.5) * x);
    return P;
}

arma::vec dst_least_squares(const arma::vec& x, const arma::vec& y, arma::uword K,
                            const arma::vec& xe) {
    arma::vec c;
    // Rank-deficient when K > N - 1 on a grid containing x = 0: solve() then returns the
    // minimum-norm least-squares coefficients (LAPACK gelsd).
    if (!arma::solve(c, dst_basis(x, K), y, arma::solve_opts::force_approx))
        throw std::runtime_error("dst_least_squares: LAPACK least squares failed");
    return dst_basis(xe, K) * c;
}

} // namespace sbias
