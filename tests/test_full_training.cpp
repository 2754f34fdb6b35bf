// Chapter 11 (every parameter trained): activation derivatives and the shallow network's
// hand-derived gradients against finite differences, the tangent features, the first step at
// w = 0, output-weights-only GD against the closed-form mask, and the chapter's small run.
#include "chapter_run.hpp"
#include "golden.hpp"

#include "sbias/activations.hpp"
#include "sbias/grid.hpp"
#include "sbias/masks.hpp"
#include "sbias/shallow.hpp"
#include "sbias/solve.hpp"
#include "sbias/spectra.hpp"

#include <cmath>

using namespace sbias;

namespace {
/// A small network with every parameter away from its paper initialisation.
ShallowNet perturbed(const Activation& eta, arma::uword M, double sigma, unsigned seed) {
    arma::arma_rng::set_seed(seed);
    ShallowNet net = ShallowNet::paper_init(eta, sigma, unit_grid(M));
    net.w = arma::randn(M);
    net.v += arma::randn(M);
    net.c += 0.3 * arma::randn(M);
    return net;
}

double loss(const ShallowNet& net, const arma::vec& x, const arma::vec& y) {
    const arma::vec r = net(x) - y;
    return 0.5 * arma::dot(r, r);
}

/// Parameter i of [w, v, c].
double& param(ShallowNet& net, arma::uword i) {
    const arma::uword M = net.w.n_elem;
    return i < M ? net.w(i) : (i < 2 * M ? net.v(i - M) : net.c(i - 2 * M));
}
} // namespace

TEST_SUITE("full-training") {
    TEST_CASE("Activation derivatives against central differences") {
        const double h = 1e-6;
        for (const Activation& eta : all_activations())
            for (double z : {-3.1, -0.7, -0.2, 0.3, 0.9, 2.6}) {
                CAPTURE(eta.name);
                CAPTURE(z);
                const double fd = (eta(z + h) - eta(z - h)) / (2 * h);
                CHECK(eta.derivative(z) == doctest::Approx(fd).epsilon(1e-7).scale(1.0));
            }
        // sinc near 0 by its series, and tanh' from tanh.
        CHECK(activation("sinc").derivative(1e-9) == doctest::Approx(-M_PI * M_PI * 1e-9 / 3));
        CHECK(activation("tanh").derivative(40.0) == 0.0);
    }

    TEST_CASE("Shallow network gradients against central differences") {
        const arma::vec x = unit_grid(9), y = arma::cos(5 * x);
        for (const char* name : {"tanh", "relu", "gelu"}) {
            CAPTURE(name);
            ShallowNet net = perturbed(activation(name), 6, 3.0, 7);
            arma::mat Z, H;
            const ShallowGradient g = shallow_gradient(net, x, y, Z, H);
            CHECK(g.loss == doctest::Approx(loss(net, x, y)).epsilon(1e-14));
            const arma::vec grad = arma::join_cols(g.dw, g.dv, g.dc);
            const double h = 1e-6;
            for (arma::uword i = 0; i < grad.n_elem; ++i) {
                ShallowNet p = net, q = net;
                param(p, i) += h;
                param(q, i) -= h;
                CAPTURE(i);
                CHECK(grad(i) == doctest::Approx((loss(p, x, y) - loss(q, x, y)) / (2 * h))
                                     .epsilon(1e-6)
                                     .scale(1e-3));
            }
            // The tangent features are the Jacobian of f.
            const arma::mat T = tangent_features(net, x);
            for (arma::uword i = 0; i < T.n_cols; ++i) {
                ShallowNet p = net, q = net;
                param(p, i) += h;
                param(q, i) -= h;
                CAPTURE(i);
                CHECK(arma::abs(T.col(i) - (p(x) - q(x)) / (2 * h)).max() < 1e-7);
            }
        }
    }

    TEST_CASE("At w = 0 the network is the paper's A and the first step moves w only") {
        const arma::vec x = unit_grid(16), b = unit_grid(24), y = arma::sin(4 * x);
        for (const char* name : {"tanh", "relu"}) {
            CAPTURE(name);
            ShallowNet net = ShallowNet::paper_init(activation(name), 1024, b);
            const arma::mat A = design_matrix(activation(name), 1024, x, b);
            arma::mat Z, H;
            const ShallowGradient g = shallow_gradient(net, x, y, Z, H);
            CHECK(arma::abs(g.dv).max() == 0.0);
            CHECK(arma::abs(g.dc).max() == 0.0);
            CHECK(arma::abs(g.dw - A.t() * (-y)).max() <= 1e-12 * arma::abs(A.t() * y).max());
            CHECK(arma::approx_equal(H, A, "absdiff", 0.0)); // the features are A, bit for bit
        }
    }

    TEST_CASE("Output weights only: GD iterated equals the closed-form mask") {
        const arma::vec x = unit_grid(64), b = unit_grid(128), y = arma::sin(9 * x) + x;
        const arma::mat A = design_matrix(activation("tanh"), 128, x, b);
        const Svd svd = thin_svd(A);
        const double alpha = 1.0 / (svd.s(0) * svd.s(0));
        ShallowNet net = ShallowNet::paper_init(activation("tanh"), 128, b);
        arma::vec w(128, arma::fill::zeros);
        for (int t = 0; t < 60; ++t)
            w -= alpha * (A.t() * (A * w - y));
        const arma::vec closed = filtered_solution(svd, y, mask_gd(svd.s, alpha, 60));
        CHECK(arma::norm(w - closed) <= 1e-12 * arma::norm(closed));
    }

    TEST_CASE("11: a small run against golden values and SPEC keys") {
        const auto out = chapter_run::run(CH11_EXE, "11-small",
                                          "--image " SHARED_DIR "/data/peppers.png --M 256 "
                                          "--widths 128 --K 2,4,8,16 --cap 400 --width-cap 100");
        const golden::json r =
            golden::read_json((out / "results" / "11-full-training.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/11-full-training.json") >= 5);
        for (const char* k : {"tanh_fixed", "tanh_full", "relu_fixed", "relu_full"})
            CHECK(r["psnr"][k].size() == 4);
        for (const char* k : {"tanh", "relu"})
            CHECK(r["function_rel_diff"][k].size() == 4);
        // Beyond the cap the full run has no value, and says why.
        CHECK(r["psnr"]["relu_full"][3].is_null());
        CHECK(r["cap"]["relu"].is_string());
    }

    TEST_CASE("11: two runs give identical results") {
        chapter_run::check_deterministic<golden::json>(
            CH11_EXE, "11-full-training",
            "--image " SHARED_DIR "/data/peppers.png --M 64 --widths 32 --K 2,4 --cap 50 "
            "--width-cap 20");
    }
}
