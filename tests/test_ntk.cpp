// Chapter 10 (Cao et al.): the two-layer network's hand-derived gradients against finite
// differences, the closed-form NTK Gram matrix against the Jacobian written out parameter by
// parameter and against its infinite-width limit, Funk-Hecke on kernels whose spectrum is known (in
// double, and in quadruple precision to degree 64), the ReLU NTK's laws at high degree and in high
// dimension, Gegenbauer polynomials, seeded random numbers, and the chapter's run (golden values,
// SPEC keys, determinism).
#include "chapter_run.hpp"
#include "golden.hpp"

#include "sbias/constants.hpp"
#include "sbias/random.hpp"
#include "sbias/sphere.hpp"
#include "sbias/twolayer.hpp"

#include <quadmath.h>

#include <cmath>
#include <cstring>

using namespace sbias;

namespace {
using sbias::pi;

struct Tiny {
    arma::mat X;
    arma::vec y;
    TwoLayerRelu net;
};

Tiny tiny(arma::uword n, arma::uword m, arma::uword d, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Tiny t;
    t.X = uniform_sphere(n, d, rng);
    t.y = arma::vec(standard_normal_matrix(n, 1, rng));
    t.net = TwoLayerRelu::init(m, d, rng);
    return t;
}

/// The fused gradient's arithmetic written out scalar by scalar (twolayer.cpp): z_ij one FMA chain
/// over the columns of X; f_i the sum over j in order of the products a_j relu(z_ij); G_jc FMA
/// chains over the samples within the chunks OpenBLAS's single-threaded driver splits K into
/// (K >= 512: 256; 256 < K < 512: halves rounded up to a multiple of 4), each added to the total.
LossGradient scalar_gradient(const TwoLayerRelu& net, const arma::mat& X, const arma::vec& y) {
    const arma::uword n = X.n_rows, d = X.n_cols, m = net.width();
    const double s = std::sqrt(double(m));
    arma::mat Z(n, m);
    arma::vec f(n, arma::fill::zeros);
    for (arma::uword j = 0; j < m; ++j)
        for (arma::uword i = 0; i < n; ++i) {
            double z = 0.0;
            for (arma::uword c = 0; c < d; ++c)
                z = std::fma(X(i, c), net.W(j, c), z);
            Z(i, j) = z;
            const double term = net.a(j) * (z > 0.0 ? z : 0.0);
            f(i) += term;
        }
    LossGradient g;
    g.residual = s * f - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / double(n);
    std::vector<std::pair<arma::uword, arma::uword>> chunks;
    for (arma::uword start = 0; start < n;) {
        arma::uword len = n - start;
        if (len >= 512)
            len = 256;
        else if (len > 256)
            len = (len / 2 + 3) / 4 * 4;
        chunks.emplace_back(start, len);
        start += len;
    }
    g.dW.set_size(m, d);
    for (arma::uword j = 0; j < m; ++j)
        for (arma::uword c = 0; c < d; ++c) {
            double total = 0.0;
            for (const auto& chunk : chunks) {
                double acc = 0.0;
                for (arma::uword i = chunk.first; i < chunk.first + chunk.second; ++i)
                    acc = std::fma(Z(i, j) > 0.0 ? g.residual(i) : 0.0, X(i, c), acc);
                total += acc;
            }
            g.dW(j, c) = total;
        }
    const double scale = s / double(n);
    g.da = scale * arma::sum(net.W % g.dW, 1);
    g.dW.each_col() %= net.a * scale;
    return g;
}

bool same_bits(const arma::mat& a, const arma::mat& b) {
    return a.n_rows == b.n_rows && a.n_cols == b.n_cols &&
           std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(double)) == 0;
}

double loss(const TwoLayerRelu& net, const arma::mat& X, const arma::vec& y) {
    const arma::vec r = net(X) - y;
    return 0.5 * arma::dot(r, r) / double(X.n_rows);
}

