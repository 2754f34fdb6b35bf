// The paper's Discussion (Sec. 7) made measurable (chapter 12): the bandwidth rule that ties GD's
// (alpha, q) to a reconstruction of bandwidth B, the band-recovery criterion that tests it, and the
// numerical rank and least-squares residuals behind the sampling-theorem claims for sinc.
#pragma once

#include "sbias/spectra.hpp"

#include <armadillo>

namespace sbias {

/// How many DST functions sin(pi (k + 1/2) x) have frequency omega_k = (k + 1/2) / 2 (cycles on
/// [0, 1]) at most B: #{k >= 0 : (k + 1/2) / 2 <= B} = floor(2B + 1/2), which is 2B for whole B.
/// The Discussion's "K = 2B - 0.5" is the index of the component at frequency B, k = 2B - 1/2,
/// read as a count. B >= 0.
arma::uword dst_components_in_band(double B);

/// An orthonormal basis (N x K) of the span of the first K DST functions sampled at x: the thin QR
/// of dst_basis(x, K) with the signs making R's diagonal positive. Needs K <= N and x without
/// repeated points; throws std::invalid_argument when the K functions are dependent on x.
arma::mat dst_band_basis(const arma::vec& x, arma::uword K);

/// The Key Insights' rule as printed (Sec. 7): q = alpha^{-2} s_{2B}. Dimensionally it is not an
/// iteration count: scaling A by c scales it by c^5 (alpha = 1/s_0^2 scales by c^-2).
double bandwidth_rule_printed(double alpha, const arma::vec& s, arma::uword B);

/// The rule the Discussion's two insights combine to: K = 2B components (the DST functions up to
/// B cycles) kept by Prop. 4.2 at the threshold s_{K-1}, q = 1 / (alpha s_{2B-1}^2); with
/// alpha = 1/s_0^2 this is (s_0 / s_{2B-1})^2, invariant to the scale of A. B >= 1, 2B <= s.n_elem.
double bandwidth_rule_derived(double alpha, const arma::vec& s, arma::uword B);

/// When a GD fit counts as having recovered a band-limited signal y (y in the span of Q, the
/// orthonormal band basis): after q steps the fit f_q = U diag(m_gd(s; alpha, q)) U^T y has
///   ||Q^T (y - f_q)||^2 <= (1 - energy) ||y||^2   (the band's energy recovered), and
///   ||(I - Q Q^T) f_q||^2 <= leak ||y||^2          (little energy put above the band).
struct BandCriterion {
    double energy = 0.99;
    double leak = 0.01;
};

/// The q at which the criterion first holds, and the two fractions there (each over ||y||^2).
struct BandRecovery {
    double q = 0.0;             ///< smallest whole q found; +inf if not reached by q_max
    double band_residual = 0.0; ///< ||Q^T (y - f_q)||^2 / ||y||^2
    double leak = 0.0;          ///< ||(I - Q Q^T) f_q||^2 / ||y||^2
    bool leak_binding = false;  ///< the band was recovered before q, the leak bound held only at q
};

/// The fewest GD steps (w_0 = 0, step alpha, exact mask of Prop. 4.1) that recover y's band under
/// the criterion. svd: the thin SVD of the design matrix at the samples of y (U is N x r). q is
/// searched on a grid of 8 points per decade from 1 to q_max, then by bisection on whole numbers
/// between the last grid point that fails and the first that holds (both fractions fall as q
/// grows: the residual in every component shrinks like (1 - alpha s^2)^q).
BandRecovery band_recovery(const Svd& svd, const arma::mat& Q, const arma::vec& y, double alpha,
                           const BandCriterion& criterion, double q_max = 1e15);

/// The numerical rank: how many s_k exceed rel * s_0 (s descending).
arma::uword numerical_rank(const arma::vec& s, double rel);

/// ||y - P y|| / ||y|| for P the projector onto the left singular vectors whose s_k > rel * s_0:
/// the relative residual of the minimum-norm least-squares fit that treats smaller singular values
/// as zero. LAPACK's own cutoff for least squares is rel = max(N, M) * machine epsilon.
double least_squares_residual(const arma::mat& U, const arma::vec& s, const arma::vec& y,
                              double rel);

/// Landau and Widom's count of the eigenvalues above eps of time-frequency limiting to an interval
/// of length T and the band [-W, W], for large c = pi W T:
///   N(eps) = 2WT + (1/pi^2) log((1 - eps)/eps) log(c) + o(log c).
/// Argument: the time-bandwidth product 2WT.
double landau_widom_count(double two_wt, double eps);

} // namespace sbias
