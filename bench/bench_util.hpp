// Helpers shared by the make-bench programs: a stopwatch, single-threaded BLAS (as the chapter
// programs run) and a chapter program timed end to end into a scratch folder.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

extern "C" void openblas_set_num_threads(int) __attribute__((weak));

namespace bench {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// One BLAS thread unless OPENBLAS_NUM_THREADS says otherwise.
inline void single_threaded_blas() {
    if (!std::getenv("OPENBLAS_NUM_THREADS") && openblas_set_num_threads)
        openblas_set_num_threads(1);
}

/// Wall time of `program --out <scratch> args` (its stderr discarded), or -1 if it failed. The
/// scratch folder is removed either way.
inline double time_chapter(const std::string& program, const std::string& args) {
    const auto tmp =
        std::filesystem::temp_directory_path() / ("sbias-bench-" + std::to_string(::getpid()));
    const std::string cmd = program + " --out " + tmp.string() + " " + args + " 2>/dev/null";
    const auto t0 = std::chrono::steady_clock::now();
    const int rc = std::system(cmd.c_str());
    const double t = seconds_since(t0);
    std::filesystem::remove_all(tmp);
    return rc == 0 ? t : -1.0;
}

} // namespace bench
