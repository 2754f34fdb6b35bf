#include "sbias/chapter.hpp"

#include "sbias/errors.hpp"
#include "sbias/parallel.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

// OpenBLAS reports its build configuration through this C function; it is declared weak so that
// the program still links (and reports "not linked") against another BLAS.
extern "C" char* openblas_get_config(void) __attribute__((weak));
// LAPACK's version query.
extern "C" void ilaver_(int* major, int* minor, int* patch);

namespace sbias {

CommandLineOption* CommandLineOption::capture_default_str() {
    option_->capture_default_str();
    return this;
}
CommandLineOption* CommandLineOption::delimiter(char c) {
    option_->delimiter(c);
    return this;
}
CommandLineOption* CommandLineOption::required() {
    option_->required();
    return this;
}
std::size_t CommandLineOption::count() const {
    return option_->count();
}

CommandLine::CommandLine(const std::string& description, const std::string& name)
    : app_(std::make_unique<CLI::App>(description, name)) {}
CommandLine::~CommandLine() = default;

template <class T>
CommandLineOption* CommandLine::add_option(const std::string& name, T& value,
                                           const std::string& description) {
    options_.push_back(
        std::make_unique<CommandLineOption>(app_->add_option(name, value, description)));
    return options_.back().get();
}

std::optional<int> CommandLine::parse(int argc, char** argv) {
    try {
        app_->parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app_->help();
        return 0;
    } catch (const CLI::ParseError& e) {
        std::cerr << app_->get_name() << ": error: " << e.what() << " (see --help)" << std::endl;
        return 2;
    }
    return std::nullopt;
}

CommandLineOption* CommandLine::add_flag(const std::string& name, bool& value,
                                         const std::string& description) {
    options_.push_back(
        std::make_unique<CommandLineOption>(app_->add_flag(name, value, description)));
    return options_.back().get();
}

// The value types chapter options use; another type is a link error naming it.
#define SB_OPTION_TYPE(T)                                                                          \
    template CommandLineOption* CommandLine::add_option<T>(const std::string&, T&,                 \
                                                           const std::string&);                    \
    template CommandLineOption* CommandLine::add_option<std::vector<T>>(                           \
        const std::string&, std::vector<T>&, const std::string&);
SB_OPTION_TYPE(int)
SB_OPTION_TYPE(unsigned)
SB_OPTION_TYPE(long)
SB_OPTION_TYPE(unsigned long)
SB_OPTION_TYPE(long long)
SB_OPTION_TYPE(unsigned long long)
SB_OPTION_TYPE(double)
SB_OPTION_TYPE(std::string)
#undef SB_OPTION_TYPE

Chapter::Chapter(std::string id, const std::string& description)
    : id_(std::move(id)), cli_(description, program_name(id_)) {
    cli_.add_option("--out", out_,
                    "build directory: writes <out>/results/" + id_ + ".json and <out>/chapters/" +
                        id_ + "/")
        ->capture_default_str();
}

void Chapter::progress(const std::string& message) const {
    std::cerr << "[" << id_ << "] " << message << std::endl;
}

void Chapter::verdict(const std::string& claim, const std::string& where,
                      const std::string& measured, const std::string& verdict,
                      const std::string& correction) {
    if (verdict != "holds" && verdict != "holds with a correction" && verdict != "does not hold")
        throw std::logic_error("verdict must be holds / holds with a correction / does not hold");
    json row = {{"claim", claim}, {"where", where}, {"measured", measured}, {"verdict", verdict}};
    if (!correction.empty()) row["correction"] = correction;
    results["verdicts"].push_back(row);
}

json library_versions() {
    int major = 0, minor = 0, patch = 0;
    ilaver_(&major, &minor, &patch);
    json v;
    v["armadillo"] = arma::arma_version::as_string();
    v["lapack"] = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    v["openblas"] = openblas_get_config ? std::string(openblas_get_config()) : "not linked";
    v["nlohmann_json"] = std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                         std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                         std::to_string(NLOHMANN_JSON_VERSION_PATCH);
    v["cli11"] = CLI11_VERSION;
    v["compiler"] = "g++ " __VERSION__;
    return v;
}

/// The CPU model (from /proc/cpuinfo), logical cores and memory of this machine.
json machine_description() {
    std::string model = "unknown";
    std::ifstream cpu("/proc/cpuinfo");
    for (std::string line; std::getline(cpu, line);)
        if (line.rfind("model name", 0) == 0) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    long long mem_kb = 0;
    std::ifstream mem("/proc/meminfo");
    for (std::string line; std::getline(mem, line);)
        if (line.rfind("MemTotal:", 0) == 0) {
            std::istringstream(line.substr(9)) >> mem_kb;
            break;
        }
    return {{"cpu", model},
            {"logical_cores", std::thread::hardware_concurrency()},
            {"memory_gib", double(mem_kb) / (1024.0 * 1024.0)}};
}

std::string program_name(const std::string& chapter_id) {
    std::string name = "ch" + chapter_id;
    for (char& ch : name)
        if (ch == '-') ch = '_';
    return name;
}

int Chapter::run(int argc, char** argv, const std::function<void()>& check,
                 const std::function<void()>& compute) {
    if (const auto done = cli_.parse(argc, argv)) return *done;
    const std::string program = program_name(id_);
    // One BLAS thread unless the user says otherwise: at these sizes a second thread measured no
    // faster (chapter 06: 8.8 s with one, 11.8 s with two), and two chapters or tests running at
    // once would otherwise oversubscribe the cores. Chapter 04 parallelises over matrices instead.
    use_one_blas_thread();
    try {
        check();
        const fs::path out(out_);
        const fs::path data_dir = out / "chapters" / id_;
        const fs::path results_dir = out / "results";
        ensure_writable_dir(data_dir);
        ensure_writable_dir(results_dir);

        const auto start = std::chrono::steady_clock::now();
        compute();
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

        json run;
        run["chapter"] = id_;
        run["wall_time_s"] = wall;
        if (!timings.empty()) run["timings"] = timings;
        run["parameters"] = parameters;
        run["seed"] = seed ? json(*seed) : json(nullptr);
        run["versions"] = library_versions();
        results["run"] = run;

        OutputSet files;
        for (const auto& [name, table] : tables)
            files.add(data_dir / name, table);
        for (const auto& [name, bytes] : this->files)
            files.add(data_dir / name, bytes);
        files.add(data_dir / "macros.tex", macros);
        files.add(results_dir / (id_ + ".json"), results);
        files.commit();
        progress("done in " + std::to_string(wall) + " s; results in " +
                 (results_dir / (id_ + ".json")).string());
        return 0;
    } catch (const std::exception& e) {
        std::cerr << program << ": error: " << e.what() << std::endl;
        return 2;
    }
}

} // namespace sbias
