// Chapter 15 (feature learning): shallow_gradient_fused's sorted-x fast paths (ReLU, tanh) and its
// dense fallback against shallow_gradient, both against finite differences of L_tau, and
// train_shallow: against a hand-written GD loop, the output scale tau and ReLU's scale sigma as
// step multipliers, its residual record, observer and divergence report.
#include "sbias/activations.hpp"
#include "sbias/grid.hpp"
#include "sbias/shallow.hpp"
#include "sbias/spectra.hpp"

#include <cmath>
#include <vector>

namespace fl_kernel_test {

/// ||a - b|| / ||b|| (||a - b|| where b = 0).
double rel_diff(const arma::vec& a, const arma::vec& b) {
    const double n = arma::norm(b), d = arma::norm(a - b);
    return n > 0.0 ? d / n : d;
}

/// The paper's initialisation (v = sigma, c = -sigma b, b = unit_grid(M)) with random w and,
/// where `perturb`, v and c moved: v randomised around sigma, every fifth v negative, every
/// eleventh exactly 0 (with c of either sign), every seventh breakpoint -c/v at 1.7 or -0.6.
sbias::ShallowNet kernel_net(const sbias::Activation& eta, arma::uword M, double sigma,
                             bool perturb, unsigned seed) {
    arma::arma_rng::set_seed(seed);
    sbias::ShallowNet net = sbias::ShallowNet::paper_init(eta, sigma, sbias::unit_grid(M));
    net.w = arma::randn(M);
    if (!perturb) return net;
    net.v += 0.1 * sigma * arma::randn(M);
    for (arma::uword j = 0; j < M; ++j) {
        if (j % 5 == 0) net.v(j) = -net.v(j);
        if (j % 7 == 3) net.c(j) = -net.v(j) * (j % 2 ? 1.7 : -0.6);
        if (j % 11 == 2) {
            net.v(j) = 0.0;
            net.c(j) = (j % 2 ? 0.5 : -0.5) * sigma;
        }
    }
    return net;
}

/// The largest relative difference over the loss, the residual and the three gradient blocks.
double gradient_diff(const sbias::ShallowGradient& a, const sbias::ShallowGradient& b) {
    return std::max({std::abs(a.loss - b.loss) / std::abs(b.loss), rel_diff(a.residual, b.residual),
                     rel_diff(a.dw, b.dw), rel_diff(a.dv, b.dv), rel_diff(a.dc, b.dc)});
}

/// L_tau = ||f(x) - y||^2 / (2 tau^2) (net(x) includes tau).
double loss_tau(const sbias::ShallowNet& net, const arma::vec& x, const arma::vec& y) {
    const arma::vec r = net(x) - y;
    return 0.5 * arma::dot(r, r) / (net.tau * net.tau);
}

/// Parameter k of [w, v, c].
double& parameter(sbias::ShallowNet& net, arma::uword k) {
    const arma::uword M = net.w.n_elem;
    return k < M ? net.w(k) : (k < 2 * M ? net.v(k - M) : net.c(k - 2 * M));
}

/// 1 / s_0^2 of the paper's design matrix at (sigma, x, b).
double paper_alpha(const sbias::Activation& eta, double sigma, const arma::vec& x,
                   const arma::vec& b) {
    const double s0 = sbias::singular_values(sbias::design_matrix(eta, sigma, x, b))(0);
    return 1.0 / (s0 * s0);
}

} // namespace fl_kernel_test