/// I_nu(s) by its power series sum_m (s/2)^(2m + nu) / (m! Gamma(m + nu + 1)): positive terms, so
/// long double keeps every digit a double holds.
long double bessel_i_series(long double nu, long double s) {
    long double term = std::exp(nu * std::log(s / 2) - std::lgamma(nu + 1)), sum = 0;
    for (int m = 0; m < 1000 && term > 1e-25L * sum; ++m) {
        sum += term;
        term *= (s / 2) * (s / 2) / ((m + 1) * (m + 1 + nu));
    }
    return sum;
}

/// The Funk-Hecke eigenvalue of t^n on degree k of S^{d-1} (n - k even and >= 0), from
/// t^n = sum over the Gegenbauer expansion of a monomial:
///   n! Gamma(d/2) / (2^n ((n - k)/2)! Gamma((n + k + d)/2)),
/// the same formula as E[t^2] = 1/d, E[t^4] = 3 / (d (d + 2)) and 2 / (d (d + 2)) on degree 2.
long double monomial_eigenvalue(int n, int k, int d) {
    return std::exp(std::lgamma(n + 1.0L) + std::lgamma(d / 2.0L) - n * std::log(2.0L) -
                    std::lgamma((n - k) / 2 + 1.0L) - std::lgamma((n + k + d) / 2.0L));
}
} // namespace

