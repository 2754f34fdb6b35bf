// The paper's shallow network with every parameter free (chapter 11):
//   f(x) = sum_j w_j eta(v_j x + c_j),
// initialised as the paper's design matrix A (v_j = sigma, c_j = -sigma b_j, so v_j x + c_j =
// sigma (x - b_j)) with w = 0. Loss L = (1/2) ||f(x) - y||^2, the loss whose GD on w alone is
// Proposition 4.1's mask. Gradients (derived by hand; tests/ check them by finite differences),
// with r = f(x) - y, H_ij = eta(z_ij), D_ij = eta'(z_ij), z_ij = v_j x_i + c_j:
//   dL/dw = H^T r,   dL/dv_j = w_j sum_i r_i D_ij x_i,   dL/dc_j = w_j sum_i r_i D_ij.
// With w = 0 the last two vanish: the first step moves w only, exactly as the paper's GD.
//
// Chapter 15 adds an output scale tau (Chizat and Bach's lazy-training knob): f = tau sum_j w_j
// eta(v_j x + c_j) with the loss L = (1/(2 tau^2)) ||f(x) - y||^2, so that r = f(x) - y and every
// gradient above is divided by tau; tau = 1 is the network above, operation for operation. And a
// step multiplier gamma: step alpha for w and gamma alpha for v and c.
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>

#include <functional>
#include <vector>

namespace sbias {

struct ShallowNet {
    const Activation* eta = nullptr;
    arma::vec w, v, c;
    double tau = 1.0; ///< output scale: f = tau sum_j w_j eta(v_j x + c_j)

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

/// The tangent features [df/dw, df/dv, df/dc] = tau [H, (D diag w) o x, D diag w] (N x 3M).
arma::mat tangent_features(const ShallowNet& net, const arma::vec& x);

/// Buffers of shallow_gradient_fused, kept between steps.
struct ShallowWorkspace {
    arma::vec f, rx;
    arma::mat H, D; // eta(z) for tanh and the generic path, eta'(z) for the generic path only
};

/// The same loss and gradient as shallow_gradient, in two passes over the pre-activations
/// z_ij = v_j x_i + c_j (recomputed, not stored): the first accumulates f, the second the three
/// sums per hidden unit (sum_i eta(z_ij) r_i, sum_i eta'(z_ij) r_i x_i, sum_i eta'(z_ij) r_i) in
/// four fixed lanes. Nothing N x M is stored for ReLU; tanh keeps eta(z) between the passes
/// (eta' = 1 - eta^2), other activations eta and eta'. The sums run in another order than
/// shallow_gradient's BLAS calls: the two agree to rounding (tests/test_feature_learning.cpp).
ShallowGradient shallow_gradient_fused(const ShallowNet& net, const arma::vec& x,
                                       const arma::vec& y, ShallowWorkspace& work);

/// What train_shallow did.
struct ShallowRun {
    /// ||f(x) - y||^2 before step t, for t = 0..steps (the last after the final step); NaN from
    /// the step at which the run diverged on.
    arma::vec residual_sq;
    arma::uword steps = 0; ///< steps taken
    bool diverged = false; ///< a loss or a parameter became non-finite (the run stopped there)
};

/// Full-batch gradient descent on L for `iterations` steps: w -= alpha dL/dw, v -= gamma alpha
/// dL/dv, c -= gamma alpha dL/dc (shallow_gradient_fused). `observe(t, net)` is called at each t
/// of `observe_at` (ascending; before step t, and t = iterations after the last step).
ShallowRun train_shallow(ShallowNet& net, const arma::vec& x, const arma::vec& y, double alpha,
                         double gamma, arma::uword iterations,
                         const std::vector<arma::uword>& observe_at,
                         const std::function<void(arma::uword, const ShallowNet&)>& observe);

} // namespace sbias
