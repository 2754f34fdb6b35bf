// Seeded random numbers that are the same on every platform: std::mt19937_64, whose output the
// standard fixes, and our own transforms (the standard library's distributions are
// implementation-defined).
#pragma once

#include <armadillo>
#include <random>

namespace sbias {

/// A uniform number in [0, 1) from the top 53 bits of one draw.
double uniform01(std::mt19937_64& rng);

/// A standard normal number by Box-Muller from two uniform01 draws (one value per call).
double standard_normal(std::mt19937_64& rng);

/// An n_rows x n_cols matrix of standard normal numbers, drawn column by column.
arma::mat standard_normal_matrix(arma::uword n_rows, arma::uword n_cols, std::mt19937_64& rng);

} // namespace sbias
