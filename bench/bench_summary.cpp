// make bench, last step: reads the rows the bench programs left in <build>/bench/*.tsv and the
// record of the first `make` in this build folder (<build>/first-build.ninja_log and the configure
// time beside it, kept by the Makefile), prints one table, and writes <build>/results/bench.json.
#include "sbias/chapter.hpp"
#include "sbias/metrics.hpp"
#include "sbias/output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace sbias;
namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> read_rows(const fs::path& path) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, '\t');)
            cells.push_back(c);
        if (!cells.empty()) rows.push_back(cells);
    }
    return rows;
}

/// The stage a build output belongs to, by its path.
std::string stage_of(const std::string& out) {
    const auto ends = [&](const std::string& tail) {
        return out.size() >= tail.size() &&
               out.compare(out.size() - tail.size(), tail.size(), tail) == 0;
    };
    if (out.find("paper/") != std::string::npos) return "report";
    if (out.find("figures/") != std::string::npos) return ends(".png") ? "figure PNGs" : "figures";
    if (out.find("results/") != std::string::npos || ends("macros.tex") || ends(".tsv") ||
        ends(".png"))
        return "chapters";
    if (ends(".o") || ends(".a") || out.find("/ch") != std::string::npos ||
        out.find("sb_") != std::string::npos || out.find("sbias_tests") != std::string::npos)
        return "compile";
    return "other";
}

