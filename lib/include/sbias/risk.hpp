// Bayes risks of shrinkage estimators, and early stopping against ridge (chapter 14; Ali, Kolter
// and Tibshirani, "A continuous-time view of early stopping for least squares", AISTATS 2019).
//
// Model: y = A w* + e, A = U diag(s) V^T (N x M, rank r, s_0 >= ... >= s_{r-1} > 0), prior
// w* ~ N(0, tau^2 I_M), noise e ~ N(0, sigma^2 I_N), independent. A masked estimator (masks.hpp)
//   w = V diag(m_k / s_k) U^T y
// has, per component k < r with z_k = v_k^T w* ~ N(0, tau^2) and e_k = u_k^T e ~ N(0, sigma^2)
// (independent, since U and V have orthonormal columns),
//   v_k^T w = (m_k / s_k) u_k^T (A w* + e) = m_k z_k + m_k e_k / s_k,
//   v_k^T (w - w*) = -(1 - m_k) z_k + m_k e_k / s_k,
// and w has no part in the M - r directions of the null space of A, where w - w* = -w*. Hence the
// estimation risk
//   R_est  = E ||w - w*||^2      = sum_k [ (1 - m_k)^2 tau^2 + m_k^2 sigma^2 / s_k^2 ] + (M - r)
//   tau^2,
// and, as A (w - w*) = sum_k s_k u_k v_k^T (w - w*) (the null part is annihilated), the in-sample
// prediction risk
//   R_pred = E ||A (w - w*)||^2 = sum_k [ s_k^2 (1 - m_k)^2 tau^2 + m_k^2 sigma^2 ].
//
// Gradient flow against ridge. Gradient flow on (1/2) ||y - A w||^2 from w = 0 for a time t has
// the mask 1 - exp(-t s^2) (mask_flow(s, 1, t)); ridge at lambda = 1/t has s^2 / (s^2 + 1/t)
// (mask_ridge). With x = t s_k^2 the two terms of component k compare as
//   squared bias: e^{-2x} against (1 + x)^{-2}, ratio (1 + x)^2 e^{-2x} <= 1 (as e^x >= 1 + x),
//   variance:    (1 - e^{-x})^2 against (x / (1 + x))^2, ratio g(x) = ((1 - e^{-x})(1 + x) / x)^2,
// and the null-space term (M - r) tau^2 is the same for both. R_est(GF, t) and R_est(ridge, 1/t)
// (and likewise R_pred, whose terms are the same times s_k^2) are sums of positive terms, and a
// ratio of such sums is at most the largest ratio of corresponding terms, so for every design,
// every tau^2, sigma^2 and t:
//   R(GF, t) <= C R(ridge, 1/t),   C = max_{x > 0} g(x) = 1.6859090582783,
// attained at x* = 1.7932821329008. Setting d log g / dx = 2 [1 / (e^x - 1) - 1 / (x (1 + x))] to
// zero gives e^{x*} = 1 + x* + x*^2, and there 1 - e^{-x*} = x* (1 + x*) / (1 + x* + x*^2), so
// C = ((1 + x*)^2 / (1 + x* + x*^2))^2. Ali et al. print 1.6862: an upper bound, 3e-4 above the
// maximum (which rounds to 1.6859), so their inequality holds with room. The bound is approached
// when one component with t s^2 = x* dominates the risk through its variance (tau^2 / sigma^2 ->
// 0).
//
// Gradient descent against ridge. q steps of size alpha = 1/s_0^2 give the mask 1 - (1 - c)^q,
// c = alpha s^2 in (0, 1]; compared with ridge at lambda = 1/(alpha q) = s_0^2 / q (mask
// q c / (1 + q c)) the bias ratio is ((1 - c)^q (1 + q c))^2 <= 1 (as (1 - c)^q <= e^{-qc}) and the
// variance ratio r_q(c) = ((1 - (1 - c)^q)(1 + q c) / (q c))^2. Its supremum over c in (0, 1] is
//   q = 1: 4 (r_1(c) = (1 + c)^2, at c = 1: one step takes the top component whole, ridge half),
//   q = 2: 625/256 = 2.4414 (r_2 = ((2 - c)(1 + 2c) / 2)^2, at c = 3/4),
//   q = 3: 2.1312, q = 10: 1.8007, q = 100: 1.6968, q = 1e4: 1.6860,
// with the peak at q c -> x*. It falls to C like C + K / q: (1 - x/q)^q = e^{-x} (1 - x^2 / (2q) +
// O(q^-2)) raises sqrt(r_q) at x = q c by e^{-x} x (1 + x) / (2q), so
//   K = x* (1 + x*)^3 / (1 + x* + x*^2)^2 = 1.0823506,
// and it stays above C (since (1 - c)^q <= e^{-qc}, r_q(c) >= g(qc)); it is within 1 % of C from
// q = 65 on. So R_est(GD, q) <= max(1, sup_c r_q) R_est(ridge, s_0^2 / q) <= 4 R_est(ridge, ...).
#pragma once

