// Least squares through the SVD with a shrinkage mask (Eq. 7).
#pragma once

#include "sbias/spectra.hpp"

#include <armadillo>

namespace sbias {

/// w = V diag(m_k / s_k) U^T y, Eq. 7 with s_hat_k^-1 = m_k s_k^-1. Components with s_k = 0 get
/// no weight whatever m_k says (the minimum-norm convention). mask has one entry per s_k.
/// The per-component gains m_k / s_k of Eq. 7 (0 where s_k = 0, the minimum-norm convention):
/// w = V diag(gains) U^T y.
arma::vec filter_gains(const arma::vec& s, const arma::vec& mask);

arma::vec filtered_solution(const Svd& svd, const arma::vec& y, const arma::vec& mask);

} // namespace sbias
