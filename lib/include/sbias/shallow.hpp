// The paper's shallow network with every parameter free (chapter 11):
//   f(x) = sum_j w_j eta(v_j x + c_j),
// initialised as the paper's design matrix A (v_j = sigma, c_j = -sigma b_j, so v_j x + c_j =
// sigma (x - b_j)) with w = 0. Loss L = (1/2) ||f(x) - y||^2, the loss whose GD on w alone is
// Proposition 4.1's mask. Gradients (derived by hand; tests/ check them by finite differences),
// with r = f(x) - y, H_ij = eta(z_ij), D_ij = eta'(z_ij), z_ij = v_j x_i + c_j:
//   dL/dw = H^T r,   dL/dv_j = w_j sum_i r_i D_ij x_i,   dL/dc_j = w_j sum_i r_i D_ij.
// With w = 0 the last two vanish: the first step moves w only, exactly as the paper's GD.
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>

namespace sbias {

struct ShallowNet {
    const Activation* eta = nullptr;
    arma::vec w, v, c;

    /// The paper's A as a network: v = sigma, c = -sigma b, w = 0.
    static ShallowNet paper_init(const Activation& eta, double sigma, const arma::vec& b);
    arma::vec operator()(const arma::vec& x) const;
};

struct ShallowGradient {
    double loss = 0.0;
    arma::vec residual; ///< f(x) - y
    arma::vec dw, dv, dc;
};

/// Loss and gradient at the samples (x, y). Z and H are workspaces of N x M (reused).
ShallowGradient shallow_gradient(const ShallowNet& net, const arma::vec& x, const arma::vec& y,
                                 arma::mat& Z, arma::mat& H);

/// The tangent features [df/dw, df/dv, df/dc] = [H, (D diag w) o x, D diag w] (N x 3M).
arma::mat tangent_features(const ShallowNet& net, const arma::vec& x);

} // namespace sbias
