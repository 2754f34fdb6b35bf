// make bench: the fast spectral path (FFT + Golub-Kahan-Lanczos) against a full dense LAPACK SVD of
// the same matrix, at N = 5000, for the ten spectra of chapter 04; chapters 04, 05 and 07 from a
// cold and a warm cache; the closed-form GD mask against real GD iterations; and the scale study of
// chapter 04 (N = 5000 ... 1000000). Timing lives here, never in a unit test.
#include "bench_util.hpp"

#include "sbias/gd.hpp"
#include "sbias/grid.hpp"
#include "sbias/image.hpp"
#include "sbias/leading.hpp"
#include "sbias/masks.hpp"
#include "sbias/solve.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

using namespace sbias;
using bench::seconds_since;

namespace {
/// Runs a command, returns its wall time and peak memory; exits if it fails.
bench::Measured measured(const std::string& cmd) {
    const bench::Measured m = bench::measure(cmd);
    if (m.seconds < 0) {
        std::fprintf(stderr, "bench: command failed: %s\n", cmd.c_str());
        std::exit(1);
    }
    return m;
}

/// Krylov steps of chapter 04's ten spectra (the largest), from its results' run block.
double largest_steps(const std::filesystem::path& out) {
    std::ifstream in(out / "results" / "04-spectra.json");
    const auto r = nlohmann::json::parse(in);
    double steps = 0.0;
    for (const auto& [label, t] : r["run"]["timings"]["spectra"].items())
        steps = std::max(steps, t["steps"].get<double>());
    return steps;
}
} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows line by line under make
    if (argc < 2) {
        std::fprintf(stderr, "usage: sb_bench_spectra IMAGE [--skip-large]\n");
        return 2;
    }
    const std::string image = argv[1];
    const bool skip_large = argc > 2 && std::string(argv[2]) == "--skip-large";
    bench::Record rec("spectra");
    const arma::uword n = 5000;
    std::printf("Fast path vs full LAPACK SVD, N = M = %llu, first 200 singular values\n\n",
                static_cast<unsigned long long>(n));
    std::printf("%-10s %10s %8s %12s %9s %22s\n", "spectrum", "fast (s)", "steps", "dense (s)",
                "ratio", "max normalised error");
    const auto req = figure3_requests(n);

    const auto t_all = std::chrono::steady_clock::now();
    const auto fast_all = leading_spectra(req, {}, {}, 2);
    const double fast_parallel = seconds_since(t_all);
    double fast_sum = 0.0, dense_sum = 0.0;
    for (std::size_t i = 0; i < req.size(); ++i) {
        const auto t1 = std::chrono::steady_clock::now();
        const auto one =
            leading_spectra({req[i]}, {}, {}, 1); // one at a time, for a fair per-matrix time
        const double tf = seconds_since(t1);
        const auto t2 = std::chrono::steady_clock::now();
        const arma::vec dense = dense_singular_values(req[i]);
        const double td = seconds_since(t2);
        const arma::vec fn = one[0].s / one[0].s(0), dn = dense.head(200) / dense(0);
        double worst = 0.0; // in units of the criterion: error / max(1e-8 |d|, 1e-12); <= 1 passes
        for (arma::uword k = 0; k < 200; ++k)
            worst = std::max(worst, std::abs(fn(k) - dn(k)) / std::max(1e-8 * dn(k), 1e-12));
        std::printf("%-10s %10.3f %8llu %12.2f %8.0fx %14.2e (%s)\n", req[i].label.c_str(), tf,
                    static_cast<unsigned long long>(one[0].steps), td, td / tf,
                    arma::abs(fn - dn).max(),
                    worst <= 1.0 ? "within 1e-8 rel / 1e-12 abs" : "OUTSIDE tolerance");
        fast_sum += tf;
        dense_sum += td;
    }
    std::printf("%-10s %10.3f %8s %12.2f %8.0fx\n", "total", fast_sum, "", dense_sum,
                dense_sum / fast_sum);
    std::printf("all ten, two at a time: %.3f s\n\n", fast_parallel);
    rec.pair("ten Fig. 3 spectra, N = 5000, one at a time", "FFT + Lanczos", fast_sum,
             "dense LAPACK SVD", dense_sum);

    {
        const bench::Scratch tmp("spectra");
        const std::string out = " --out " + tmp.path.string() + " 2>/dev/null";
        const double t04 = measured(std::string(CH04_EXE) + out).seconds;
        const double t05 = measured(std::string(CH05_EXE) + out).seconds;
        const double t07 = measured(std::string(CH07_EXE) + out).seconds;
        std::printf("Chapters 04 + 05 + 07, cold cache: %.2f s (04: %.2f, 05: %.2f, 07: %.2f)\n",
                    t04 + t05 + t07, t04, t05, t07);
        const double warm = measured(std::string(CH04_EXE) + out).seconds +
                            measured(std::string(CH05_EXE) + out).seconds +
                            measured(std::string(CH07_EXE) + out).seconds;
        std::printf("Chapters 04 + 05 + 07, warm cache: %.2f s\n", warm);
        rec.pair("chapters 04 + 05 + 07 end to end", "warm spectra cache", warm, "cold cache",
                 t04 + t05 + t07);
    }

    // The closed form of Prop. 4.1 against the iterations it replaces: chapter 06's tanh matrix
    // (N = 256 pixels, M = 1024, sigma = 1024), q = 10000 steps of alpha = 1/s_0^2.
    {
        const SignalRows rows = canonical_rows(image, 100);
        const arma::vec x = unit_grid(rows.y.n_elem), b = unit_grid(1024);
        const arma::mat A = design_matrix(activation("tanh"), 1024, x, b);
        const double q = 1e4;
        auto t0 = std::chrono::steady_clock::now();
        const Svd svd = thin_svd(A);
        const double alpha = 1.0 / (svd.s(0) * svd.s(0));
        const arma::vec w_closed = filtered_solution(svd, rows.y, mask_gd(svd.s, alpha, q));
        const double t_closed = seconds_since(t0);
        t0 = std::chrono::steady_clock::now();
        const arma::vec w_gd = gradient_descent(A, rows.y, alpha, static_cast<std::uint64_t>(q));
        const double t_gd = seconds_since(t0);
        std::printf("\nGD mask, chapter 06's tanh matrix (256 x 1024), q = 10000: closed form "
                    "%.3f s, real GD %.2f s (%.0fx), weights agree to %.1e\n",
                    t_closed, t_gd, t_gd / t_closed,
                    arma::norm(w_closed - w_gd) / arma::norm(w_gd));
        rec.pair("GD at q = 10000 (chapter 06, tanh, 256 x 1024)", "closed form (SVD + mask)",
                 t_closed, "real GD iterations", t_gd);
    }

    // How chapter 04 grows with N: wall time and peak memory of the whole chapter (ten spectra,
    // 200 values, 10 vectors, no cache), two spectra at a time as in make.
    std::printf("\nChapter 04 at growing N (ten spectra, 200 values, 10 vectors, no cache)\n");
    std::printf("%10s %10s %12s %8s\n", "N", "time (s)", "peak (GiB)", "steps");
    double last_time = 0.0;
    for (unsigned long long N : {5000ULL, 20000ULL, 100000ULL, 1000000ULL}) {
        if (skip_large && N > 5000) break;
        // The cost grows a little faster than N (FFTs: N log N); skip a size that would pass ten
        // minutes on the evidence of the one before (the limit), and say so.
        if (N == 1000000ULL && last_time * 10.0 * 1.3 > 600.0) {
            std::printf("%10llu skipped: predicted %.0f s from N = 100000 (> 10 minutes)\n", N,
                        last_time * 13.0);
            break;
        }
        const bench::Scratch tmp("scale");
        const bench::Measured m =
            measured(std::string(CH04_EXE) + " --N " + std::to_string(N) + " --no-cache --out " +
                     tmp.path.string() + " 2>/dev/null");
        const double steps = largest_steps(tmp.path);
        std::printf("%10llu %10.2f %12.3f %8.0f\n", N, m.seconds, m.peak_gib, steps);
        rec.scale(N, m.seconds, m.peak_gib, steps);
        if (N == 100000ULL) rec.time("chapter 04 at N = 100000", 30.0, m.seconds, m.peak_gib);
        last_time = m.seconds;
    }
    return 0;
}