#include <armadillo>

namespace sbias {

/// Bayes risks of a masked estimator w = V diag(m_k / s_k) U^T y (see above):
///   estimation = sum_k [(1 - m_k)^2 tau2 + m_k^2 sigma2 / s_k^2] + (M - r) tau2,
///   prediction = sum_k [s_k^2 (1 - m_k)^2 tau2 + m_k^2 sigma2],
/// with r = s.n_elem the rank (every s_k > 0) and M >= r the number of unknowns.
struct Risk {
    double estimation;
    double prediction;
};
Risk bayes_risk(const arma::vec& s, const arma::vec& mask, arma::uword M, double tau2,
                double sigma2);

/// g(x) = ((1 - e^{-x})(1 + x) / x)^2, the variance of gradient flow at time t over that of ridge
/// at lambda = 1/t for a component with t s^2 = x (x > 0; g(x) -> 1 as x -> 0 and as x -> inf).
double ali_variance_ratio(double x);

/// A maximum and where it is attained.
struct RatioMax {
    double value;
    double at;
};

/// max_{x > 0} g(x) (the Ali-Kolter-Tibshirani constant, 1.68591; printed as the bound 1.6862)
/// and the maximiser x*: the root
/// of the stationarity condition x + x^2 - (e^x - 1) = 0 in the bracket [1, 2], found by
/// bisection to adjacent doubles (so x* to about 1e-15, not the 1e-8 that a golden-section search
/// on the flat peak of g gives), and g(x*) to a few ulps.
RatioMax ali_constant();

/// The discrete-GD analogue for q >= 1 steps: sup over c in (0, 1] of
///   r_q(c) = ((1 - (1 - c)^q)(1 + q c) / (q c))^2
/// and the maximiser c. A scan of log c brackets the peak, then bisection on the sign of
/// d log r_q / d log c = q c (1 - c)^{q-1} / (1 - (1 - c)^q) + q c / (1 + q c) - 1 locates it;
/// c = 1 is taken when r_q still rises there (q = 1).
RatioMax gd_ridge_variance_ratio_sup(double q);

/// max over t in t_grid (each t > 0) of R_est(GF, t) / R_est(ridge, 1/t) for the spectrum s
/// (masks mask_flow(s, 1, t) and mask_ridge(s, 1/t)), and the t where it is attained.
/// At most ali_constant().value for every spectrum. Needs tau2 + sigma2 > 0.
RatioMax flow_ridge_risk_ratio_max(const arma::vec& s, arma::uword M, double tau2, double sigma2,
                                   const arma::vec& t_grid);

/// The same for GD with alpha = 1/s_0^2 (s_0 = max s) and q in q_grid (each q >= 1), against ridge
/// at lambda = s_0^2 / q; returns the largest ratio and its q. At most
/// max(1, gd_ridge_variance_ratio_sup(q)) for each q.
RatioMax gd_ridge_risk_ratio_max(const arma::vec& s, arma::uword M, double tau2, double sigma2,
                                 const arma::vec& q_grid);

} // namespace sbias
