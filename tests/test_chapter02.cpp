// Chapter 02 as a whole: its canonical results against golden values (each with an independent
// reason) and against a second computation; and two runs give identical outputs.
#include "chapter_run.hpp"
#include "golden.hpp"
#include "sbias/gd.hpp"
#include "sbias/grid.hpp"
#include "sbias/metrics.hpp"
#include "sbias/signals.hpp"

#include <doctest/doctest.h>
#include <filesystem>

namespace fs = std::filesystem;

TEST_SUITE("prop-4.1") {
    TEST_CASE("02-gd-mask: canonical run against golden values and a second method") {
        const fs::path out = chapter_run::canonical(CH02_EXE, "02-gd-mask");
        const golden::json r = golden::read_json((out / "results" / "02-gd-mask.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/02-gd-mask.json") >= 5);
        CHECK(r.contains("max_rel_error_flow")); // SPEC.md's keys
        CHECK(r.contains("max_rel_error_closed_form"));

        // Second method, with no SVD: GD in kernel form (w_q = A^T c_q with
        // c_{q+1} = c_q + alpha (y - A A^T c_q)) and gradient flow through the eigenvectors of
        // K = A A^T: w = A^T Q diag((1 - exp(-alpha q lambda)) / lambda) Q^T y.
        const std::uint64_t N = r["run"]["parameters"]["N"], M = r["run"]["parameters"]["M"];
        const double sigma = r["run"]["parameters"]["sigma"];
        const arma::vec x = sbias::unit_grid(N);
        const arma::mat A =
            sbias::design_matrix(sbias::activation("tanh"), sigma, x, sbias::unit_grid(M));
        const arma::vec y = sbias::smooth_test_signal(x);
        const arma::mat K = A * A.t();
        arma::vec lambda;
        arma::mat Q;
        REQUIRE(arma::eig_sym(lambda, Q, K));
        const double alpha = 1.0 / lambda.max();
        CHECK(std::abs(alpha - r["alpha"].get<double>()) < 1e-12 * alpha);
        const std::vector<double> qs = r["q"].get<std::vector<double>>();
        const std::vector<double> err_flow = r["rel_error_flow"].get<std::vector<double>>();
        arma::vec c(N, arma::fill::zeros);
        std::size_t checked = 0;
        for (std::uint64_t q = 1; q <= 10000; ++q) {
            c += alpha * (y - K * c);
            if (q != 1 && q != 100 && q != 10000) continue;
            arma::vec gain(N);
            for (arma::uword i = 0; i < N; ++i)
                gain(i) =
                    lambda(i) > 0 ? -std::expm1(-alpha * q * lambda(i)) / lambda(i) : alpha * q;
            const arma::vec w_flow = A.t() * (Q * (gain % (Q.t() * y)));
            const double e = sbias::relative_error(w_flow, A.t() * c);
            const auto at = std::find(qs.begin(), qs.end(), double(q)) - qs.begin();
            REQUIRE(at < static_cast<long>(qs.size()));
            CAPTURE(q);
            CHECK(std::abs(e - err_flow[at]) <= 1e-6 * e);
            ++checked;
        }
        CHECK(checked == 3);
    }

    TEST_CASE("02-gd-mask: two runs give identical results") {
        chapter_run::check_deterministic<golden::json>(CH02_EXE, "02-gd-mask",
                                                       "--N 64 --M 128 --q-max 200");
    }
}
