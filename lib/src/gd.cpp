#include "sbias/gd.hpp"

namespace sbias {

arma::vec gradient_descent(const arma::mat& A, const arma::vec& y, double alpha, std::uint64_t q,
                           const IterateObserver& observe) {
    arma::vec w(A.n_cols, arma::fill::zeros);
    for (std::uint64_t k = 1; k <= q; ++k) {
        w += alpha * (A.t() * (y - A * w)); // Eq. 12: -dE/dw = A^T (y - A w)
        if (observe) observe(k, w);
    }
    return w;
}

} // namespace sbias
