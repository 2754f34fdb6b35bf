// sb_manifest: gathers the "run" block of each chapter's results JSON (wall time, parameters,
// seed, library versions) into build/results/manifest.json, with the git revision of the source.
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/output.hpp"

#include <CLI/CLI.hpp>
#include <array>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

using namespace sbias;

namespace {

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

} // namespace

int main(int argc, char** argv) {
    CLI::App app("Writes <out>/results/manifest.json from the chapters' results", "sb_manifest");
    std::string out = "build", source = ".";
    std::vector<std::string> chapters;
    app.add_option("--out", out, "build directory")->capture_default_str();
    app.add_option("--source", source, "source tree (for the git revision)")->capture_default_str();
    app.add_option("chapters", chapters, "chapter ids, e.g. 02-gd-mask")->required();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return 0;
    } catch (const CLI::ParseError& e) {
        std::cerr << "sb_manifest: error: " << e.what() << std::endl;
        return 2;
    }
    try {
        json manifest;
        manifest["git_revision"] = git_revision(source);
        manifest["versions"] = library_versions();
        json entries = json::object();
        for (const auto& id : chapters) {
            const fs::path path = fs::path(out) / "results" / (id + ".json");
            std::ifstream in(path);
            if (!in) throw io_error("missing " + path.string() + " (run the chapter first)");
            const json results = json::parse(in);
            if (!results.contains("run")) throw io_error(path.string() + " has no \"run\" block");
            entries[id] = results["run"];
        }
        manifest["chapters"] = entries;
        OutputSet files;
        files.add(fs::path(out) / "results" / "manifest.json", manifest);
        files.commit();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "sb_manifest: error: " << e.what() << std::endl;
        return 2;
    }
}
