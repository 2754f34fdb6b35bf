// The test runner. Every test writes its scratch files under <tmp>/sbias-<what>-<pid>; they are
// removed here when the run ends, pass or fail (ctest runs each test case as its own process).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int rc = context.run();
    namespace fs = std::filesystem;
    const std::string suffix = "-" + std::to_string(::getpid());
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("sbias-", 0) == 0 && name.size() > suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            fs::remove_all(entry.path(), ec);
    }
    return rc;
}
