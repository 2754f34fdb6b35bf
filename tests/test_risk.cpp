#include "sbias/masks.hpp"
#include "sbias/random.hpp"
#include "sbias/risk.hpp"
#include "tolerances.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <limits>
#include <random>
#include <stdexcept>

// The tolerances these tests need beyond tolerances.hpp's, each with its reason.
namespace risk_tol {
/// Ali et al. print the constant as 1.6862, an upper bound rounded up: the maximum is 1.685909
/// (rounds to 1.6859), so it agrees with the printed value to 3 decimals (half a unit: 5e-4).
constexpr double printed_constant = 5e-4;
/// x* and C from 40-digit decimal arithmetic (Python's decimal: bisection on e^x = 1 + x + x^2,
/// then C = ((1 + x)^2 / (1 + x + x^2))^2), independent of this code; float64 evaluation of g near
/// its flat peak is good to a few ulps.
constexpr double reference_x = 1.7932821329007610076, reference_C = 1.6859090582783250348;
/// Central difference (g(x+h) - g(x-h)) / 2h with h = 1e-5: truncation g''' h^2 / 6 ~ 1e-10 and
/// rounding eps g / h ~ 4e-11; a maximiser off by d shows as g''(x*) d ~ 0.1 d, so this catches
/// an error in x* above about 1e-7 (golden-section's sqrt(eps) accuracy would just pass).
constexpr double stationary_slope = 1e-8;
/// A ratio of sums of O(1) terms, each rounded: a few ulps times the number of terms (<= 20).
constexpr double risk_rounding = 1e-13;
/// Bisection on the slope of r_q pins c to adjacent doubles; the slope's own rounding (terms of
/// order one cancelling) leaves c uncertain by about eps / r_q''(c) ~ 1e-15.
constexpr double maximiser = 1e-12;
/// The variance-dominated one-component case carries a bias part tau2 / sigma2 = 1e-12 of the
/// risk: the ratio moves by that much from g(x*).
constexpr double tiny_bias = 1e-10;
/// Monte Carlo: the estimate's error is within 4 standard errors with probability 0.99994.
constexpr double standard_errors = 4.0;
} // namespace risk_tol

