#include "sbias/risk.hpp"

#include "sbias/masks.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace sbias {

// Named, not anonymous: sbias_glue is a unity build, where every file's anonymous namespace is one.
namespace risk_impl {

void require(bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument(what);
}

void check_variances(const char* fn, double tau2, double sigma2) {
    require(std::isfinite(tau2) && tau2 >= 0.0, std::string(fn) + ": tau2 must be finite and >= 0");
    require(std::isfinite(sigma2) && sigma2 >= 0.0,
            std::string(fn) + ": sigma2 must be finite and >= 0");
}

void check_ratio_args(const char* fn, const arma::vec& s, arma::uword M, double tau2, double sigma2,
                      const arma::vec& grid) {
    check_variances(fn, tau2, sigma2);
    require(tau2 + sigma2 > 0.0, std::string(fn) + ": tau2 and sigma2 both 0 (ratio 0 / 0)");
    require(!s.is_empty(), std::string(fn) + ": empty spectrum");
    require(s.n_elem <= M, std::string(fn) + ": more singular values than unknowns M");
    require(!grid.is_empty(), std::string(fn) + ": empty grid");
}

// r_q(c) = ((1 - (1 - c)^q)(1 + q c) / (q c))^2 for c in (0, 1], with 1 - (1 - c)^q evaluated
// as -expm1(q log1p(-c)) as in mask_gd (full precision for small c).
double gd_variance_ratio(double c, double q) {
    const double fit = c >= 1.0 ? 1.0 : -std::expm1(q * std::log1p(-c));
    const double h = fit * (1.0 + q * c) / (q * c);
    return h * h;
}

// c d log r_q / dc / 2 = q c (1 - c)^{q-1} / (1 - (1 - c)^q) + q c / (1 + q c) - 1 for c < 1.
double gd_variance_slope(double c, double q) {
    const double l = std::log1p(-c);
    return q * c * std::exp((q - 1.0) * l) / -std::expm1(q * l) + q * c / (1.0 + q * c) - 1.0;
}

} // namespace risk_impl

Risk bayes_risk(const arma::vec& s, const arma::vec& mask, arma::uword M, double tau2,
                double sigma2) {
    risk_impl::check_variances("bayes_risk", tau2, sigma2);
    risk_impl::require(s.n_elem == mask.n_elem, "bayes_risk: s and mask differ in length");
    risk_impl::require(s.n_elem <= M, "bayes_risk: more singular values than unknowns M");
    risk_impl::require(s.is_finite() && arma::all(s > 0.0),
                       "bayes_risk: singular values must be finite and > 0");
    risk_impl::require(mask.is_finite(), "bayes_risk: mask not finite");
    const arma::vec s2 = arma::square(s);
    const arma::vec bias2 = arma::square(1.0 - mask);
    const arma::vec var = arma::square(mask);
    const double null_dims = static_cast<double>(M - s.n_elem);
    return {tau2 * (arma::sum(bias2) + null_dims) + sigma2 * arma::sum(var / s2),
            tau2 * arma::sum(s2 % bias2) + sigma2 * arma::sum(var)};
}

double ali_variance_ratio(double x) {
    risk_impl::require(x > 0.0, "ali_variance_ratio: x must be > 0");
    if (std::isinf(x)) return 1.0;
    const double h = -std::expm1(-x) * (1.0 + x) / x;
    return h * h;
}

RatioMax ali_constant() {
    // g' / g = 2 [1 / (e^x - 1) - 1 / (x (1 + x))] has the sign of x + x^2 - (e^x - 1): positive
    // at x = 1 (2 > e - 1), negative at x = 2 (6 < e^2 - 1), one root between.
    const auto rising = [](double x) { return x + x * x - std::expm1(x) > 0.0; };
    double lo = 1.0, hi = 2.0;
    while (true) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break; // lo and hi adjacent doubles
        (rising(mid) ? lo : hi) = mid;
    }
    const double at = ali_variance_ratio(lo) >= ali_variance_ratio(hi) ? lo : hi;
    return {ali_variance_ratio(at), at};
}

