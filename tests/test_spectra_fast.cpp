// The fast spectral path of chapters 04, 05 and 07: Toeplitz matrices applied by FFT, and
// Golub-Kahan-Lanczos for the leading singular triplets, against dense LAPACK.
#include "sbias/grid.hpp"
#include "sbias/lanczos.hpp"
#include "sbias/leading.hpp"
#include "sbias/metrics.hpp"
#include "sbias/spectra.hpp"
#include "sbias/toeplitz.hpp"
#include "tolerances.hpp"

#include "scratch.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace sbias;

TEST_SUITE("spectra-fast") {
    TEST_CASE("Toeplitz operator by FFT equals the dense design matrix") {
        const arma::uword n = 257;
        const arma::vec v = arma::linspace(-1.0, 2.0, n) % arma::cos(arma::linspace(0.0, 9.0, n));
        for (const auto& a : all_activations()) {
            const double sigma = default_sigma(a, n).value_or(15.0);
            const auto T = shared_grid_design(a, sigma, n);
            const arma::mat A = design_matrix(a, sigma, unit_grid(n), unit_grid(n));
            CAPTURE(a.name);
            // The dense matrix subtracts rounded grid points, the operator uses (i - j) / (n - 1):
            // they agree to rounding of the argument times sigma, about 1e-13 here.
            CHECK(arma::norm(T->dense() - A, "inf") <= 1e-12 * arma::norm(A, "inf"));
            CHECK(relative_error(T->apply(v), T->dense() * v) < 1e-13);
            CHECK(relative_error(T->apply_t(v), T->dense().t() * v) < 1e-13);
        }
    }

    TEST_CASE("Lanczos on a dense rectangular matrix equals LAPACK: values and vectors") {
        arma::mat A(300, 120);
        for (arma::uword j = 0; j < A.n_cols; ++j)
            for (arma::uword i = 0; i < A.n_rows; ++i)
                A(i, j) = std::exp(-std::abs(double(i) / 300 - double(j) / 120) * 7);
        const Svd ref = thin_svd(A);
        PartialSvdReport report;
        const Svd fast = partial_svd(matrix_operator(A), {40, 6, 1e-13, 7}, &report);
        CHECK(arma::abs(fast.s - ref.s.head(40)).max() <= 1e-12 * ref.s(0));
        for (arma::uword k = 0; k < 6; ++k) {
            CAPTURE(k);
            CHECK(std::abs(arma::dot(fast.U.col(k), ref.U.col(k))) > 1.0 - 1e-10);
            CHECK(arma::dot(fast.U.col(k), ref.U.col(k)) > 0.0); // same sign convention
        }
    }

    // The acceptance criterion of the fast path: every normalised value within 1e-8 relative, or
    // 1e-12 absolute, of a full LAPACK SVD of the same matrix.
    TEST_CASE("fast path against the dense path at N = 1000 for every spectrum of chapter 04") {
        const auto requests = figure3_requests(1000);
        const auto fast = leading_spectra(requests, {}, {}, 2);
        for (std::size_t i = 0; i < requests.size(); ++i) {
            const arma::vec dense = dense_singular_values(requests[i]);
            const arma::vec fn = fast[i].s / fast[i].s(0), dn = dense.head(200) / dense(0);
            CAPTURE(requests[i].label);
            int bad = 0;
            for (arma::uword k = 0; k < 200; ++k) {
                const double err = std::abs(fn(k) - dn(k));
                if (!(err <= 1e-8 * dn(k) || err <= 1e-12)) ++bad;
            }
            CHECK(bad == 0);
            CHECK(fast[i].method == "lanczos-fft");
        }
    }

    TEST_CASE("Heaviside components are exactly sin((2k+1)(i+1) pi / (2N+1))") {
        const arma::uword n = 1000;
        const auto sp =
            leading_spectra({{"heaviside", 1.0, n, n, 200, 10, "heaviside"}}, {}, {}, 1);
        for (arma::uword k = 0; k < 10; ++k) {
            arma::vec e(n);
            for (arma::uword i = 0; i < n; ++i)
                e(i) = std::sin((2.0 * k + 1.0) * (i + 1.0) * M_PI / (2.0 * n + 1.0));
            CAPTURE(k);
            CHECK(1.0 - std::abs(arma::dot(sp[0].U.col(k), e)) / arma::norm(e) < 1e-13);
        }
    }

    TEST_CASE("an odd activation on a shared grid gives paired singular values") {
        // tanh(sigma (x_i - x_j)) = -tanh(sigma (x_j - x_i)): A is skew-symmetric, so its nonzero
        // singular values come in equal pairs.
        const arma::uword n = 600;
        const arma::vec s = dense_singular_values({"tanh", double(n), n, n, 200, 10, "tanh"});
        for (arma::uword j = 0; j + 1 < 100; j += 2)
            CHECK(std::abs(s(j) - s(j + 1)) <= 1e-12 * s(0));
        CHECK(std::abs(s(1) - s(2)) > 0.1 * s(0)); // and distinct pairs are far apart
    }

    TEST_CASE("cache: a hit returns what the miss computed and a changed key misses") {
        const std::filesystem::path dir = scratch_dir::path("cache");
        std::filesystem::remove_all(dir);
        SpectrumRequest r{"relu", 1.0, 300, 300, 50, 4, "relu"};
        std::vector<std::string> log;
        const auto first = leading_spectra(
            {r}, dir, [&](const std::string& l) { log.push_back(l); }, 1);
        const auto second = leading_spectra(
            {r}, dir, [&](const std::string& l) { log.push_back(l); }, 1);
        CHECK(!first[0].cache_hit);
        CHECK(second[0].cache_hit);
        CHECK(arma::approx_equal(first[0].s, second[0].s, "absdiff", 0.0));
        CHECK(arma::approx_equal(first[0].U, second[0].U, "absdiff", 0.0));
        REQUIRE(log.size() == 2);
        CHECK(log[0].rfind("cache miss", 0) == 0);
        CHECK(log[1].rfind("cache hit", 0) == 0);
        r.sigma = 2.0;
        CHECK(!leading_spectra({r}, dir, {}, 1)[0].cache_hit);
        std::filesystem::remove_all(dir);
    }

    TEST_CASE("cache: a corrupted entry of the same size is detected and recomputed") {
        const std::filesystem::path dir = scratch_dir::path("cache");
        std::filesystem::remove_all(dir);
        const SpectrumRequest r{"tanh", 300.0, 300, 300, 40, 3, "tanh"};
        const auto first = leading_spectra({r}, dir, {}, 1);
        // Overwrite 8 bytes inside each payload file in turn (same size, a value becomes 0.0).
        for (const char* ext : {".s.bin", ".U.bin"}) {
            std::filesystem::path file;
            for (const auto& e : std::filesystem::directory_iterator(dir))
                if (e.path().string().size() > 6 &&
                    e.path().string().compare(e.path().string().size() - 6, 6, ext) == 0)
                    file = e.path();
            REQUIRE(!file.empty());
            const auto size = std::filesystem::file_size(file);
            {
                std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
                f.seekp(static_cast<std::streamoff>(size - 8 * 7));
                const double zero = 0.0;
                f.write(reinterpret_cast<const char*>(&zero), sizeof zero);
            }
            CHECK(std::filesystem::file_size(file) == size);
            std::vector<std::string> log;
            const auto again = leading_spectra(
                {r}, dir, [&](const std::string& l) { log.push_back(l); }, 1);
            CAPTURE(ext);
            CHECK(!again[0].cache_hit);
            REQUIRE(log.size() == 1);
            CHECK(log[0].find("corrupt") != std::string::npos);
            CHECK(arma::approx_equal(first[0].s, again[0].s, "absdiff", 0.0));
            CHECK(arma::approx_equal(first[0].U, again[0].U, "absdiff", 0.0));
            // Replaced: the next read is a clean hit.
            CHECK(leading_spectra({r}, dir, {}, 1)[0].cache_hit);
        }
        std::filesystem::remove_all(dir);
    }
}
