// Chapters 01 and 03 as a whole: canonical results against golden values (each with an
// independent reason), and two runs give identical outputs.
#include "chapter_run.hpp"
#include "golden.hpp"

TEST_SUITE("prop-3.1") {
    TEST_CASE("01-spline-equivalence: canonical run against golden values") {
        const auto out = chapter_run::canonical(CH01_EXE, "01-spline-equivalence");
        const golden::json r =
            golden::read_json((out / "results" / "01-spline-equivalence.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/01-spline-equivalence.json") >= 8);
    }

    TEST_CASE("01-spline-equivalence: two runs give identical results") {
        chapter_run::check_deterministic<golden::json>(
            CH01_EXE, "01-spline-equivalence", "--M 1000 --M-list 500,1000 --M-equality 500");
    }
}

TEST_SUITE("prop-4.2") {
    TEST_CASE("03-window-width: canonical run against golden values") {
        const auto out = chapter_run::canonical(CH03_EXE, "03-window-width");
        const golden::json r =
            golden::read_json((out / "results" / "03-window-width.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/03-window-width.json") >= 6);
    }

    TEST_CASE("03-window-width: two runs give identical results") {
        chapter_run::check_deterministic<golden::json>(CH03_EXE, "03-window-width", "");
    }
}