TEST_SUITE("ntk") {
    TEST_CASE("Gradients of the two-layer network against central differences") {
        Tiny t = tiny(7, 5, 3, 11);
        GradientWorkspace ws;
        const LossGradient g = loss_gradient(t.net, t.X, t.y, ws);
        CHECK(g.loss == doctest::Approx(loss(t.net, t.X, t.y)).epsilon(1e-14));
        // Every parameter in turn: W's entries, then a's.
        const arma::vec grad = arma::join_cols(arma::vectorise(g.dW), g.da);
        const auto param = [](TwoLayerRelu& net, arma::uword i) -> double& {
            return i < net.W.n_elem ? net.W(i) : net.a(i - net.W.n_elem);
        };
        const double h = 1e-6;
        for (arma::uword i = 0; i < grad.n_elem; ++i) {
            TwoLayerRelu p = t.net, q = t.net;
            param(p, i) += h;
            param(q, i) -= h;
            const double fd = (loss(p, t.X, t.y) - loss(q, t.X, t.y)) / (2 * h);
            CAPTURE(i);
            CHECK(grad(i) == doctest::Approx(fd).epsilon(1e-6).scale(1e-3));
        }
        // The residual is f - y.
        CHECK(arma::abs(g.residual - (t.net(t.X) - t.y)).max() < 1e-14);
    }

    TEST_CASE("The blocked gradient equals J^T r / n with J written out parameter by parameter") {
        // m = 70: hidden units in blocks of 32, 32 and 6, so loss_gradient's last block is a part
        // block. The same workspace serves a wider network first, as in training several widths
        // (its signs then outnumber this network's).
        Tiny t = tiny(50, 70, 4, 12);
        GradientWorkspace ws;
        (void)loss_gradient(tiny(50, 101, 4, 13).net, t.X, t.y, ws);
        const LossGradient g = loss_gradient(t.net, t.X, t.y, ws);
        const arma::mat J = ntk_jacobian(t.net, t.X); // columns w_0, ..., w_69, then a
        const arma::vec expected = J.t() * g.residual / double(t.X.n_rows);
        const arma::vec got = arma::join_cols(arma::vectorise(g.dW.t()), g.da);
        REQUIRE(got.n_elem == expected.n_elem);
        CHECK(arma::abs(got - expected).max() <= 1e-13 * arma::abs(expected).max());
        CHECK(arma::abs(g.residual - (t.net(t.X) - t.y)).max() < 1e-13);
    }

    TEST_CASE("The fused gradient rounds as its scalar model and agrees with the BLAS path") {
        // Samples past a multiple of 8 (n = 50, 1001), units past a multiple of 4 (m = 70, 9),
        // the sum over samples in one chunk (50), two (300: halves) and four (1001: 256, 256,
        // then halves), the columns in one group (d = 4, 10) and two (13: 6 + 7).
        struct Shape {
            arma::uword n, m, d;
        };
        GradientWorkspace ws, blas;
        blas.blas_only = true;
        for (const Shape sh : {Shape{50, 70, 4}, Shape{300, 9, 13}, Shape{1001, 37, 10}}) {
            const Tiny t = tiny(sh.n, sh.m, sh.d, 20 + sh.n);
            CAPTURE(sh.n);
            const LossGradient g = loss_gradient(t.net, t.X, t.y, ws);
            const LossGradient b = loss_gradient(t.net, t.X, t.y, blas);
            const double scale = arma::abs(b.dW).max();
            CHECK(arma::abs(g.dW - b.dW).max() <= 1e-13 * scale);
            CHECK(arma::abs(g.da - b.da).max() <= 1e-13 * arma::abs(b.da).max());
            CHECK(arma::abs(g.residual - b.residual).max() <= 1e-13 * arma::abs(b.residual).max());
            if (!fused_gradient_available()) {
                MESSAGE("no AVX2 and FMA here: loss_gradient takes its BLAS path");
                continue;
            }
            const LossGradient e = scalar_gradient(t.net, t.X, t.y);
            CHECK(same_bits(g.residual, e.residual));
            CHECK(same_bits(g.dW, e.dW));
            CHECK(same_bits(g.da, e.da));
            CHECK(g.loss == e.loss);
        }
    }

    TEST_CASE("The NTK Gram matrix equals J J^T with J written out parameter by parameter") {
        Tiny t = tiny(6, 9, 4, 3);
        const arma::mat J = ntk_jacobian(t.net, t.X);
        // J itself against central differences of f, parameter by parameter.
        const double h = 1e-6;
        const arma::uword m = t.net.width(), d = t.X.n_cols;
        for (arma::uword j = 0; j < m; ++j)
            for (arma::uword c = 0; c <= d; ++c) {
                TwoLayerRelu p = t.net, q = t.net;
                if (c < d) {
                    p.W(j, c) += h;
                    q.W(j, c) -= h;
                } else {
                    p.a(j) += h;
                    q.a(j) -= h;
                }
                const arma::vec fd = (p(t.X) - q(t.X)) / (2 * h);
                const arma::uword col = c < d ? j * d + c : m * d + j;
                CAPTURE(col);
                CHECK(arma::abs(J.col(col) - fd).max() < 1e-7);
            }
        const arma::mat K = ntk_gram(t.net, t.X), JJ = J * J.t();
        CHECK(arma::abs(K - JJ).max() <= 1e-13 * arma::abs(JJ).max());
        CHECK(arma::abs(K - K.t()).max() == 0.0);
    }

    TEST_CASE("At large width the Gram matrix over m approaches the arc-cosine NTK") {
        // Independent draws: the fluctuation of K / m is O(1 / sqrt(m)) = 0.005 at m = 40000.
        Tiny t = tiny(6, 40000, 5, 8);
        const arma::mat K = ntk_gram(t.net, t.X) / 40000.0;
        for (arma::uword i = 0; i < 6; ++i)
            for (arma::uword j = 0; j < 6; ++j) {
                CAPTURE(i);
                CAPTURE(j);
                CHECK(std::abs(K(i, j) - relu_ntk_kernel(arma::dot(t.X.row(i), t.X.row(j)))) <
                      0.03);
            }
        CHECK(relu_ntk_kernel(1.0) == doctest::Approx(1.5).epsilon(1e-15)); // 1 + 1/2
        CHECK(relu_ntk_kernel(0.0) == doctest::Approx(1 / pi).epsilon(1e-15));
        CHECK(std::abs(relu_ntk_kernel(-1.0)) < 1e-15);
    }

    TEST_CASE("Funk-Hecke on kernels whose spectrum is known") {
        for (int d : {3, 10}) {
            CAPTURE(d);
            // The constant kernel: 1 on constants.
            CHECK(funk_hecke([](double) { return 1.0; }, d, 0) ==
                  doctest::Approx(1.0).epsilon(1e-12));
            // <x, y>: 1/d on degree 1, nothing else.
            const auto lin = [](double t) { return t; };
            CHECK(funk_hecke(lin, d, 1) == doctest::Approx(1.0 / d).epsilon(1e-12));
            CHECK(std::abs(funk_hecke(lin, d, 0)) < 1e-14);
            CHECK(std::abs(funk_hecke(lin, d, 2)) < 1e-14);
            // <x, y>^2 = ((d - 1) P_2 + 1) / d: 1/d on constants, 2 / (d (d + 2)) on degree 2.
            const auto sq = [](double t) { return t * t; };
            CHECK(funk_hecke(sq, d, 0) == doctest::Approx(1.0 / d).epsilon(1e-12));
            CHECK(funk_hecke(sq, d, 2) == doctest::Approx(2.0 / (d * (d + 2.0))).epsilon(1e-12));
            CHECK(std::abs(funk_hecke(sq, d, 4)) < 1e-14);
            // The addition theorem: the kernel P_j acts as delta_jk / dim_k.
            for (int j = 0; j <= 5; ++j)
                for (int k = 0; k <= 5; ++k) {
                    const double mu =
                        funk_hecke([&](double t) { return gegenbauer(j, d, t); }, d, k);
                    CAPTURE(j);
                    CAPTURE(k);
                    if (j == k)
                        CHECK(mu == doctest::Approx(1.0 / harmonic_dimension(k, d)).epsilon(1e-12));
                    else
                        CHECK(std::abs(mu) < 1e-14);
                }
        }
        // The ReLU NTK: no odd degree above 1, and 3 / (4d) on degree 1 (its linear term 3t/4).
        CHECK(std::abs(funk_hecke(relu_ntk_kernel, 10, 3)) < 1e-15);
        CHECK(std::abs(funk_hecke(relu_ntk_kernel, 10, 5)) < 1e-15);
        CHECK(funk_hecke(relu_ntk_kernel, 10, 1) == doctest::Approx(0.075).epsilon(1e-12));
    }

    TEST_CASE("Quadruple-precision Funk-Hecke on exp(s t) equals modified Bessel functions to "
              "degree 64") {
        // exp(s t) = Gamma(lambda) (s/2)^-lambda sum_k (k + lambda) I_{k+lambda}(s) C_k^lambda(t),
        // lambda = (d - 2)/2 (Gegenbauer's expansion), so mu_k = Gamma(d/2) (2/s)^lambda
        // I_{k+lambda}(s). s = 80: mu_64 / mu_0 is about 1e-11, so quadruple precision's floor
        // (1e-34 of mu_0, reached at s = 40 where mu_64 / mu_0 is 2e-20) stays far below double's
        // resolution of mu_64. Tolerance: the result is rounded to double (1.1e-16) and the series'
        // first term carries long double's error on an exponent of up to 300 (1e-19 each): 1e-14
        // leaves room and still sees any digit lost before the 14th.
        const long double s = 80;
        for (int d : {3, 10}) {
            const arma::vec mu =
                funk_hecke_high([](quad theta) { return expq(80 * cosq(theta)); }, d, 64, 256);
            REQUIRE(mu.n_elem == 65);
            const long double lambda = (d - 2) / 2.0L;
            for (int k = 0; k <= 64; ++k) {
                const long double ref = std::tgamma(d / 2.0L) * std::pow(2 / s, lambda) *
                                        bessel_i_series(k + lambda, s);
                CAPTURE(d);
                CAPTURE(k);
                CHECK(std::abs(mu(k) / double(ref) - 1.0) < 1e-14);
            }
        }
    }

    TEST_CASE("Quadruple-precision Funk-Hecke on sqrt(1 - t) equals its Gamma-function form to "
              "degree 64") {
        // (1 - t)^(1/2) has the ReLU NTK's singularity at t = 1, so its eigenvalues fall like k^-d,
        // to 1.6e-14 at k = 64 on S^9 while the integrand is O(1). The Jacobi-weight integral
        // int (1 - t)^(a + 1/2) (1 + t)^a P_k^(a,a)(t) dt, a = (d - 3)/2, gives
        //   mu_k = -2^(d - 5/2) Gamma(d/2)^2 Gamma(k - 1/2) / (pi Gamma(k + d - 1/2))
        // (Gamma(-1/2) = -2 sqrt(pi) makes mu_0 positive), checked by hand on S^2:
        // mu_0 = (1/2) int sqrt(1 - t) dt = 2^(3/2) / 3, mu_1 = (1/2) int t sqrt(1 - t) dt =
        // -2^(3/2) / 15. In theta, sqrt(1 - cos theta) = sqrt(2) sin(theta / 2) is entire.
        const auto kappa = [](quad theta) { return sqrtq(2) * sinq(theta / 2); };
        for (int d : {3, 10}) {
            const arma::vec mu = funk_hecke_high(kappa, d, 64);
            for (int k = 0; k <= 64; ++k) {
                const long double ref = -std::pow(2.0L, d - 2.5L) *
                                        std::pow(std::tgamma(d / 2.0L), 2) * std::tgamma(k - 0.5L) /
                                        (pi * std::tgamma(k + d - 0.5L));
                CAPTURE(d);
                CAPTURE(k);
                CHECK(std::abs(mu(k) / double(ref) - 1.0) < 1e-14);
            }
            if (d == 3) {
                CHECK(mu(0) == doctest::Approx(std::pow(2.0, 1.5) / 3).epsilon(1e-15));
                CHECK(mu(1) == doctest::Approx(-std::pow(2.0, 1.5) / 15).epsilon(1e-15));
            }
        }
    }

    TEST_CASE(
        "Quadruple-precision Funk-Hecke on the ReLU NTK: the double rule and the node count") {
        for (int d : {3, 10}) {
            CAPTURE(d);
            const arma::vec mu = funk_hecke_high(relu_ntk_kernel_theta, d, 64, 128),
                            mu2 = funk_hecke_high(relu_ntk_kernel_theta, d, 64, 256),
                            mu32 = funk_hecke_high(relu_ntk_kernel_theta, d, 64, 32);
            // The kernel in theta is the double one.
            for (double theta : {0.0, 0.3, 1.0, 2.0, 3.0, pi})
                CHECK(double(relu_ntk_kernel_theta(theta)) ==
                      doctest::Approx(relu_ntk_kernel(std::cos(theta))).epsilon(1e-15).scale(1.0));
            for (int k = 0; k <= 64; ++k) {
                CAPTURE(k);
                if (k % 2 == 1 && k >= 3) {
                    // Odd degrees >= 3 vanish: what is left is rounding, at most nodes (128) times
                    // quadruple's unit roundoff (1e-34) times the largest term (< 3).
                    CHECK(std::abs(mu(k)) < 1e-31);
                    continue;
                }
                // 128 and 256 nodes give one quadruple-precision value, rounded to double: at most
                // one unit in the last place apart.
                CHECK(std::abs(mu(k) - mu2(k)) <= 2.3e-16 * std::abs(mu2(k)));
                // funk_hecke (double, 1280 nodes) holds 1e-12 at low degree (the golden values).
                if (k <= 8)
                    CHECK(std::abs(funk_hecke(relu_ntk_kernel, d, k) - mu(k)) <= 1e-12 * mu(k));
            }
            // The check can fail: 32 nodes integrate polynomials of degree 63 in theta, short of
            // P_64(cos theta) sin(theta)^(d-2) and the kernel.
            CHECK(std::abs(mu32(64) - mu2(64)) > 1e-3 * std::abs(mu2(64)));
        }
        CHECK_THROWS_AS(funk_hecke_high(relu_ntk_kernel_theta, 2, 8), std::invalid_argument);
        CHECK_THROWS_AS(funk_hecke_high(relu_ntk_kernel_theta, 3, 8, 1), std::invalid_argument);
    }

    TEST_CASE("The ReLU NTK's Taylor coefficients and its eigenvalues in high dimension") {
        // sqrt(1 - t^2) = 1 - t^2/2 - t^4/8 - t^6/16 - ..., t arcsin t = t^2 + t^4/6 + 3 t^6/40 +
        // ...
        CHECK(relu_ntk_taylor(0) == doctest::Approx(1 / pi).epsilon(1e-15));
        CHECK(relu_ntk_taylor(1) == 0.75);
        CHECK(relu_ntk_taylor(2) == doctest::Approx(1 / pi).epsilon(1e-15));
        CHECK(relu_ntk_taylor(3) == 0.0);
        CHECK(relu_ntk_taylor(4) == doctest::Approx(1 / (8 * pi)).epsilon(1e-15));
        CHECK(relu_ntk_taylor(6) == doctest::Approx(1 / (20 * pi)).epsilon(1e-15));
        // The series sums to the kernel inside (-1, 1) (terms ~ j^-3/2 |t|^j: 600 are plenty).
        for (double t : {-0.9, -0.5, 0.0, 0.3, 0.7, 0.9}) {
            double sum = 0.0;
            for (int j = 600; j >= 0; --j)
                sum += relu_ntk_taylor(j) * std::pow(t, j);
            CAPTURE(t);
            CHECK(sum == doctest::Approx(relu_ntk_kernel(t)).epsilon(1e-14));
        }
        // mu_k = sum_n b_n mu_k(t^n), term by term: b_n ~ n^-3/2 and mu_k(t^n) ~ n^-(d-1)/2 for
        // every k, so at d = 20 the terms past n = 2000 sum to 1e-29, 1e-20 of mu_8 (at d = 10 they
        // would still be 3e-10 of mu_8).
        std::vector<double> b(2009);
        for (int n = 0; n < 2009; ++n)
            b[n] = relu_ntk_taylor(n);
        for (int d : {20, 160}) {
            const arma::vec mu = funk_hecke_high(relu_ntk_kernel_theta, d, 8);
            for (int k = 0; k <= 8; ++k) {
                if (k % 2 == 1 && k >= 3) continue;
                long double sum = 0;
                for (int n = 2000 + k; n >= k; n -= 2)
                    sum += b[n] * monomial_eigenvalue(n, k, d);
                CAPTURE(d);
                CAPTURE(k);
                CHECK(std::abs(mu(k) / double(sum) - 1.0) < 1e-13);
            }
        }
        CHECK_THROWS_AS(relu_ntk_taylor(-1), std::invalid_argument);
    }

    TEST_CASE("The ReLU NTK's eigenvalues at high degree follow the law of its singularities") {
        // relu_ntk_asymptote keeps the terms of (1 -+ t)^(1/2), ^(3/2), ^(5/2), ^(7/2); the first
        // one dropped, from ^(9/2), is of order d^4 k^-8 relative (each term gains d / k^2). Its
        // coefficient is not derived: 10 is a bound of that order.
        for (int d : {3, 10}) {
            const arma::vec mu = funk_hecke_high(relu_ntk_kernel_theta, d, 64);
            for (int k = 8; k <= 64; k += 2) {
                CAPTURE(d);
                CAPTURE(k);
                CHECK(std::abs(mu(k) / relu_ntk_asymptote(k, d) - 1.0) <
                      10.0 * std::pow(d, 4) / std::pow(k, 8));
            }
        }
        // The leading constant C_d = 2^(d-2) Gamma(d/2)^2 / pi^2: 1/(2 pi) on S^2, 147456 / pi^2 on
        // S^9.
        const double k = 1e6;
        CHECK(relu_ntk_asymptote(1000000, 3) * std::pow(k, 3) ==
              doctest::Approx(1 / (2 * pi)).epsilon(1e-5));
        CHECK(relu_ntk_asymptote(1000000, 10) * std::pow(k, 10) ==
              doctest::Approx(147456 / (pi * pi)).epsilon(1e-4));
        CHECK_THROWS_AS(relu_ntk_asymptote(3, 10), std::invalid_argument);
        CHECK_THROWS_AS(relu_ntk_asymptote(0, 10), std::invalid_argument);
    }

    TEST_CASE("Gegenbauer polynomials and harmonic dimensions") {
        for (double t : {-1.0, -0.3, 0.0, 0.45, 1.0}) {
            CAPTURE(t);
            // d = 3: Legendre.
            CHECK(gegenbauer(2, 3, t) == doctest::Approx((3 * t * t - 1) / 2).scale(1.0));
            CHECK(gegenbauer(3, 3, t) == doctest::Approx((5 * t * t * t - 3 * t) / 2).scale(1.0));
            CHECK(gegenbauer(4, 3, t) ==
                  doctest::Approx((35 * std::pow(t, 4) - 30 * t * t + 3) / 8).scale(1.0));
            // d = 10: (d t^2 - 1) / (d - 1).
            CHECK(gegenbauer(2, 10, t) == doctest::Approx((10 * t * t - 1) / 9).scale(1.0));
            CHECK(gegenbauer(1, 10, t) == doctest::Approx(t).scale(1.0));
        }
        for (int k = 0; k <= 8; ++k)
            CHECK(gegenbauer(k, 10, 1.0) == doctest::Approx(1.0).epsilon(1e-14));
        for (int k = 0; k <= 6; ++k)
            CHECK(harmonic_dimension(k, 3) == doctest::Approx(2 * k + 1).epsilon(1e-12));
        // C(k + d - 1, k) - C(k + d - 3, k - 2) for d = 10.
        const double dims[] = {1, 10, 54, 210, 660, 1782};
        for (int k = 0; k <= 5; ++k)
            CHECK(harmonic_dimension(k, 10) == doctest::Approx(dims[k]).epsilon(1e-12));
        CHECK_THROWS_AS(gegenbauer(2, 2, 0.5), std::invalid_argument);
    }

    TEST_CASE("Seeded normals and points on the sphere") {
        std::mt19937_64 a(5), b(5);
        const arma::mat A = standard_normal_matrix(400, 500, a),
                        B = standard_normal_matrix(400, 500, b);
        CHECK(arma::approx_equal(A, B, "absdiff", 0.0));
        CHECK(std::abs(arma::mean(arma::vectorise(A))) < 0.01);       // 4 / sqrt(200000)
        CHECK(std::abs(arma::var(arma::vectorise(A)) - 1.0) < 0.015); // 4 sqrt(2 / 200000)
        std::mt19937_64 r(9);
        const arma::mat X = uniform_sphere(20000, 10, r);
        CHECK(arma::abs(arma::sqrt(arma::sum(arma::square(X), 1)) - 1.0).max() < 1e-15);
        CHECK(arma::abs(arma::mean(X, 0)).max() < 0.01); // each coordinate: var 1/10
        CHECK(arma::abs(arma::mean(arma::square(X), 0) - 0.1).max() < 0.01);
    }

    TEST_CASE("10: a small run against golden values and SPEC keys") {
        const auto out = chapter_run::run(CH10_EXE, "10-small",
                                          "--n 200 --widths 512,128 --iterations 60 "
                                          "--forecast-to 200");
        const golden::json r = golden::read_json((out / "results" / "10-ntk-sphere.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/10-ntk-sphere.json") >= 27);
        for (int k = 0; k <= 8; ++k)
            CHECK(r["analytic_eigenvalues"].contains(std::to_string(k)));
        for (const char* key : {"m512_a111", "m512_a135", "m128_a111"}) {
            CAPTURE(key);
            const golden::json& run = r["runs"][key];
            CHECK(run["iterations"] == 60);
            CHECK(run["lr"].get<double>() > 0.0);
            for (const char* k : {"1", "2", "4"}) {
                CHECK(run["measured_rate"].contains(k));
                CHECK(run["predicted_rate"][k].get<double>() > 0.0);
            }
        }
        // Proposition 4.1 on the NTK: the trained curves follow the empirical-NTK filter.
        for (const char* k : {"1", "2", "4"})
            CHECK(r["runs"]["m512_a111"]["forecast_max_deviation"][k].get<double>() < 0.05);
    }

    TEST_CASE("10: two runs give identical results") {
        chapter_run::check_deterministic<golden::json>(
            CH10_EXE, "10-ntk-sphere",
            "--n 100 --widths 256,64 --iterations 30 --forecast-to 100 --threads 2");
    }
}
