// The test runner. Every test writes its scratch files under <tmp>/sbias-tests-<pid>
// (tests/scratch.hpp); it is removed here when the run ends, pass or fail (ctest runs each test
// case as its own process).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "sbias/parallel.hpp"
#include "scratch.hpp"

int main(int argc, char** argv) {
    // One BLAS thread, as in the chapter programs: ctest runs three test processes at once on two
    // cores, and OpenBLAS's threads would spin against each other (chapter 02's canonical test:
    // 0.76 s alone, 8.3 s among the others).
    sbias::use_one_blas_thread();
    doctest::Context context(argc, argv);
    const int rc = context.run();
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir::root(), ec);
    return rc;
}
