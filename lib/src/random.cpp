#include "sbias/random.hpp"

#include <cmath>

namespace sbias {

double uniform01(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double standard_normal(std::mt19937_64& rng) {
    constexpr double two_pi = 6.28318530717958647692;
    const double u1 = 1.0 - uniform01(rng); // (0, 1]: log is finite
    const double u2 = uniform01(rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
}

arma::mat standard_normal_matrix(arma::uword n_rows, arma::uword n_cols, std::mt19937_64& rng) {
    arma::mat Z(n_rows, n_cols);
    for (double& z : Z)
        z = standard_normal(rng);
    return Z;
}

} // namespace sbias
