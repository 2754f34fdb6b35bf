// Chapter 15 (leaving the lazy regime): the chapter's small run against golden values and the
// derivations (the lazy run needs exactly q(K) iterations; tau is the step multiplier tau^-2;
// ReLU's departure scales as sigma^-4), SPEC's keys, chapter 11 reproduced at gamma = tau = 1,
// determinism. The gradients and the two identities on trajectories are tested in
// test_feature_learning.cpp (label feature-learning).
#include "chapter_run.hpp"
#include "golden.hpp"

#include <cmath>
#include <string>

namespace ch15_test {
const char* const small_args =
    "--image " SHARED_DIR "/data/peppers.png --M 256 --K 2,4,8,16 --iterations 300 "
    "--gamma 1,1e6 --tau 1,1e-3 --sigma 4,8,1024";

/// The value of a run's series at iteration t (NaN if t was not recorded).
double at_iteration(const golden::json& series, const std::string& key, double t) {
    const auto& ts = series["t"];
    for (std::size_t i = 0; i < ts.size(); ++i)
        if (ts[i].get<double>() == t)
            return series[key][i].is_null() ? std::nan("") : series[key][i].get<double>();
    return std::nan("");
}
} // namespace ch15_test

TEST_SUITE("feature-learning-chapter") {
    TEST_CASE("15: a small run against golden values and the derivations") {
        const auto out = chapter_run::run(CH15_EXE, "15-small", ch15_test::small_args);
        const golden::json r =
            golden::read_json((out / "results" / "15-feature-learning.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/15-feature-learning.json") >= 5);
        // SPEC's keys and shapes.
        CHECK(r["gamma"].size() == 2);
        CHECK(r["tau"].size() == 2);
        CHECK(r["sigma"].size() == 3);
        for (const char* key : {"departure", "feature_drift"}) {
            CAPTURE(key);
            for (const char* a : {"tanh", "relu"}) {
                CHECK(r[key]["gamma"][a].size() == 2);
                CHECK(r[key]["tau"][a].size() == 2);
            }
            CHECK(r[key]["sigma"]["relu"].size() == 3);
            CHECK(!r[key]["sigma"].contains("tanh"));
        }
        for (const char* setting : {"gamma=1", "gamma=1e+06", "tau=1", "tau=0.001", "sigma=4"}) {
            CAPTURE(setting);
            REQUIRE(r["iterations_to_match"].contains(setting));
            CHECK(r["iterations_to_match"][setting]["relu"].size() == 4);
        }
        // The lazy run (gamma = tau = 1, chapter 11's) reaches the fixed-feature PSNR of q(K) in
        // exactly q(K) iterations wherever q(K) <= 300: Prop. 4.1, with the loss decreasing.
        const double T = r["iterations"];
        int lazy_checked = 0;
        for (const char* a : {"tanh", "relu"}) {
            const auto& q = r["fixed_features"][std::string(a) + "_sigma1024"]["q"];
            const auto& n = r["iterations_to_match"]["gamma=1"][a];
            const char* Ks[] = {"2", "4", "8", "16"};
            for (int k = 0; k < 4; ++k) {
                CAPTURE(a);
                CAPTURE(Ks[k]);
                const double qk = q[k];
                if (qk <= T) {
                    CHECK(n[Ks[k]].get<double>() == qk);
                    ++lazy_checked;
                } else {
                    CHECK(n[Ks[k]].is_null());
                }
            }
        }
        CHECK(lazy_checked >= 3);
        // ReLU's sigma: the sigma network is the sigma = 1 one with its inner step times
        // sigma^-4, and at small departure the departure is linear in that step: sigma 4 -> 8
        // divides it by 2^4 = 16.
        const double d4 = r["departure"]["sigma"]["relu"][0],
                     d8 = r["departure"]["sigma"]["relu"][1];
        CAPTURE(d4);
        CAPTURE(d8);
        CHECK(d4 < 1e-3);
        CHECK(d4 / d8 == doctest::Approx(16.0).epsilon(0.01));
        // The effective step labels every setting.
        CHECK(r["runs"]["tau=0.001"]["tanh"]["gamma_eff"].get<double>() ==
              doctest::Approx(1e6).epsilon(1e-12));
        CHECK(r["runs"]["sigma=4"]["relu"]["gamma_eff"].get<double>() ==
              doctest::Approx(std::pow(256.0, 4)).epsilon(1e-12));
    }

    TEST_CASE("15: gamma = tau = 1 and sigma = 1024 reproduce chapter 11") {
        // Chapter 11 trains the same network on the same even pixels (its held-out runs) and
        // scores it at each q(K) on the odd ones; chapter 15 records the same iterations.
        const auto o11 = chapter_run::run(CH11_EXE, "15-vs-11-a",
                                          "--image " SHARED_DIR "/data/peppers.png --M 256 "
                                          "--widths 128 --K 2,4,8,16 --cap 400 --width-cap 10");
        const auto o15 = chapter_run::run(CH15_EXE, "15-vs-11-b",
                                          "--image " SHARED_DIR "/data/peppers.png --M 256 "
                                          "--K 2,4,8,16 --iterations 400 --knobs gamma --gamma 1");
        const golden::json r11 =
            golden::read_json((o11 / "results" / "11-full-training.json").string());
        const golden::json r15 =
            golden::read_json((o15 / "results" / "15-feature-learning.json").string());
        int compared = 0;
        for (const char* a : {"tanh", "relu"}) {
            const auto& run11 = r11["runs"][std::string(a) + "_M256_heldout"];
            const auto& series = r15["runs"]["gamma=1"][a]["series"];
            for (std::size_t k = 0; k < 4; ++k) {
                if (run11["psnr_full"][k].is_null()) continue;
                const double q = run11["q"][k];
                CAPTURE(a);
                CAPTURE(q);
                // The same q(K): the same design matrix and samples.
                CHECK(r15["fixed_features"][std::string(a) + "_sigma1024"]["q"][k].get<double>() ==
                      q);
                // The network's held-out PSNR and the fixed-feature one, to rounding.
                CHECK(ch15_test::at_iteration(series, "psnr_heldout", q) ==
                      doctest::Approx(run11["psnr_full"][k].get<double>()).epsilon(1e-11));
                CHECK(ch15_test::at_iteration(series, "forecast_heldout", q) ==
                      doctest::Approx(run11["psnr_fixed"][k].get<double>()).epsilon(1e-11));
                // The departure on the held-out pixels: chapter 11's function_rel_diff (a small
                // number that is itself partly rounding: to 1e-6 of its value or 1e-13).
                const double d11 = run11["function_rel_diff"][k];
                CHECK(std::abs(ch15_test::at_iteration(series, "departure_heldout", q) - d11) <=
                      std::max(1e-6 * d11, 1e-13));
                ++compared;
            }
        }
        CHECK(compared >= 4);
    }

    TEST_CASE("15: two runs give identical results") {
        const std::string args =
            "--image " SHARED_DIR "/data/peppers.png --M 64 --K 2,4 --iterations 60 --gamma 1,1e9 "
            "--tau 1,0.01 --sigma 1,1024";
        chapter_run::check_deterministic<golden::json>(
            CH15_EXE, "15-feature-learning", args + " --threads 2", args + " --threads 1");
    }
}
