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

} // namespace sbias
