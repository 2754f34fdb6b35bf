// Cao et al.'s two-layer ReLU network without biases (chapter 10), trained on every parameter:
//   f(x) = sqrt(m) sum_j a_j relu(w_j . x),   W = [w_j] (m x d) ~ N(0, 2/m),   a ~ N(0, 1/m),
// with the loss L = (1 / 2n) sum_i (f(x_i) - y_i)^2 and full-batch gradient descent.
// Gradients (derived by hand; tests/ check them against finite differences):
//   dL/da_j = (sqrt(m) / n) sum_i r_i relu(w_j . x_i)
//   dL/dw_j = (sqrt(m) / n) a_j sum_i r_i 1[w_j . x_i > 0] x_i,      r = f(X) - y.
// Its empirical NTK, the Gram matrix of the per-parameter Jacobian J (n x (m d + m)), in closed
// form from the hidden activations H = relu(X W^T) and D = 1[X W^T > 0]:
//   K = J J^T = m (H H^T + (X X^T) o (D diag(a^2) D^T)).
// Linearised, GD moves the residual as r_{t+1} = (I - (lr / n) K) r_t: Prop. 4.1's filter.
#pragma once

#include <armadillo>
#include <random>
#include <vector>

namespace sbias {

struct TwoLayerRelu {
    arma::mat W; ///< m x d, row j the hidden unit's weights w_j
    arma::vec a; ///< m, the output weights (W2)

    /// W ~ N(0, 2/m), a ~ N(0, 1/m), drawn in that order from rng.
    static TwoLayerRelu init(arma::uword m, arma::uword d, std::mt19937_64& rng);
    arma::uword width() const { return W.n_rows; }
    /// f at each row of X.
    arma::vec operator()(const arma::mat& X) const;
};

/// The loss and its gradient at the network's parameters.
struct LossGradient {
    double loss = 0.0;
    arma::vec residual; ///< r = f(X) - y
    arma::mat dW;       ///< m x d
    arma::vec da;       ///< m
};

/// loss_gradient's scratch memory, reused between calls, and the choice of its path.
///   The fused path (x86-64 with AVX2 and FMA, checked at run time): X padded to a multiple of 8
///   samples (n8 x d; the backward pass also takes a transposed copy) and the sign of every
///   pre-activation, one byte per sample and group of four hidden units (bit u of byte
///   (j / 4) n8 + i: unit 4 (j / 4) + u at sample i).
///   The BLAS path (any machine): the pre-activations of a block of 32 hidden units (n x 32) and
///   the signs, two samples a byte.
struct GradientWorkspace {
    arma::mat Z;
    std::vector<unsigned char> active;
    bool blas_only = false; ///< the BLAS path even where the fused one runs (tests, make bench)
};

/// Whether loss_gradient takes its fused AVX2/FMA path on this machine.
bool fused_gradient_available();

/// Full-batch loss and gradient. The fused path rounds as the BLAS path does with single-threaded
/// OpenBLAS on Haswell and Zen (twolayer.cpp; chapter 10's tables are the same byte for byte);
/// with another BLAS kernel or more BLAS threads the two differ in the last bits.
LossGradient loss_gradient(const TwoLayerRelu& net, const arma::mat& X, const arma::vec& y,
                           GradientWorkspace& ws);

/// The empirical NTK Gram matrix K = J J^T (n x n), in the closed form above.
arma::mat ntk_gram(const TwoLayerRelu& net, const arma::mat& X);

/// The per-parameter Jacobian J (n x (m d + m)), columns w_0 (d entries), ..., w_{m-1}, then a;
/// written out entry by entry, for tests of ntk_gram on small networks.
arma::mat ntk_jacobian(const TwoLayerRelu& net, const arma::mat& X);

} // namespace sbias
