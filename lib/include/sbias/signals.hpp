// Test signals.
#pragma once

#include <armadillo>

namespace sbias {

/// The smooth test signal of chapters 01 and 02: y(x) = sin(2 pi x) + cos(6 pi x) / 2 + x / 4.
arma::vec smooth_test_signal(const arma::vec& x);

/// The DST functions of the paper, sin(pi (k + 1/2) x) for k = 0 .. K-1, as the columns of a
/// matrix (Sec. 6: u_k(x) = sin(pi (k + 0.5) x)).
arma::mat dst_basis(const arma::vec& x, arma::uword K);

/// The DST baseline of Fig. 6: least squares on the first K DST functions at the samples
/// (x, y), evaluated at xe. Every DST function vanishes at x = 0, so no K fits a sample there.
arma::vec dst_least_squares(const arma::vec& x, const arma::vec& y, arma::uword K,
                            const arma::vec& xe);

} // namespace sbias
