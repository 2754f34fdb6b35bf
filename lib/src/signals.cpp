#include "sbias/signals.hpp"

namespace sbias {

arma::vec smooth_test_signal(const arma::vec& x) {
    constexpr double pi = 3.14159265358979323846;
    return arma::sin(2 * pi * x) + 0.5 * arma::cos(6 * pi * x) + 0.25 * x;
}

} // namespace sbias
