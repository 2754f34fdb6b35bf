// Chapter 13 (accelerated shrinkage): the chapter run against golden values and a second
// computation of GD's counts, SPEC's keys, determinism. The masks and recurrences themselves are
// tested in test_accelerated.cpp (label accelerated).
#include "chapter_run.hpp"
#include "golden.hpp"

#include "sbias/activations.hpp"
#include "sbias/grid.hpp"

#include <cmath>

namespace ch13_test {
/// Chapter 04 at a small N: the spectra chapter 13 extends Fig. 8 with.
chapter_run::fs::path small_spectra_13(const std::string& name) {
    return chapter_run::run(CH04_EXE, name, "--N 400 --values 100 --no-cache");
}
} // namespace ch13_test

TEST_SUITE("accelerated-chapter") {
    TEST_CASE("13: the canonical matrices against golden values and a second computation") {
        using namespace sbias;
        // The build's canonical results, else chapter 13 on a small chapter 04 (the golden values
        // hold for both: chapter 13's own matrices are the same; the spectra only extend Fig. 8).
        auto spec =
            chapter_run::build_results({{"04-spectra", CH04_EXE}, {"13-accelerated", CH13_EXE}});
        if (!spec) {
            spec = ch13_test::small_spectra_13("13-spectra");
            chapter_run::run_into(CH13_EXE, *spec,
                                  "--image " SHARED_DIR "/data/peppers.png --adam-iterations 200");
        }
        const golden::json r =
            golden::read_json((*spec / "results" / "13-accelerated.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/13-accelerated.json") >= 6);
        // GD's count is Prop. 4.2's q(K) = ceil((s_0/s_{K-1})^2) (chapter 07's q, rounded up): here
        // from the eigenvalues of A A^T (dsyevd), a second computation of the singular values.
        const arma::vec x = unit_grid(256), b = unit_grid(1024);
        for (const char* name : {"tanh", "relu"}) {
            const Activation& eta = activation(name);
            const arma::mat A = design_matrix(eta, *default_sigma(eta, 1024), x, b);
            const arma::vec lam = arma::reverse(arma::eig_sym(A * A.t()));
            for (int K : {8, 16, 32, 64, 128}) {
                CAPTURE(name);
                CAPTURE(K);
                const double q = lam(0) / lam(K - 1);
                const double n_gd = r["iterations_to_keep"]["gd"][name][std::to_string(K)];
                // The ceiling of a value known to ~1e-6 relative (eig of the Gram at ReLU's K =
                // 128).
                CHECK(std::abs(n_gd - std::ceil(q)) <= std::max(1.0, 1e-6 * q));
                for (const char* m : {"heavy_ball", "nesterov", "chebyshev"}) {
                    CAPTURE(m);
                    const double n = r["iterations_to_keep"][m][name][std::to_string(K)];
                    CHECK(n >= 1.0);
                    CHECK(n <= n_gd);
                    // Accelerated: about sqrt(q) iterations (constant ~0.8-1.7 for these tunings).
                    if (q > 1e4) CHECK(n <= 3.0 * std::sqrt(q));
                }
            }
        }
        for (const char* m : {"gd", "heavy_ball", "nesterov", "chebyshev"}) {
            CAPTURE(m);
            CHECK(r["psnr"][m]["tanh"].size() == 5);
            CHECK(r["heldout_psnr"][m]["relu"].size() == 5);
            CHECK(r["mask_vs_iterates_max_rel_diff"].contains(m));
        }
        CHECK(r["adam"].contains("spearman_k_halfway"));
    }

    TEST_CASE("13: two runs give identical results") {
        const auto spec = ch13_test::small_spectra_13("13-spectra-det");
        const std::string args =
            "--image " SHARED_DIR
            "/data/peppers.png --M 300 --K 4,8,16 --K-show 8 --adam-iterations 60 "
            "--adam-components 16 --check-max 100 --spectra " +
            (spec / "results" / "04-spectra.json").string();
        chapter_run::check_deterministic<golden::json>(
            CH13_EXE, "13-accelerated", args + " --threads 2", args + " --threads 1");
    }
}
