// The frame every chapter program shares: command line (CLI11, behind CommandLine so that only
// chapter.cpp compiles its headers), the error policy (one line on
// stderr, exit code 2), progress lines, run information for the manifest, and the output paths
//   <out>/results/<chapter>.json      the key numbers (SPEC.md's keys)
//   <out>/chapters/<chapter>/*.tsv    tables the figures draw
//   <out>/chapters/<chapter>/macros.tex  numbers and parameters for the prose
#pragma once

#include "sbias/output.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace sbias {

/// One command-line option; the subset of CLI::Option the chapters use. Calls chain like CLI11's.
class CommandLineOption {
public:
    explicit CommandLineOption(CLI::Option* option) : option_(option) {}
    CommandLineOption* capture_default_str(); ///< show the default in --help
    CommandLineOption* delimiter(char c);     ///< a list may also be given as "a,b,c"
    CommandLineOption* required();
    std::size_t count() const; ///< how often it was given (after parsing)

private:
    CLI::Option* option_;
};

/// The command line of a chapter program. CLI11 is a header-only library whose App machinery
/// costs about 8 s of compiling in every file that uses it (measured: a three-option program,
/// g++ -O3), so it lives in chapter.cpp only and the chapters see this thin front. add_option is
/// instantiated in chapter.cpp for the value types chapters use (numbers, strings, vectors of
/// them).
class CommandLine {
public:
    CommandLine(const std::string& description, const std::string& name);
    ~CommandLine();
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    template <class T>
    CommandLineOption* add_option(const std::string& name, T& value,
                                  const std::string& description);
    CommandLineOption* add_flag(const std::string& name, bool& value,
                                const std::string& description);

    /// Parses argv. Returns nothing when the program should go on, or its exit code: 0 after
    /// printing --help, 2 after one "<program>: error: ... (see --help)" line on stderr.
    std::optional<int> parse(int argc, char** argv);

private:
    std::unique_ptr<CLI::App> app_;
    std::vector<std::unique_ptr<CommandLineOption>> options_;
};

class Chapter {
public:
    /// id: the chapter's directory name, e.g. "02-gd-mask".
    Chapter(std::string id, const std::string& description);

    CommandLine& cli() { return cli_; }
    /// The --out folder (for shared caches under it).
    const std::string& out_dir() const { return out_; }
    const std::string& id() const { return id_; }

    /// The chapter's results document; "run" is filled in by run().
    json results;
    /// Parameters as resolved for this run (defaults applied); echoed in the manifest.
    json parameters = json::object();
    /// Macros for the prose; run() adds nothing of its own.
    Macros macros;
    /// Tables, keyed by file name (e.g. "errors.tsv").
    std::vector<std::pair<std::string, Table>> tables;
    /// Adds table.curve_tables(stem, x, tolerance): "<stem>-<column>.tsv" for every column, which
    /// a figure's line plots read instead of the whole table (Table::curve_tables).
    void add_curve_tables(const std::string& stem, const Table& table, const std::string& x,
                          double tolerance = 2e-4) {
        for (auto& c : table.curve_tables(stem, x, tolerance))
            tables.push_back(std::move(c));
    }
    /// Adds table.curve(x, column, axes) as "<stem>-<column>.tsv" for each of `columns` (every
    /// column but x when empty): the curves of one panel whose axis cuts the data (Table::curve).
    void add_curves(const std::string& stem, const Table& table, const std::string& x,
                    const CurveAxes& axes, const std::vector<std::string>& columns = {}) {
        for (const std::string& c : columns.empty() ? table.names() : columns)
            if (c != x) tables.emplace_back(stem + "-" + c + ".tsv", table.curve(x, c, axes));
    }
    /// Other files for the figures (e.g. PNG images), name -> bytes; written with the tables.
    std::vector<std::pair<std::string, std::string>> files;
    /// Timings and cache behaviour of the steps, recorded in the "run" block (and so in the
    /// manifest) rather than with the results, which stay identical from run to run.
    json timings = json::object();
    /// The random seed, where the chapter draws random numbers.
    std::optional<unsigned long long> seed;

    /// Parses argv, runs check (which validates the parameters and throws usage_error), makes
    /// sure the output directories are writable, runs compute, then writes every output at once.
    /// Returns the process exit code: 0, or 2 after one "<program>: error: ..." line on stderr;
    /// nothing is created before check has passed, and no file is written unless all can be.
    int run(int argc, char** argv, const std::function<void()>& check,
            const std::function<void()>& compute);

    /// "[02-gd-mask] message" on stderr.
    void progress(const std::string& message) const;

    /// A row of the report's claims ledger, kept in results["verdicts"]: the claim (LaTeX), where
    /// the paper makes it, what we measured (LaTeX using this chapter's macros, so the number is
    /// the run's), and the verdict: "holds", "holds with a correction" or "does not hold". A
    /// correction (LaTeX) also goes to the report's list of corrections to the paper.
    void verdict(const std::string& claim, const std::string& where, const std::string& measured,
                 const std::string& verdict, const std::string& correction = "");

private:
    std::string id_;
    CommandLine cli_;
    std::string out_ = "build";
};

/// The program built for a chapter: "02-gd-mask" -> "ch02_gd_mask".
std::string program_name(const std::string& chapter_id);

/// The CPU model (from /proc/cpuinfo), logical cores and memory of this machine, as a JSON object
/// (the manifest's and the benchmark's "machine").
json machine_description();

/// Library versions as a JSON object (Armadillo, LAPACK, OpenBLAS where linked, compiler).
json library_versions();

} // namespace sbias
