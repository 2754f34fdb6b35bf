// Chapters 04, 05, 07 and 09 as a whole, run in that order into one folder (05 reuses 04's cache,
// 07 and 09 read 04's results): canonical results against golden values, and determinism.
#include "chapter_run.hpp"
#include "golden.hpp"

namespace {
std::string results(const chapter_run::fs::path& out, const std::string& id) {
    return (out / "results" / (id + ".json")).string();
}
} // namespace

TEST_SUITE("reconstruction") {
    TEST_CASE("06: canonical run against golden values") {
        const auto out = chapter_run::canonical(CH06_EXE, "06-reconstruction",
                                                "--image " SHARED_DIR "/data/peppers.png");
        const golden::json r = golden::read_json(results(out, "06-reconstruction"));
        CHECK(golden::check(r, GOLDEN_DIR "/06-reconstruction.json") >= 10);
        for (const char* k :
             {"dst", "tanh_iterations", "relu_iterations", "sinc_iterations", "gauss_iterations",
              "tanh_scale", "relu_scale", "sinc_scale", "gauss_scale"})
            CHECK(r["psnr"][k].size() == r["K"].size()); // SPEC.md's keys, aligned with K
    }

    TEST_CASE("06: two runs give identical results on one thread and on two") {
        chapter_run::check_deterministic<golden::json>(
            CH06_EXE, "06-reconstruction",
            "--image " SHARED_DIR "/data/peppers.png --K 4,16 --M 300 --threads 1",
            "--image " SHARED_DIR "/data/peppers.png --K 4,16 --M 300 --threads 2");
    }
}

TEST_SUITE("spectra-chapters") {
    TEST_CASE("04 05 07 09: canonical runs against golden values") {
        // The build's results where they are canonical, else the four chapters run in order.
        auto out = chapter_run::build_results({{"04-spectra", CH04_EXE},
                                               {"05-dst-components", CH05_EXE},
                                               {"07-iteration-efficiency", CH07_EXE},
                                               {"09-fourier-penalty", CH09_EXE}});
        if (!out) {
            out = chapter_run::run(CH04_EXE, "spectral-canonical");
            chapter_run::run_into(CH05_EXE, *out);
            chapter_run::run_into(CH07_EXE, *out);
            chapter_run::run_into(CH09_EXE, *out);
        }
        const golden::json r09 = golden::read_json(results(*out, "09-fourier-penalty"));
        CHECK(golden::check(r09, GOLDEN_DIR "/09-fourier-penalty.json") >= 20);
        for (const char* k : {"decay_exponent", "penalty_exponent"})
            CHECK(r09[k].size() == 6); // SPEC.md's keys
        for (const char* k : {"prediction_max_rel_error", "prediction_constant", "q_ratio"})
            CHECK(r09[k].size() == 10);
        for (const char* K : {"10", "50", "100"})
            CHECK(r09["q_ratio"]["gauss30"].contains(K));
        CHECK(golden::check(golden::read_json(results(*out, "04-spectra")),
                            GOLDEN_DIR "/04-spectra.json") >= 8);
        CHECK(golden::check(golden::read_json(results(*out, "05-dst-components")),
                            GOLDEN_DIR "/05-dst-components.json") >= 5);
        CHECK(golden::check(golden::read_json(results(*out, "07-iteration-efficiency")),
                            GOLDEN_DIR "/07-iteration-efficiency.json") >= 3);
        // SPEC.md's keys
        const golden::json r04 = golden::read_json(results(*out, "04-spectra"));
        for (const char* k : {"heaviside", "tanh", "relu", "relu2", "gelu", "silu", "sinc15",
                              "sinc30", "gauss15", "gauss30"})
            CHECK(r04["normalized_singular_values"][k].size() == 200);
        const golden::json r05 = golden::read_json(results(*out, "05-dst-components"));
        for (const char* w : {"M5000", "M50"})
            for (const char* a : {"heaviside", "tanh", "relu", "relu2"})
                for (const char* k : {"0", "4", "5", "9"})
                    CHECK(r05["dst_similarity"][w][a].contains(k));
        const golden::json r07 = golden::read_json(results(*out, "07-iteration-efficiency"));
        CHECK(r07["iterations"].size() == 10);
    }

    TEST_CASE("04 05 07: two runs give identical results") {
        chapter_run::check_deterministic<golden::json>(CH04_EXE, "04-spectra",
                                                       "--N 400 --no-cache");
        chapter_run::check_deterministic<golden::json>(CH05_EXE, "05-dst-components",
                                                       "--N 400 --M-narrow 20 --no-cache");
    }
}
