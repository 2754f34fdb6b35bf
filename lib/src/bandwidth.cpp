#include "sbias/bandwidth.hpp"

#include "sbias/constants.hpp"
#include "sbias/masks.hpp"
#include "sbias/signals.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace sbias {

arma::uword dst_components_in_band(double B) {
    if (!(B >= 0.0) || !std::isfinite(B))
        throw std::invalid_argument("dst_components_in_band: B must be >= 0 and finite");
    return static_cast<arma::uword>(std::floor(2.0 * B + 0.5));
}

arma::mat dst_band_basis(const arma::vec& x, arma::uword K) {
    if (K == 0 || K > x.n_elem)
        throw std::invalid_argument("dst_band_basis: need 1 <= K <= N (K = " + std::to_string(K) +
                                    ", N = " + std::to_string(x.n_elem) + ")");
    arma::mat Q, R;
    if (!arma::qr_econ(Q, R, dst_basis(x, K)))
        throw std::runtime_error("dst_band_basis: QR failed");
    for (arma::uword k = 0; k < K; ++k) {
        if (std::abs(R(k, k)) <= 1e-12 * std::abs(R(0, 0)))
            throw std::invalid_argument("dst_band_basis: the DST functions are dependent on x");
        if (R(k, k) < 0.0) Q.col(k) *= -1.0;
    }
    return Q;
}

namespace {
void check_band(const arma::vec& s, arma::uword B, arma::uword index, const char* who) {
    if (B < 1 || index >= s.n_elem)
        throw std::invalid_argument(std::string(who) + ": need B >= 1 and s_" +
                                    std::to_string(index) + " (B = " + std::to_string(B) + ", " +
                                    std::to_string(s.n_elem) + " singular values)");
}
} // namespace

double bandwidth_rule_printed(double alpha, const arma::vec& s, arma::uword B) {
    check_band(s, B, 2 * B, "bandwidth_rule_printed");
    return s(2 * B) / (alpha * alpha);
}

double bandwidth_rule_derived(double alpha, const arma::vec& s, arma::uword B) {
    check_band(s, B, 2 * B - 1, "bandwidth_rule_derived");
    const double t = s(2 * B - 1);
    return 1.0 / (alpha * t * t);
}

namespace {
/// The two fractions of the criterion at q, from precomputed coordinates.
struct Fractions {
    double band, leak;
};
} // namespace

BandRecovery band_recovery(const Svd& svd, const arma::mat& Q, const arma::vec& y, double alpha,
                           const BandCriterion& criterion, double q_max) {
    if (Q.n_rows != y.n_elem || svd.U.n_rows != y.n_elem)
        throw std::invalid_argument("band_recovery: Q, U and y must have one row per sample");
    if (!(alpha > 0.0) || !(q_max >= 1.0))
        throw std::invalid_argument("band_recovery: need alpha > 0 and q_max >= 1");
    const double energy = arma::dot(y, y);
    if (!(energy > 0.0)) throw std::invalid_argument("band_recovery: y must not be zero");
    // f_q = U (m o c) with c = U^T y; y - f_q = U ((1 - m) o c) + (y - U c).
    const arma::vec c = svd.U.t() * y;
    const arma::mat G = Q.t() * svd.U;           // K x r
    const arma::vec e = Q.t() * (y - svd.U * c); // the band's part that U cannot reach
    const auto fractions = [&](double q) {
        const arma::vec m = mask_gd(svd.s, alpha, q);
        const arma::vec fit = m % c, rest = c - fit;
        const arma::vec band_res = G * rest + e, band_fit = G * fit;
        const double leak = std::max(0.0, arma::dot(fit, fit) - arma::dot(band_fit, band_fit));
        return Fractions{arma::dot(band_res, band_res) / energy, leak / energy};
    };
    const auto holds = [&](const Fractions& f) {
        return f.band <= 1.0 - criterion.energy && f.leak <= criterion.leak;
    };
    // Grid: 8 points per decade (whole numbers), then bisection between the last failure and the
    // first success.
    double lo = 0.0, hi = std::numeric_limits<double>::infinity();
    const int steps = static_cast<int>(std::ceil(8.0 * std::log10(q_max)));
    for (int j = 0; j <= steps; ++j) {
        const double q = std::min(q_max, std::ceil(std::pow(10.0, j / 8.0)));
        if (q <= lo) continue;
        if (holds(fractions(q))) {
            hi = q;
            break;
        }
        lo = q;
    }
    BandRecovery r;
    if (!std::isfinite(hi)) {
        r.q = hi;
        const Fractions f = fractions(q_max);
        r.band_residual = f.band;
        r.leak = f.leak;
        return r;
    }
    while (hi - lo > 1.0) {
        const double mid = std::floor(lo + (hi - lo) / 2.0);
        (holds(fractions(mid)) ? hi : lo) = mid;
    }
    const Fractions f = fractions(hi);
    r.q = hi;
    r.band_residual = f.band;
    r.leak = f.leak;
    // Which bound decided: was the band already recovered one step earlier?
    if (hi > 1.0) r.leak_binding = fractions(hi - 1.0).band <= 1.0 - criterion.energy;
    return r;
}

arma::uword numerical_rank(const arma::vec& s, double rel) {
    if (s.is_empty()) return 0;
    return static_cast<arma::uword>(arma::accu(s > rel * s(0)));
}

double least_squares_residual(const arma::mat& U, const arma::vec& s, const arma::vec& y,
                              double rel) {
    const arma::uword r = numerical_rank(s, rel);
    const double norm = arma::norm(y);
    if (!(norm > 0.0)) throw std::invalid_argument("least_squares_residual: y must not be zero");
    if (r == 0) return 1.0;
    const arma::mat Ur = U.cols(0, r - 1);
    return arma::norm(y - Ur * (Ur.t() * y)) / norm;
}

double landau_widom_count(double two_wt, double eps) {
    if (!(two_wt > 0.0) || !(eps > 0.0 && eps < 1.0))
        throw std::invalid_argument("landau_widom_count: need 2WT > 0 and 0 < eps < 1");
    const double c = pi * two_wt / 2.0;
    return two_wt + std::log((1.0 - eps) / eps) * std::log(c) / (pi * pi);
}

} // namespace sbias
