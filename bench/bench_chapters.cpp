// make bench: every chapter program end to end at its canonical size, one after the other into one
// scratch build folder (so 05, 07 and 09 read 04's results, as in make), from a cold spectra
// cache, against its budget: 5 s, except the trainings of chapters 10, 11 and 15 (about 20 s each)
// and chapter 13 (10 s, its issue's budget).
#include "bench_util.hpp"

#include <cstdio>
#include <string>
#include <utility>

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc < 2) {
        std::fprintf(stderr, "usage: sb_bench_chapters IMAGE\n");
        return 2;
    }
    const std::string image = std::string(" --image ") + argv[1];
    bench::Record rec("chapters");
    const bench::Scratch tmp("chapters");
    const std::pair<const char*, std::string> chapters[] = {
        {"01-spline-equivalence", CH01_EXE},
        {"02-gd-mask", CH02_EXE},
        {"03-window-width", CH03_EXE},
        {"04-spectra", CH04_EXE},
        {"05-dst-components", CH05_EXE},
        {"06-reconstruction", std::string(CH06_EXE) + image},
        {"07-iteration-efficiency", CH07_EXE},
        {"08-multidimensional", std::string(CH08_EXE) + image},
        {"09-fourier-penalty", CH09_EXE},
        {"10-ntk-sphere", CH10_EXE},
        {"11-full-training", std::string(CH11_EXE) + image},
        {"12-bandwidth", std::string(CH12_EXE) + image},
        {"13-accelerated", std::string(CH13_EXE) + image},
        {"14-noise", std::string(CH14_EXE) + image},
        {"15-feature-learning", std::string(CH15_EXE) + image}};
    // Headroom (issue 23): a chapter should take at most 60 % of its budget on the machine the
    // budgets were set on, so that a machine of the same kind but slower stays within it.
    std::printf("\nEvery chapter alone, canonical size, cold cache\n%-26s %10s %8s %10s %8s %12s\n",
                "chapter", "time (s)", "CPU (s)", "budget (s)", "share", "peak (GiB)");
    for (const auto& [id, command] : chapters) {
        const std::string name(id);
        const double budget =
            name.rfind("10-", 0) == 0 || name.rfind("11-", 0) == 0 || name.rfind("15-", 0) == 0
                ? 20.0
                : (name.rfind("13-", 0) == 0 ? 10.0 : 5.0);
        const bench::Measured m =
            bench::measure(command + " --out " + tmp.path.string() + " 2>/dev/null");
        if (m.seconds < 0) {
            std::fprintf(stderr, "bench: chapter %s failed\n", id);
            return 1;
        }
        std::printf("%-26s %10.2f %8.2f %10.0f %7.0f%% %12.3f%s\n", id, m.seconds, m.cpu_seconds,
                    budget, 100.0 * m.seconds / budget, m.peak_gib,
                    m.seconds > budget         ? "  OVER BUDGET"
                    : m.seconds > 0.6 * budget ? "  over 60 %"
                                               : "");
        rec.time("chapter " + name, budget, m.seconds, m.peak_gib);
    }
    return 0;
}
