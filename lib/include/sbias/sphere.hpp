// Functions on the unit sphere S^{d-1} in R^d (chapter 10): uniform samples, the Gegenbauer
// polynomials of its zonal harmonics, the Funk-Hecke eigenvalues of a zonal kernel, and the
// infinite-width NTK of a two-layer ReLU network without biases.
#pragma once

#include <armadillo>
#include <functional>
#include <random>

namespace sbias {

/// n points uniform on S^{d-1} (one per row): normalised standard normal vectors.
arma::mat uniform_sphere(arma::uword n, arma::uword d, std::mt19937_64& rng);

/// The Gegenbauer polynomial of degree k for S^{d-1}, normalised to P_k(1) = 1:
/// C_k^{(lambda)}(t) / C_k^{(lambda)}(1) with lambda = (d - 2) / 2 (Legendre for d = 3), by the
/// three-term recurrence. d >= 3.
double gegenbauer(int k, int d, double t);
arma::vec gegenbauer(int k, int d, const arma::vec& t);

/// The dimension of the degree-k spherical harmonics on S^{d-1}:
/// (2k + d - 2) (k + d - 3)! / (k! (d - 2)!).
double harmonic_dimension(int k, int d);

/// Funk-Hecke: a zonal kernel kappa(<x, y>) acts on the degree-k harmonics of S^{d-1} (uniform
/// probability measure) as multiplication by
///   mu_k = c_d integral_{-1}^{1} kappa(t) P_k(t) (1 - t^2)^((d-3)/2) dt,
///   c_d = Gamma(d/2) / (sqrt(pi) Gamma((d-1)/2)),
/// integrated in t = cos(phi) over [0, pi] by composite 20-point Gauss-Legendre on `panels`
/// panels (the integrand is smooth in phi for the kernels used here).
double funk_hecke(const std::function<double(double)>& kappa, int d, int k, int panels = 64);

/// The infinite-width NTK of f(x) = sqrt(m) W2 relu(W1 x) with W1 ~ N(0, 2/m), W2 ~ N(0, 1/m), for
/// unit x, x' with <x, x'> = t = cos(theta), divided by m:
///   (sin(theta) + (pi - theta) t) / pi        (the output layer: E relu relu)
///   + t (pi - theta) / (2 pi)                 (the hidden layer: <x, x'> E 1[.] 1[.]).
double relu_ntk_kernel(double t);

} // namespace sbias
