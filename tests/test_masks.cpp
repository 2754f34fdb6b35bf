#include "sbias/masks.hpp"
#include "tolerances.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <limits>

using namespace sbias;

TEST_SUITE("masks") {
    TEST_CASE("GD mask at known points") {
        const double s_max = 7.0, alpha = 1.0 / (s_max * s_max);
        for (double q : {1.0, 2.0, 10.0, 1e4, 1e15}) {
            CAPTURE(q);
            CHECK(mask_gd(0.0, alpha, q) == 0.0);
            CHECK(mask_gd(s_max, alpha, q) == 1.0); // one step removes that component exactly
            CHECK(mask_flow(0.0, alpha, q) == 0.0);
        }
        CHECK(mask_gd(3.0, alpha, 0.0) == 0.0); // no iterations, no fit
    }

    TEST_CASE("GD mask is monotone in s and in q") {
        const double alpha = 1.0;
        const arma::vec s = arma::sqrt(arma::exp10(arma::linspace(-20, 0, 401)));
        for (double q : {1.0, 3.0, 100.0, 1e8, 1e15}) {
            const arma::vec m = mask_gd(s, alpha, q);
            CHECK(arma::all(arma::diff(m) >= 0.0));
            CHECK(arma::all(m >= 0.0));
            CHECK(arma::all(m <= 1.0));
        }
        for (double sv : {1e-9, 1e-4, 0.1, 0.9}) {
            double prev = 0.0;
            for (double q : {1.0, 2.0, 10.0, 1e3, 1e6, 1e12}) {
                const double m = mask_gd(sv, alpha, q);
                CHECK(m >= prev);
                prev = m;
            }
        }
    }

    // Independent references: the binomial series 1 - (1 - c)^q = qc - C(q,2) c^2 + C(q,3) c^3 -
    // ... (converges fast when qc << 1), and long double arithmetic where qc is of order one.
    TEST_CASE("stable GD mask keeps full precision for tiny alpha s^2 and huge q") {
        for (double c : {1e-30, 1e-25, 1e-20}) {
            const double q = 1e15;
            const long double lc = c, lq = q;
            const long double series =
                lq * lc - lq * (lq - 1) / 2 * lc * lc + lq * (lq - 1) * (lq - 2) / 6 * lc * lc * lc;
            CAPTURE(c);
            CHECK(tol::close(mask_gd(std::sqrt(c), 1.0, q), static_cast<double>(series), 1e-14));
        }
        for (const auto& cq :
             {std::pair{1e-15, 1e15}, std::pair{1e-12, 3e12}, std::pair{0.3, 7.0}}) {
            // Named variables: clang 14 cannot capture a structured binding (CAPTURE's lambda).
            const double c = cq.first, q = cq.second;
            const long double ref = 1.0L - std::exp(static_cast<long double>(q) *
                                                    std::log1p(-static_cast<long double>(c)));
            CAPTURE(c);
            CHECK(tol::close(mask_gd(std::sqrt(c), 1.0, q), static_cast<double>(ref), 1e-14));
        }
    }

    TEST_CASE(
        "naive evaluation: mask 0 where 1 - alpha s^2 rounds to 1 and relative error about u / c") {
        const double u = std::numeric_limits<double>::epsilon() / 2;
        CHECK(mask_gd_naive(std::sqrt(u / 4), 1.0, 1e12) == 0.0);
        CHECK(mask_gd(std::sqrt(u / 4), 1.0, 1e12) > 0.0);
        const double c = 1e-10;
        const double rel =
            std::abs(mask_gd_naive(std::sqrt(c), 1.0, 100.0) - mask_gd(std::sqrt(c), 1.0, 100.0)) /
            mask_gd(std::sqrt(c), 1.0, 100.0);
        CHECK(rel > 1e-3 * u / c); // it does lose digits...
        CHECK(rel < 2.0 * u / c);  // ...about as many as the rounding of 1 - c predicts
    }

    TEST_CASE("gradient flow gap: sup over c of exp(-cq) - (1-c)^q") {
        CHECK(tol::close(flow_gap_sup(1.0), std::exp(-1.0), 1e-12)); // at c = 1
        // Large q: (1 - t/q)^q = e^-t (1 - t^2 / (2q) + ...), so the gap peaks at t = 2 with
        // value 2 e^-2 / q to first order.
        CHECK(tol::close(flow_gap_sup(1e6) * 1e6, 2.0 * std::exp(-2.0), 1e-5));
        // Against a brute-force scan of c.
        for (double q : {2.0, 7.0, 100.0}) {
            double best = 0.0;
            for (double c : arma::vec(arma::exp10(arma::linspace(-8, 0, 200001))))
                best = std::max(best, std::exp(-c * q) - std::pow(1.0 - c, q));
            CAPTURE(q);
            CHECK(flow_gap_sup(q) >= best * (1 - 1e-12));
            CHECK(flow_gap_sup(q) <= best * (1 + 1e-6));
        }
    }

    TEST_CASE("ridge and PCA masks") {
        CHECK(mask_ridge(2.0, 4.0) == 0.5); // s^2 = lambda
        CHECK(mask_ridge(0.0, 4.0) == 0.0);
        CHECK(mask_pca(1.0, 1.0) == 1.0); // s >= kappa keeps the component
        CHECK(mask_pca(std::nextafter(1.0, 0.0), 1.0) == 0.0);
        const arma::vec s = {3.0, 2.0, 1.0};
        CHECK(arma::approx_equal(mask_pca(s, 2.0), arma::vec{1.0, 1.0, 0.0}, "absdiff", 0.0));
    }
}
