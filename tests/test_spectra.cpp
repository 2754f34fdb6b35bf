#include "sbias/grid.hpp"
#include "sbias/spectra.hpp"
#include "tolerances.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace sbias;

TEST_SUITE("grid") {
    TEST_CASE("unit grid: endpoints exact and shared points identical") {
        const arma::vec x = unit_grid(5000);
        CHECK(x(0) == 0.0);
        CHECK(x(4999) == 1.0);
        CHECK(x(2500) == 2500.0 / 4999.0);
        CHECK(unit_grid(1).n_elem == 1);
        CHECK(unit_grid(1)(0) == 0.0);
    }

    TEST_CASE("design matrix entries") {
        const arma::vec x = unit_grid(4), b = unit_grid(3);
        const arma::mat A = design_matrix(activation("relu"), 2.0, x, b);
        REQUIRE(A.n_rows == 4);
        REQUIRE(A.n_cols == 3);
        for (arma::uword i = 0; i < 4; ++i)
            for (arma::uword j = 0; j < 3; ++j)
                CHECK(A(i, j) == std::max(2.0 * (x(i) - b(j)), 0.0));
    }

    TEST_CASE("whole numbers three per octave") {
        // 1, 1.26, 1.59, 2, 2.52, 3.17, 4, 5.04, 6.35, 8 -> 1, 2, 3, 4, 5, 6, 8.
        CHECK(octave_integers(1, 8, 3) == std::vector<long long>{1, 2, 3, 4, 5, 6, 8});
        // From 2: 2, 2.52, 3.17, 4, 5.04, 6.35, 8, 10.08, 12.7, 16.
        CHECK(octave_integers(2, 16, 3) == std::vector<long long>{2, 3, 4, 5, 6, 8, 10, 13, 16});
        CHECK(octave_integers(4, 3, 3).empty());
    }
}

TEST_SUITE("spectra") {
    // On a shared grid the Heaviside design matrix is the lower-triangular ones matrix L. L L^T has
    // entries min(i, j) + 1, whose eigenpairs are known: singular values
    // 1 / (2 sin((2k+1) pi / (2(2n+1)))) and left singular vectors sin((2k+1)(i+1) pi / (2n+1)).
    TEST_CASE(
        "Heaviside on a shared grid: the lower-triangular ones matrix with its closed-form SVD") {
        const arma::uword n = 500;
        const arma::vec x = unit_grid(n);
        const arma::mat A = design_matrix(activation("heaviside"), 1.0, x, x);
        CHECK(arma::approx_equal(A, arma::trimatl(arma::ones(n, n)), "absdiff", 0.0));

        const arma::vec s = singular_values(A);
        double worst = 0.0;
        for (arma::uword k = 0; k < n; ++k) {
            const double exact =
                1.0 / (2.0 * std::sin((2.0 * k + 1.0) * M_PI / (2.0 * (2.0 * n + 1.0))));
            worst = std::max(worst, std::abs(s(k) - exact) / exact);
        }
        CHECK(worst < tol::svd_values);

        const Svd svd = thin_svd(A);
        CHECK(arma::approx_equal(svd.s, s, "reldiff", 1e-13));
        for (arma::uword k : {0u, 1u, 4u, 5u, 9u, 100u}) {
            CAPTURE(k);
            arma::vec ref(n);
            for (arma::uword i = 0; i < n; ++i)
                ref(i) = std::sin((2.0 * k + 1.0) * (i + 1.0) * M_PI / (2.0 * n + 1.0));
            const double cosine = std::abs(arma::dot(svd.U.col(k), ref)) / arma::norm(ref);
            CHECK(1.0 - cosine < tol::svd_vectors);
        }
    }

    TEST_CASE(
        "sign convention: largest-magnitude entry of each u_k positive and A = U S V^T kept") {
        const arma::vec x = unit_grid(40);
        const arma::mat A = design_matrix(activation("tanh"), 60.0, x, unit_grid(60));
        const Svd svd = thin_svd(A);
        for (arma::uword k = 0; k < svd.U.n_cols; ++k) {
            const arma::uword i = arma::index_max(arma::abs(svd.U.col(k)));
            CHECK(svd.U(i, k) > 0.0);
        }
        const arma::mat R = svd.U * arma::diagmat(svd.s) * svd.V.t();
        CHECK(arma::norm(R - A, "fro") / arma::norm(A, "fro") < 1e-14);

        arma::mat U = -svd.U, V = -svd.V; // flipping both back restores the convention
        fix_signs(U, V);
        CHECK(arma::approx_equal(U, svd.U, "absdiff", 0.0));
        CHECK(arma::approx_equal(V, svd.V, "absdiff", 0.0));
    }

    TEST_CASE("normalized singular values start at 1 and descend") {
        const arma::vec s = {4.0, 2.0, 1.0};
        CHECK(arma::approx_equal(normalized(s), arma::vec{1.0, 0.5, 0.25}, "absdiff", 0.0));
    }
}
