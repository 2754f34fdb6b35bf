// Running a chapter program from a test: into a fresh scratch folder, canonical or with arguments.
#pragma once

#include "scratch.hpp"
#include <cstdlib>

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <utility>

namespace chapter_run {

namespace fs = std::filesystem;

/// Runs `program --out <scratch>/<name> args` and returns the output folder.
inline fs::path run(const std::string& program, const std::string& name,
                    const std::string& args = "") {
    const fs::path out = scratch_dir::path("chapters/" + name);
    fs::remove_all(out);
    const std::string cmd = program + " --out " + out.string() + " " + args + " 2>/dev/null";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
    return out;
}

/// Runs `program --out <out> args` into an existing folder (after another chapter).
inline void run_into(const std::string& program, const fs::path& out,
                     const std::string& args = "") {
    const std::string cmd = program + " --out " + out.string() + " " + args + " 2>/dev/null";
    REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, cmd);
}

/// The build folder, when it holds chapters' canonical results (`make` ran them, and `make test`
/// runs them first where they are missing or stale): the build ran every chapter with its canonical
/// arguments (CMake's SB_ARGS_<id> all empty, so SB_BUILD_CANONICAL) and each results file is at
/// least as new as its program (Ninja reruns a chapter whose program changed; a program rebuilt
/// without its chapter rerun, e.g. by `ninja sbias_tests`, makes its results stale). Otherwise
/// empty: the test runs the chapters itself. Reading them saves `make test` rerunning every
/// canonical chapter (06 and 08 alone 4 and 3.4 s on the reference machine), and checks the very
/// numbers the report prints.
inline std::optional<fs::path>
build_results(std::initializer_list<std::pair<const char*, const char*>> ids_and_programs) {
    if (!SB_BUILD_CANONICAL) return std::nullopt;
    const fs::path build = SB_BUILD_DIR;
    std::error_code ec;
    for (const auto& [id, program] : ids_and_programs) {
        const fs::path results = build / "results" / (std::string(id) + ".json");
        const auto made = fs::last_write_time(results, ec);
        if (ec) return std::nullopt;
        const auto built = fs::last_write_time(program, ec);
        if (ec || made < built) return std::nullopt;
    }
    return build;
}

/// The output folder of a chapter's canonical run: the build's (build_results), else a fresh run
/// with `args` (what the build passes it, e.g. the image).
inline fs::path canonical(const std::string& program, const std::string& id,
                          const std::string& args = "") {
    if (const auto build = build_results({{id.c_str(), program.c_str()}})) return *build;
    return run(program, id + "-canonical", args);
}

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// Two runs with the same arguments (or the second with args_b, e.g. another thread count):
/// results (less the "run" block with its wall time) and every table and macro file identical.
template <typename Json>
void check_deterministic(const std::string& program, const std::string& id, const std::string& args,
                         const std::string& args_b = "") {
    const fs::path a = run(program, id + "-a", args),
                   b = run(program, id + "-b", args_b.empty() ? args : args_b);
    Json ra = Json::parse(slurp(a / "results" / (id + ".json")));
    Json rb = Json::parse(slurp(b / "results" / (id + ".json")));
    ra.erase("run");
    rb.erase("run");
    CHECK(ra == rb);
    int files = 0;
    for (const auto& f : fs::directory_iterator(a / "chapters" / id)) {
        CAPTURE(f.path().filename());
        CHECK(slurp(f.path()) == slurp(b / "chapters" / id / f.path().filename()));
        ++files;
    }
    CHECK(files >= 2);
}

} // namespace chapter_run
