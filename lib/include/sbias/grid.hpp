// Grids and the design matrix A of Eq. 6.
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>
#include <vector>

namespace sbias {

/// x_i = i / (n - 1), i = 0..n-1: linspace(0, 1, n) with both endpoints exact ({0} for n = 1).
/// Computing each point by one division (not by accumulating a step) makes equal indices of
/// two grids of the same size give bit-identical points, so x_i - b_i = 0 exactly.
arma::vec unit_grid(arma::uword n);

/// Whole numbers spaced evenly in log2: round(first 2^(i / per_octave)) for i = 0, 1, ... while
/// the value stays <= last, repeats dropped (e.g. 2, 3, 4, 5, 6, 8, 10, 13, 16, ... for 2, 3).
std::vector<long long> octave_integers(long long first, long long last, int per_octave);

/// A[i][j] = eta(sigma (x_i - b_j)), an N x M matrix (Eq. 6 with the scale of Sec. 6).
arma::mat design_matrix(const Activation& eta, double sigma, const arma::vec& x,
                        const arma::vec& b);

} // namespace sbias
