// Matrix products with a thin factor (a few columns), in registers with AVX2 and FMA where the CPU
// has them (checked at run time), else by BLAS. H = Q^T W with W a Lanczos block of 10 columns
// (chapter 04's block iteration) is too thin for BLAS's packed GEMM: it copies all of Q into its
// packed format first, then multiplies; thin_tn streams four columns of Q at a time against W
// instead (chapter 04 at N = 20000: 10 % less CPU time). The other product of a projection,
// W -= Q (Q^T W), stays with BLAS: written the same way, row strips of Q against H, it was 20-40 %
// slower than OpenBLAS, which packs Q's column-major strips into contiguous panels first.
//
// Rounding: each entry is computed as the dgemm call it replaces computes it with single-threaded
// OpenBLAS on Haswell and Zen (the reference machine's and this project's hosts: checked bit for
// bit, twolayer.cpp and tests/test_thin_products.cpp): one FMA chain per entry in order of the
// summation index k, k split into the chunks of OpenBLAS's level-3 driver (blas_k_chunks), each
// chunk's sum added to the entry in turn. With another BLAS kernel or more BLAS threads the two
// differ in the last bits.
#pragma once

#include <armadillo>
#include <utility>
#include <vector>

namespace sbias {

/// Whether this CPU has AVX2 and FMA (the kernels below and in twolayer.cpp use them).
bool avx2_fma_available();

/// Ranges [start, start + length) of a sum's terms, in order.
using KChunks = std::vector<std::pair<arma::uword, arma::uword>>;

/// The chunks in which OpenBLAS's single-threaded level-3 driver (driver/level3/level3.c,
/// GEMM_Q = 256, GEMM_UNROLL_M = 4 on Haswell and Zen) splits a sum of K terms: 256 while at least
/// 512 remain, then halves rounded up to a multiple of 4 where more than 256 remain, then the rest.
KChunks blas_k_chunks(arma::uword K);

/// H = A^T W for A N x j (a view of a Lanczos basis's leading columns, say) and W N x b: j x b.
arma::mat thin_tn(const arma::mat& A, const arma::mat& W);

/// Whether thin_tn takes its AVX2 path for b columns (else BLAS).
bool thin_products_fused(arma::uword b);

} // namespace sbias