TEST_SUITE("noise") {
    TEST_CASE("Ali-Kolter-Tibshirani constant: max g is 1.68591 at a stationary point and below "
              "the printed 1.6862") {
        const sbias::RatioMax c = sbias::ali_constant();
        MESSAGE("max g = " << c.value << " at x = " << c.at);
        CHECK(c.value <= 1.6862); // Ali et al.'s bound holds...
        CHECK(std::abs(c.value - 1.6862) <= risk_tol::printed_constant); // ...with 3e-4 to spare
        CHECK(tol::close(c.value, risk_tol::reference_C, 1e-14));
        CHECK(tol::close(c.at, risk_tol::reference_x, 1e-14));
        const auto slope = [](double x) {
            const double h = 1e-5;
            return (sbias::ali_variance_ratio(x + h) - sbias::ali_variance_ratio(x - h)) / (2 * h);
        };
        CHECK(std::abs(slope(c.at)) <= risk_tol::stationary_slope);
        // The check has power: a thousandth off the maximiser the slope is far from zero, rising
        // on the left and falling on the right.
        CHECK(slope(c.at * (1 - 1e-3)) > 100 * risk_tol::stationary_slope);
        CHECK(slope(c.at * (1 + 1e-3)) < -100 * risk_tol::stationary_slope);
        // Where e^x = 1 + x + x^2, 1 - e^-x = x (1 + x) / (1 + x + x^2) and g = ((1 + x)^2 / (1 + x
        // + x^2))^2.
        const double x = c.at;
        CHECK(tol::close(std::exp(x), 1 + x + x * x, 1e-14));
        const double closed = std::pow((1 + x) * (1 + x) / (1 + x + x * x), 2);
        CHECK(tol::close(c.value, closed, 1e-14));
        // No point of a dense scan lies above it.
        double scan = 0.0;
        for (const double v : arma::vec(arma::exp10(arma::linspace(-3, 3, 100001))))
            scan = std::max(scan, sbias::ali_variance_ratio(v));
        CHECK(scan <= c.value * (1 + tol::ulps));
        CHECK(scan >= c.value * (1 - 1e-8)); // the scan's spacing 1.4e-4 costs about g'' d^2
    }

    TEST_CASE("g tends to 1 as x goes to 0 and to infinity") {
        // g(x) = 1 + x - 5 x^2 / 12 + ... near 0 and 1 + 2 / x + 1 / x^2 for large x.
        for (const double x : {1e-6, 1e-8}) {
            CAPTURE(x);
            CHECK(tol::close(sbias::ali_variance_ratio(x) - 1, x, 1e-5));
        }
        for (const double x : {1e6, 1e9}) {
            CAPTURE(x);
            CHECK(tol::close(sbias::ali_variance_ratio(x) - 1, 2 / x, 1e-5));
        }
        CHECK(sbias::ali_variance_ratio(std::numeric_limits<double>::infinity()) == 1.0);
        CHECK(sbias::ali_variance_ratio(1e-300) == 1.0);
    }

    TEST_CASE("discrete GD against ridge: the variance ratio's sup falls from 4 to the constant") {
        const sbias::RatioMax one = sbias::gd_ridge_variance_ratio_sup(1.0);
        CHECK(one.value == 4.0); // (1 + c)^2 at c = 1
        CHECK(one.at == 1.0);
        // q = 2: ((2 - c)(1 + 2c) / 2)^2, largest at c = 3/4 with value (25/16)^2.
        const sbias::RatioMax two = sbias::gd_ridge_variance_ratio_sup(2.0);
        CHECK(tol::close(two.value, 625.0 / 256.0, 1e-14));
        CHECK(tol::close(two.at, 0.75, risk_tol::maximiser));
        const double C = sbias::ali_constant().value;
        double prev = std::numeric_limits<double>::infinity();
        for (const double q : {1.0, 2.0, 3.0, 10.0, 100.0, 1e3, 1e4, 1e6}) {
            const sbias::RatioMax r = sbias::gd_ridge_variance_ratio_sup(q);
            MESSAGE("q = " << q << ": sup = " << r.value << " at c = " << r.at << " (q c = "
                           << q * r.at << ", q (sup - C) = " << q * (r.value - C) << ")");
            CHECK(r.value < prev); // falls with q...
            CHECK(r.value >= C);   // ...but stays above the flow constant, as (1-c)^q <= e^-qc
            prev = r.value;
        }
        CHECK(std::abs(sbias::gd_ridge_variance_ratio_sup(1e6).value - C) <= 1e-4);
        // sup_q = C + K / q + O(1 / q^2) with K = x* (1 + x*)^3 / (1 + x* + x*^2)^2 = 1.0823506
        // (the first-order term of (1 - x/q)^q = e^-x (1 - x^2 / 2q + ...) at the peak): at q = 1e4
        // the O(1/q) remainder of q (sup - C) is about 1e-4 of K.
        const double x = sbias::ali_constant().at;
        const double K = x * std::pow(1 + x, 3) / std::pow(1 + x + x * x, 2);
        CHECK(tol::close(1e4 * (sbias::gd_ridge_variance_ratio_sup(1e4).value - C), K, 1e-3));
        // Against a brute-force scan of c.
        for (const double q : {3.0, 10.0, 100.0}) {
            double best = 0.0;
            for (const double c : arma::vec(arma::exp10(arma::linspace(-7, 0, 200001)))) {
                const double h = (1 - std::pow(1 - c, q)) * (1 + q * c) / (q * c);
                best = std::max(best, h * h);
            }
            CAPTURE(q);
            CHECK(sbias::gd_ridge_variance_ratio_sup(q).value >= best * (1 - 1e-13));
            CHECK(sbias::gd_ridge_variance_ratio_sup(q).value <= best * (1 + 1e-8));
        }
    }

    TEST_CASE("gradient flow's Bayes risk is at most the constant times ridge's on any spectrum") {
        const double C = sbias::ali_constant().value;
        std::mt19937_64 rng(14);
        const arma::vec t_grid = arma::exp10(arma::linspace(-9, 9, 721));
        const arma::vec q_grid = {1, 2, 3, 5, 10, 30, 100, 1000};
        // GD's bound at each q depends on q alone: computed once, not once a spectrum.
        arma::vec bounds(q_grid.n_elem);
        for (arma::uword i = 0; i < q_grid.n_elem; ++i)
            bounds(i) = std::max(1.0, sbias::gd_ridge_variance_ratio_sup(q_grid(i)).value);
        double largest = 0.0;
        for (int trial = 0; trial < 20; ++trial) {
            const arma::uword r = 1 + trial % 12, M = r + trial % 5;
            // Singular values over about seven decades each way (log s ~ N(0, 4)).
            const arma::vec s = arma::exp(2.0 * sbias::standard_normal_matrix(r, 1, rng).col(0));
            for (const auto& variances :
                 {std::pair{1.0, 1e-6}, std::pair{1.0, 1.0}, std::pair{1e-6, 1.0},
                  std::pair{1.0, 100.0}, std::pair{0.0, 1.0}, std::pair{1.0, 0.0}}) {
                // Named copies: a structured binding cannot be captured (CAPTURE is a lambda).
                const double tau2 = variances.first, sigma2 = variances.second;
                CAPTURE(trial);
                CAPTURE(tau2);
                CAPTURE(sigma2);
                const sbias::RatioMax flow =
                    sbias::flow_ridge_risk_ratio_max(s, M, tau2, sigma2, t_grid);
                CHECK(flow.value <= C * (1 + risk_tol::risk_rounding));
                largest = std::max(largest, flow.value);
                for (arma::uword i = 0; i < q_grid.n_elem; ++i) {
                    const double q = q_grid(i), bound = bounds(i);
                    const double gd =
                        sbias::gd_ridge_risk_ratio_max(s, M, tau2, sigma2, arma::vec{q}).value;
                    CAPTURE(q);
                    CHECK(gd <= bound * (1 + risk_tol::risk_rounding));
                }
            }
        }
        MESSAGE("largest flow / ridge risk ratio over the random spectra: " << largest);
    }

    TEST_CASE("one variance-dominated component attains the constant") {
        const sbias::RatioMax c = sbias::ali_constant();
        const arma::vec s = {2.0};
        // t s^2 = x*: t = x* / 4.
        const arma::vec t_grid = {0.1, c.at / 4, 10.0};
        const sbias::RatioMax flow = sbias::flow_ridge_risk_ratio_max(s, 1, 1e-12, 1.0, t_grid);
        CHECK(tol::close(flow.value, c.value, risk_tol::tiny_bias));
        CHECK(flow.at == c.at / 4);
        // With the bias weighing as much as the noise the bound is far from tight.
        CHECK(sbias::flow_ridge_risk_ratio_max(s, 1, 1.0, 1.0, t_grid).value < c.value - 0.1);
        // GD: one step at alpha = 1 / s^2 fits the component whole, ridge at lambda = s^2 half.
        const sbias::RatioMax gd = sbias::gd_ridge_risk_ratio_max(s, 1, 1e-12, 1.0, arma::vec{1.0});
        CHECK(tol::close(gd.value, 4.0, risk_tol::tiny_bias));
    }

    TEST_CASE("Bayes risk of GD agrees with Monte Carlo over prior and noise") {
        std::mt19937_64 rng(2019);
        const arma::uword N = 8, M = 20, n = 20000;
        const arma::mat A = sbias::standard_normal_matrix(N, M, rng);
        arma::mat U, V;
        arma::vec s;
        REQUIRE(arma::svd_econ(U, s, V, A));
        const double alpha = 1.0 / (s(0) * s(0)), q = 5.0, tau2 = 1.0, sigma2 = 4.0;
        const arma::vec mask = sbias::mask_gd(s, alpha, q);
        const sbias::Risk risk = sbias::bayes_risk(s, mask, M, tau2, sigma2);

        // q real GD steps on (1/2) ||y - A w||^2 from w = 0, for every draw at once.
        const arma::mat w_star = std::sqrt(tau2) * sbias::standard_normal_matrix(M, n, rng);
        const arma::mat e = std::sqrt(sigma2) * sbias::standard_normal_matrix(N, n, rng);
        const arma::mat Y = A * w_star + e;
        arma::mat W(M, n, arma::fill::zeros);
        for (int step = 0; step < q; ++step)
            W += alpha * A.t() * (Y - A * W);
        // The iterates are the masked estimator the risk is for (Proposition 4.1).
        const arma::mat W_mask = V * arma::diagmat(mask / s) * U.t() * Y;
        CHECK(arma::abs(W - W_mask).max() <= tol::second_method * arma::abs(W).max());

        const arma::mat D = W - w_star;
        const arma::rowvec est = arma::sum(arma::square(D), 0);
        const arma::rowvec pred = arma::sum(arma::square(A * D), 0);
        const double est_mean = arma::mean(est), pred_mean = arma::mean(pred);
        const double est_se = arma::stddev(est) / std::sqrt(double(n));
        const double pred_se = arma::stddev(pred) / std::sqrt(double(n));
        MESSAGE("estimation: formula " << risk.estimation << ", Monte Carlo " << est_mean << " +- "
                                       << est_se
                                       << " (z = " << (est_mean - risk.estimation) / est_se << ")");
        MESSAGE("prediction: formula "
                << risk.prediction << ", Monte Carlo " << pred_mean << " +- " << pred_se
                << " (z = " << (pred_mean - risk.prediction) / pred_se << ")");
        CHECK(std::abs(est_mean - risk.estimation) <= risk_tol::standard_errors * est_se);
        CHECK(std::abs(pred_mean - risk.prediction) <= risk_tol::standard_errors * pred_se);

        // The check has power: leaving out the noise, or the null space's M - r directions, is
        // rejected.
        const sbias::Risk no_noise = sbias::bayes_risk(s, mask, M, tau2, 0.0);
        CHECK(std::abs(est_mean - no_noise.estimation) > risk_tol::standard_errors * est_se);
        CHECK(std::abs(pred_mean - no_noise.prediction) > risk_tol::standard_errors * pred_se);
        const sbias::Risk no_null = sbias::bayes_risk(s, mask, N, tau2, sigma2);
        CHECK(std::abs(est_mean - no_null.estimation) > risk_tol::standard_errors * est_se);
    }

    TEST_CASE("risk functions refuse bad arguments") {
        const arma::vec s = {3.0, 1.0}, m = {0.5, 0.2}, grid = {1.0, 2.0};
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        CHECK_NOTHROW(sbias::bayes_risk(s, m, 2, 1.0, 1.0));
        CHECK_THROWS_AS(sbias::bayes_risk(s, m, 2, -1.0, 1.0), std::invalid_argument);
        CHECK_THROWS_AS(sbias::bayes_risk(s, m, 2, 1.0, -1.0), std::invalid_argument);
        CHECK_THROWS_AS(sbias::bayes_risk(s, m, 2, nan, 1.0), std::invalid_argument);
        CHECK_THROWS_AS(sbias::bayes_risk(s, m, 2, 1.0, inf), std::invalid_argument);
        CHECK_THROWS_AS(sbias::bayes_risk(s, arma::vec{0.5}, 2, 1.0, 1.0), std::invalid_argument);
        CHECK_THROWS_AS(sbias::bayes_risk(s, m, 1, 1.0, 1.0), std::invalid_argument); // M < r
        CHECK_THROWS_AS(sbias::bayes_risk(arma::vec{3.0, 0.0}, m, 2, 1.0, 1.0),
                        std::invalid_argument);
        CHECK_THROWS_AS(sbias::ali_variance_ratio(0.0), std::invalid_argument);
        CHECK_THROWS_AS(sbias::ali_variance_ratio(-1.0), std::invalid_argument);
        CHECK_THROWS_AS(sbias::ali_variance_ratio(nan), std::invalid_argument);
        CHECK_THROWS_AS(sbias::gd_ridge_variance_ratio_sup(0.5), std::invalid_argument);
        CHECK_THROWS_AS(sbias::gd_ridge_variance_ratio_sup(nan), std::invalid_argument);
        CHECK_THROWS_AS(sbias::gd_ridge_variance_ratio_sup(inf), std::invalid_argument);
        CHECK_NOTHROW(sbias::flow_ridge_risk_ratio_max(s, 2, 1.0, 1.0, grid));
        CHECK_THROWS_AS(sbias::flow_ridge_risk_ratio_max(s, 2, -1.0, 1.0, grid),
                        std::invalid_argument);
        CHECK_THROWS_AS(sbias::flow_ridge_risk_ratio_max(s, 2, 0.0, 0.0, grid),
                        std::invalid_argument);
        CHECK_THROWS_AS(sbias::flow_ridge_risk_ratio_max(s, 2, 1.0, 1.0, arma::vec{}),
                        std::invalid_argument);
        CHECK_THROWS_AS(sbias::flow_ridge_risk_ratio_max(s, 2, 1.0, 1.0, arma::vec{1.0, 0.0}),
                        std::invalid_argument);
        CHECK_THROWS_AS(sbias::flow_ridge_risk_ratio_max(s, 1, 1.0, 1.0, grid),
                        std::invalid_argument);
        CHECK_NOTHROW(sbias::gd_ridge_risk_ratio_max(s, 2, 1.0, 1.0, grid));
        CHECK_THROWS_AS(sbias::gd_ridge_risk_ratio_max(s, 2, 1.0, 1.0, arma::vec{1.0, 0.5}),
                        std::invalid_argument);
        CHECK_THROWS_AS(sbias::gd_ridge_risk_ratio_max(s, 2, 1.0, -2.0, grid),
                        std::invalid_argument);
        CHECK_THROWS_AS(sbias::gd_ridge_risk_ratio_max(arma::vec{}, 2, 1.0, 1.0, grid),
                        std::invalid_argument);
    }
}
