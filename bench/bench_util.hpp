// Helpers shared by the make-bench programs: a stopwatch, single-threaded BLAS (as the chapter
// programs run), a command timed with its peak memory, and the record each program leaves for
// sb_bench_summary (which prints the table and writes build/results/bench.json).
#pragma once

#include "sbias/parallel.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bench {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Measured {
    double seconds = -1.0;    ///< wall time, -1 if the command failed
    double peak_gib = 0.0;    ///< largest resident set of the command's process tree
    double cpu_seconds = 0.0; ///< user + sys of the command's process tree
};

/// Runs `sh -c cmd` and measures its wall time and peak memory (wait4's rusage of that child).
inline Measured measure(const std::string& cmd) {
    const auto t0 = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid < 0) return {};
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    if (wait4(pid, &status, 0, &ru) < 0) return {};
    Measured m;
    m.seconds = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? seconds_since(t0) : -1.0;
    m.peak_gib = ru.ru_maxrss / 1024.0 / 1024.0; // ru_maxrss is in KiB
    m.cpu_seconds =
        ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    return m;
}

/// A scratch folder under the temporary directory, removed when the object goes.
struct Scratch {
    std::filesystem::path path;
    explicit Scratch(const std::string& tag)
        : path(std::filesystem::temp_directory_path() /
               ("sbias-bench-" + tag + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
    }
    ~Scratch() { std::filesystem::remove_all(path); }
};

/// Wall time (-1 if it failed) and peak memory of `program --out <scratch> args`, its stderr
/// discarded.
inline Measured time_chapter(const std::string& program, const std::string& args) {
    const Scratch tmp("chapter");
    return measure(program + " --out " + tmp.path.string() + " " + args + " 2>/dev/null");
}

/// The rows one bench program leaves in <BENCH_DIR>/<name>.tsv, tab-separated:
///   pair   step  way_a  seconds_a  way_b  seconds_b    the same step done two ways (a: ours)
///   time   step  budget_s  seconds  peak_gib           one timing against a budget (0: none)
///   scale  N  seconds  peak_gib  steps                 chapter 04 at size N
class Record {
public:
    explicit Record(const std::string& name) : path_(std::string(BENCH_DIR) + "/" + name + ".tsv") {
        std::filesystem::create_directories(BENCH_DIR);
        out_.open(path_, std::ios::trunc);
        if (!out_) throw std::runtime_error("bench: cannot write " + path_);
        out_.precision(6);
    }
    void pair(const std::string& step, const std::string& a, double ta, const std::string& b,
              double tb) {
        out_ << "pair\t" << step << '\t' << a << '\t' << ta << '\t' << b << '\t' << tb << '\n'
             << std::flush;
    }
    void time(const std::string& step, double budget, double seconds, double peak_gib = 0.0) {
        out_ << "time\t" << step << '\t' << budget << '\t' << seconds << '\t' << peak_gib << '\n'
             << std::flush;
    }
    void scale(unsigned long long N, double seconds, double peak_gib, double steps) {
        out_ << "scale\t" << N << '\t' << seconds << '\t' << peak_gib << '\t' << steps << '\n'
             << std::flush;
    }

private:
    std::string path_;
    std::ofstream out_;
};

} // namespace bench
