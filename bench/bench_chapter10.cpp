// make bench, chapter 10: one GD iteration of the two-layer network two ways (the library's
// GEMMs with fused element-wise passes, against the same gradient written as plain Armadillo
// expressions), the NTK Gram matrix and its eigendecomposition, and the long run the canonical
// horizon leaves to the forecast (--iterations); the canonical run is timed by sb_bench_chapters.
#include "sbias/random.hpp"
#include "sbias/sphere.hpp"
#include "sbias/twolayer.hpp"

#include "bench_util.hpp"

#include <cstdio>

using namespace sbias;
using bench::seconds_since;

namespace {

/// The same loss gradient as plain expressions: H, D and their products as separate matrices.
void plain_gradient(const TwoLayerRelu& net, const arma::mat& X, const arma::vec& y, arma::mat& dW,
                    arma::vec& da) {
    const double s = std::sqrt(double(net.width())), n = double(X.n_rows);
    const arma::mat Z = X * net.W.t();
    const arma::mat H = arma::clamp(Z, 0.0, arma::datum::inf);
    const arma::mat D = arma::conv_to<arma::mat>::from(Z > 0.0);
    const arma::vec r = s * (H * net.a) - y;
    da = s / n * (H.t() * r);
    dW = s / n * ((D.each_col() % r).t() * X);
    dW.each_col() %= net.a;
}

int run_chapter(bench::Record& rec, const std::string& args, const char* what, double budget) {
    const bench::Measured m = bench::time_chapter(CH10_EXE, args);
    const double t = m.seconds;
    if (t < 0) {
        std::fprintf(stderr, "bench: chapter 10 failed (%s)\n", args.c_str());
        return 1;
    }
    std::printf("Chapter 10 %s: %.1f s\n", what, t);
    rec.time(std::string("chapter 10 ") + what, budget, t, m.peak_gib);
    return 0;
}
} // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    sbias::use_one_blas_thread();
    bench::Record rec("chapter10");
    std::mt19937_64 rng(1);
    const arma::mat X = uniform_sphere(1000, 10, rng);
    const arma::vec y = gegenbauer(2, 10, arma::vec(X.col(0)));
    std::printf("\nChapter 10: one full-batch GD iteration (n = 1000, d = 10), single-threaded\n");
    std::printf("%8s %14s %14s %14s %8s %14s %14s\n", "m", "fused (ms)", "BLAS (ms)", "plain (ms)",
                "ratio", "Gram (s)", "eig_sym (s)");
    for (arma::uword m : {256, 1024, 4096}) {
        std::mt19937_64 r(2);
        const TwoLayerRelu net = TwoLayerRelu::init(m, 10, r);
        const int reps = m >= 4096 ? 20 : 80;
        GradientWorkspace ws;
        arma::mat dW;
        arma::vec da;
        auto t0 = std::chrono::steady_clock::now();
        double check = 0.0;
        for (int i = 0; i < reps; ++i)
            check += loss_gradient(net, X, y, ws).da(0);
        const double fused = seconds_since(t0) / reps;
        // The BLAS path: loss_gradient's GEMMs, the path of a machine without AVX2 and FMA.
        GradientWorkspace blas_ws;
        blas_ws.blas_only = true;
        t0 = std::chrono::steady_clock::now();
        double check_blas = check;
        for (int i = 0; i < reps; ++i)
            check_blas -= loss_gradient(net, X, y, blas_ws).da(0);
        const double blas = seconds_since(t0) / reps;
        t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; ++i) {
            plain_gradient(net, X, y, dW, da);
            check -= da(0);
        }
        const double plain = seconds_since(t0) / reps;
        if (std::abs(check) > 1e-9 * reps || std::abs(check_blas) > 1e-9 * reps) {
            std::fprintf(stderr, "bench: the gradients disagree\n");
            return 1;
        }
        t0 = std::chrono::steady_clock::now();
        const arma::mat K = ntk_gram(net, X);
        const double gram = seconds_since(t0);
        arma::vec lambda;
        arma::mat U;
        t0 = std::chrono::steady_clock::now();
        arma::eig_sym(lambda, U, K);
        const double eig = seconds_since(t0);
        std::printf("%8llu %14.2f %14.2f %14.2f %7.1fx %14.3f %14.3f\n",
                    static_cast<unsigned long long>(m), 1e3 * fused, 1e3 * blas, 1e3 * plain,
                    plain / fused, gram, eig);
        rec.pair("chapter 10: one GD iteration, n = 1000, m = " + std::to_string(m),
                 fused_gradient_available() ? "AVX2/FMA kernels" : "GEMMs + fused passes", fused,
                 "plain expressions", plain);
        rec.pair("chapter 10: one GD iteration (BLAS path), n = 1000, m = " + std::to_string(m),
                 "loss_gradient", fused, "its BLAS path", blas);
    }
    return run_chapter(rec, "--widths 4096 --iterations 3000",
                       "long run (m = 4096, both targets, 3000 iterations)", 0.0);
}
