// Proposition 3.1 / Appendix A: the columns of nabla^{-r} are the shifted activations
// max(x - b_m, 0)^(r-1), and spline smoothing (Eq. 20) equals ridge on A = D nabla^{-r} (Eq. 21).
#include "sbias/activations.hpp"
#include "sbias/signals.hpp"
#include "sbias/splines.hpp"
#include "tolerances.hpp"

#include <doctest/doctest.h>

using namespace sbias;

namespace {
/// Largest normalised deviation between columns M/4, M/2, 3M/4 and the activation.
double column_deviation(arma::uword M, int r) {
    const Activation& eta = activation(r == 1 ? "heaviside" : r == 2 ? "relu" : "relu2");
    double worst = 0.0;
    for (arma::uword m : {M / 4, M / 2, 3 * M / 4}) {
        const arma::vec col = inverse_difference_column(M, m, r, 1.0 / M);
        arma::vec act(M);
        for (arma::uword i = 0; i < M; ++i)
            act(i) = eta((double(i) - double(m)) / M);
        worst = std::max(worst,
                         arma::abs(col / arma::abs(col).max() - act / arma::abs(act).max()).max());
    }
    return worst;
}
} // namespace

TEST_SUITE("prop-3.1") {
    TEST_CASE("columns of nabla^{-r}: forward substitution equals the binomial closed form") {
        const arma::uword M = 300;
        const double dx = 1.0 / M;
        for (int r = 1; r <= 3; ++r)
            for (arma::uword m : {0u, 75u, 150u, 299u}) {
                const arma::vec col = inverse_difference_column(M, m, r, dx);
                double worst = 0.0;
                for (arma::uword i = 0; i < M; ++i) {
                    const double e = inverse_difference_entry(i, m, r, dx);
                    worst = std::max(worst,
                                     std::abs(col(i) - e) / std::max(std::abs(e), std::pow(dx, r)));
                }
                CAPTURE(r);
                CAPTURE(m);
                CHECK(worst < tol::ulps * 10);
            }
        // and nabla^r applied to a column gives back the unit vector
        const arma::mat P = difference_matrix(M, 2, dx);
        const arma::vec e = P * inverse_difference_column(M, 100, 2, dx);
        CHECK(std::abs(e(100) - 1.0) < 1e-9);
        CHECK(arma::abs(e.head(100)).max() < 1e-9);
        CHECK(arma::abs(e.tail(M - 101)).max() < 1e-9);
    }

    TEST_CASE(
        "deviation from the activation is exactly 0 for r = 1 and below 4/M for r = 2 and 3") {
        // r = 2: the normalised column (n+1)/(K+1) differs from n/K by at most 1/(K+1), K = M/4 - 1
        // for the column m = 3M/4: 4/M. r = 3 is measured below the same bound.
        double previous = 1.0;
        for (arma::uword M : {400u, 2000u, 8000u}) {
            CAPTURE(M);
            CHECK(column_deviation(M, 1) == 0.0);
            const double d2 = column_deviation(M, 2), d3 = column_deviation(M, 3);
            CHECK(tol::close(d2, 4.0 / M, 1e-9));
            CHECK(d3 < 4.0 / M);
            CHECK(d3 < previous);
            previous = d3;
        }
    }

    TEST_CASE("spline smoothing (Eq. 20) equals ridge on D nabla^{-r} (Eq. 21)") {
        const arma::uword M = 400, N = 20;
        arma::uvec idx(N);
        for (arma::uword n = 0; n < N; ++n)
            idx(n) = (2 * n + 1) * M / (2 * N);
        const arma::vec y = smooth_test_signal(arma::conv_to<arma::vec>::from(idx) / double(M));
        const double lambda_c[] = {1e-3, 1e-5, 1e-7};
        for (int r = 1; r <= 3; ++r) {
            const double lambda = lambda_c[r - 1] / M;
            const arma::vec direct = spline_smooth_direct(M, r, lambda, idx, y);
            const arma::vec ridge = spline_smooth_ridge(M, r, lambda, idx, y);
            CAPTURE(r);
            CHECK(arma::norm(direct - ridge) / arma::norm(ridge) < 1e-9);
            // and it is a smoother, not an interpolant: the fit does not pass through the samples
            CHECK(arma::abs(direct.elem(idx) - y).max() > 1e-6);
        }
    }
}
