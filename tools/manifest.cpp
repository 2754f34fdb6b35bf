// sb_manifest: gathers the "run" block of each chapter's results JSON (wall time, parameters,
// seed, library versions) into build/results/manifest.json, with the git revision of the source
// and the machine. With --report-parts DIR it also writes the report's generated parts there:
//   macros-all.tex   every chapter's macros (the front matter quotes them)
//   ledger.tex       the claims ledger, one row per entry of each chapter's "verdicts"
//   corrections.tex  the corrections to the paper those entries carry
//   methods.tex      the methods appendix: machine, versions, revision, per-chapter runs
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/metrics.hpp"
#include "sbias/output.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

using namespace sbias;

namespace {

/// v with every absolute path in it (a string starting with '/') made relative to the project's
/// root, e.g. <root>/../shared/data/peppers.png -> ../shared/data/peppers.png: the report names no
/// folder of the machine that built it.
json portable(const json& v, const fs::path& source) {
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s.empty() || s[0] != '/') return v;
        const fs::path root = fs::absolute(source).lexically_normal();
        const fs::path rel = fs::path(s).lexically_normal().lexically_relative(root);
        return rel.empty() ? v : json(rel.string());
    }
    if (v.is_array() || v.is_object()) {
        json out = v;
        for (auto& [k, x] : out.items())
            x = portable(x, source);
        return out;
    }
    return v;
}

/// `git describe --always --dirty` of the source tree, or "unknown" outside a checkout.
std::string git_revision(const std::string& source) {
    const std::string cmd =
        "git -C '" + source + "' describe --always --dirty --abbrev=12 2>/dev/null";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    if (!pipe) return "unknown";
    std::array<char, 128> buf{};
    std::string out;
    while (std::fgets(buf.data(), buf.size(), pipe.get()))
        out += buf.data();
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out.empty() ? "unknown" : out;
}

/// Text for LaTeX's text mode: the characters that are special there, escaped.
std::string tex_text(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '_':
            out += "\\_";
            break;
        case '%':
            out += "\\%";
            break;
        case '&':
            out += "\\&";
            break;
        case '#':
            out += "\\#";
            break;
        case '$':
            out += "\\$";
            break;
        case '{':
            out += "\\{";
            break;
        case '}':
            out += "\\}";
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        case '\\':
            out += "\\textbackslash{}";
            break;
        default:
            out += c;
        }
    }
    return out;
}

/// Lets LaTeX break a line after each comma (long parameter lists have no spaces).
std::string breakable(const std::string& s) {
    std::string out;
    for (char c : s) {
        out += c;
        if (c == ',') out += "\\allowbreak{}";
    }
    return out;
}

