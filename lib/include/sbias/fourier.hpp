// The Fourier view of Sahs et al. (groundwork for chapter 09): the magnitude of an activation's
// Fourier transform, in the convention
//   eta^(omega) = integral eta(z) exp(-2 pi i omega z) dz      (omega in cycles per unit of z),
// taken as a tempered distribution where eta jumps or grows (Heaviside, ReLU, ReLU^2, tanh, GELU,
// SiLU): away from omega = 0 it is an ordinary function, and the deltas at omega = 0 are dropped.
// With the scale of the paper, eta_sigma(x) = eta(sigma x) has |eta^_sigma(omega)| =
// |eta^(omega / sigma)| / sigma.
//
// Closed forms (derived in the header's implementation, checked by quadrature in tests/):
//   heaviside 1 / (2 pi |w|)            relu   1 / (2 pi w)^2          relu2 2 / (2 pi |w|)^3
//   tanh      pi csch(pi^2 |w|)         sinc   1 on |w| < 1/2, 1/2 at |w| = 1/2, 0 beyond
//   gauss     exp(-pi w^2)              gelu   exp(-2 pi^2 w^2) (1 + 4 pi^2 w^2) / (4 pi^2 w^2)
//   silu      pi^2 csch(2 pi^2 |w|) coth(2 pi^2 |w|)
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>

namespace sbias {

/// |eta^(omega)| for omega != 0 (omega = 0 throws std::invalid_argument for the activations whose
/// transform is singular there; sinc and gauss are finite at 0).
double fourier_magnitude(const Activation& eta, double omega);

/// |eta^_sigma(omega)| = |eta^(omega / sigma)| / sigma, the transform of x -> eta(sigma x).
double fourier_magnitude(const Activation& eta, double sigma, double omega);

/// Sahs et al.'s kernel-regime spectral penalty rho(omega) = 1 / |eta^_sigma(omega)|^2: the
/// smallest weight norm representing f is integral |f^(omega)|^2 rho(omega) d omega (to be derived
/// in chapter 09). Infinite where the transform vanishes (sinc outside its band).
double spectral_penalty(const Activation& eta, double sigma, double omega);

/// The frequency of the k-th DST function sin(pi (k + 1/2) x): (k + 1/2) / 2 cycles per unit of x.
inline double dst_frequency(double k) {
    return (k + 0.5) / 2.0;
}

/// The spectrum the Fourier picture predicts at the frequencies omega (omega(0) the leading
/// component's): p_k = |eta^_sigma(omega_k)| / |eta^_sigma(omega_0)|.
arma::vec predicted_spectrum(const Activation& eta, double sigma, const arma::vec& omega);

/// How well c p_k matches a measured normalized spectrum s_k / s_0 over k in [from, to):
/// c is the one constant that fits best in log space (the geometric mean of (s_k/s_0) / p_k over
/// the k with p_k > 0; NaN if there is none) and the error is max |c p_k - s_k/s_0| / (s_k/s_0),
/// which is 1 where the prediction is zero.
struct PredictionFit {
    double constant = 0.0;
    double max_rel_error = 0.0;
};
PredictionFit fit_prediction(const arma::vec& measured, const arma::vec& predicted,
                             arma::uword from, arma::uword to);

/// beta_0, the lowest frequency (in radians per unit length) of the order-2r clamped-free problem
/// (-1)^r u^(2r) = beta^(2r) u on [0, 1] with u = u' = ... = u^(r-1) = 0 at 0 and u^(r) = ... =
/// u^(2r-1) = 0 at 1: pi/2 for r = 1 (the DST's first function), 1.8751 for r = 2 (the cantilever
/// beam). It is the continuum limit of the leading component of an order-r spline matrix
/// (Heaviside, ReLU, ReLU^2 on the shared grid), whose later components approach the DST
/// frequencies (k + 1/2) pi. Found by bisection on the 2r x 2r boundary determinant; r in 1..4.
double clamped_free_frequency(int r);

} // namespace sbias
