#include "sbias/metrics.hpp"

#include <cmath>
#include <limits>

namespace sbias {

double psnr(const arma::vec& f, const arma::vec& y) {
    const double mse = arma::mean(arma::square(f - y));
    if (mse == 0.0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(1.0 / mse);
}

double relative_error(const arma::vec& a, const arma::vec& ref) {
    const double d = arma::norm(a - ref);
    const double r = arma::norm(ref);
    return r == 0.0 ? d : d / r;
}

double loglog_slope(const arma::vec& x, const arma::vec& y) {
    const arma::vec lx = arma::log(x), ly = arma::log(y);
    const arma::vec dx = lx - arma::mean(lx);
    return arma::dot(dx, ly - arma::mean(ly)) / arma::dot(dx, dx);
}

arma::vec logspace(double lo, double hi, arma::uword n) {
    return arma::exp10(arma::linspace(std::log10(lo), std::log10(hi), n));
}

} // namespace sbias
