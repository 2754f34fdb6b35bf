// Polynomial filters (chapter 13): each accelerated method's mask against its real iterates, the
// scalar recurrences against their closed forms, the iteration counts that keep K components, and
// Adam's first step.
#include "sbias/accelerated.hpp"
#include "sbias/errors.hpp"
#include "sbias/random.hpp"
#include "sbias/spectra.hpp"
#include "tolerances.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <limits>
#include <random>

// Tolerances of this suite, each with its reason (tolerances.hpp holds the shared ones).
namespace accel_tol {
/// Iterates w_n vs the SVD filter V diag(m / s) U^T y on a 12 x 30 Gaussian matrix (condition
/// number about 10): both are backward stable to a few eps * cond per step, and n <= 50 steps.
constexpr double iterates_vs_mask = 1e-11;
/// A scalar recurrence against its closed form (absolute). A rounding error of relative size eps
/// made at step k reaches step n through the recurrence's Green's function, which is at most
/// min(n - k, 1 / (1 - rho)) with rho ~ 1 - sqrt(l) the largest root modulus (no decay along the
/// root near 1 where lambda << l), so n steps add up to eps n min(n, 1 / sqrt(l)) times the largest
/// |r_k| on the way: 1 for Nesterov and Chebyshev (|r| <= 1 on [0, 1]), and for heavy ball its
/// transient at the double root lambda = 1, (1 + k (1 + beta)) beta^k <= 1 + 2 min(n, 1 / (2
/// sqrt(l))). The factor 8 covers a few roundings per step with coefficients up to 4 (measured:
/// at most 2.9 times eps n min(n, 1 / sqrt(l)) envelope over l in [1e-10, 0.5], n <= 1e5).
inline double recurrence_abs(std::uint64_t n, double l, double envelope) {
    const double nn = static_cast<double>(n);
    return 8 * std::numeric_limits<double>::epsilon() * nn * std::min(nn, 1 / std::sqrt(l)) *
           envelope;
}
/// The same relative to a value that decays like 1 / T_n(x0) (Chebyshev at lambda = l and 1): the
/// damping no longer helps, and at the double roots z = +-1 errors grow like n^2 eps.
inline double decaying_rel(std::uint64_t n) {
    const double nn = static_cast<double>(n);
    return 8 * std::numeric_limits<double>::epsilon() * (nn * nn + 1);
}
/// Heavy ball's envelope (see recurrence_abs); 1 for the other methods.
inline double envelope(sbias::Method m, std::uint64_t n, double l) {
    return m == sbias::Method::heavy_ball
               ? 1 + 2 * std::min(static_cast<double>(n), 0.5 / std::sqrt(l))
               : 1.0;
}
/// Quantities made from O(1) operations in double (GD's power, a ratio of two masks whose
/// nonlinear terms n^2 lambda are below 1e-13 here).
constexpr double few_ops = 1e-13;
/// One Adam step: mhat = g and vhat = g^2 up to the rounding of (1 - beta) m / (1 - beta^1), a
/// handful of roundings in all.
constexpr double adam_step = 4e-15;
/// The target 1 - (1 - 1/q)^q is lowered by this relative amount so that GD's count at exactly q
/// does not hinge on the last bit (the mask changes by about 1 / (e q) per step, far more).
constexpr double target_slack = 1e-12;
} // namespace accel_tol

