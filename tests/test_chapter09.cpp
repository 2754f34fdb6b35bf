// Chapter 09 (Sahs et al.'s Fourier view): the closed forms the chapter leans on, each checked by
// a second method (dense SVD, a textbook constant, an independent computation), the prediction
// helpers on hand-made spectra, the scaling study at small N, determinism and bad input.
// The transforms themselves are checked against quadrature in test_fourier.cpp (label fourier).
#include "chapter_run.hpp"
#include "golden.hpp"
#include "tolerances.hpp"

#include "sbias/activations.hpp"
#include "sbias/constants.hpp"
#include "sbias/fourier.hpp"
#include "sbias/grid.hpp"
#include "sbias/leading.hpp"
#include "sbias/output.hpp"
#include "sbias/spectra.hpp"

#include <algorithm>
#include <cmath>
#include <sys/wait.h>

using namespace sbias;

namespace {
using sbias::pi;

/// Chapter 04 at a small N into a scratch folder: the input of the chapter 09 runs below.
chapter_run::fs::path small_spectra(const std::string& name) {
    return chapter_run::run(CH04_EXE, name, "--N 500 --values 120 --no-cache");
}

std::string spectra_of(const chapter_run::fs::path& out) {
    return (out / "results" / "04-spectra.json").string();
}
} // namespace

