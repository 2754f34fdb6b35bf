// The one scratch folder of a test process: <tmp>/sbias-tests-<pid>. Every test writes under it;
// tests/main.cpp removes it when the process ends, pass or fail.
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace scratch_dir {

inline std::filesystem::path root() {
    return std::filesystem::temp_directory_path() / ("sbias-tests-" + std::to_string(::getpid()));
}

/// <root>/<name>, with its parent created.
inline std::filesystem::path path(const std::string& name) {
    const auto p = root() / name;
    std::filesystem::create_directories(p.parent_path());
    return p;
}

} // namespace scratch_dir
