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
    arma::mat H, D; // dense path: eta(z) (tanh and generic), eta'(z) (generic only)
    // Sorted path (relu, tanh): each unit's range [lo, hi) of i (active, or unsaturated), the
    // sums of r and r x over prefixes (P) and suffixes (S), the per-i accumulations of pass 1,
    // and tanh's band values (unit j's at off[j]).
    arma::uvec lo, hi, off;
    arma::vec P0, P1, S0, S1, A, B, Ab, Bb, band;
};

/// The same loss and gradient as shallow_gradient, agreeing with it to rounding (measured: at
/// most 2e-14 of each block's norm; tests/test_feature_learning.cpp checks 1e-12), computed from
/// the structure of z_ij = v_j x_i + c_j. Deterministic (one thread, fixed order).
///
/// Fast path: ReLU or tanh, x strictly ascending and w, v, c finite. Then z_ij is monotone in i
/// for each unit, and so are the dense kernel's own predicates (z > 0; |z| >= 22), exactly (the
/// rounding of x v + c is monotone): each unit's boundaries are found by bisection on them, tie
/// for tie as shallow_gradient sees them.
///  - ReLU, O(N + M log N): unit j is active on a prefix or a suffix of i. f_i = sum of
///    w_j (v_j x_i + c_j) over its active units, as (x_i - xm) A_i + B_i with A, B accumulated
///    over i (xm the middle of x, against cancellation); sum_i eta' r and sum_i eta' r x are
///    prefix or suffix sums of r and r x (each accumulated from its own end, never a
///    difference); sum_i eta r = v_j (sum r x) + c_j (sum r) over ranges longer than 32, summed
///    directly over shorter ones (where that form cancels).
///  - tanh: unit j is unsaturated (|z| < 22) on a band of i; outside it eta = -1 on one side and
///    +1 on the other, eta' = 0. tanh is evaluated on the bands only (kept in the workspace
///    between the passes), the saturated sides enter f as accumulated +-w_j and sum_i eta r as
///    prefix/suffix sums of r. At sigma = M most entries are saturated; at sigma = 1 none are.
/// Measured (bench/bench_chapter15.cpp, N = 256, M = 1024, one thread): ReLU 0.04 ms against
/// shallow_gradient's 0.5 ms; tanh at sigma = 1024 0.33 ms against 1.2 ms, nearly all of it
/// std::tanh on the ~11K band entries; tanh at sigma = 1 (no saturation) 5.5 ms against 7.3 ms.
/// Otherwise (x unsorted, other activations, non-finite parameters): the dense two-pass kernel
/// (pass 1 accumulates f, pass 2 the three sums per unit in four fixed lanes; tanh keeps eta(z)
/// between the passes, other activations eta and eta').
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
