// Leading singular triplets of an operator known only through A v and A^T v.
#pragma once

#include "sbias/spectra.hpp"

#include <armadillo>
#include <functional>

namespace sbias {

struct LinearOperator {
    arma::uword rows = 0, cols = 0;
    std::function<arma::vec(const arma::vec&)> apply;   ///< A v
    std::function<arma::vec(const arma::vec&)> apply_t; ///< A^T u
    /// A V and A^T U for several columns at once (the block iteration's products). Optional: where
    /// empty, partial_svd applies apply / apply_t column by column.
    std::function<arma::mat(const arma::mat&)> apply_block = {};
    std::function<arma::mat(const arma::mat&)> apply_t_block = {};
};

struct PartialSvdOptions {
    arma::uword values = 200; ///< how many leading singular values
    arma::uword vectors = 10; ///< how many leading singular vectors (<= values)
    /// Stop when every wanted Ritz triplet has residual ||A^T u - s v|| <= tol * s_0; that bounds
    /// the error of each value by tol * s_0 (and in practice by its square over the gap).
    double tol = 1e-13;
    unsigned long long seed = 1; ///< of the random start vector
    /// Block size b of the Golub-Kahan-Lanczos iteration. 1: the single-vector iteration. b > 1:
    /// block Golub-Kahan-Lanczos, b vectors per step, reorthogonalised with matrix-matrix products
    /// (BLAS 3) instead of matrix-vector ones: faster where the bases no longer fit in cache (the
    /// single-vector reorthogonalisation is then bound by memory bandwidth), although it may need
    /// more steps (chapter 04's spectra, 200 values, b = 10: 1.15 to 1.4 times as many, or fewer
    /// where the spectrum falls to rounding level); the same test, so the same values to about
    /// tol * s_0. Where the Krylov space would not fit in min(rows, cols) with a block to spare,
    /// the single-vector iteration runs instead (PartialSvdReport::block says which ran).
    arma::uword block = 1;
};

/// What the iteration did, for logs and the manifest.
struct PartialSvdReport {
    arma::uword steps = 0;
    double max_residual = 0.0; ///< largest residual of the wanted triplets, relative to s_0
    arma::uword block = 1;     ///< the block size that ran (1 after a fallback)
    /// The block iteration's projections of a new block against a basis, and how many of them
    /// subtracted nothing: every component measured at the rounding level of its dot product.
    arma::uword projections = 0, projections_skipped = 0;
};

/// Golub-Kahan-Lanczos bidiagonalisation with full reorthogonalisation: A V_m = U_m B_m with B_m
/// upper bidiagonal (block upper bidiagonal for options.block > 1); the SVD of B_m gives Ritz
/// triplets. Works on A itself, not A^T A, so the small singular values keep their relative
/// accuracy; the iteration is extended (in steps of 25; for b > 1 by the number of unconverged
/// triplets, at most 25, in whole blocks) until the wanted triplets have converged (or the Krylov
/// space is the whole space, where the result is exact). The report's `steps` is the dimension m
/// of the Krylov space. Signs follow fix_signs(). Returns s (values), U and V (vectors columns).
Svd partial_svd(const LinearOperator& A, const PartialSvdOptions& options,
                PartialSvdReport* report = nullptr);

/// The same for an explicit matrix (tests compare it with the dense SVD).
LinearOperator matrix_operator(const arma::mat& A);

} // namespace sbias
