// Singular values and singular vectors of the design matrix, with one sign convention.
#pragma once

#include <armadillo>

namespace sbias {

/// A = U diag(s) V^T, thin: U is N x r, s has r = min(N, M) entries in descending order, V is M x
/// r.
struct Svd {
    arma::mat U;
    arma::vec s;
    arma::mat V;
};

/// All singular values of A, descending (LAPACK divide and conquer).
arma::vec singular_values(const arma::mat& A);

/// The thin SVD of A (LAPACK dgesdd), with signs fixed by fix_signs().
Svd thin_svd(const arma::mat& A);

/// The project's one sign convention for singular vectors: u_k is flipped (with v_k, so that
/// A = U S V^T still holds) until its largest-magnitude entry is positive; where two entries tie
/// in magnitude to rounding, the first one decides.
void fix_signs(arma::mat& U, arma::mat& V);

/// s_k / s_0, the "normalized singular values" of Fig. 3.
arma::vec normalized(const arma::vec& s);

} // namespace sbias
