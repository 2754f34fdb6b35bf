// The thin products' kernels (lib/thin_products.hpp): OpenBLAS's chunking of a sum, worked out by
// hand from its level-3 driver's rule, and thin_tn bit for bit against a scalar model of the
// arithmetic it documents, and within rounding of Armadillo's product.
#include "sbias/thin_products.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

using namespace sbias;

namespace {

using Chunks = KChunks;

/// H = A^T W entry by entry: within each chunk one FMA chain in order of the rows, then the
/// chunk's sum added to the entry (which starts at +0).
arma::mat scalar_tn(const arma::mat& A, const arma::mat& W) {
    const arma::uword j = A.n_cols;
    arma::mat H(j, W.n_cols);
    const Chunks chunks = blas_k_chunks(W.n_rows);
    for (arma::uword i = 0; i < j; ++i)
        for (arma::uword c = 0; c < W.n_cols; ++c) {
            double total = 0.0;
            for (const auto& chunk : chunks) {
                double acc = 0.0;
                for (arma::uword r = chunk.first; r < chunk.first + chunk.second; ++r)
                    acc = std::fma(A(r, i), W(r, c), acc);
                total += acc;
            }
            H(i, c) = total;
        }
    return H;
}

} // namespace

TEST_SUITE("thin-products") {
    TEST_CASE("A sum over K is split as OpenBLAS's single-threaded level-3 driver splits it") {
        // GEMM_Q = 256 while 512 or more remain; between 257 and 511, half rounded up to a
        // multiple of 4 (GEMM_UNROLL_M); then the rest.
        CHECK(blas_k_chunks(0).empty());
        CHECK(blas_k_chunks(1) == Chunks{{0, 1}});
        CHECK(blas_k_chunks(256) == Chunks{{0, 256}});
        CHECK(blas_k_chunks(257) == Chunks{{0, 128}, {128, 129}}); // half: 128, a multiple of 4
        CHECK(blas_k_chunks(300) == Chunks{{0, 152}, {152, 148}}); // half: 150 -> 152
        CHECK(blas_k_chunks(511) == Chunks{{0, 256}, {256, 255}}); // half: 255 -> 256
        CHECK(blas_k_chunks(513) == Chunks{{0, 256}, {256, 128}, {384, 129}});
        CHECK(blas_k_chunks(1000) == Chunks{{0, 256}, {256, 256}, {512, 244}, {756, 244}});
    }

    TEST_CASE("thin_tn rounds as its scalar model and agrees with Armadillo's product") {
        // b = 1, 4, 5, 10, 16: one to four vectors of W's row; j = 7 and 9: the last group of Q's
        // columns a part group; N = 300 (two chunks) and 1001 (four).
        arma::arma_rng::set_seed(7);
        for (arma::uword N : {300, 1001})
            for (arma::uword b : {1, 4, 5, 10, 16})
                for (arma::uword j : {7, 9}) {
                    CAPTURE(N);
                    CAPTURE(b);
                    CAPTURE(j);
                    // A the first j columns of a wider Q, seen in place (as Lanczos's basis).
                    arma::mat Q(N, j + 3, arma::fill::randn);
                    const arma::mat W(N, b, arma::fill::randn), A(Q.memptr(), N, j, false, true);
                    const arma::mat H = thin_tn(A, W);
                    const arma::mat expected = Q.cols(0, j - 1).t() * W;
                    REQUIRE(H.n_rows == j);
                    REQUIRE(H.n_cols == b);
                    CHECK(arma::abs(H - expected).max() <= 1e-13 * arma::abs(expected).max());
                    if (!thin_products_fused(b)) continue;
                    const arma::mat model = scalar_tn(A, W);
                    CHECK(std::memcmp(H.memptr(), model.memptr(), H.n_elem * sizeof(double)) == 0);
                }
        if (!avx2_fma_available()) MESSAGE("no AVX2 and FMA here: thin_tn takes its BLAS path");
    }

    TEST_CASE("thin_tn of no columns is empty and of mismatched shapes refused") {
        const arma::mat W(20, 3, arma::fill::ones);
        const arma::mat H = thin_tn(arma::mat(20, 0), W);
        CHECK(H.n_rows == 0);
        CHECK(H.n_cols == 3);
        CHECK_THROWS_AS(thin_tn(arma::mat(20, 2), arma::mat(19, 3)), std::invalid_argument);
        CHECK(thin_products_fused(17) == false); // wider than the kernels take: BLAS
    }
}
