// Shrinkage masks m(s): a regularised least-squares solution is w = V diag(m(s) / s) U^T y
// (Eq. 7 with s_hat^-1 = m(s) s^-1, Eqs. 8, 9, 14).
#pragma once

#include <armadillo>

namespace sbias {

/// Ridge, Eq. 8: m(s) = s^2 / (s^2 + lambda).
double mask_ridge(double s, double lambda);

/// PCA regression (hard threshold), Eq. 10: m(s) = 1 if s >= kappa, else 0.
double mask_pca(double s, double kappa);

/// Gradient descent, exact (Eq. 29): m(s; alpha, q) = 1 - (1 - alpha s^2)^q, evaluated as
/// -expm1(q log1p(-alpha s^2)) so that it keeps full relative precision where alpha s^2 is far
/// below machine epsilon and q is as large as 1e15 or more. For alpha s^2 > 1 (a step too large
/// for that component) q must be a whole number and the plain power is used: m may then leave
/// [0, 1] and grow without bound when alpha s^2 > 2, as GD itself diverges.
double mask_gd(double s, double alpha, double q);

/// The same mask as a function of c = alpha s^2 (mask_gd is mask_gd_c(alpha s^2, q)), for a
/// caller that has the eigenvalue s^2 rather than s (gd_closed_form). A c slightly below 0, which
/// rounding can leave there, takes the -expm1 branch like any c < 1.
double mask_gd_c(double c, double q);

/// The same mask written as the paper prints it, 1 - pow(1 - alpha s^2, q): for alpha s^2 below
/// about 1e-16, 1 - alpha s^2 rounds to 1 and the mask to 0; its relative error is about
/// eps / (alpha s^2). Kept to measure that loss (chapter 02), never used for results.
double mask_gd_naive(double s, double alpha, double q);

/// Gradient flow, Eq. 15 / Eq. 34: m(s; alpha, q) = 1 - exp(-alpha q s^2).
double mask_flow(double s, double alpha, double q);

/// sup over c = alpha s^2 in (0, 1] of m_gd - m_flow = exp(-c q) - (1 - c)^q, the largest
/// amount by which gradient flow's mask can differ from GD's after q steps of size alpha <=
/// 1/s_max^2. It is exp(-1) at q = 1 and approaches 2 exp(-2) / q as q grows. Found by
/// golden-section search.
double flow_gap_sup(double q);

/// The singular value kappa where the exact GD mask reaches 1 - eps (Proposition 4.2, solved on
/// 1 - (1 - alpha s^2)^q rather than on its gradient-flow form):
///   kappa = sqrt((1 - eps^(1/q)) / alpha), evaluated as sqrt(-expm1(log(eps) / q) / alpha).
double kappa_gd(double alpha, double q, double eps);

/// The same for the gradient-flow mask, Eq. 16: kappa = sqrt(-log(eps) / (alpha q)).
double kappa_flow(double alpha, double q, double eps);

/// Elementwise over a vector of singular values.
arma::vec mask_ridge(const arma::vec& s, double lambda);
arma::vec mask_pca(const arma::vec& s, double kappa);
arma::vec mask_gd(const arma::vec& s, double alpha, double q);
arma::vec mask_gd_naive(const arma::vec& s, double alpha, double q);
arma::vec mask_flow(const arma::vec& s, double alpha, double q);

} // namespace sbias
