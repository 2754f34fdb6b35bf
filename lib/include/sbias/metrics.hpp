// Error measures.
#pragma once

#include <armadillo>

namespace sbias {

/// PSNR with peak 1: 10 log10(1 / mean((f - y)^2)); +infinity when f == y.
double psnr(const arma::vec& f, const arma::vec& y);

/// ||a - ref|| / ||ref|| (2-norms); |a - ref| when ref is zero.
double relative_error(const arma::vec& a, const arma::vec& ref);

/// Least-squares slope of y against x (same length, at least two distinct x).
double linear_slope(const arma::vec& x, const arma::vec& y);

/// Least-squares slope of log(y) against log(x): the exponent p of y ~ x^p (x, y > 0).
double loglog_slope(const arma::vec& x, const arma::vec& y);

/// p in s_k ~ (k + 1/2)^-p, fitted by loglog_slope over k in [from, to] (inclusive).
double decay_exponent(const arma::vec& s, arma::uword from, arma::uword to);

/// Spearman's rank correlation: the Pearson correlation of the ranks of a and b (tied values
/// share their mean rank). a and b have the same length, at least 2. Values within tie_rel
/// (relative) of the smallest of their run count as tied, so that quantities equal in exact
/// arithmetic but computed along different paths are not ordered by their rounding.
double spearman(const arma::vec& a, const arma::vec& b, double tie_rel = 0.0);

/// How much two K-dimensional subspaces share: ||Q1^T Q2||_F^2 / K for orthonormal bases Q1, Q2
/// (N x K each), the mean squared cosine of the principal angles: 1 for the same subspace, 0 for
/// orthogonal ones.
double subspace_overlap(const arma::mat& Q1, const arma::mat& Q2);

/// n points spaced evenly in log10 from lo to hi, both included (lo, hi > 0).
arma::vec logspace(double lo, double hi, arma::uword n);

} // namespace sbias
