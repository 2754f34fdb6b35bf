// make bench: the fast spectral path (FFT + Golub-Kahan-Lanczos) against a full dense LAPACK SVD of
// the same matrix, at N = 5000, for the ten spectra of chapter 04; then chapters 04, 05 and 07 end
// to end from a cold cache, and chapter 04 at N = 100000. Timing lives here, never in a unit test.
#include "sbias/leading.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace sbias;
namespace fs = std::filesystem;

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Runs a command, returns its wall time; exits if it fails.
double timed(const std::string& cmd) {
    const auto t0 = std::chrono::steady_clock::now();
    if (std::system(cmd.c_str()) != 0) {
        std::fprintf(stderr, "bench: command failed: %s\n", cmd.c_str());
        std::exit(1);
    }
    return seconds_since(t0);
}
} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // progress shows line by line under make
    const arma::uword n = argc > 1 ? std::stoul(argv[1]) : 5000;
    const bool skip_large = argc > 2 && std::string(argv[2]) == "--skip-large";
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

    const fs::path tmp = fs::temp_directory_path() / ("sbias-bench-" + std::to_string(::getpid()));
    fs::remove_all(tmp);
    const std::string out = " --out " + tmp.string() + " 2>/dev/null";
    const double t04 = timed(std::string(CH04_EXE) + out);
    const double t05 = timed(std::string(CH05_EXE) + out);
    const double t07 = timed(std::string(CH07_EXE) + out);
    std::printf("Chapters 04 + 05 + 07, cold cache: %.2f s (04: %.2f, 05: %.2f, 07: %.2f)\n",
                t04 + t05 + t07, t04, t05, t07);
    const double warm = timed(std::string(CH04_EXE) + out) + timed(std::string(CH05_EXE) + out) +
                        timed(std::string(CH07_EXE) + out);
    std::printf("Chapters 04 + 05 + 07, warm cache: %.2f s\n", warm);
    if (!skip_large) {
        const double t_large = timed(std::string(CH04_EXE) + " --N 100000 --no-cache --out " +
                                     (tmp / "large").string() + " 2>/dev/null");
        rusage ru{};
        getrusage(RUSAGE_CHILDREN, &ru);
        std::printf("Chapter 04 at N = M = 100000 (ten spectra, 200 values each): %.1f s, peak "
                    "memory %.2f GiB\n",
                    t_large, ru.ru_maxrss / 1024.0 / 1024.0);
    }
    fs::remove_all(tmp);
    return 0;
}
