// make bench, chapter 15: one GD step's gradient of the shallow network with every parameter
// trained (N = 256, M = 1024), the reference shallow_gradient (dense: N x M pre-activations,
// BLAS) against shallow_gradient_fused (sorted samples: ReLU's boundaries by bisection and
// prefix/suffix sums, tanh on its unsaturated band only).
#include "sbias/grid.hpp"
#include "sbias/shallow.hpp"

#include "bench_util.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace sbias;
using bench::seconds_since;

namespace {
/// ||a - b|| / ||b||.
double rel(const arma::vec& a, const arma::vec& b) {
    const double n = arma::norm(b);
    return n > 0.0 ? arma::norm(a - b) / n : arma::norm(a - b);
}
} // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    sbias::use_one_blas_thread();
    bench::Record rec("chapter15");
    const arma::uword N = 256, M = 1024;
    const arma::vec x = unit_grid(N), y = arma::sin(7 * x);
    std::printf("\nChapter 15: one GD step's gradient, every parameter (N = 256, M = 1024), "
                "single-threaded\n");
    std::printf("%-6s %7s %13s %13s %8s %10s\n", "eta", "sigma", "fused (ms)", "dense (ms)",
                "ratio", "rel diff");
    struct Case {
        const char* eta;
        double sigma;
    };
    for (const Case& k :
         {Case{"relu", 1024}, Case{"relu", 1}, Case{"tanh", 1024}, Case{"tanh", 1}}) {
        ShallowNet net = ShallowNet::paper_init(activation(k.eta), k.sigma, unit_grid(M));
        net.w = 1e-3 * arma::sin(arma::regspace(0.0, double(M - 1)));
        arma::mat Z, H;
        ShallowWorkspace work;
        // The two agree to rounding (tests/test_feature_learning.cpp checks 1e-12).
        const ShallowGradient a = shallow_gradient_fused(net, x, y, work);
        const ShallowGradient b = shallow_gradient(net, x, y, Z, H);
        const double diff = std::max(
            {rel(a.residual, b.residual), rel(a.dw, b.dw), rel(a.dv, b.dv), rel(a.dc, b.dc)});
        if (!(diff <= 1e-12)) {
            std::fprintf(stderr, "bench: the two gradients disagree (%g)\n", diff);
            return 1;
        }
        const int fused_reps = 2000, dense_reps = 100;
        double check = 0.0;
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < fused_reps; ++i)
            check += shallow_gradient_fused(net, x, y, work).dc(M / 2);
        const double fused = seconds_since(t0) / fused_reps;
        t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < dense_reps; ++i)
            check += shallow_gradient(net, x, y, Z, H).dc(M / 2);
        const double dense = seconds_since(t0) / dense_reps;
        if (!std::isfinite(check)) return 1;
        std::printf("%-6s %7g %13.4f %13.4f %7.1fx %10.1e\n", k.eta, k.sigma, 1e3 * fused,
                    1e3 * dense, dense / fused, diff);
        rec.pair(std::string("chapter 15: one GD step's gradient, ") + k.eta +
                     ", sigma = " + std::to_string(static_cast<int>(k.sigma)),
                 "fused", fused, "dense reference", dense);
    }
    return 0;
}
