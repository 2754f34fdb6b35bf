// Least squares through the SVD with a shrinkage mask (Eq. 7).
#pragma once

#include "sbias/spectra.hpp"

#include <armadillo>

namespace sbias {

/// w = V diag(m_k / s_k) U^T y, Eq. 7 with s_hat_k^-1 = m_k s_k^-1. Components with s_k = 0 get
/// no weight whatever m_k says (the minimum-norm convention). mask has one entry per s_k.
/// The per-component gains m_k / s_k of Eq. 7 (0 where s_k = 0, the minimum-norm convention):
/// w = V diag(gains) U^T y.
arma::vec filter_gains(const arma::vec& s, const arma::vec& mask);

arma::vec filtered_solution(const Svd& svd, const arma::vec& y, const arma::vec& mask);

/// GD's iterate after q steps from w_0 = 0 at the step alpha = 1 / s_0^2, and that step.
struct GdClosedForm {
    double alpha = 0.0;
    arma::vec w;
};

/// The iterate w_q of q GD steps from w_0 = 0 at alpha = 1 / s_0^2 in closed form (Prop. 4.1, Eq.
/// 14) without an SVD: with the Gram matrix A A^T = U diag(lambda) U^T (lambda = s^2),
///   w_q = A^T U diag(h) U^T y,  h = (1 - (1 - alpha lambda)^q) / lambda  (q alpha at lambda = 0),
/// which is V diag(m / s) U^T y of Eq. 7 because A^T u_k = s_k v_k (A^T A and V for a tall A).
/// The smaller Gram matrix's eigendecomposition costs a sixth of a thin SVD for N = 256 by
/// M = 1024. Its eigenvalues carry absolute errors of order eps s_0^2 (an SVD's: eps s_0 s), which
/// move the mask 1 - (1 - alpha lambda)^q by about q eps at most: for q above gram_q_max this
/// function takes the SVD instead (thin_svd, mask_gd, filtered_solution).
GdClosedForm gd_closed_form(const arma::mat& A, const arma::vec& y, double q);

/// The largest q for which gd_closed_form uses the Gram matrix (mask errors about 1e-10 or less).
inline constexpr double gram_q_max = 1e6;

} // namespace sbias
