#include "sbias/masks.hpp"

#include <cmath>

namespace sbias {

double mask_ridge(double s, double lambda) {
    return s * s / (s * s + lambda);
}

double mask_pca(double s, double kappa) {
    return s >= kappa ? 1.0 : 0.0;
}

double mask_gd(double s, double alpha, double q) {
    return mask_gd_c(alpha * s * s, q);
}

double mask_gd_c(double c, double q) {
    if (q == 0.0 || c == 0.0) return 0.0;
    if (c == 1.0) return 1.0;
    if (c > 1.0) return 1.0 - std::pow(1.0 - c, q);
    return -std::expm1(q * std::log1p(-c));
}

double mask_gd_naive(double s, double alpha, double q) {
    return 1.0 - std::pow(1.0 - alpha * s * s, q);
}

double mask_flow(double s, double alpha, double q) {
    return -std::expm1(-alpha * q * s * s);
}

double flow_gap_sup(double q) {
    // gap(c) = exp(-c q) - (1 - c)^q is 0 at c = 0, positive on (0, 1] and single-peaked; its
    // peak lies near c = 2 / q for large q and at c = 1 for q <= 1. Search in u = log c.
    const auto gap = [q](double u) {
        const double c = std::exp(u);
        return std::exp(-c * q) - (c >= 1.0 ? 0.0 : std::exp(q * std::log1p(-c)));
    };
    double lo = std::log(1e-3 / std::max(q, 1.0)), hi = 0.0;
    const double g = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
    double fa = gap(a), fb = gap(b);
    for (int it = 0; it < 200 && hi - lo > 1e-14; ++it) {
        if (fa < fb) {
            lo = a;
            a = b;
            fa = fb;
            b = lo + g * (hi - lo);
            fb = gap(b);
        } else {
            hi = b;
            b = a;
            fb = fa;
            a = hi - g * (hi - lo);
            fa = gap(a);
        }
    }
    return std::max({fa, fb, gap(0.0)});
}

double kappa_gd(double alpha, double q, double eps) {
    return std::sqrt(-std::expm1(std::log(eps) / q) / alpha);
}

double kappa_flow(double alpha, double q, double eps) {
    return std::sqrt(-std::log(eps) / (alpha * q));
}

namespace {
template <typename F> arma::vec elementwise(const arma::vec& s, F f) {
    arma::vec m(s.n_elem);
    for (arma::uword k = 0; k < s.n_elem; ++k)
        m(k) = f(s(k));
    return m;
}
} // namespace

arma::vec mask_ridge(const arma::vec& s, double lambda) {
    return elementwise(s, [=](double v) { return mask_ridge(v, lambda); });
}
arma::vec mask_pca(const arma::vec& s, double kappa) {
    return elementwise(s, [=](double v) { return mask_pca(v, kappa); });
}
arma::vec mask_gd(const arma::vec& s, double alpha, double q) {
    return elementwise(s, [=](double v) { return mask_gd(v, alpha, q); });
}
arma::vec mask_gd_naive(const arma::vec& s, double alpha, double q) {
    return elementwise(s, [=](double v) { return mask_gd_naive(v, alpha, q); });
}
arma::vec mask_flow(const arma::vec& s, double alpha, double q) {
    return elementwise(s, [=](double v) { return mask_flow(v, alpha, q); });
}

} // namespace sbias