/// The scale study of chapter 04 for the methods appendix, from bench/scale.tsv (written by
/// make bench, committed): a table, the fitted exponents and a log-log plot. Empty if the file is
/// missing or has fewer than two sizes.
std::string scale_study(const fs::path& tsv) {
    std::ifstream in(tsv);
    std::string where;
    std::vector<std::array<double, 4>> rows;
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("# on ", 0) == 0) where = line.substr(5);
        if (line.empty() || line[0] == '#' || line[0] == 'N') continue;
        std::array<double, 4> r{};
        std::istringstream ss(line);
        if (ss >> r[0] >> r[1] >> r[2] >> r[3]) rows.push_back(r);
    }
    if (rows.size() < 2) return "";
    arma::vec N(rows.size()), t(rows.size()), mem(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
        N(i) = rows[i][0], t(i) = rows[i][1], mem(i) = rows[i][2];
    const double pt = loglog_slope(N, t), pm = loglog_slope(N, mem);
    std::ostringstream m;
    m << "\\paragraph{Scale.} How chapter~04 grows with $N$ (ten spectra, 200 values and 10 "
         "vectors each, no cache, two spectra at a time; the Toeplitz operator applied by FFT, "
         "and from $N = 10000$ block Golub--Kahan--Lanczos with 10 vectors per step, whose "
         "reorthogonalisation is matrix-matrix products), measured by \\texttt{make bench} on "
      << tex_text(where)
      << " (\\texttt{bench/scale.tsv}: the study takes minutes, so \\texttt{make} draws the "
         "committed measurement instead of rerunning it). Least-squares exponents over all "
         "sizes: time $\\propto N^{"
      << plain_number(pt, 3) << "}$, peak memory $\\propto N^{" << plain_number(pm, 3)
      << "}$ (Table~\\ref{tab:scale}, Fig.~\\ref{fig:scale}).\n";
    m << "\\begin{table}[!htbp]\\centering\\caption{Chapter~04 at growing $N$: wall time, peak "
         "resident memory and the largest number of Lanczos steps of the ten spectra.}"
         "\\label{tab:scale}\n\\begin{tabular}{@{}rrrr@{}}\\toprule $N$ & time (s) & peak "
         "memory (GiB) & steps \\\\ \\midrule\n";
    for (const auto& r : rows)
        m << static_cast<long long>(r[0]) << " & " << plain_number(r[1], 3) << " & "
          << plain_number(r[2], 3) << " & " << static_cast<long long>(r[3]) << " \\\\\n";
    m << "\\bottomrule\\end{tabular}\\end{table}\n";
    m << "\\begin{figure}[!htbp]\\centering\\begin{tikzpicture}\\begin{loglogaxis}[width=8cm, "
         "height=5.5cm, xlabel={$N$}, grid=major, grid style={gray!25}, legend pos=north west, "
         "legend style={font=\\footnotesize, draw=none}, tick label style={font=\\footnotesize}]\n";
    const auto series = [&](int col, const char* style, const char* name) {
        m << "\\addplot[" << style << "] coordinates {";
        for (const auto& r : rows)
            m << "(" << r[0] << "," << r[col] << ") ";
        m << "};\\addlegendentry{" << name << "}\n";
    };
    series(1, "mark=*, blue!70!black", "time (s)");
    series(2, "mark=square*, red!70!black", "peak memory (GiB)");
    m << "\\end{loglogaxis}\\end{tikzpicture}\\caption{Chapter~04's cost against $N$ (log-log): "
         "time grows like $N^{"
      << plain_number(pt, 3) << "}$, memory like $N^{" << plain_number(pm, 3)
      << "}$.}\\label{fig:scale}\\end{figure}\n";
    return m.str();
}