namespace accel_test {

/// acosh(e) / 2 ~ 0.8287: Chebyshev's n / sqrt(q) at the target 1 - 1/e and l = 1/q, q large.
inline double chebyshev_limit() {
    return std::acosh(std::exp(1.0)) / 2.0;
}

/// The root t* > 0 of (1 + t) e^-t = e^-1 (about 2.146), by bisection: heavy ball's residual at
/// lambda = l is beta^n (1 + n (1 - beta)) ~ (1 + t) e^-t with t = 2 n sqrt(l), Nesterov's is
/// (1 - sqrt(l))^n (1 + n sqrt(l)) ~ the same with t = n sqrt(l). So their counts at the target
/// 1 - 1/e are t* sqrt(q) / 2 and t* sqrt(q).
inline double double_root_t_star() {
    double lo = 1.0, hi = 5.0;
    for (int k = 0; k < 200; ++k) {
        const double mid = (lo + hi) / 2;
        ((1 + mid) * std::exp(-mid) > std::exp(-1.0) ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

/// A grid of lambda: logarithmic from 1e-12 to 1, plus points at and around l.
inline arma::vec lambda_grid(double l) {
    arma::vec g = arma::exp10(arma::linspace(-12.0, 0.0, 241));
    const arma::vec near_l = {l,     l * (1 + 1e-9), l * (1 - 1e-9), l * (1 + 1e-4), l * (1 - 1e-4),
                              2 * l, l / 2,          0.5 * (1 + l),  1.0 - 1e-9,     1.0};
    return arma::join_cols(g, near_l);
}

} // namespace accel_test

TEST_SUITE("accelerated") {
    using namespace sbias;

    TEST_CASE("each method's mask equals its real iterates") {
        std::mt19937_64 rng(13);
        const arma::mat A = standard_normal_matrix(12, 30, rng);
        const arma::vec y = standard_normal_matrix(12, 1, rng).col(0);
        const Svd svd = thin_svd(A);
        const double alpha = 1.0 / (svd.s(0) * svd.s(0));
        const arma::vec lambda = alpha * arma::square(svd.s);
        const double l = lambda(5); // keep K = 6 components
        double worst = 0.0;
        for (Method m : all_methods()) {
            const Tuning t = tune(m, l);
            for (std::uint64_t n : {1, 2, 3, 10, 50}) {
                const arma::vec w = accelerated_iterates(t, A, y, alpha, n);
                const arma::vec filter =
                    svd.V * ((accelerated_mask(t, lambda, n) / svd.s) % (svd.U.t() * y));
                const double err = arma::norm(w - filter) / arma::norm(filter);
                worst = std::max(worst, err);
                CAPTURE(method_name(m));
                CAPTURE(n);
                CHECK(err < accel_tol::iterates_vs_mask);
            }
        }
        MESSAGE("iterates vs mask, worst relative error: " << worst);
    }

    TEST_CASE("mask plus residual is one and the mask keeps relative precision at tiny lambda") {
        for (Method m : all_methods()) {
            const Tuning t = tune(m, 1e-4);
            const arma::vec lambda = accel_test::lambda_grid(1e-4);
            for (std::uint64_t n : {1, 7, 1000}) {
                const arma::vec sum =
                    accelerated_mask(t, lambda, n) + residual_polynomial(t, lambda, n);
                CAPTURE(method_name(m));
                CAPTURE(n);
                CHECK(arma::abs(sum - 1.0).max() <
                      2 * accel_tol::recurrence_abs(n, 1e-4, accel_tol::envelope(m, n, 1e-4)));
            }
            // Where n^2 lambda << 1 the mask is linear in lambda: 1 - r computed in double would
            // be 0 or rounding noise here.
            const arma::vec tiny = {1e-20, 1e-18};
            const arma::vec mk = accelerated_mask(t, tiny, 100);
            CAPTURE(method_name(m));
            CHECK(mk(0) > 0.0);
            CHECK(tol::close(mk(0) / mk(1), 0.01, accel_tol::few_ops));
        }
    }

    TEST_CASE("Chebyshev recurrence equals T_n ratio and equioscillates on [l 1]") {
        double worst = 0.0;
        for (double l : {0.3, 1e-2, 1e-4, 1e-6, 1e-10}) {
            const Tuning t = tune(Method::chebyshev, l);
            const arma::vec lambda = accel_test::lambda_grid(l);
            for (std::uint64_t n : {1, 2, 3, 10, 37, 1000, 100000}) {
                const arma::vec r = residual_polynomial(t, lambda, n);
                const arma::vec c = residual_polynomial_closed_form(t, lambda, n);
                const double err = arma::abs(r - c).max();
                const double bound = accel_tol::recurrence_abs(n, l, 1.0);
                worst = std::max(worst, err / bound * 8);
                CAPTURE(l);
                CAPTURE(n);
                CHECK(err < bound);
            }
        }
        MESSAGE(
            "Chebyshev recurrence vs closed form, worst |difference| / (eps n min(n, 1/sqrt l)): "
            << worst);

        for (double l : {0.3, 0.05, 1e-3}) {
            const Tuning t = tune(Method::chebyshev, l);
            const double x0 = (1 + l) / (1 - l);
            for (std::uint64_t n : {1, 2, 5, 20, 60}) {
                const double inv_T = 1.0 / std::cosh(static_cast<double>(n) * std::acosh(x0));
                CAPTURE(l);
                CAPTURE(n);
                // r_n(l) = T_n(1) / T_n(x0) = 1 / T_n(x0).
                CHECK(tol::close(residual_polynomial(t, arma::vec{l}, n)(0), inv_T,
                                 accel_tol::decaying_rel(n)));
                // Equioscillation: r_n = (-1)^k / T_n(x0) at the n + 1 extrema of T_n on [l, 1]...
                const double pi = std::acos(-1.0);
                arma::vec ext(n + 1), sign(n + 1);
                for (std::uint64_t k = 0; k <= n; ++k) {
                    ext(k) = (1 + l - (1 - l) * std::cos(static_cast<double>(k) * pi / n)) / 2;
                    sign(k) = k % 2 == 0 ? 1.0 : -1.0;
                }
                const arma::vec at_ext = residual_polynomial(t, ext, n);
                CHECK(arma::abs(at_ext - sign * inv_T).max() < accel_tol::decaying_rel(n) * inv_T);
                // ...and nowhere on [l, 1] larger in magnitude.
                const arma::vec fine = arma::linspace(l, 1.0, 20001);
                const double peak = arma::abs(residual_polynomial(t, fine, n)).max();
                CHECK(peak <= inv_T * (1 + accel_tol::decaying_rel(n)));
                CHECK(peak >= inv_T * (1 - accel_tol::decaying_rel(n)));
            }
        }
    }

    TEST_CASE("heavy ball and Nesterov recurrences equal their closed forms up to n = 50000") {
        for (Method m : {Method::heavy_ball, Method::nesterov}) {
            double worst = 0.0;
            for (double l : {0.5, 0.1, 1e-4, 1e-7, 1e-10}) {
                const Tuning t = tune(m, l);
                const arma::vec lambda = accel_test::lambda_grid(l);
                for (std::uint64_t n : {1, 2, 3, 10, 1000, 50000}) {
                    const double err = arma::abs(residual_polynomial(t, lambda, n) -
                                                 residual_polynomial_closed_form(t, lambda, n))
                                           .max();
                    const double bound =
                        accel_tol::recurrence_abs(n, l, accel_tol::envelope(m, n, l));
                    worst = std::max(worst, err / bound * 8);
                    if (n == 50000 && l == 1e-10)
                        MESSAGE(method_name(m) << " at n = 50000 and l = 1e-10: max |difference| "
                                               << err << " (bound " << bound << ")");
                    CAPTURE(method_name(m));
                    CAPTURE(l);
                    CAPTURE(n);
                    CHECK(err < bound);
                }
            }
            MESSAGE(method_name(m)
                    << " recurrence vs closed form, worst |difference| / (eps n min(n, "
                       "1/sqrt l) envelope): "
                    << worst);
        }
        // The closed forms at the double root lambda = l (derived in
        // accel_test::double_root_t_star).
        const double l = 1e-6, sl = 1e-3, beta = (1 - sl) / (1 + sl);
        for (std::uint64_t n : {1, 10, 3000}) {
            const double nn = static_cast<double>(n);
            CAPTURE(n);
            CHECK(tol::close(residual_polynomial(tune(Method::heavy_ball, l), arma::vec{l}, n)(0),
                             std::pow(beta, nn) * (1 + nn * (1 - beta)),
                             accel_tol::recurrence_abs(n, l, 1.0)));
            CHECK(tol::close(residual_polynomial(tune(Method::nesterov, l), arma::vec{l}, n)(0),
                             std::pow(1 - sl, nn) * (1 + nn * sl),
                             accel_tol::recurrence_abs(n, l, 1.0)));
        }
        // GD's closed form is the plain power.
        const arma::vec lam = {1e-12, 1e-3, 0.5, 1.0};
        CHECK(arma::abs(residual_polynomial(tune(Method::gd, 1.0), lam, 77) -
                        residual_polynomial_closed_form(tune(Method::gd, 1.0), lam, 77))
                  .max() < accel_tol::few_ops);
    }

    TEST_CASE("iterations to keep: GD needs q and the accelerated methods about sqrt(q)") {
        // GD at l = 1/q and target 1 - (1 - 1/q)^q needs exactly q steps (Prop. 4.2's q(K)).
        for (double q : {2.0, 3.0, 10.0, 100.0, 1e3, 1e4, 1e6}) {
            const double target =
                -std::expm1(q * std::log1p(-1.0 / q)) * (1 - accel_tol::target_slack);
            CAPTURE(q);
            CHECK(iterations_to_keep(tune(Method::gd, 1.0 / q), target, 10'000'000) ==
                  static_cast<std::uint64_t>(q));
        }
        // Chebyshev's count equals its closed form.
        for (double l : {0.2, 1e-2, 1e-4, 1e-6, 1e-8})
            for (double target : {0.3, 0.5, 0.9, 0.99, 1 - 1e-6}) {
                CAPTURE(l);
                CAPTURE(target);
                CHECK(static_cast<double>(
                          iterations_to_keep(tune(Method::chebyshev, l), target, 100'000'000)) ==
                      chebyshev_iterations_closed_form(l, target));
            }
        // Never reached: n_max + 1.
        CHECK(iterations_to_keep(tune(Method::chebyshev, 1e-6), 0.9, 10) == 11);
        CHECK(iterations_to_keep(tune(Method::gd, 1e-6), 0.9, 10) == 11);

        const double t_star = accel_test::double_root_t_star();
        for (double q : {1e2, 1e4, 1e6, 1e8}) {
            const double target = -std::expm1(q * std::log1p(-1.0 / q)), rq = std::sqrt(q);
            const auto count = [&](Method m) {
                return static_cast<double>(iterations_to_keep(tune(m, 1.0 / q), target, 1e9));
            };
            const double gd = count(Method::gd), hb = count(Method::heavy_ball),
                         ne = count(Method::nesterov), ch = count(Method::chebyshev);
            MESSAGE("q = " << q << ": GD " << gd << ", heavy ball " << hb << " (" << hb / rq
                           << " sqrt q), Nesterov " << ne << " (" << ne / rq
                           << " sqrt q), Chebyshev " << ch << " (" << ch / rq << " sqrt q)");
            CAPTURE(q);
            CHECK(ch < hb);
            CHECK(hb < ne);
            CHECK(ne < gd);
            if (q >= 1e4) {
                CHECK(ne < 3 * rq); // far below GD's q
                // Ceiling (1 / sqrt(q) in the ratio) and the O(sqrt(l)) = O(1 / sqrt(q))
                // corrections of the asymptotic forms: 4 / sqrt(q) covers both.
                CHECK(std::abs(ch / rq - accel_test::chebyshev_limit()) < 4 / rq);
                CHECK(std::abs(hb / rq - t_star / 2) < 4 / rq);
                CHECK(std::abs(ne / rq - t_star) < 4 / rq);
            }
        }
    }

    TEST_CASE("Adam: one step moves every coordinate by lr times a sign and the loss falls") {
        const arma::vec s = {3.0, 0.5, 2.0, 1.0}, y = {1.0, -2.0, 0.5, -0.25};
        const arma::mat A = arma::diagmat(s);
        AdamOptions o;
        o.lr = 0.05;
        // Step 1 from w = 0: g = -s y, mhat = g, vhat = g^2, so w_1 = -lr g / (|g| + eps).
        const arma::vec g = -s % y;
        const arma::vec w1 = adam_least_squares(A, y, o, 1);
        for (arma::uword i = 0; i < s.n_elem; ++i) {
            CAPTURE(i);
            CHECK(tol::close(w1(i), -o.lr * g(i) / (std::abs(g(i)) + o.eps), accel_tol::adam_step));
            // lr sign(s y) up to the eps in the denominator: a relative eps / |g|.
            CHECK(std::abs(w1(i) - o.lr * (s(i) * y(i) > 0 ? 1.0 : -1.0)) <=
                  o.lr * o.eps / std::abs(g(i)));
        }
        const auto loss = [&](const arma::vec& w) {
            return 0.5 * std::pow(arma::norm(y - A * w), 2);
        };
        std::uint64_t seen = 0;
        const arma::vec w =
            adam_least_squares(A, y, o, 200, [&](std::uint64_t k, const arma::vec&) { seen = k; });
        CHECK(seen == 200);
        MESSAGE("Adam loss: " << loss(arma::zeros<arma::vec>(4)) << " -> " << loss(w)
                              << " after 200 steps");
        CHECK(loss(w) < 0.01 * loss(arma::zeros<arma::vec>(4)));
    }

    TEST_CASE("bad input: unknown method names and l outside (0 1)") {
        for (Method m : all_methods())
            CHECK(method_from_name(method_name(m)) == m);
        CHECK(all_methods().size() == 4);
        CHECK_THROWS_AS(method_from_name("adam2"), usage_error);
        CHECK_THROWS_WITH_AS(method_from_name("adam2"),
                             doctest::Contains("gd, heavy_ball, nesterov, chebyshev"), usage_error);
        for (Method m : {Method::heavy_ball, Method::nesterov, Method::chebyshev}) {
            CAPTURE(method_name(m));
            CHECK_THROWS_AS(tune(m, 0.0), std::invalid_argument);
            CHECK_THROWS_AS(tune(m, 1.0), std::invalid_argument);
            CHECK_THROWS_AS(tune(m, 1.5), std::invalid_argument);
            CHECK_THROWS_AS(tune(m, std::nan("")), std::invalid_argument);
        }
        CHECK_NOTHROW(tune(Method::gd, 1.0));
        CHECK_THROWS_AS(tune(Method::gd, 0.0), std::invalid_argument);
        CHECK_THROWS_AS(tune(Method::gd, 1.5), std::invalid_argument);
        CHECK_THROWS_AS(iterations_to_keep(tune(Method::gd, 0.5), 1.0, 10), std::invalid_argument);
    }
}
