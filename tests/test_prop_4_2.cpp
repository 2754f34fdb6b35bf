// Proposition 4.2 / Appendix C: the threshold kappa where the GD mask reaches 1 - eps, and the
// active window rho = s_max / kappa -> sqrt(q) at eps = 1/e.
#include "sbias/masks.hpp"
#include "tolerances.hpp"

#include <doctest/doctest.h>

using namespace sbias;

TEST_SUITE("prop-4.2") {
    TEST_CASE("the exact mask equals 1 - eps at kappa") {
        for (double alpha : {1.0, 0.25, 1e-6})
            for (double q : {1.0, 3.0, 100.0, 1e4, 1e9})
                for (double eps : {std::exp(-1.0), 0.5, 0.01, 1e-6}) {
                    const double kappa = kappa_gd(alpha, q, eps);
                    CAPTURE(alpha);
                    CAPTURE(q);
                    CAPTURE(eps);
                    CHECK(std::abs(mask_gd(kappa, alpha, q) - (1.0 - eps)) < 1e-12);
                }
    }

    TEST_CASE("the flow threshold of Eq. 16 solves the flow mask") {
        for (double q : {1.0, 50.0, 1e6}) {
            const double kappa = kappa_flow(0.5, q, 0.1);
            CHECK(std::abs(mask_flow(kappa, 0.5, q) - 0.9) < 1e-12);
        }
    }

    TEST_CASE("rho tends to sqrt(q) as q grows with excess about 1/(4q)") {
        const double eps = std::exp(-1.0);
        double previous = 1.0;
        for (double q : {1.0, 10.0, 100.0, 1e3, 1e4, 1e6}) {
            const double excess = 1.0 / kappa_gd(1.0, q, eps) / std::sqrt(q) - 1.0;
            CAPTURE(q);
            CHECK(excess > 0.0);
            CHECK(excess < previous);
            CHECK(std::abs(excess - 1.0 / (4.0 * q)) < 1.0 / (q * q)); // next term is O(1/q^2)
            previous = excess;
        }
        CHECK(tol::close(1.0 / kappa_gd(1.0, 1.0, eps), 1.0 / std::sqrt(1.0 - std::exp(-1.0)),
                         tol::ulps));
    }
}
