// Test signals.
#pragma once

#include <armadillo>

namespace sbias {

/// The smooth test signal of chapters 01 and 02: y(x) = sin(2 pi x) + cos(6 pi x) / 2 + x / 4.
arma::vec smooth_test_signal(const arma::vec& x);

} // namespace sbias
