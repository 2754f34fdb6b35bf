// Functions on the unit sphere S^{d-1} in R^d (chapter 10): uniform samples, the Gegenbauer
// polynomials of its zonal harmonics, the Funk-Hecke eigenvalues of a zonal kernel (in double, and
// in quadruple precision to high degree), and the infinite-width NTK of a two-layer ReLU network
// without biases with the laws of its eigenvalues at high degree and in high dimension.
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

/// Quadruple precision: GCC's __float128 (113-bit significand, unit roundoff 9.6e-35); its
/// functions (sinq, cosq, expq, ...) are libquadmath's, declared in <quadmath.h>.
using quad = __float128;

/// Every Funk-Hecke eigenvalue mu_0, ..., mu_K of a zonal kernel on S^{d-1} at once, computed in
/// quadruple precision, with the kernel given as a function of the angle,
/// kappa_theta(theta) = kappa(cos theta):
///   mu_k = c_d integral_0^pi kappa_theta(theta) P_k(cos theta) sin(theta)^(d-2) dtheta
/// (funk_hecke's integral in t = cos theta), by `nodes`-point Gauss-Legendre on [0, pi] and
///   P_0 = 1, P_1 = t, P_{j+1} = ((2j + d - 2) t P_j - j P_{j-1}) / (j + d - 2)   (P_j(1) = 1).
/// In theta the arc-cosine kernels are entire (arccos t = theta, sqrt(1 - t^2) = sin theta), so the
/// rule converges geometrically: for the ReLU NTK 128 nodes hold every degree to 64 on S^2 and S^9
/// (chapter 10 checks against 256). Quadruple because the sum cancels: the integrand is O(1) while
/// mu_64 / mu_0 is 2e-14 on S^9, and funk_hecke's double sum keeps 7 digits of it (relative error
/// 6e-8; 3e-11 on S^2), this one every digit of a double (quadruple's floor is 1e-34 of mu_0). The
/// values are rounded to double on return; the nodes of each size are computed once (Newton on
/// P_nodes, refined in quadruple precision) and kept. d >= 3, max_degree >= 0, nodes >= 2.
arma::vec funk_hecke_high(const std::function<quad(quad)>& kappa_theta, int d, int max_degree,
                          int nodes = 128);

/// relu_ntk_kernel(cos theta) in quadruple precision, theta in [0, pi]:
///   (sin theta + (pi - theta) cos theta) / pi + cos theta (pi - theta) / (2 pi).
quad relu_ntk_kernel_theta(quad theta);

/// The Taylor coefficients of relu_ntk_kernel at t = 0, kappa(t) = sum_j b_j t^j, from
/// kappa(t) = sqrt(1 - t^2) / pi + 3t/4 + (3 / (2 pi)) t arcsin t:
///   b_0 = 1/pi, b_1 = 3/4, b_j = 0 for odd j >= 3,
///   b_{2i} = q_{i-1} (i + 1) / (2 pi i (2i - 1)) for i >= 1, q_i = (2i)! / (4^i i!^2).
/// They set the eigenvalues in high dimension: t^n acts on degree k (n - k even and >= 0) as
///   n! Gamma(d/2) / (2^n ((n - k)/2)! Gamma((n + k + d)/2)),
/// so for fixed k and d -> infinity mu_k -> b_k k! Gamma(d/2) / (2^k Gamma(k + d/2)) ~ b_k k! d^-k.
double relu_ntk_taylor(int j);

/// The high-degree law of relu_ntk_kernel's Funk-Hecke eigenvalues on S^{d-1}, even k >= 2 (odd
/// k >= 3 give 0). Near t = 1, with s = 1 - t, kappa's non-analytic part is
/// (sqrt 2 / pi) (-s^(1/2) / 2 + 9 s^(3/2) / 8 + 21 s^(5/2) / 320 + ...), and the same in 1 + t
/// near t = -1; (1 - t)^beta acts on degree k exactly as
///   2^(d + beta - 2) Gamma(d/2) Gamma(beta + (d-1)/2) Gamma(k - beta)
///     / (sqrt(pi) Gamma(-beta) Gamma(k + beta + d - 1)),
/// so that, term by term,
///   mu_k = C_d Gamma(k - 1/2) / Gamma(k + d - 1/2) [1 + 27 d / (8 (k - 3/2)(k + d - 1/2))
///          - 63 d (d + 2) / (128 (k - 3/2)(k - 5/2)(k + d - 1/2)(k + d + 1/2)) + O(k^-6)],
///   C_d = 2^(d-2) Gamma(d/2)^2 / pi^2:  mu_k ~ C_d k^-d (S^2: k^-3 / (2 pi); S^9: 14940 k^-10).
double relu_ntk_asymptote(int k, int d);

} // namespace sbias