/// The report's generated parts (see the header).
void write_report_parts(const fs::path& dir, const std::vector<std::string>& chapters,
                        const std::vector<json>& results, const json& manifest,
                        const fs::path& source, OutputSet& files) {
    std::string macros = "% Generated by sb_manifest: every chapter's macros.\n";
    for (const auto& id : chapters)
        macros += "\\input{chapters/" + id + "/macros.tex}\n";
    std::string ledger =
        "% Generated by sb_manifest from the \"verdicts\" of each chapter's results.\n"
        "\\begin{longtable}{@{}p{0.34\\textwidth}p{0.12\\textwidth}p{0.33\\textwidth}p{0."
        "11\\textwidth}@{}}\n"
        "\\toprule claim & where & measured & verdict \\\\ \\midrule\\endhead\n";
    std::string corrections = "% Generated by sb_manifest from the verdicts' corrections.\n";
    int n_corrections = 0;
    std::map<std::string, int> counts;
    for (std::size_t i = 0; i < chapters.size(); ++i) {
        if (!results[i].contains("verdicts")) continue;
        const auto section = "Section~\\ref{sec:" + chapters[i] + "}";
        ledger += "\\multicolumn{4}{@{}l}{\\textit{" + section + "}} \\\\*\n";
        for (const auto& v : results[i]["verdicts"]) {
            const std::string verdict = v.at("verdict").get<std::string>();
            ++counts[verdict];
            ledger += v.at("claim").get<std::string>() + " & " + v.at("where").get<std::string>() +
                      " & " + v.at("measured").get<std::string>() + " & \\emph{" + verdict +
                      "} \\\\\n";
            if (v.contains("correction")) {
                if (n_corrections++ == 0) corrections += "\\begin{enumerate}\n";
                corrections += "\\item " + v["correction"].get<std::string>() + "\n";
            }
        }
    }
    ledger += "\\bottomrule\n\\end{longtable}\n";
    corrections += n_corrections ? "\\end{enumerate}\n" : "None recorded.\n";
    // Counts for the abstract.
    int total = 0;
    for (const auto& [k, n] : counts)
        total += n;
    macros += "\\providecommand{\\ledgerTotal}{" + std::to_string(total) + "}\n";
    macros += "\\providecommand{\\ledgerHolds}{" + std::to_string(counts["holds"]) + "}\n";
    macros += "\\providecommand{\\ledgerCorrected}{" +
              std::to_string(counts["holds with a correction"]) + "}\n";
    macros += "\\providecommand{\\ledgerFails}{" + std::to_string(counts["does not hold"]) + "}\n";
    macros += "\\providecommand{\\ledgerCorrections}{" + std::to_string(n_corrections) + "}\n";

    std::ostringstream m;
    const json& mach = manifest["machine"];
    m << "% Generated by sb_manifest from build/results/manifest.json.\n";
    m << "\\paragraph{Machine and software.} " << tex_text(mach["cpu"].get<std::string>()) << ", "
      << mach["logical_cores"].get<unsigned>() << " logical cores, ";
    char mem[32];
    std::snprintf(mem, sizeof mem, "%.1f", mach["memory_gib"].get<double>());
    m << mem << "~GiB. ";
    for (const auto& [k, v] : manifest["versions"].items())
        m << tex_text(k) << " " << tex_text(v.is_string() ? v.get<std::string>() : v.dump())
          << "; ";
    m << "source revision \\texttt{" << tex_text(manifest["git_revision"].get<std::string>())
      << "}.\n\n";
    m << "\\paragraph{Runs.} Wall time of each chapter program (this build), its parameters "
         "(paths relative to the project's root), and what the spectra cache did.\n";
    m << "\\begin{longtable}{@{}p{0.28\\textwidth}r@{\\;s\\quad}p{0.54\\textwidth}@{}}\n"
         "\\toprule chapter & \\multicolumn{1}{l}{wall} & parameters \\\\ \\midrule\\endhead\n";
    for (std::size_t i = 0; i < chapters.size(); ++i) {
        const json& run = results[i]["run"];
        char wall[32];
        std::snprintf(wall, sizeof wall, "%.2f", run.value("wall_time_s", 0.0));
        std::string params;
        const json parameters = run.value("parameters", json::object());
        for (const auto& [k, v] : parameters.items())
            params += (params.empty() ? "" : ", ") + k + " = " + portable(v, source).dump();
        std::string cache;
        if (run.contains("timings") && run["timings"].contains("spectra")) {
            int hits = 0, misses = 0;
            for (const auto& [k, v] : run["timings"]["spectra"].items())
                (v.value("cache_hit", false) ? hits : misses)++;
            cache = "; spectra cache: " + std::to_string(hits) + " hits, " +
                    std::to_string(misses) + " computed";
        }
        m << "\\small\\texttt{" << tex_text(chapters[i]) << "} & " << wall << " & \\small "
          << breakable(tex_text(params + cache)) << " \\\\\n";
    }
    m << "\\bottomrule\n\\end{longtable}\n";
    m << scale_study(source / "bench" / "scale.tsv");
    files.add(dir / "macros-all.tex", macros);
    files.add(dir / "ledger.tex", ledger);
    files.add(dir / "corrections.tex", corrections);
    files.add(dir / "methods.tex", m.str());
}

} // namespace

int main(int argc, char** argv) {
    CommandLine app("Writes <out>/results/manifest.json from the chapters' results", "sb_manifest");
    std::string out = "build", source = ".";
    std::vector<std::string> chapters;
    std::string parts;
    app.add_option("--out", out, "build directory")->capture_default_str();
    app.add_option("--report-parts", parts, "also write the report's generated parts here");
    app.add_option("--source", source, "source tree (for the git revision)")->capture_default_str();
    app.add_option("chapters", chapters, "chapter ids, e.g. 02-gd-mask")->required();
    if (const auto done = app.parse(argc, argv)) return *done;
    try {
        json manifest;
        manifest["git_revision"] = git_revision(source);
        manifest["versions"] = library_versions();
        manifest["machine"] = machine_description();
        json entries = json::object();
        std::vector<json> all;
        for (const auto& id : chapters) {
            const fs::path path = fs::path(out) / "results" / (id + ".json");
            std::ifstream in(path);
            if (!in) throw io_error("missing " + path.string() + " (run the chapter first)");
            const json results = json::parse(in);
            if (!results.contains("run")) throw io_error(path.string() + " has no \"run\" block");
            entries[id] = results["run"];
            all.push_back(results);
        }
        manifest["chapters"] = entries;
        OutputSet files;
        files.add(fs::path(out) / "results" / "manifest.json", manifest);
        if (!parts.empty()) write_report_parts(parts, chapters, all, manifest, source, files);
        files.commit();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "sb_manifest: error: " << e.what() << std::endl;
        return 2;
    }
}
