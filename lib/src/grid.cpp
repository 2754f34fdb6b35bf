#include "sbias/grid.hpp"

#include <cmath>

namespace sbias {

arma::vec unit_grid(arma::uword n) {
    arma::vec x(n, arma::fill::zeros);
    if (n < 2) return x;
    const double last = static_cast<double>(n - 1);
    for (arma::uword i = 0; i < n; ++i)
        x(i) = static_cast<double>(i) / last;
    return x;
}

std::vector<long long> octave_integers(long long first, long long last, int per_octave) {
    std::vector<long long> out;
    for (int i = 0;; ++i) {
        const long long k =
            std::llround(static_cast<double>(first) * std::pow(2.0, double(i) / per_octave));
        if (k > last) break;
        if (out.empty() || out.back() != k) out.push_back(k);
    }
    return out;
}

arma::mat design_matrix(const Activation& eta, double sigma, const arma::vec& x,
                        const arma::vec& b) {
    arma::mat A(x.n_elem, b.n_elem);
    for (arma::uword j = 0; j < b.n_elem; ++j)
        for (arma::uword i = 0; i < x.n_elem; ++i)
            A(i, j) = eta(sigma * (x(i) - b(j)));
    return A;
}

} // namespace sbias
