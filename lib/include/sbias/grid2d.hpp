// Two-dimensional inputs (Appendix E): the square pixel grid, the design matrix of Eq. 37
// A_ij = eta(v_j^T x_i - b_j), the rank-one and full-rank choices of V, the 2D DST reference, and
// the roughness of a component seen as an image.
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>
#include <cstdint>
#include <utility>
#include <vector>

namespace sbias {

/// The n x n grid on [0, 1]^2 in row-major (raster) order: point i = n row + col has coordinates
/// (row / (n - 1), col / (n - 1)). Returned as an N x 2 matrix (N = n^2), columns (row, col).
arma::mat square_grid(arma::uword n);

/// Eq. 37: A_ij = eta(v_j^T x_i - b_j), an N x M matrix; X is N x D (one point per row), V is
/// M x D (one direction per row) and b has M entries.
arma::mat ridge_design_matrix(const Activation& eta, const arma::mat& X, const arma::mat& V,
                              const arma::vec& b);

/// The first-layer weights V (M x D) and biases b (M) of a 2D network.
struct FirstLayer {
    arma::mat V;
    arma::vec b;
};

/// Zhang et al.'s rank-one V = 1 v^T with v = [n, 1] (footnote 2: n rows). On the points of
/// square_grid(n) the projection is v^T x_i = (n row + col) / (n - 1) = i / (n - 1): the raster
/// index, scaled by 1 / (n - 1). With `pixel_units` the grid is taken in pixel indices (row, col)
/// instead, v^T x_i = i exactly. Biases are evenly spaced over the projected range, M of them
/// (linspace, both ends): [0, n + 1] in unit coordinates, [0, n^2 - 1] in pixel units.
FirstLayer rank_one_layer(arma::uword n, arma::uword M, bool pixel_units = false);

/// The points of square_grid(n) in pixel units: (row, col) as whole numbers.
arma::mat square_grid_pixels(arma::uword n);

/// Full rank: v_j = (cos theta_j, sin theta_j) with theta_j uniform on [0, 2 pi), and b_j uniform
/// on [min_i v_j^T x_i, max_i v_j^T x_i], the direction's projected range over the points X.
/// Deterministic in seed on every platform (std::mt19937_64, whose output the standard fixes, and
/// our own 53-bit uniform transform).
FirstLayer random_layer(const arma::mat& X, arma::uword M, std::uint64_t seed);

/// The order of the 2D DST functions: (a, b) = (vertical, horizontal) frequency index, sorted by
/// a + b, then by a. Every prefix is a "lower set" (with (a, b) it holds (a - 1, b) and
/// (a, b - 1)), so the first K = s (s + 1) / 2 functions are exactly those with a + b < s.
std::vector<std::pair<arma::uword, arma::uword>> dst2d_order(arma::uword K);

/// The first K 2D DST functions sin(pi (a + 1/2) y_row) sin(pi (b + 1/2) x_col) on square_grid(n)
/// (the tensor product of the paper's sin(pi (k + 1/2) x)), each scaled to unit norm: N x K.
arma::mat dst2d_basis(arma::uword n, arma::uword K);

/// An orthonormal basis Q (N x K) with span(Q[:, 0..k)) = span(dst2d_basis[:, 0..k)) for every k:
/// the 1D functions on the n-point grid are orthonormalised by Gram-Schmidt in k order (QR), and
/// Q's columns are their tensor products q_a (x) q_b in dst2d_order. The products of orthonormal 1D
/// vectors are orthonormal; the lower-set order keeps every prefix's span. Needs a, b <= n - 2
/// (the n-th 1D function is dependent on the others: all vanish at x = 0), i.e. K <= n (n - 1) / 2.
arma::mat dst2d_orthonormal(arma::uword n, arma::uword K);

/// Roughness of a component as an n x n image (row-major, point i = n row + col), scaled to unit
/// norm first: gx (gy) is the sum of squared differences between horizontal (vertical) neighbours.
struct Roughness {
    double gx = 0.0, gy = 0.0;
    double g() const { return gx + gy; }
    /// max(gx, gy) / min(gx, gy): 1 for a component as rough across as along.
    double anisotropy() const;
};
Roughness grid_roughness(const arma::vec& u, arma::uword n);

} // namespace sbias
