// Polynomial filters (chapter 13): gradient descent, Polyak's heavy ball, Nesterov's constant
// momentum and Chebyshev semi-iteration on E(w) = 1/2 ||y - A w||^2 from w_0 = 0, and Adam.
//
// With A = U diag(s) V^T, step alpha = 1/s_0^2 and lambda = alpha s^2 in (0, 1], every method whose
// iterates are w_n = p_n(A^T A) A^T y has the SVD-filter form w_n = V diag(m(s) / s) U^T y (Eq. 7)
// with mask m = 1 - r_n(lambda), r_n its residual polynomial (r_n(0) = 1). GD: r_n = (1 -
// lambda)^n. The accelerated methods are tuned to [l, 1], l = lambda_K = (s_{K-1} / s_0)^2 (keep K
// components).
#pragma once

#include "sbias/gd.hpp" // IterateObserver

#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

namespace sbias {

enum class Method { gd, heavy_ball, nesterov, chebyshev };

/// "gd", "heavy_ball", "nesterov", "chebyshev".
std::string method_name(Method m);

/// The inverse of method_name; throws usage_error (errors.hpp) naming the valid names.
Method method_from_name(const std::string& s);

/// Every method, in the order gd, heavy_ball, nesterov, chebyshev.
const std::vector<Method>& all_methods();

/// A method tuned to keep the components with lambda >= l, 0 < l < 1 (in units of alpha s^2), with
/// g(w) = alpha A^T (y - A w) and w_{-1} = w_0 = 0:
///  gd: w_{n+1} = w_n + g(w_n); step 1, momentum 0 (l unused);
///  heavy_ball (Polyak 1964): w_{n+1} = w_n + a g(w_n) + b (w_n - w_{n-1}) with step
///     a = 4 / (1 + sqrt(l))^2 and momentum b = ((1 - sqrt(l)) / (1 + sqrt(l)))^2;
///  nesterov (constant momentum): v_n = w_n + b (w_n - w_{n-1}), w_{n+1} = v_n + g(v_n); step 1,
///     b = (1 - sqrt(l)) / (1 + sqrt(l));
///  chebyshev (Golub-Varga semi-iteration on [l, 1], Saad, Iterative Methods, Alg. 12.1 written
///     for g): residual r_n = T_n(z(lambda)) / T_n(x0), z = (1 + l - 2 lambda) / (1 - l),
///     x0 = z(0) = (1 + l) / (1 - l), by w_{n+1} = w_n + omega_n g(w_n) + beta_n (w_n - w_{n-1})
///     with rho_n = T_n(x0) / T_{n+1}(x0) (rho_0 = 1 / x0, rho_n = 1 / (2 x0 - rho_{n-1})),
///     omega_0 = 2 / (1 + l), beta_0 = 0, and omega_n = 4 rho_n / (1 - l), beta_n = rho_{n-1}
///     rho_n for n >= 1. Its step and momentum vary with n; `step` and `momentum` hold their limits
///     as n -> infinity, rho -> (1 - sqrt(l)) / (1 + sqrt(l)), which are heavy ball's a and b.
struct Tuning {
    Method method;
    double l;
    double step;
    double momentum;
};

/// Tunes m to [l, 1]; throws std::invalid_argument unless 0 < l < 1 (gd: 0 < l <= 1).
Tuning tune(Method m, double l);

/// r_n(lambda) for every entry of lambda, each method by its own recurrence on the scalar residual
/// (heavy ball: r_{n+1} = (1 + b - a lambda) r_n - b r_{n-1}, r_{-1} = r_0 = 1; Nesterov:
/// r_{n+1} = (1 - lambda) ((1 + b) r_n - b r_{n-1}); Chebyshev: r_{n+1} = r_n - omega_n lambda r_n
/// + beta_n (r_n - r_{n-1})); GD as exp(n log1p(-lambda)) like masks.cpp's mask_gd. Stable for n
/// up to 1e6 and lambda down to 1e-12; intended for lambda in [0, 1]. Absolute error about
/// eps n min(n, 1 / sqrt(l)) times max_k |r_k|, which is 1 except for heavy ball: its roots are
/// double at lambda = 1 too, r_n(1) = (-beta)^n (1 + n (1 + beta)), a transient peaking near
/// n = 1 / (2 sqrt(l)) at about 1 / (e sqrt(l)) (so heavy ball's mask at s_0 leaves [0, 1] by far
/// on the way; Nesterov's r_n(1) = 0 and Chebyshev's |r_n| <= 1 / T_n(x0) on [l, 1]).
arma::vec residual_polynomial(const Tuning& t, const arma::vec& lambda, std::uint64_t n);

/// The mask m_n = 1 - r_n(lambda): the same recurrences run on m (the method's iterate on the
/// scalar problem, m_{n+1} = m_n + a lambda (1 - m_n) + b (m_n - m_{n-1}) for heavy ball and so on;
/// GD as -expm1(n log1p(-lambda))), so that it keeps full relative precision where m is tiny
/// (lambda n^2 << 1) rather than losing it in 1 - r.
arma::vec accelerated_mask(const Tuning& t, const arma::vec& lambda, std::uint64_t n);

/// r_n(lambda) again, in long double by a second formula with no recurrence, for checking the
/// recurrences: GD (1 - lambda)^n; heavy ball and Nesterov from the roots x+, x- of the
/// characteristic polynomial x^2 - c1 x + c0 of r_{n+1} = c1 r_n - c0 r_{n-1}:
///   r_n = r_1 U_n - c0 U_{n-1}, U_n = (x+^n - x-^n) / (x+ - x-), r_1 = c1 - c0,
/// with U_n = rho^(n-1) sin(n theta) / sin(theta) for complex roots rho e^(+-i theta), the same
/// with sinh for real ones, and n x^(n-1) at a double root. The discriminant is used in factored
/// form (heavy ball: c1^2 - 4 c0 = -a^2 (lambda - l)(1 - lambda); Nesterov: 4 (1 - lambda)(l -
/// lambda) / (1 + sqrt(l))^2), so theta keeps its relative precision next to the double roots at
/// lambda = l and 1. Chebyshev: T_n(z) / T_n(x0) with T_n = cos(n acos z) on [-1, 1] and cosh(n
/// acosh z) above, acosh(x0) = 2 atanh(sqrt(l)).
arma::vec residual_polynomial_closed_form(const Tuning& t, const arma::vec& lambda,
                                          std::uint64_t n);

/// The fewest n in [1, n_max] with mask 1 - r_n(t.l) >= target (GD: at lambda = l as well), or
/// n_max + 1 if there is none. GD from the closed form n = log(1 - target) / log(1 - l), corrected
/// by evaluating the mask; the others by running the scalar recurrence at lambda = l once (O(n)).
/// Throws std::invalid_argument unless 0 < target < 1.
std::uint64_t iterations_to_keep(const Tuning& t, double target, std::uint64_t n_max);

/// Chebyshev's count in closed form: the mask at l is 1 - 1 / T_n(x0), x0 = (1 + l) / (1 - l), so
///   n = ceil(acosh(1 / (1 - target)) / acosh(x0)),  acosh(x0) = 2 atanh(sqrt(l)),
/// about acosh(1 / (1 - target)) / (2 sqrt(l)) for small l (GD needs about -log(1 - target) / l).
double chebyshev_iterations_closed_form(double l, double target);

/// The real iterates of the tuned method (see Tuning) on A from w_0 = 0: n steps with
/// g(w) = alpha A^T (y - A w), alpha given (normally 1 / s_0^2). Returns w_n.
arma::vec accelerated_iterates(const Tuning& t, const arma::mat& A, const arma::vec& y,
                               double alpha, std::uint64_t n);

/// Adam's hyperparameters (Kingma & Ba 2015, their defaults).
struct AdamOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
};

/// Adam on E(w) = 1/2 ||y - A w||^2 from w = 0 for T steps, with bias-corrected moments:
///   g = A^T (A w - y); m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
///   mhat = m / (1 - b1^t), vhat = v / (1 - b2^t); w -= lr mhat / (sqrt(vhat) + eps).
/// It is not a polynomial filter (the update is scaled per coordinate, not per singular
/// component). The observer, if given, sees w_1 .. w_T. Throws std::invalid_argument for lr <= 0,
/// beta outside [0, 1) or eps < 0.
arma::vec adam_least_squares(const arma::mat& A, const arma::vec& y, const AdamOptions& o,
                             std::uint64_t T, const IterateObserver& observe = {});

} // namespace sbias
