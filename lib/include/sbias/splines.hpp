// The discrete construction of Appendix A: the "same"-size finite-difference matrix
// nabla = (I - shift) / dx on M points (dx = 1 / M), its powers, and its inverse powers.
#pragma once

#include <armadillo>

namespace sbias {

/// nabla^{-r} v without forming a matrix. nabla is lower bidiagonal (1/dx on the diagonal,
/// -1/dx below it, zero padding on the left), so nabla^{-1} v = dx * cumsum(v): r forward
/// substitutions, O(M r), and exact up to the scaling when v holds small integers.
arma::vec inverse_difference_apply(const arma::vec& v, int r, double dx);

/// Column m of nabla^{-r} on M points: r forward substitutions applied to e_m.
arma::vec inverse_difference_column(arma::uword M, arma::uword m, int r, double dx);

/// The closed form of the same entries: (nabla^{-r})_{ij} = dx^r C(i - j + r - 1, r - 1) for
/// i >= j, and 0 above the diagonal (the r-fold cumulative sum of a unit impulse).
double inverse_difference_entry(arma::uword i, arma::uword j, int r, double dx);

/// nabla^r as a dense M x M matrix (banded: r sub-diagonals).
arma::mat difference_matrix(arma::uword M, int r, double dx);

/// Spline smoothing on the grid x_i = i / M, Eq. 20 of Appendix A, solved directly in f:
///   min_f 1/2 ||y - D f||^2 + lambda/2 ||nabla^r f||^2,
/// D picking the grid points `samples` (one y per sample). Solved as the stacked least-squares
/// problem || [D; sqrt(lambda) nabla^r] f - [y; 0] || by LAPACK's QR-based solver; the normal
/// equations would square a condition number near 1e10 (r = 3, M = 1000). Dense: O(M^3).
arma::vec spline_smooth_direct(arma::uword M, int r, double lambda, const arma::uvec& samples,
                               const arma::vec& y);

/// The same problem as ridge regression on A = D nabla^{-r} (Eq. 21), in kernel form:
/// w = A^T (A A^T + lambda I)^{-1} y, f = nabla^{-r} w. O(N^2 M) for N samples.
arma::vec spline_smooth_ridge(arma::uword M, int r, double lambda, const arma::uvec& samples,
                              const arma::vec& y);

/// The activation of Prop. 3.1 for order r, scaled to the columns of nabla^{-r}:
/// eta_r(z) = z^(r-1) [z >= 0] / (r-1)! (heaviside, relu, relu2 of the library; r = 1, 2, 3).
double spline_activation(int r, double z);

/// Sample positions x_n = (n + 1/2) / N_s as indices on the grid i / M (M a multiple of 2 N_s).
arma::uvec sample_indices(arma::uword M, arma::uword Ns);

/// The shallow network f(x) = sum_j c_j eta_r(x - b_j) with biases b (M of them), fitted to (xs, y)
/// by ridge with lambda_net = lambda / dx^2, dx = 1/M (nabla^{-r} ~ dx E_r, so w = c / dx), and
/// evaluated at xe: c = E^T (E E^T + lambda_net I)^{-1} y. With b_j = j / M it is the network side
/// of Appendix A's discretisation (chapter 01); other bias sets test Sec. 3's remark that other
/// distributions can be entertained (chapter 12).
arma::vec spline_network_fit(const arma::vec& b, int r, double lambda, const arma::vec& xs,
                             const arma::vec& y, const arma::vec& xe);

} // namespace sbias
