#include "sbias/gd.hpp"

#include <stdexcept>

namespace sbias {

arma::vec gradient_descent(const arma::mat& A, const arma::vec& y, double alpha, std::uint64_t q,
                           const IterateObserver& observe) {
    return gradient_descent_from(A, y, arma::vec(A.n_cols, arma::fill::zeros), alpha, q, observe);
}

arma::vec gradient_descent_from(const arma::mat& A, const arma::vec& y, const arma::vec& w0,
                                double alpha, std::uint64_t q, const IterateObserver& observe) {
    if (w0.n_elem != A.n_cols)
        throw std::invalid_argument("gradient_descent_from: w0 needs one entry per column of A");
    arma::vec w = w0;
    for (std::uint64_t k = 1; k <= q; ++k) {
        w += alpha * (A.t() * (y - A * w)); // Eq. 12: -dE/dw = A^T (y - A w)
        if (observe) observe(k, w);
    }
    return w;
}

} // namespace sbias
