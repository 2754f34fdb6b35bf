#include "sbias/solve.hpp"

#include "sbias/masks.hpp"

#include <stdexcept>

namespace sbias {

arma::vec filter_gains(const arma::vec& s, const arma::vec& mask) {
    if (mask.n_elem != s.n_elem)
        throw std::invalid_argument("filter_gains: one mask value per singular value");
    arma::vec gain(s.n_elem, arma::fill::zeros);
    for (arma::uword k = 0; k < s.n_elem; ++k)
        if (s(k) > 0.0) gain(k) = mask(k) / s(k);
    return gain;
}

arma::vec filtered_solution(const Svd& svd, const arma::vec& y, const arma::vec& mask) {
    if (mask.n_elem != svd.s.n_elem)
        throw std::invalid_argument("filtered_solution: one mask value per singular value");
    return svd.V * (filter_gains(svd.s, mask) % (svd.U.t() * y));
}

GdClosedForm gd_closed_form(const arma::mat& A, const arma::vec& y, double q) {
    if (y.n_elem != A.n_rows) throw std::invalid_argument("gd_closed_form: one y per row of A");
    if (!(q >= 0.0)) throw std::invalid_argument("gd_closed_form: q must be >= 0");
    if (A.is_empty()) return {0.0, arma::vec(A.n_cols, arma::fill::zeros)};
    if (q > gram_q_max) {
        const Svd svd = thin_svd(A);
        if (!(svd.s(0) > 0.0)) return {0.0, arma::vec(A.n_cols, arma::fill::zeros)}; // A = 0
        const double alpha = 1.0 / (svd.s(0) * svd.s(0));
        return {alpha, filtered_solution(svd, y, mask_gd(svd.s, alpha, q))};
    }
    // The smaller Gram matrix: rows against rows (U) for a wide A, columns against columns (V)
    // for a tall one; either way its eigenvalues are the s_k^2.
    const bool wide = A.n_rows <= A.n_cols;
    const arma::mat G = wide ? arma::mat(A * A.t()) : arma::mat(A.t() * A);
    arma::vec lambda;
    arma::mat E;
    if (!arma::eig_sym(lambda, E, G, "dc"))
        throw std::runtime_error("gd_closed_form: LAPACK eigendecomposition failed");
    const double lambda_max = lambda.max();
    if (!(lambda_max > 0.0)) return {0.0, arma::vec(A.n_cols, arma::fill::zeros)}; // A = 0
    const double alpha = 1.0 / lambda_max;
    // h = m / lambda with m the GD mask at c = alpha lambda (mask_gd_c), and its limit q alpha
    // where c = 0. Rounding can leave an eigenvalue slightly below 0; c < 0 is fine here.
    arma::vec h(lambda.n_elem);
    for (arma::uword k = 0; k < lambda.n_elem; ++k) {
        const double c = alpha * lambda(k);
        h(k) = c == 0.0 || q == 0.0 ? q * alpha : mask_gd_c(c, q) / lambda(k);
    }
    if (wide) return {alpha, A.t() * (E * (h % (E.t() * y)))};
    return {alpha, E * (h % (E.t() * (A.t() * y)))};
}

} // namespace sbias
