// Grids and the design matrix A of Eq. 6.
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>

namespace sbias {

/// x_i = i / (n - 1), i = 0..n-1: linspace(0, 1, n) with both endpoints exact ({0} for n = 1).
/// Computing each point by one division (not by accumulating a step) makes equal indices of
/// two grids of the same size give bit-identical points, so x_i - b_i = 0 exactly.
arma::vec unit_grid(arma::uword n);

/// A[i][j] = eta(sigma (x_i - b_j)), an N x M matrix (Eq. 6 with the scale of Sec. 6).
arma::mat design_matrix(const Activation& eta, double sigma, const arma::vec& x,
                        const arma::vec& b);

} // namespace sbias