RatioMax gd_ridge_variance_ratio_sup(double q) {
    risk_impl::require(std::isfinite(q) && q >= 1.0,
                       "gd_ridge_variance_ratio_sup: q must be finite and >= 1");
    // The peak lies near q c = 1.79 for large q and at c = 1 for q = 1: scan log c over
    // [1e-4 / q, 1] (r_q -> 1 as c -> 0) to bracket it.
    const arma::uword n = 4001;
    const arma::vec u = arma::linspace(std::log(1e-4 / q), 0.0, n);
    arma::uword best = 0;
    double best_value = 0.0;
    for (arma::uword i = 0; i < n; ++i) {
        const double c = i + 1 == n ? 1.0 : std::exp(u(i));
        const double v = risk_impl::gd_variance_ratio(c, q);
        if (v > best_value) {
            best_value = v;
            best = i;
        }
    }
    if (best + 1 == n) {
        // Still rising at c = 1 (q = 1; for q > 1 the slope at c = 1 is q / (1 + q) - 1 < 0 and
        // the peak is interior, though close to 1 for q near 1): the supremum is at the end.
        const double below = std::exp(u(n - 2));
        if (risk_impl::gd_variance_slope(below, q) >= 0.0) return {best_value, 1.0};
        best = n - 2; // the peak lies between the last two grid points
    }
    double lo = std::exp(u(best == 0 ? 0 : best - 1)), hi = std::exp(u(best + 1));
    if (hi >= 1.0) hi = std::nextafter(1.0, 0.0);
    while (true) {
        const double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        (risk_impl::gd_variance_slope(mid, q) > 0.0 ? lo : hi) = mid;
    }
    const double v_lo = risk_impl::gd_variance_ratio(lo, q),
                 v_hi = risk_impl::gd_variance_ratio(hi, q);
    RatioMax r = v_lo >= v_hi ? RatioMax{v_lo, lo} : RatioMax{v_hi, hi};
    const double at_end = risk_impl::gd_variance_ratio(1.0, q);
    if (at_end > r.value) r = {at_end, 1.0};
    return r;
}

RatioMax flow_ridge_risk_ratio_max(const arma::vec& s, arma::uword M, double tau2, double sigma2,
                                   const arma::vec& t_grid) {
    risk_impl::check_ratio_args("flow_ridge_risk_ratio_max", s, M, tau2, sigma2, t_grid);
    risk_impl::require(t_grid.is_finite() && arma::all(t_grid > 0.0),
                       "flow_ridge_risk_ratio_max: every t must be finite and > 0");
    RatioMax best{-1.0, 0.0};
    for (const double t : t_grid) {
        const double flow = bayes_risk(s, mask_flow(s, 1.0, t), M, tau2, sigma2).estimation;
        const double ridge = bayes_risk(s, mask_ridge(s, 1.0 / t), M, tau2, sigma2).estimation;
        if (flow / ridge > best.value) best = {flow / ridge, t};
    }
    return best;
}

RatioMax gd_ridge_risk_ratio_max(const arma::vec& s, arma::uword M, double tau2, double sigma2,
                                 const arma::vec& q_grid) {
    risk_impl::check_ratio_args("gd_ridge_risk_ratio_max", s, M, tau2, sigma2, q_grid);
    risk_impl::require(q_grid.is_finite() && arma::all(q_grid >= 1.0),
                       "gd_ridge_risk_ratio_max: every q must be finite and >= 1");
    const double s0_2 = s.max() * s.max(), alpha = 1.0 / s0_2;
    RatioMax best{-1.0, 0.0};
    for (const double q : q_grid) {
        const double gd = bayes_risk(s, mask_gd(s, alpha, q), M, tau2, sigma2).estimation;
        const double ridge = bayes_risk(s, mask_ridge(s, s0_2 / q), M, tau2, sigma2).estimation;
        if (gd / ridge > best.value) best = {gd / ridge, q};
    }
    return best;
}

} // namespace sbias