TEST_SUITE("sahs") {
    TEST_CASE("Heaviside: the discrete spectrum in closed form") {
        // A is the lower-triangular ones matrix; its inverse is the first difference D, and
        // D^T D = tridiag(-1, 2, -1) with a last diagonal entry 1, whose eigenvalues are
        // 4 sin^2((2k+1) pi / (2(2N+1))).
        for (arma::uword n : {2u, 7u, 300u}) {
            CAPTURE(n);
            const arma::vec s = singular_values(
                design_matrix(activation("heaviside"), 1.0, unit_grid(n), unit_grid(n)));
            REQUIRE(s.n_elem == n);
            for (arma::uword k = 0; k < n; ++k)
                CHECK(s(k) == doctest::Approx(
                                  1.0 / (2 * std::sin((2.0 * k + 1) * pi / (2 * (2.0 * n + 1)))))
                                  .epsilon(tol::svd_values));
        }
    }

    TEST_CASE("tanh's sign limit: a skew-symmetric matrix with paired values") {
        // sign(i - j) = sum_{m=1}^{N-1} P^m with P the anti-circulant shift (P^N = -I): its
        // singular values are |cot((2k+1) pi / 2N)|, k = 0..N-1, which pair up.
        for (arma::uword n : {6u, 301u}) {
            CAPTURE(n);
            arma::mat S(n, n);
            for (arma::uword i = 0; i < n; ++i)
                for (arma::uword j = 0; j < n; ++j)
                    S(i, j) = i > j ? 1.0 : (i < j ? -1.0 : 0.0);
            CHECK(arma::norm(S + S.t(), "inf") == 0.0);
            arma::vec expected(n);
            for (arma::uword k = 0; k < n; ++k)
                expected(k) = std::abs(1.0 / std::tan((2.0 * k + 1) * pi / (2.0 * n)));
            expected = arma::sort(expected, "descend");
            const arma::vec s = singular_values(S);
            CHECK(arma::abs(s - expected).max() <= tol::svd_values * expected(0));
            CHECK(s(0) == doctest::Approx(s(1)).epsilon(tol::svd_values)); // a pair
        }
    }

    TEST_CASE("Clamped-free first modes of order 2r") {
        CHECK(clamped_free_frequency(1) == doctest::Approx(pi / 2).epsilon(1e-14));
        // The cantilever beam: first root of cos b cosh b = -1 (textbook value 1.87510407).
        CHECK(clamped_free_frequency(2) == doctest::Approx(1.8751040687119611).epsilon(1e-12));
        const double b = clamped_free_frequency(2);
        CHECK(std::abs(std::cos(b) * std::cosh(b) + 1.0) < 1e-12);
        // Order 6: computed independently in Python (complex Gaussian elimination and bisection).
        CHECK(clamped_free_frequency(3) == doctest::Approx(2.2247729764011885).epsilon(1e-10));
        CHECK_THROWS_AS(clamped_free_frequency(0), std::invalid_argument);
        CHECK_THROWS_AS(clamped_free_frequency(5), std::invalid_argument);
    }

    TEST_CASE("Predicted spectra at the DST frequencies") {
        arma::vec w(50);
        for (arma::uword k = 0; k < w.n_elem; ++k)
            w(k) = dst_frequency(double(k));
        CHECK(w(0) == 0.25);
        CHECK(w(9) == 4.75);
        const arma::vec h = predicted_spectrum(activation("heaviside"), 1.0, w);
        const arma::vec r = predicted_spectrum(activation("relu"), 1.0, w);
        const arma::vec r2 = predicted_spectrum(activation("relu2"), 7.0, w); // sigma cancels
        const arma::vec g = predicted_spectrum(activation("gauss"), 15.0, w);
        for (arma::uword k = 0; k < w.n_elem; ++k) {
            const double odd = 2.0 * k + 1;
            CHECK(h(k) == doctest::Approx(1 / odd).epsilon(tol::ulps * 4));
            CHECK(r(k) == doctest::Approx(1 / (odd * odd)).epsilon(tol::ulps * 4));
            CHECK(r2(k) == doctest::Approx(1 / (odd * odd * odd)).epsilon(tol::ulps * 8));
            CHECK(
                g(k) ==
                doctest::Approx(std::exp(-pi * (w(k) * w(k) - w(0) * w(0)) / 225)).epsilon(1e-13));
        }
        // sinc at sigma = 15: 1 inside the band omega < 7.5 (k <= 14), 0 beyond.
        const arma::vec s = predicted_spectrum(activation("sinc"), 15.0, w);
        CHECK(s(14) == 1.0);
        CHECK(s(15) == 0.0);
    }

    TEST_CASE("The one-constant fit: constant and largest error") {
        const arma::vec p = {1.0, 0.5, 0.25, 0.125, 0.0625};
        const auto exact = fit_prediction(3.0 * p, p, 1, 5);
        CHECK(exact.constant == doctest::Approx(3.0).epsilon(1e-15));
        CHECK(exact.max_rel_error < 1e-15);
        // One point 10 % high: c = 3 * 1.1^(1/4) (geometric mean over four points); the worst
        // relative error is at that point, 1 - 1.1^(1/4) / 1.1 (the others are off by
        // 1.1^(1/4) - 1, less).
        arma::vec m = 3.0 * p;
        m(2) *= 1.1;
        const auto off = fit_prediction(m, p, 1, 5);
        CHECK(off.constant == doctest::Approx(3.0 * std::pow(1.1, 0.25)).epsilon(1e-14));
        CHECK(off.max_rel_error == doctest::Approx(1 - std::pow(1.1, 0.25) / 1.1).epsilon(1e-12));
        // A zero prediction scores an error of 1 and does not enter the constant.
        arma::vec pz = p;
        pz(4) = 0.0;
        const auto zero = fit_prediction(3.0 * p, pz, 1, 5);
        CHECK(zero.constant == doctest::Approx(3.0).epsilon(1e-15));
        CHECK(zero.max_rel_error == 1.0);
        const auto none = fit_prediction(3.0 * p, arma::vec(5, arma::fill::zeros), 1, 5);
        CHECK(std::isnan(none.constant));
        CHECK(none.max_rel_error == 1.0);
        CHECK_THROWS_AS(fit_prediction(p, p, 3, 3), std::invalid_argument);
        CHECK_THROWS_AS(fit_prediction(p, p, 1, 6), std::invalid_argument);
    }

    TEST_CASE("Heaviside's prediction error is the continuum's theta^2 / 24") {
        // The exact discrete spectrum against the continuum 1 / omega: the relative gap grows
        // like theta^2 / 24 with theta = (2k + 1) pi / (2N + 1); after the best constant it lies
        // below the gap at the last k and above a quarter of it.
        const arma::uword n = 5000, from = 10, to = 100;
        arma::vec exact(to), w(to);
        for (arma::uword k = 0; k < to; ++k) {
            exact(k) = std::sin(pi / (2 * (2.0 * n + 1))) /
                       std::sin((2.0 * k + 1) * pi / (2 * (2.0 * n + 1)));
            w(k) = dst_frequency(double(k));
        }
        const auto fit =
            fit_prediction(exact, predicted_spectrum(activation("heaviside"), 1.0, w), from, to);
        const double theta = (2.0 * (to - 1) + 1) * pi / (2.0 * n + 1);
        CHECK(fit.max_rel_error < theta * theta / 24);
        CHECK(fit.max_rel_error > theta * theta / 24 / 4);
    }

    TEST_CASE("09: the error falls like N^-2 where the transform is a power law") {
        const auto in = small_spectra("09-scaling-04");
        const auto out = chapter_run::run(CH09_EXE, "09-scaling",
                                          "--spectra " + spectra_of(in) +
                                              " --N-scaling 500,1000,2000 --no-cache");
        const json r = golden::read_json((out / "results" / "09-fourier-penalty.json").string());
        const json& e = r["n_scaling"]["prediction_max_rel_error"];
        REQUIRE(r["n_scaling"]["N"].size() == 3);
        // Four times the grid: 16 times smaller, allowing for the boundary's share.
        for (const char* l : {"heaviside", "relu", "tanh_paired"}) {
            CAPTURE(l);
            CHECK(e[l][0].get<double>() / e[l][2].get<double>() > 10.0);
        }
        // Structural failures do not move: tanh at the DST frequencies, sinc beyond its band.
        for (int i = 0; i < 3; ++i) {
            CHECK(e["tanh"][i].get<double>() > 0.04);
            CHECK(e["sinc15"][i].get<double>() == 1.0);
        }
        // At N = 500 the read spectra and the constants of the power laws as at N = 5000.
        CHECK(r["prediction_constant"]["relu"].get<double>() ==
              doctest::Approx(std::pow(2 * 1.8751040687119611 / pi, 2)).epsilon(1e-2));
    }

    TEST_CASE("09: every activation of the library appears in chapters 04 and 09") {
        // Chapters 04 and 09 take their matrices from the library's activation table
        // (figure3_requests over all_activations()): an activation added there appears in both
        // outputs with no other edit. Checked for every entry of the table as it stands.
        const auto in =
            chapter_run::run(CH04_EXE, "09-extend-04", "--N 300 --values 60 --no-cache");
        const auto out = chapter_run::run(CH09_EXE, "09-extend",
                                          "--spectra " + spectra_of(in) +
                                              " --from 5 --to 40 --fit-from 5 --K 10,20,30 "
                                              "--N-scaling 300 --no-cache");
        const json r04 = golden::read_json(spectra_of(in));
        const json r09 = golden::read_json((out / "results" / "09-fourier-penalty.json").string());
        const auto requests = figure3_requests(300, {15, 30});
        CHECK(requests.size() >= all_activations().size());
        for (const Activation& a : all_activations()) {
            CAPTURE(a.name);
            bool found = false;
            for (const auto& q : requests)
                if (q.activation == a.name) {
                    found = true;
                    CHECK(r04["normalized_singular_values"].contains(q.label));
                    CHECK(r09["prediction_max_rel_error"].contains(q.label));
                    CHECK(r09["prediction_constant"].contains(q.label));
                    CHECK(!q.word.empty());
                }
            CHECK(found);
            if (default_sigma(a, 300)) CHECK(r09["decay_exponent"].contains(std::string(a.name)));
        }
        CHECK(macro_word("relu2") == "Relutwo");
        CHECK(macro_word("sinc") == "Sinc");
        CHECK(macro_word("2d_x") == "Twodx");
    }

    TEST_CASE("09: two runs give identical results") {
        const auto in = small_spectra("09-determinism-04");
        chapter_run::check_deterministic<json>(CH09_EXE, "09-fourier-penalty",
                                               "--spectra " + spectra_of(in) +
                                                   " --N-scaling 500,700 --no-cache");
    }

    TEST_CASE("09: bad ranges against a valid chapter 04 give one line and write nothing") {
        const auto in = small_spectra("09-bad-04");
        const struct {
            const char* args;
            const char* says;
        } cases[] = {{"--to 500", "the range"},
                     {"--from 0", "the range"},
                     {"--from 60 --to 61", "the range"},
                     {"--fit-from 119", "fit-from"},
                     {"--K 0,10", "each K"},
                     {"--K 121", "each K"},
                     {"--N-scaling 50", "N-scaling"},
                     {"--threads 0", "threads"}};
        for (const auto& c : cases) {
            CAPTURE(c.args);
            const auto out = in.parent_path() / "09-bad-out";
            const auto err = in.parent_path() / "09-bad-stderr";
            const std::string cmd = std::string(CH09_EXE) + " --out " + out.string() +
                                    " --spectra " + spectra_of(in) + " " + c.args + " 2>" +
                                    err.string();
            const int status = std::system(cmd.c_str());
            CHECK(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 2);
            const std::string message = chapter_run::slurp(err);
            CHECK(std::count(message.begin(), message.end(), '\n') == 1);
            CHECK(message.rfind("ch09_fourier_penalty: error: ", 0) == 0);
            CHECK(message.find(c.says) != std::string::npos);
            CHECK_FALSE(chapter_run::fs::exists(out / "results" / "09-fourier-penalty.json"));
        }
    }
}