TEST_SUITE("feature-learning") {
    TEST_CASE("Fused gradient on sorted x equals shallow_gradient (ReLU and tanh)") {
        using namespace fl_kernel_test;
        for (const char* name : {"relu", "tanh"})
            for (arma::uword N : {37, 256})
                for (arma::uword M : {50, 1024})
                    for (double sigma : {1024.0, 1.0, 4.0})
                        for (int kind = 0; kind < 3; ++kind)
                            for (double tau : {1.0, 0.3}) {
                                const std::string eta_name = name;
                                CAPTURE(eta_name);
                                CAPTURE(N);
                                CAPTURE(M);
                                CAPTURE(sigma);
                                CAPTURE(kind);
                                CAPTURE(tau);
                                const arma::vec x = sbias::unit_grid(N);
                                const arma::vec y = arma::sin(7 * x) + 0.5 * x;
                                // kind 0: the paper's v, c (breakpoints on the samples: ties);
                                // 1: v, c perturbed; 2: perturbed, w large and alternating.
                                sbias::ShallowNet net = kernel_net(
                                    sbias::activation(name), M, sigma, kind > 0, unsigned(N + M));
                                if (kind == 2)
                                    for (arma::uword j = 0; j < M; ++j)
                                        net.w(j) = (j % 2 ? -1e3 : 1e3) * (1.0 + 0.1 * net.w(j));
                                net.tau = tau;
                                arma::mat Z, H;
                                const sbias::ShallowGradient ref =
                                    sbias::shallow_gradient(net, x, y, Z, H);
                                sbias::ShallowWorkspace work;
                                const sbias::ShallowGradient g =
                                    sbias::shallow_gradient_fused(net, x, y, work);
                                CHECK(work.lo.n_elem == M); // the fast path ran
                                CHECK(work.H.n_elem == 0);
                                const double d = gradient_diff(g, ref);
                                CAPTURE(d);
                                CHECK(d < 1e-12);
                                // The workspace reused (sizes kept) gives the same bits.
                                const sbias::ShallowGradient again =
                                    sbias::shallow_gradient_fused(net, x, y, work);
                                CHECK(arma::approx_equal(again.dw, g.dw, "absdiff", 0.0));
                                CHECK(arma::approx_equal(again.dc, g.dc, "absdiff", 0.0));
                            }
    }

    TEST_CASE("Fused gradient falls back to the dense kernel (unsorted x and gelu)") {
        using namespace fl_kernel_test;
        const arma::uword N = 64, M = 96;
        arma::arma_rng::set_seed(3);
        const arma::vec sorted = sbias::unit_grid(N);
        const arma::vec shuffled = arma::shuffle(sorted);
        arma::vec repeated = sorted;
        repeated(10) = repeated(9); // ascending, not strictly
        struct Case {
            const char* eta;
            const arma::vec* x;
            const char* what;
        };
        for (const Case& k :
             {Case{"relu", &shuffled, "shuffled"}, Case{"tanh", &shuffled, "shuffled"},
              Case{"relu", &repeated, "repeated"}, Case{"gelu", &sorted, "sorted"},
              Case{"gelu", &shuffled, "shuffled"}})
            for (double tau : {1.0, 0.3}) {
                const std::string eta_name = k.eta, x_kind = k.what;
                CAPTURE(eta_name);
                CAPTURE(x_kind);
                CAPTURE(tau);
                const arma::vec& x = *k.x;
                const arma::vec y = arma::cos(5 * x);
                sbias::ShallowNet net = kernel_net(sbias::activation(k.eta), M, 16.0, true, 5);
                net.tau = tau;
                arma::mat Z, H;
                const sbias::ShallowGradient ref = sbias::shallow_gradient(net, x, y, Z, H);
                sbias::ShallowWorkspace work;
                const sbias::ShallowGradient g = sbias::shallow_gradient_fused(net, x, y, work);
                CHECK(work.lo.n_elem == 0); // the dense kernel ran
                const double d = gradient_diff(g, ref);
                CAPTURE(d);
                CHECK(d < 1e-12);
            }
    }

    TEST_CASE("Both gradients against central differences of L_tau at tau = 0.25") {
        using namespace fl_kernel_test;
        const arma::uword M = 8;
        const arma::vec x = sbias::unit_grid(11), y = arma::cos(5 * x);
        for (const char* name : {"relu", "tanh"}) {
            const std::string eta_name = name;
            CAPTURE(eta_name);
            sbias::ShallowNet net = kernel_net(sbias::activation(name), M, 3.0, true, 21);
            net.c += 0.05; // moves the breakpoints off the samples
            net.tau = 0.25;
            // No pre-activation within reach of ReLU's kink: a step h in v or c moves z_ij by at
            // most h, far below the smallest |z_ij|.
            arma::mat Zc = x * net.v.t();
            Zc.each_row() += net.c.t();
            REQUIRE(arma::abs(Zc).min() > 1e-3);
            arma::mat Z, H;
            const sbias::ShallowGradient ref = sbias::shallow_gradient(net, x, y, Z, H);
            sbias::ShallowWorkspace work;
            const sbias::ShallowGradient fused = sbias::shallow_gradient_fused(net, x, y, work);
            REQUIRE(work.lo.n_elem == M);
            CHECK(std::abs(ref.loss - loss_tau(net, x, y)) <= 1e-13 * ref.loss);
            CHECK(std::abs(fused.loss - loss_tau(net, x, y)) <= 1e-13 * ref.loss);
            const double h = 1e-6;
            arma::vec fd(3 * M);
            for (arma::uword k = 0; k < 3 * M; ++k) {
                sbias::ShallowNet p = net, q = net;
                parameter(p, k) += h;
                parameter(q, k) -= h;
                fd(k) = (loss_tau(p, x, y) - loss_tau(q, x, y)) / (2 * h);
            }
            for (const sbias::ShallowGradient* g : {&ref, &fused}) {
                const arma::vec grad = arma::join_cols(g->dw, g->dv, g->dc);
                const double d = rel_diff(grad, fd);
                CAPTURE(d);
                CHECK(d < 1e-7);
                CHECK(arma::abs(grad - fd).max() < 1e-6 * (1.0 + arma::abs(fd).max()));
            }
        }
    }

    TEST_CASE("train_shallow at gamma = 1 and tau = 1 is the hand-written GD loop") {
        using namespace fl_kernel_test;
        const arma::vec x = sbias::unit_grid(64), b = sbias::unit_grid(96);
        const arma::vec y = arma::sin(2 * arma::datum::pi * x) + 0.5 * x;
        for (const char* name : {"tanh", "relu"}) {
            const std::string eta_name = name;
            CAPTURE(eta_name);
            const sbias::Activation& eta = sbias::activation(name);
            const double alpha = paper_alpha(eta, 1024, x, b);
            sbias::ShallowNet net = sbias::ShallowNet::paper_init(eta, 1024, b), hand = net;
            const sbias::ShallowRun run = sbias::train_shallow(
                net, x, y, alpha, 1.0, 30, {}, [](arma::uword, const sbias::ShallowNet&) {});
            CHECK(run.steps == 30);
            CHECK_FALSE(run.diverged);
            arma::mat Z, H;
            for (int t = 0; t < 30; ++t) {
                const sbias::ShallowGradient g = sbias::shallow_gradient(hand, x, y, Z, H);
                hand.w -= alpha * g.dw;
                hand.v -= alpha * g.dv;
                hand.c -= alpha * g.dc;
            }
            // The run left the initialisation (w, and v and c after the first step).
            CHECK(arma::norm(hand.w) > 0.0);
            const double dw = rel_diff(net.w, hand.w), dv = rel_diff(net.v, hand.v),
                         dc = rel_diff(net.c, hand.c);
            CAPTURE(dw);
            CAPTURE(dv);
            CAPTURE(dc);
            CHECK(dw < 1e-11);
            CHECK(dv < 1e-11);
            CHECK(dc < 1e-11);
            CHECK(arma::norm(hand.v - 1024.0) > 0.0); // v moved
        }
    }

    TEST_CASE("The output scale tau is a step multiplier: tau = 0.5 is tau = 1 with gamma = 4") {
        using namespace fl_kernel_test;
        const arma::uword M = 96;
        const arma::vec x = sbias::unit_grid(64), b = sbias::unit_grid(M);
        const arma::vec y = arma::sin(2 * arma::datum::pi * x) + 0.5 * x;
        const arma::vec w0 = 0.2 * arma::sin(arma::regspace(0.0, double(M - 1)));
        const auto none = [](arma::uword, const sbias::ShallowNet&) {};
        for (const char* name : {"tanh", "relu"})
            for (double tau : {0.5, 0.3}) { // 0.5: every scaling exact; 0.3: not
                const std::string eta_name = name;
                CAPTURE(eta_name);
                CAPTURE(tau);
                const sbias::Activation& eta = sbias::activation(name);
                const double sigma = 64.0, alpha = paper_alpha(eta, sigma, x, b);
                const sbias::ShallowNet init = sbias::ShallowNet::paper_init(eta, sigma, b);
                // With w~ = tau w the two networks compute the same function.
                sbias::ShallowNet scaled = init, one = init, other = init;
                scaled.tau = tau;
                scaled.w = w0 / tau;
                one.w = other.w = w0;
                REQUIRE(rel_diff(scaled(x), one(x)) < 1e-15);
                sbias::train_shallow(scaled, x, y, alpha, 1.0, 50, {}, none);
                sbias::train_shallow(one, x, y, alpha, 1.0 / (tau * tau), 50, {}, none);
                const double d = rel_diff(scaled(x), one(x));
                const double dv = rel_diff(scaled.v - init.v, one.v - init.v);
                const double dc = rel_diff(scaled.c - init.c, one.c - init.c);
                CAPTURE(d);
                CAPTURE(dv);
                CAPTURE(dc);
                CHECK(d < 1e-10);
                CHECK(dv < 1e-10);
                CHECK(dc < 1e-10);
                // The control: tau = 1 with gamma = 1 moves the inner weights differently.
                sbias::train_shallow(other, x, y, alpha, 1.0, 50, {}, none);
                CHECK(rel_diff(other.v - init.v, one.v - init.v) > 0.1);
            }
    }

    TEST_CASE("ReLU's scale is a step multiplier: sigma = 4 is sigma = 1 with gamma = 4^-4") {
        using namespace fl_kernel_test;
        const arma::uword M = 96;
        const arma::vec x = sbias::unit_grid(64), b = sbias::unit_grid(M);
        const arma::vec y = arma::sin(2 * arma::datum::pi * x) + 0.5 * x;
        const arma::vec w0 = 1e-1 * arma::sin(arma::regspace(0.0, double(M - 1)));
        const sbias::Activation& relu = sbias::activation("relu");
        const auto none = [](arma::uword, const sbias::ShallowNet&) {};
        for (double sigma : {4.0, 3.0}) { // 4: every scaling exact; 3: not
            CAPTURE(sigma);
            // v = sigma v~, c = sigma c~, w = w~ / sigma: the same function.
            sbias::ShallowNet big = sbias::ShallowNet::paper_init(relu, sigma, b);
            sbias::ShallowNet unit = sbias::ShallowNet::paper_init(relu, 1.0, b), other = unit;
            big.w = w0;
            unit.w = other.w = sigma * w0;
            REQUIRE(rel_diff(big(x), unit(x)) < 1e-14);
            const double alpha_big = paper_alpha(relu, sigma, x, b);
            const double alpha_unit = paper_alpha(relu, 1.0, x, b);
            sbias::train_shallow(big, x, y, alpha_big, 1.0, 50, {}, none);
            sbias::train_shallow(unit, x, y, alpha_unit, std::pow(sigma, -4.0), 50, {}, none);
            const double d = rel_diff(big(x), unit(x));
            const double dv = rel_diff(big.v / sigma - 1.0, unit.v - 1.0);
            const double dc = rel_diff(big.c / sigma + b, unit.c + b);
            CAPTURE(d);
            CAPTURE(dv);
            CAPTURE(dc);
            CHECK(d < 1e-10);
            // The inner weights' moves (v - v_0, c - c_0) agree too, after the map.
            CHECK(dv < 1e-10);
            CHECK(dc < 1e-10);
            CHECK(arma::norm(unit.c + b) > 1e-6 * arma::norm(b)); // the breakpoints moved
            // The control: sigma = 1 with gamma = 1 moves them differently.
            sbias::train_shallow(other, x, y, alpha_unit, 1.0, 50, {}, none);
            CHECK(rel_diff(other.c + b, unit.c + b) > 0.1);
        }
    }

    TEST_CASE("train_shallow records the residual and calls the observer at the requested steps") {
        using namespace fl_kernel_test;
        const arma::vec x = sbias::unit_grid(48), b = sbias::unit_grid(64);
        const arma::vec y = arma::cos(3 * x);
        for (const char* name : {"tanh", "relu"}) {
            const std::string eta_name = name;
            CAPTURE(eta_name);
            const sbias::Activation& eta = sbias::activation(name);
            sbias::ShallowNet net = sbias::ShallowNet::paper_init(eta, 64, b);
            net.w = 1e-2 * arma::cos(arma::regspace(0.0, 63.0));
            net.tau = 0.7;
            std::vector<arma::uword> seen;
            std::vector<double> recomputed;
            const sbias::ShallowRun run =
                sbias::train_shallow(net, x, y, paper_alpha(eta, 64, x, b), 2.0, 20, {0, 3, 10, 20},
                                     [&](arma::uword t, const sbias::ShallowNet& n) {
                                         seen.push_back(t);
                                         const arma::vec r = n(x) - y;
                                         recomputed.push_back(arma::dot(r, r));
                                     });
            CHECK(run.steps == 20);
            CHECK_FALSE(run.diverged);
            REQUIRE(run.residual_sq.n_elem == 21);
            CHECK(seen == std::vector<arma::uword>{0, 3, 10, 20});
            REQUIRE(recomputed.size() == 4);
            for (std::size_t k = 0; k < seen.size(); ++k) {
                CAPTURE(seen[k]);
                CHECK(std::abs(run.residual_sq(seen[k]) - recomputed[k]) <= 1e-12 * recomputed[k]);
            }
            CHECK(run.residual_sq.is_finite());
            CHECK(run.residual_sq(20) < run.residual_sq(0)); // GD made progress
        }
    }

    TEST_CASE("train_shallow stops and reports a diverging run") {
        using namespace fl_kernel_test;
        const arma::vec x = sbias::unit_grid(48), b = sbias::unit_grid(64);
        const arma::vec y = arma::cos(3 * x);
        // A step 1000 times the stable one. tanh with every parameter trained blows up; ReLU's
        // units would be pushed inactive in three steps (f = 0, a finite dead end), so it runs
        // with gamma = 0: GD on w alone, linear, growing 999-fold a step.
        for (const char* name : {"tanh", "relu"}) {
            const std::string eta_name = name;
            CAPTURE(eta_name);
            const sbias::Activation& eta = sbias::activation(name);
            const double gamma = eta_name == "relu" ? 0.0 : 1.0;
            sbias::ShallowNet net = sbias::ShallowNet::paper_init(eta, 64, b);
            int calls = 0;
            const sbias::ShallowRun run =
                sbias::train_shallow(net, x, y, 1e3 * paper_alpha(eta, 64, x, b), gamma, 500, {500},
                                     [&](arma::uword, const sbias::ShallowNet&) { ++calls; });
            CHECK(run.diverged);
            CHECK(run.steps < 500);
            CHECK(calls == 0); // stopped before t = 500
            REQUIRE(run.residual_sq.n_elem == 501);
            CAPTURE(run.steps);
            // Finite before the step that diverged, NaN from there on.
            arma::uword finite = 0, nan = 0;
            for (arma::uword t = 0; t <= 500; ++t) {
                if (t < run.steps && std::isfinite(run.residual_sq(t))) ++finite;
                if (t >= run.steps && std::isnan(run.residual_sq(t))) ++nan;
            }
            CHECK(finite == run.steps);
            CHECK(nan == 501 - run.steps);
        }
    }
}
