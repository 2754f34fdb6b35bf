// Fourier magnitudes of the activations (groundwork for chapter 09) against numerical quadrature.
// Where the transform is a distribution (the activation jumps or grows), the test integrates a
// derivative that is an ordinary integrable function: F(g^(m))(w) = (2 pi i w)^m F(g)(w).
#include "sbias/activations.hpp"
#include "sbias/constants.hpp"
#include "sbias/fourier.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <functional>

using namespace sbias;

namespace {
using sbias::pi;

/// |integral g(z) exp(-2 pi i w z) dz| over [-L, L] by the trapezoid rule, which converges
/// geometrically for the smooth, fast-decaying integrands used here.
double transform_by_quadrature(const std::function<double(double)>& g, double w, double L = 40.0,
                               double h = 0.004) {
    double re = 0.0, im = 0.0;
    const long n = std::lround(L / h);
    for (long i = -n; i <= n; ++i) {
        const double z = i * h, weight = (i == -n || i == n) ? 0.5 : 1.0;
        re += weight * g(z) * std::cos(2 * pi * w * z);
        im -= weight * g(z) * std::sin(2 * pi * w * z);
    }
    return std::hypot(re, im) * h;
}

double sigmoid(double z) {
    return 1.0 / (1.0 + std::exp(-z));
}
double normal_pdf(double z) {
    return std::exp(-z * z / 2) / std::sqrt(2 * pi);
}

/// The derivatives used below, written from the definitions.
double tanh_1(double z) {
    return 1.0 / std::pow(std::cosh(z), 2);
}
double gelu_2(double z) {
    return (2.0 - z * z) * normal_pdf(z);
}
double silu_2(double z) {
    const double s = sigmoid(z), s1 = s * (1 - s), s2 = s1 * (1 - 2 * s);
    return 2 * s1 + z * s2;
}

const double omegas[] = {0.03, 0.1, 0.25, 0.5, 0.8};
} // namespace

TEST_SUITE("fourier") {
    TEST_CASE("the derivatives integrated below are those of the library's activations") {
        const double h = 1e-4;
        for (double z : {-3.0, -0.7, 0.0, 0.4, 2.5}) {
            const auto d1 = [&](const char* a) {
                const Activation& f = activation(a);
                return (f(z + h) - f(z - h)) / (2 * h);
            };
            const auto d2 = [&](const char* a) {
                const Activation& f = activation(a);
                return (f(z + h) - 2 * f(z) + f(z - h)) / (h * h);
            };
            CHECK(std::abs(d1("tanh") - tanh_1(z)) <= 1e-7);
            CHECK(std::abs(d2("gelu") - gelu_2(z)) <= 1e-6);
            CHECK(std::abs(d2("silu") - silu_2(z)) <= 1e-6);
        }
    }

    TEST_CASE("tanh: pi csch(pi^2 w) from the transform of sech^2") {
        for (double w : omegas)
            CHECK(fourier_magnitude(activation("tanh"), w) ==
                  doctest::Approx(transform_by_quadrature(tanh_1, w) / (2 * pi * w)).epsilon(1e-9));
        // At scale sigma: tanh(3 z) has derivative 3 sech^2(3 z).
        const auto g = [](double z) { return 3.0 * tanh_1(3.0 * z); };
        CHECK(fourier_magnitude(activation("tanh"), 3.0, 0.7) ==
              doctest::Approx(transform_by_quadrature(g, 0.7) / (2 * pi * 0.7)).epsilon(1e-9));
    }

    TEST_CASE("GELU and SiLU from the transforms of their second derivatives") {
        for (double w : omegas) {
            const double d = std::pow(2 * pi * w, 2);
            CHECK(fourier_magnitude(activation("gelu"), w) ==
                  doctest::Approx(transform_by_quadrature(gelu_2, w) / d).epsilon(1e-9));
            CHECK(fourier_magnitude(activation("silu"), w) ==
                  doctest::Approx(transform_by_quadrature(silu_2, w) / d).epsilon(1e-9));
        }
    }

    TEST_CASE("gauss is its own transform and sinc is the inverse transform of the box") {
        const auto gauss = [](double z) { return activation("gauss")(z); };
        for (double w : omegas)
            CHECK(fourier_magnitude(activation("gauss"), w) ==
                  doctest::Approx(transform_by_quadrature(gauss, w)).epsilon(1e-12));
        // integral over w of |sinc^(w)| exp(2 pi i w z) = sin(pi z) / (pi z): the midpoint rule on
        // cells whose edges fall on the box's jumps at +-1/2, and zero beyond them.
        const Activation& sinc = activation("sinc");
        for (double z : {0.0, 0.3, 1.7, 4.2}) {
            const int n = 20000;
            double s = 0.0;
            for (int i = 0; i < n; ++i) {
                const double w = -0.5 + (i + 0.5) / n;
                s += fourier_magnitude(sinc, w) * std::cos(2 * pi * w * z);
            }
            CHECK(s / n == doctest::Approx(sinc(z)).epsilon(1e-8));
        }
        CHECK(fourier_magnitude(sinc, 0.5) == 0.5);
        CHECK(fourier_magnitude(sinc, -0.5000001) == 0.0);
        CHECK(fourier_magnitude(sinc, 30.0, 14.9) == doctest::Approx(1.0 / 30).epsilon(1e-15));
        CHECK(fourier_magnitude(sinc, 30.0, 15.1) == 0.0);
    }

    TEST_CASE("Heaviside and its powers: the limit of the damped transforms") {
        // z^(r-1) H(z) exp(-eps z) has transform (r-1)! / (eps + 2 pi i w)^r (checked here by
        // quadrature on [0, L]); as eps -> 0 its magnitude tends to (r-1)! / (2 pi |w|)^r.
        const double eps = 0.5;
        const char* names[] = {"heaviside", "relu", "relu2"};
        for (int r = 1; r <= 3; ++r) {
            for (double w : {0.25, 0.5}) {
                const auto g = [&](double z) {
                    return z < 0 ? 0.0 : std::pow(z, r - 1) * std::exp(-eps * z);
                };
                // (r = 1 jumps at 0, which the trapezoid rule does not resolve: r = 2, 3 only)
                const double laplace = std::tgamma(r) / std::pow(std::hypot(eps, 2 * pi * w), r);
                if (r > 1)
                    CHECK(transform_by_quadrature(g, w, 80.0, 0.002) ==
                          doctest::Approx(laplace).epsilon(1e-6));
            }
            for (double w : omegas)
                CHECK(fourier_magnitude(activation(names[r - 1]), w) ==
                      doctest::Approx(std::tgamma(r) / std::pow(2 * pi * w, r)).epsilon(1e-14));
        }
        CHECK_THROWS(fourier_magnitude(activation("relu"), 0.0));
    }

    TEST_CASE("small frequencies: tanh -> 2 H and GELU SiLU -> ReLU") {
        const double w = 1e-4;
        CHECK(fourier_magnitude(activation("tanh"), w) ==
              doctest::Approx(2 * fourier_magnitude(activation("heaviside"), w)).epsilon(1e-6));
        CHECK(fourier_magnitude(activation("gelu"), w) ==
              doctest::Approx(fourier_magnitude(activation("relu"), w)).epsilon(1e-6));
        CHECK(fourier_magnitude(activation("silu"), w) ==
              doctest::Approx(fourier_magnitude(activation("relu"), w)).epsilon(1e-6));
        // no overflow far out in frequency
        CHECK(fourier_magnitude(activation("silu"), 400.0) == 0.0);
        CHECK(std::isinf(spectral_penalty(activation("sinc"), 15.0, 20.0)));
    }
}
