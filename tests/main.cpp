// The test runner. Every test writes its scratch files under <tmp>/sbias-tests-<pid>
// (tests/scratch.hpp); it is removed here when the run ends, pass or fail (ctest runs each test
// case as its own process).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "scratch.hpp"

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int rc = context.run();
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir::root(), ec);
    return rc;
}
