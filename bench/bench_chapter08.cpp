// make bench, chapter 08: its heavy step two ways (the leading 64 components of the 1024 x 2048
// design matrices by Golub-Kahan-Lanczos, as the chapter does, against LAPACK's dense thin SVD),
// (the chapter end to end is timed by sb_bench_chapters).
#include "sbias/activations.hpp"
#include "sbias/grid2d.hpp"
#include "sbias/lanczos.hpp"
#include "sbias/spectra.hpp"

#include "bench_util.hpp"

#include <cstdio>
#include <string>

using namespace sbias;
using bench::seconds_since;

int main() {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    sbias::use_one_blas_thread(); // as the chapter programs run
    bench::Record rec("chapter08");
    const arma::uword n = 32, M = 2048, C = 64;
    const arma::mat X = square_grid(n);
    std::printf("\nChapter 08: leading %llu components of the %llu x %llu design matrices\n",
                static_cast<unsigned long long>(C), static_cast<unsigned long long>(n * n),
                static_cast<unsigned long long>(M));
    std::printf("%-10s %12s %8s %12s %8s %20s\n", "V", "Lanczos (s)", "steps", "dense (s)", "ratio",
                "max value error");
    const std::pair<const char*, FirstLayer> layers[] = {{"rank-one", rank_one_layer(n, M)},
                                                         {"full-rank", random_layer(X, M, 1)}};
    for (const auto& [name, layer] : layers) {
        const arma::mat A = ridge_design_matrix(activation("relu"), X, layer.V, layer.b);
        PartialSvdOptions o;
        o.values = o.vectors = C;
        PartialSvdReport report;
        auto t0 = std::chrono::steady_clock::now();
        const Svd fast = partial_svd(matrix_operator(A), o, &report);
        const double tf = seconds_since(t0);
        t0 = std::chrono::steady_clock::now();
        const Svd dense = thin_svd(A);
        const double td = seconds_since(t0);
        const double err = arma::abs(fast.s - dense.s.head(C)).max() / dense.s(0);
        std::printf("%-10s %12.3f %8llu %12.3f %7.1fx %13.1e (of s_0)\n", name, tf,
                    static_cast<unsigned long long>(report.steps), td, td / tf, err);
        rec.pair(std::string("chapter 08: 64 components, 1024 x 2048, ") + name, "Lanczos", tf,
                 "dense LAPACK SVD", td);
    }
    return 0;
}
