// Running a chapter program from a test: into a fresh scratch folder, canonical or with arguments.
#pragma once

#include "scratch.hpp"
#include <cstdlib>

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

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
