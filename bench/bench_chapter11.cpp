// make bench, chapter 11: one full-batch GD step on every parameter of the shallow network two
// ways (the library's one-pass evaluation of eta and eta', with tanh's saturated entries skipped,
// against the same gradient as plain Armadillo expressions); the chapter end to end is timed by
// sb_bench_chapters.
#include "sbias/grid.hpp"
#include "sbias/shallow.hpp"

#include "bench_util.hpp"

#include <cstdio>

using namespace sbias;
using bench::seconds_since;

namespace {
/// The same gradient as plain expressions.
void plain_gradient(const ShallowNet& net, const arma::vec& x, const arma::vec& y, arma::vec& dw,
                    arma::vec& dv, arma::vec& dc) {
    arma::mat Z = x * net.v.t();
    Z.each_row() += net.c.t();
    const bool tanh = net.eta->kind == ActivationKind::tanh;
    const arma::mat H =
        tanh ? arma::mat(arma::tanh(Z)) : arma::mat(arma::clamp(Z, 0.0, arma::datum::inf));
    arma::mat D = tanh ? arma::mat(1.0 - arma::square(H)) : arma::conv_to<arma::mat>::from(Z > 0.0);
    const arma::vec r = H * net.w - y;
    dw = H.t() * r;
    D.each_col() %= r;
    dv = net.w % (D.t() * x);
    dc = net.w % arma::vec(arma::sum(D, 0).t());
}
} // namespace

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    sbias::use_one_blas_thread();
    bench::Record rec("chapter11");
    const arma::vec x = unit_grid(256), y = arma::sin(7 * x);
    std::printf("\nChapter 11: one GD step on every parameter (N = 256, sigma = 1024), "
                "single-threaded\n");
    std::printf("%-6s %6s %14s %14s %8s\n", "eta", "M", "one pass (ms)", "plain (ms)", "ratio");
    for (const char* name : {"tanh", "relu"})
        for (arma::uword M : {256, 1024, 4096}) {
            ShallowNet net = ShallowNet::paper_init(activation(name), 1024, unit_grid(M));
            net.w = 1e-3 * arma::sin(arma::regspace(0.0, double(M - 1)));
            const int reps = M >= 4096 ? 20 : 100;
            arma::mat Z, H;
            arma::vec dw, dv, dc;
            double check = 0.0;
            auto t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < reps; ++i)
                check += shallow_gradient(net, x, y, Z, H).dc(M / 2);
            const double fused = seconds_since(t0) / reps;
            t0 = std::chrono::steady_clock::now();
            for (int i = 0; i < reps; ++i) {
                plain_gradient(net, x, y, dw, dv, dc);
                check -= dc(M / 2);
            }
            const double plain = seconds_since(t0) / reps;
            if (std::abs(check) > 1e-12 * reps) {
                std::fprintf(stderr, "bench: the two gradients disagree\n");
                return 1;
            }
            std::printf("%-6s %6llu %14.2f %14.2f %7.1fx\n", name,
                        static_cast<unsigned long long>(M), 1e3 * fused, 1e3 * plain,
                        plain / fused);
            rec.pair(std::string("chapter 11: one GD step, ") + name + ", M = " + std::to_string(M),
                     "one pass", fused, "plain expressions", plain);
        }
    return 0;
}
