#include "sbias/activations.hpp"
#include "sbias/errors.hpp"
#include "tolerances.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace sbias;

TEST_SUITE("activations") {
    TEST_CASE("values at known points") {
        const auto& H = activation("heaviside");
        CHECK(H(0.0) == 1.0); // SPEC.md: H(0) = 1
        CHECK(H(-1e-300) == 0.0);
        CHECK(activation("relu")(-2.0) == 0.0);
        CHECK(activation("relu")(2.5) == 2.5);
        CHECK(activation("relu2")(3.0) == 9.0);
        CHECK(activation("relu2")(-3.0) == 0.0);
        CHECK(tol::close(activation("tanh")(0.5), 0.46211715726000974, tol::ulps));
        // gelu(1) = Phi(1); gelu(-10) = -10 Phi(-10) with Phi(-10) = 7.619853024160527e-24 (tables
        // of the normal CDF): the erfc form keeps full relative precision in the far left tail.
        CHECK(tol::close(activation("gelu")(1.0), 0.8413447460685429, tol::ulps));
        CHECK(tol::close(activation("gelu")(-10.0), -7.619853024160527e-23, 1e-13));
        const auto& silu = activation("silu");
        CHECK(tol::close(silu(1.0), 1.0 / (1.0 + std::exp(-1.0)), tol::ulps));
        CHECK(silu(-1000.0) == doctest::Approx(0.0)); // no overflow, no NaN
        CHECK(!std::isnan(silu(-1000.0)));
        CHECK(silu(1000.0) == 1000.0);
        const auto& sinc = activation("sinc");
        CHECK(sinc(0.0) == 1.0);
        CHECK(tol::close(sinc(0.5), 2.0 / M_PI, tol::ulps));
        CHECK(std::abs(sinc(1.0)) < 1e-16);
        CHECK(tol::close(sinc(1e-5), 1.0 - std::pow(M_PI * 1e-5, 2) / 6.0, tol::ulps));
        CHECK(activation("gauss")(0.0) == 1.0);
        CHECK(tol::close(activation("gauss")(1.0), std::exp(-M_PI), tol::ulps));
    }

    TEST_CASE("monotonicity flags agree with the functions") {
        const arma::vec z = arma::linspace(-6.0, 6.0, 2401);
        for (const auto& a : all_activations()) {
            CAPTURE(a.name);
            bool nondecreasing = true;
            for (arma::uword i = 1; i < z.n_elem; ++i)
                if (a(z(i)) < a(z(i - 1))) nondecreasing = false;
            CHECK(nondecreasing == a.monotonic());
        }
    }

    TEST_CASE("spline order r of Proposition 3.1: eta(z) = z^(r-1) [z >= 0]") {
        for (const auto& a : all_activations()) {
            if (a.spline_order == 0) continue;
            CAPTURE(a.name);
            for (double z : {-2.0, -0.3, 0.25, 1.0, 3.5})
                CHECK(a(z) == (z >= 0 ? std::pow(z, a.spline_order - 1) : 0.0));
        }
    }

    TEST_CASE("lookup and canonical scale") {
        CHECK(all_activations().size() == 8);
        CHECK_THROWS_AS(activation("swish"), usage_error);
        CHECK_THROWS_WITH(activation("swish"), doctest::Contains("heaviside"));
        CHECK(default_sigma(activation("relu"), 1024).value() == 1.0);
        CHECK(default_sigma(activation("tanh"), 1024).value() == 1024.0);
        CHECK(default_sigma(activation("silu"), 50).value() == 50.0);
        CHECK(!default_sigma(activation("sinc"), 1024).has_value());
        CHECK(!default_sigma(activation("gauss"), 1024).has_value());
    }
}
