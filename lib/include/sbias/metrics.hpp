// Error measures.
#pragma once

#include <armadillo>

namespace sbias {

/// PSNR with peak 1: 10 log10(1 / mean((f - y)^2)); +infinity when f == y.
double psnr(const arma::vec& f, const arma::vec& y);

/// ||a - ref|| / ||ref|| (2-norms); |a - ref| when ref is zero.
double relative_error(const arma::vec& a, const arma::vec& ref);

/// Least-squares slope of log(y) against log(x): the exponent p of y ~ x^p (x, y > 0).
double loglog_slope(const arma::vec& x, const arma::vec& y);

/// n points spaced evenly in log10 from lo to hi, both included (lo, hi > 0).
arma::vec logspace(double lo, double hi, arma::uword n);

} // namespace sbias
