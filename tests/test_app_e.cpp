// Appendix E (chapter 08): the 2D design matrices, the 2D DST reference and the roughness measure
// against identities that do not use the code under test, and the chapter's canonical run.
#include "chapter_run.hpp"
#include "golden.hpp"
#include "tolerances.hpp"

#include "sbias/activations.hpp"
#include "sbias/constants.hpp"
#include "sbias/grid.hpp"
#include "sbias/grid2d.hpp"
#include "sbias/spectra.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace sbias;

namespace {
using sbias::pi;

double max_rel_diff(const arma::mat& a, const arma::mat& b) {
    return arma::abs(a - b).max() / arma::abs(b).max();
}
} // namespace

TEST_SUITE("app-e") {
    TEST_CASE("rank-one design matrix equals the 1D ReLU matrix of the raster-ordered points") {
        const arma::uword n = 5, M = 40, N = n * n;
        const FirstLayer one = rank_one_layer(n, M);
        const arma::mat A = ridge_design_matrix(activation("relu"), square_grid(n), one.V, one.b);
        // Independent: point i = n row + col projects to (n row + col)/(n - 1) = i/(n - 1).
        arma::vec t(N);
        for (arma::uword i = 0; i < N; ++i)
            t(i) = static_cast<double>(i) / (n - 1);
        arma::mat A1(N, M);
        for (arma::uword i = 0; i < N; ++i)
            for (arma::uword j = 0; j < M; ++j)
                A1(i, j) = std::max(t(i) - one.b(j), 0.0);
        CHECK(max_rel_diff(A, A1) <= 4 * tol::ulps);
        // The biases cover the projected range [0, n + 1] evenly, both ends included.
        CHECK(one.b(0) == 0.0);
        CHECK(tol::close(one.b(M - 1), n + 1.0, tol::ulps));
        // Pixel (0, 0) projects to 0, where every relu(0 - b_j) vanishes: a zero row.
        CHECK(arma::abs(A.row(0)).max() == 0.0);
    }

    TEST_CASE("pixel units only rescale the rank-one matrix") {
        const arma::uword n = 6, M = 50;
        const Activation& relu = activation("relu");
        const FirstLayer unit = rank_one_layer(n, M), pix = rank_one_layer(n, M, true);
        const arma::mat A = ridge_design_matrix(relu, square_grid(n), unit.V, unit.b);
        const arma::mat P = ridge_design_matrix(relu, square_grid_pixels(n), pix.V, pix.b);
        CHECK(max_rel_diff(P, (n - 1.0) * A) <= 4 * tol::ulps);
        // Hence the same components and singular values scaled by n - 1.
        const Svd a = thin_svd(A), p = thin_svd(P);
        for (arma::uword k = 0; k < 5; ++k) {
            CHECK(tol::close(p.s(k), (n - 1.0) * a.s(k), tol::svd_values));
            CHECK(std::abs(arma::dot(a.U.col(k), p.U.col(k))) ==
                  doctest::Approx(1.0).epsilon(tol::svd_vectors));
        }
    }

    TEST_CASE(
        "full-rank layer: unit directions and biases inside each projected range from a seed") {
        const arma::mat X = square_grid(7);
        const FirstLayer a = random_layer(X, 200, 11), b = random_layer(X, 200, 11),
                         c = random_layer(X, 200, 12);
        CHECK(arma::approx_equal(a.V, b.V, "absdiff", 0.0));
        CHECK(arma::approx_equal(a.b, b.b, "absdiff", 0.0));
        CHECK(arma::abs(a.V - c.V).max() > 0.1);
        for (arma::uword j = 0; j < 200; ++j) {
            CHECK(std::abs(arma::norm(a.V.row(j)) - 1.0) <= tol::ulps * 4);
            const arma::vec p = X * a.V.row(j).t();
            CHECK(a.b(j) >= p.min());
            CHECK(a.b(j) <= p.max());
        }
        // Random directions in 2D: V has rank 2 (not the rank-one layer).
        CHECK(arma::rank(a.V) == 2);
    }

    TEST_CASE("2D DST order: by a + b then a and every prefix a lower set") {
        const auto order = dst2d_order(10);
        const std::vector<std::pair<arma::uword, arma::uword>> expected = {
            {0, 0}, {0, 1}, {1, 0}, {0, 2}, {1, 1}, {2, 0}, {0, 3}, {1, 2}, {2, 1}, {3, 0}};
        CHECK(order == expected);
    }

    TEST_CASE("2D DST functions are orthonormal and keep each prefix's span") {
        const arma::uword n = 8, K = n * (n - 1) / 2; // the largest K with a, b <= n - 2
        const arma::mat Q = dst2d_orthonormal(n, K);
        CHECK(arma::abs(Q.t() * Q - arma::eye(K, K)).max() <= 1e-13);
        // The raw products sin(pi (a + 1/2) y) sin(pi (b + 1/2) x), written out here, lie in the
        // span of Q's first k columns for every k.
        const auto order = dst2d_order(K);
        for (arma::uword k = 0; k < K; ++k) {
            arma::vec f(n * n);
            for (arma::uword r = 0; r < n; ++r)
                for (arma::uword c = 0; c < n; ++c)
                    f(n * r + c) = std::sin(pi * (order[k].first + 0.5) * r / (n - 1.0)) *
                                   std::sin(pi * (order[k].second + 0.5) * c / (n - 1.0));
            const arma::mat Qk = Q.head_cols(k + 1);
            CHECK(arma::norm(f - Qk * (Qk.t() * f)) <= 1e-12 * arma::norm(f));
            // and dst2d_basis is the same function at unit norm
            CHECK(arma::norm(dst2d_basis(n, K).col(k) - f / arma::norm(f)) <= 1e-14);
        }
        // One more would need a 1D function that is dependent on the others (all vanish at 0).
        CHECK_THROWS(dst2d_orthonormal(n, K + n));
    }

    TEST_CASE("roughness and anisotropy of images with closed forms") {
        const arma::uword n = 9;
        arma::vec ramp(n * n), board(n * n);
        for (arma::uword r = 0; r < n; ++r)
            for (arma::uword c = 0; c < n; ++c) {
                ramp(n * r + c) = static_cast<double>(c);
                board(n * r + c) = (r + c) % 2 ? -1.0 : 1.0;
            }
        // Ramp along the columns: n (n - 1) unit steps horizontally, none vertically; the squared
        // norm is n sum c^2 = n (n - 1) n (2n - 1) / 6.
        const Roughness g = grid_roughness(ramp, n);
        CHECK(tol::close(g.gx, 6.0 / (n * (2.0 * n - 1.0)), tol::ulps * 10));
        CHECK(g.gy == 0.0);
        CHECK(std::isinf(g.anisotropy()));
        // Checkerboard: every neighbour difference is 2, norm^2 = n^2.
        const Roughness b = grid_roughness(board, n);
        CHECK(tol::close(b.gx, 4.0 * n * (n - 1) / (n * n), tol::ulps * 10));
        CHECK(b.anisotropy() == 1.0);
        // Separable unit-norm image a(row) b(col): gx = D(b), gy = D(a).
        arma::arma_rng::set_seed(5);
        arma::vec ua(n, arma::fill::randn), ub(n, arma::fill::randn);
        ua /= arma::norm(ua);
        ub /= arma::norm(ub);
        const auto D = [](const arma::vec& v) { return arma::accu(arma::square(arma::diff(v))); };
        const Roughness s =
            grid_roughness(arma::vectorise(ub * ua.t()), n); // (c, r) -> i = n r + c
        CHECK(tol::close(s.gx, D(ub), 1e-13));
        CHECK(tol::close(s.gy, D(ua), 1e-13));
    }

    TEST_CASE("08: canonical run against golden values") {
        const auto out = chapter_run::canonical(CH08_EXE, "08-multidimensional",
                                                "--image " SHARED_DIR "/data/peppers.png");
        const golden::json r =
            golden::read_json((out / "results" / "08-multidimensional.json").string());
        CHECK(golden::check(r, GOLDEN_DIR "/08-multidimensional.json") >= 14);
        // SPEC.md's keys and shapes.
        for (const char* v : {"rank_one", "full_rank", "dst"}) {
            for (int k = 0; k < 32; ++k) {
                CHECK(r["roughness"][v].contains(std::to_string(k)));
                CHECK(r["anisotropy"][v].contains(std::to_string(k)));
            }
            CHECK(r["spearman_k_roughness"].contains(v));
            for (const char* K : {"1", "3", "6", "10", "15"})
                CHECK(r["dst_overlap"][v].contains(K));
            CHECK(r["heldout_psnr"][v].size() == r["K"].size());
        }
        // The interpolant keeps every component the training matrix has: it fits the training
        // pixels (up to the one it cannot: pixel (0, 0) for rank-one), so held-out quality is a
        // property of the span alone and must be finite.
        CHECK(std::isfinite(r["heldout_psnr_interpolation"]["rank_one"].get<double>()));
        CHECK(std::isfinite(r["heldout_psnr_interpolation"]["full_rank"].get<double>()));
    }

    TEST_CASE("08: two runs give identical results on one thread and on two") {
        chapter_run::check_deterministic<golden::json>(
            CH08_EXE, "08-multidimensional",
            "--image " SHARED_DIR "/data/peppers.png --grid 16 --M 300 --check-M 400 "
            "--K 1,2,4,8,16 --K-show 8 --show-k 0,1,2,3 --threads 1",
            "--image " SHARED_DIR "/data/peppers.png --grid 16 --M 300 --check-M 400 "
            "--K 1,2,4,8,16 --K-show 8 --show-k 0,1,2,3 --threads 2");
    }
}