/// Stage times of the first build: per stage the wall span (first start to last end) and the
/// summed job time, from Ninja's log (one line per output; outputs of one step share times).
json build_stages(const fs::path& build) {
    const fs::path log = build / "first-build.ninja_log";
    std::ifstream in(log);
    if (!in)
        return {{"recorded", false},
                {"why", "no first-build.ninja_log: this build folder was not made by `make` from "
                        "empty (the Makefile keeps Ninja's log of the first successful build)"}};
    struct Span {
        double first = 1e300, last = 0.0, jobs = 0.0;
        int steps = 0;
    };
    std::map<std::string, Span> stages;
    std::set<std::pair<long long, long long>> seen;
    double end = 0.0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::stringstream ss(line);
        long long start = 0, stop = 0;
        std::string mtime, path;
        ss >> start >> stop >> mtime >> path;
        const std::string st = stage_of(path);
        Span& s = stages[st];
        s.first = std::min(s.first, start / 1e3);
        s.last = std::max(s.last, stop / 1e3);
        end = std::max(end, stop / 1e3);
        if (seen.insert({start, stop}).second || st == "compile") {
            s.jobs += (stop - start) / 1e3;
            ++s.steps;
        }
    }
    json j = {{"recorded", true}, {"ninja_wall_s", end}};
    std::ifstream cfg(build / "first-build.configure_s");
    double configure = -1.0;
    if (cfg >> configure) j["configure_s"] = configure;
    // The build's CPU seconds, user and sys (scripts/locked.sh --cpu-record, from the Makefile).
    std::ifstream cpu(build / "first-build.cpu_s");
    double user = 0.0, sys = 0.0;
    if (cpu >> user >> sys) j["cpu_s"] = {{"user", user}, {"sys", sys}, {"total", user + sys}};
    for (const auto& [name, s] : stages)
        j["stages"][name] = {
            {"start_s", s.first}, {"end_s", s.last}, {"job_seconds", s.jobs}, {"steps", s.steps}};
    return j;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: sb_bench_summary BUILD_DIR RECORD...\n");
        return 2;
    }
    const fs::path build = argv[1];
    std::string scale_file;
    std::string git_revision = "unknown";
    if (FILE* p = popen(
            ("git -C " + std::string(SOURCE_DIR) + " rev-parse --short HEAD 2>/dev/null").c_str(),
            "r")) {
        char buf[64] = {};
        if (std::fgets(buf, sizeof buf, p))
            git_revision = std::string(buf).substr(0, std::strcspn(buf, "\n"));
        pclose(p);
    }
    json doc;
    doc["git_revision"] = git_revision;
    doc["machine"] = machine_description();
    doc["versions"] = library_versions();
    doc["pairs"] = json::array();
    doc["budgets"] = json::array();
    doc["scale"] = json::array();
    for (int i = 2; i < argc; ++i) {
        const fs::path rec = build / "bench" / (std::string(argv[i]) + ".tsv");
        if (!fs::exists(rec)) {
            std::fprintf(stderr, "sb_bench_summary: error: missing %s\n", rec.c_str());
            return 2;
        }
        for (const auto& r : read_rows(rec)) {
            if (r[0] == "pair" && r.size() == 6) {
                const double a = std::stod(r[3]), b = std::stod(r[5]);
                doc["pairs"].push_back({{"step", r[1]},
                                        {"way", r[2]},
                                        {"seconds", a},
                                        {"other_way", r[4]},
                                        {"other_seconds", b},
                                        {"ratio", b / a}});
            } else if (r[0] == "time" && r.size() == 5) {
                const double budget = std::stod(r[2]), t = std::stod(r[3]);
                json row = {{"step", r[1]}, {"seconds", t}, {"peak_gib", std::stod(r[4])}};
                if (budget > 0) {
                    row["budget_s"] = budget;
                    row["within_budget"] = t <= budget;
                }
                doc["budgets"].push_back(row);
            } else if (r[0] == "scale" && r.size() == 5) {
                doc["scale"].push_back({{"N", std::stod(r[1])},
                                        {"seconds", std::stod(r[2])},
                                        {"peak_gib", std::stod(r[3])},
                                        {"steps", std::stod(r[4])}});
            }
        }
    }
    // Growth exponents of chapter 04: least-squares slopes of log time and log memory on log N.
    // The sizes also go to bench/scale.tsv in the source tree, which the report's methods appendix
    // draws (commit it to update the report: make does not rerun the minutes-long study).
    const json sc = doc["scale"]; // a copy: doc grows below (references into it would dangle)
    if (sc.size() >= 2) {
        arma::vec N(sc.size()), t(sc.size()), mem(sc.size());
        for (std::size_t i = 0; i < sc.size(); ++i) {
            N(i) = sc[i]["N"].get<double>();
            t(i) = sc[i]["seconds"].get<double>();
            mem(i) = sc[i]["peak_gib"].get<double>();
        }
        doc["scale_exponent_time"] = loglog_slope(N, t);
        doc["scale_exponent_memory"] = loglog_slope(N, mem);
        const json& m = doc["machine"];
        std::ostringstream tsv;
        tsv << "# Chapter 04 (ten spectra, 200 values, 10 vectors, no cache, two at a time) at "
               "growing N, measured by make bench\n# on "
            << m["cpu"].get<std::string>() << ", " << m["logical_cores"].get<int>()
            << " logical cores, " << plain_number(m["memory_gib"].get<double>(), 3)
            << " GiB; revision " << git_revision << "\nN\tseconds\tpeak_gib\tsteps\n";
        for (const auto& r : sc)
            tsv << static_cast<long long>(r["N"].get<double>()) << '\t'
                << r["seconds"].get<double>() << '\t' << r["peak_gib"].get<double>() << '\t'
                << r["steps"].get<double>() << '\n';
        scale_file = tsv.str();
    }
    doc["first_build"] = build_stages(build);

    std::printf("\n%-52s %-26s %9s   %-22s %9s %8s\n", "step", "ours", "s", "other way", "s",
                "ratio");
    for (const auto& p : doc["pairs"])
        std::printf("%-52s %-26s %9.4f   %-22s %9.4f %7.1fx\n",
                    p["step"].get<std::string>().c_str(), p["way"].get<std::string>().c_str(),
                    p["seconds"].get<double>(), p["other_way"].get<std::string>().c_str(),
                    p["other_seconds"].get<double>(), p["ratio"].get<double>());
    std::printf("\n%-64s %9s %9s %10s\n", "timed against a budget", "s", "budget", "peak GiB");
    for (const auto& b : doc["budgets"])
        std::printf("%-64s %9.2f %9s %10.3f%s\n", b["step"].get<std::string>().c_str(),
                    b["seconds"].get<double>(),
                    b.contains("budget_s") ? plain_number(b["budget_s"].get<double>(), 3).c_str()
                                           : "-",
                    b["peak_gib"].get<double>(),
                    b.contains("within_budget") && !b["within_budget"].get<bool>() ? "  OVER" : "");
    if (doc.contains("scale_exponent_time"))
        std::printf("\nChapter 04 grows like N^%.2f in time and N^%.2f in memory (%zu sizes)\n",
                    doc["scale_exponent_time"].get<double>(),
                    doc["scale_exponent_memory"].get<double>(), sc.size());
    const json& fb = doc["first_build"];
    if (fb["recorded"].get<bool>()) {
        std::printf(
            "\nFirst make in this build folder (Ninja's log): configure %.1f s, build %.1f s "
            "wall",
            fb.value("configure_s", -1.0), fb["ninja_wall_s"].get<double>());
        if (fb.contains("cpu_s"))
            std::printf(", %.1f CPU-s (user %.1f + sys %.1f)", fb["cpu_s"]["total"].get<double>(),
                        fb["cpu_s"]["user"].get<double>(), fb["cpu_s"]["sys"].get<double>());
        std::printf("\n");
        for (const auto& [name, s] : fb["stages"].items())
            std::printf("  %-11s %7.1f s of jobs in %3d steps, from %6.1f s to %6.1f s\n",
                        name.c_str(), s["job_seconds"].get<double>(), s["steps"].get<int>(),
                        s["start_s"].get<double>(), s["end_s"].get<double>());
    } else {
        std::printf("\nFirst build: %s\n", fb["why"].get<std::string>().c_str());
    }
    OutputSet out;
    out.add(build / "results" / "bench.json", doc);
    if (!scale_file.empty()) out.add(fs::path(SOURCE_DIR) / "bench" / "scale.tsv", scale_file);
    out.commit();
    if (!scale_file.empty())
        std::printf("Wrote %s/bench/scale.tsv (the report's scale study)\n", SOURCE_DIR);
    std::printf("\nWrote %s\n", (build / "results" / "bench.json").c_str());
    return 0;
}
