#include "sbias/accelerated.hpp"

#include "sbias/errors.hpp"

#include <cmath>
#include <stdexcept>

namespace sbias {

namespace accel_detail {

/// The coefficients of step n -> n + 1 in the one form every method here shares:
///   w_{n+1} = x + omega g(x), x = w_n (+ beta (w_n - w_{n-1}) for the gradient point: Nesterov),
///   plus beta (w_n - w_{n-1}) for the others (heavy ball, Chebyshev; GD has beta = 0).
class Schedule {
public:
    explicit Schedule(const Tuning& t) : t_(t) {
        if (t.method == Method::chebyshev) {
            // rho_0 = 1 / x0 and sigma = 1 - rho kept separately: for small l, rho is within
            // 2 sqrt(l) of 1 and x0 - 1 = 2 l / (1 - l) would lose its digits if stored as x0.
            two_delta0_ = 4.0 * t.l / (1.0 - t.l);
            rho_prev_ = (1.0 - t.l) / (1.0 + t.l);
            sigma_prev_ = 2.0 * t.l / (1.0 + t.l);
        }
    }
    bool gradient_at_extrapolation() const { return t_.method == Method::nesterov; }
    void next(double& omega, double& beta) {
        const std::uint64_t k = k_++;
        switch (t_.method) {
        case Method::gd:
            omega = t_.step;
            beta = 0.0;
            return;
        case Method::heavy_ball:
        case Method::nesterov:
            omega = t_.step;
            beta = k == 0 ? 0.0 : t_.momentum; // w_{-1} = w_0: the first step has no momentum
            return;
        case Method::chebyshev:
            if (k == 0) {
                omega = 2.0 / (1.0 + t_.l); // r_1 = T_1(z) / T_1(x0) = 1 - 2 lambda / (1 + l)
                beta = 0.0;
                return;
            }
            {
                // rho_k = 1 / (2 x0 - rho_{k-1}) = 1 / (1 + 2 (x0 - 1) + sigma_{k-1})
                const double rho = 1.0 / (1.0 + two_delta0_ + sigma_prev_);
                omega = 4.0 * rho / (1.0 - t_.l);
                beta = rho_prev_ * rho;
                sigma_prev_ = (two_delta0_ + sigma_prev_) * rho;
                rho_prev_ = rho;
            }
            return;
        }
    }

private:
    Tuning t_;
    std::uint64_t k_ = 0;
    double two_delta0_ = 0.0, rho_prev_ = 0.0, sigma_prev_ = 0.0;
};

/// One step of the residual recurrence at lambda (r_prev = r_{n-1}, r = r_n).
inline double residual_step(double r, double r_prev, double lambda, double omega, double beta,
                            bool nesterov) {
    if (nesterov) {
        const double v = r + beta * (r - r_prev);
        return v - omega * lambda * v;
    }
    return r - omega * lambda * r + beta * (r - r_prev);
}

/// The same on the mask m = 1 - r (the iterate of the scalar problem with solution 1).
inline double mask_step(double m, double m_prev, double lambda, double omega, double beta,
                        bool nesterov) {
    if (nesterov) {
        const double v = m + beta * (m - m_prev);
        return v + omega * lambda * (1.0 - v);
    }
    return m + omega * lambda * (1.0 - m) + beta * (m - m_prev);
}

/// GD's residual (1 - lambda)^n, as exp(n log1p(-lambda)) on [0, 1).
inline double gd_residual(double lambda, std::uint64_t n) {
    if (n == 0) return 1.0;
    const double q = static_cast<double>(n);
    if (lambda == 1.0) return 0.0;
    if (lambda > 1.0) return std::pow(1.0 - lambda, q);
    return std::exp(q * std::log1p(-lambda));
}

/// GD's mask 1 - (1 - lambda)^n, as -expm1(n log1p(-lambda)) on [0, 1) (masks.cpp's mask_gd).
inline double gd_mask(double lambda, std::uint64_t n) {
    if (n == 0 || lambda == 0.0) return 0.0;
    const double q = static_cast<double>(n);
    if (lambda == 1.0) return 1.0;
    if (lambda > 1.0) return 1.0 - std::pow(1.0 - lambda, q);
    return -std::expm1(q * std::log1p(-lambda));
}

/// Runs the scalar recurrence (residual or mask) for every entry of lambda; steps outermost so
/// that the inner loop over entries vectorises.
template <bool Mask>
arma::vec run_recurrence(const Tuning& t, const arma::vec& lambda, std::uint64_t n) {
    const arma::uword N = lambda.n_elem;
    arma::vec cur(N), prev(N);
    cur.fill(Mask ? 0.0 : 1.0); // x_0 and x_{-1}
    prev = cur;
    Schedule sched(t);
    const bool nesterov = sched.gradient_at_extrapolation();
    const double* lam = lambda.memptr();
    double* c = cur.memptr();
    double* p = prev.memptr();
    for (std::uint64_t k = 0; k < n; ++k) {
        double omega = 0.0, beta = 0.0;
        sched.next(omega, beta);
        for (arma::uword i = 0; i < N; ++i) {
            const double x = Mask ? mask_step(c[i], p[i], lam[i], omega, beta, nesterov)
                                  : residual_step(c[i], p[i], lam[i], omega, beta, nesterov);
            p[i] = c[i];
            c[i] = x;
        }
    }
    return cur;
}

using ld = long double;

/// r_n for r_{n+1} = c1 r_n - c0 r_{n-1}, r_0 = 1, r_1 = r1, given the discriminant
/// D = c1^2 - 4 c0 (in factored form by the caller): r_n = r1 U_n - c0 U_{n-1},
/// U_n = (x+^n - x-^n) / (x+ - x-).
ld two_root_residual(ld c1, ld c0, ld D, ld r1, std::uint64_t n) {
    if (n == 0) return 1.0L;
    if (n == 1) return r1;
    const ld nn = static_cast<ld>(n);
    if (c0 == 0.0L) return r1 * std::pow(c1, nn - 1); // roots c1 and 0
    if (D < 0.0L) {
        // x = rho e^(+-i theta): U_n = rho^(n-1) sin(n theta) / sin(theta), so
        // r_n = rho^(n-1) (r1 sin(n theta) - rho sin((n-1) theta)) / sin(theta).
        const ld rho = std::sqrt(c0), im = std::sqrt(-D);
        const ld theta = std::atan2(im, c1), sin_theta = im / (2 * rho);
        return std::pow(rho, nn - 1) *
               (r1 * std::sin(nn * theta) - rho * std::sin((nn - 1) * theta)) / sin_theta;
    }
    if (D == 0.0L) {
        const ld x = c1 / 2; // double root: U_n = n x^(n-1), c0 = x^2
        return std::pow(x, nn - 2) * (r1 * nn * x - (nn - 1) * x * x);
    }
    // Real roots: x_big the larger in magnitude, q = x_small / x_big = 1 - delta;
    // U_n = x_big^(n-1) F_n with F_n = (1 - q^n) / (1 - q).
    const ld sq = std::sqrt(D);
    const ld x_big = (c1 + (c1 < 0 ? -sq : sq)) / 2;
    const ld delta = sq / std::abs(x_big);
    const auto F = [&](ld m) {
        if (delta <= 1.0L) return -std::expm1(m * std::log1p(-delta)) / delta;
        return (1.0L - std::pow(1.0L - delta, m)) / delta;
    };
    return std::pow(x_big, nn - 2) * (r1 * x_big * F(nn) - c0 * F(nn - 1));
}

/// T_n(z(lambda)) / T_n(x0) in long double, z = (1 + l - 2 lambda) / (1 - l).
ld chebyshev_ratio(ld l, ld lambda, std::uint64_t n) {
    if (n == 0) return 1.0L;
    const ld nn = static_cast<ld>(n);
    const ld B = 2 * std::atanh(std::sqrt(l)); // acosh(x0)
    const ld eB = std::exp(-2 * nn * B);
    if (lambda >= l && lambda <= 1.0L) {
        // z in [-1, 1]: T_n(z) = cos(n theta), theta = acos(z), from the half-angle forms
        // (1 - z) / 2 = (lambda - l) / (1 - l) and (1 + z) / 2 = (1 - lambda) / (1 - l).
        const ld u = (lambda - l) / (1 - l), v = (1 - lambda) / (1 - l);
        const ld pi = std::acos(-1.0L);
        const ld theta = u <= 0.5L ? 2 * std::asin(std::sqrt(u)) : pi - 2 * std::asin(std::sqrt(v));
        return std::cos(nn * theta) * 2 * std::exp(-nn * B) / (1 + eB);
    }
    // |z| > 1: T_n(z) = sign(z)^n cosh(n acosh |z|), acosh(1 + w) = log1p(w + sqrt(w (2 + w))).
    const ld w = lambda < l ? 2 * (l - lambda) / (1 - l) : 2 * (lambda - 1) / (1 - l);
    const ld A = std::log1p(w + std::sqrt(w * (2 + w)));
    const ld sign = (lambda > 1.0L && n % 2 == 1) ? -1.0L : 1.0L;
    return sign * std::exp(-nn * (B - A)) * (1 + std::exp(-2 * nn * A)) / (1 + eB);
}

} // namespace accel_detail

std::string method_name(Method m) {
    switch (m) {
    case Method::gd:
        return "gd";
    case Method::heavy_ball:
        return "heavy_ball";
    case Method::nesterov:
        return "nesterov";
    case Method::chebyshev:
        return "chebyshev";
    }
    throw std::invalid_argument("method_name: not a Method");
}

Method method_from_name(const std::string& s) {
    std::string valid;
    for (Method m : all_methods()) {
        if (method_name(m) == s) return m;
        valid += (valid.empty() ? "" : ", ") + method_name(m);
    }
    throw usage_error("unknown method '" + s + "' (valid: " + valid + ")");
}

const std::vector<Method>& all_methods() {
    static const std::vector<Method> methods = {Method::gd, Method::heavy_ball, Method::nesterov,
                                                Method::chebyshev};
    return methods;
}

Tuning tune(Method m, double l) {
    const bool ok = m == Method::gd ? (l > 0.0 && l <= 1.0) : (l > 0.0 && l < 1.0);
    if (!ok)
        throw std::invalid_argument("tune(" + method_name(m) + "): l must lie in (0, " +
                                    (m == Method::gd ? "1]" : "1)") + ", got " + std::to_string(l));
    const double sl = std::sqrt(l);
    const double ratio = (1.0 - sl) / (1.0 + sl);
    switch (m) {
    case Method::gd:
        return {m, l, 1.0, 0.0};
    case Method::heavy_ball:
    case Method::chebyshev: // the limits of Chebyshev's omega_n and beta_n
        return {m, l, 4.0 / ((1.0 + sl) * (1.0 + sl)), ratio * ratio};
    case Method::nesterov:
        return {m, l, 1.0, ratio};
    }
    throw std::invalid_argument("tune: not a Method");
}

arma::vec residual_polynomial(const Tuning& t, const arma::vec& lambda, std::uint64_t n) {
    if (t.method == Method::gd) {
        arma::vec r(lambda.n_elem);
        for (arma::uword i = 0; i < lambda.n_elem; ++i)
            r(i) = accel_detail::gd_residual(lambda(i), n);
        return r;
    }
    return accel_detail::run_recurrence<false>(t, lambda, n);
}

arma::vec accelerated_mask(const Tuning& t, const arma::vec& lambda, std::uint64_t n) {
    if (t.method == Method::gd) {
        arma::vec m(lambda.n_elem);
        for (arma::uword i = 0; i < lambda.n_elem; ++i)
            m(i) = accel_detail::gd_mask(lambda(i), n);
        return m;
    }
    return accel_detail::run_recurrence<true>(t, lambda, n);
}

arma::vec residual_polynomial_closed_form(const Tuning& t, const arma::vec& lambda,
                                          std::uint64_t n) {
    using accel_detail::ld;
    const ld l = t.l, sl = std::sqrt(l);
    arma::vec r(lambda.n_elem);
    for (arma::uword i = 0; i < lambda.n_elem; ++i) {
        const ld lam = lambda(i);
        ld v = 0.0L;
        switch (t.method) {
        case Method::gd:
            v = n == 0        ? 1.0L
                : lam < 1.0L  ? std::exp(static_cast<ld>(n) * std::log1p(-lam))
                : lam == 1.0L ? 0.0L
                              : std::pow(1.0L - lam, static_cast<ld>(n));
            break;
        case Method::heavy_ball: {
            const ld beta = (1 - sl) / (1 + sl), b = beta * beta, a = 4 / ((1 + sl) * (1 + sl));
            // c1^2 - 4 c0 = ((1 - beta)^2 - a lambda)((1 + beta)^2 - a lambda)
            //             = a^2 (l - lambda)(1 - lambda), as (1 - beta)^2 = a l, (1 + beta)^2 = a.
            v = accel_detail::two_root_residual(1 + b - a * lam, b, a * a * (l - lam) * (1 - lam),
                                                1 - a * lam, n);
            break;
        }
        case Method::nesterov: {
            const ld b = (1 - sl) / (1 + sl);
            // c1^2 - 4 c0 = (1 - lambda)((1 - b)^2 - lambda (1 + b)^2)
            //             = 4 (1 - lambda)(l - lambda) / (1 + sqrt(l))^2.
            v = accel_detail::two_root_residual((1 - lam) * (1 + b), (1 - lam) * b,
                                                4 * (1 - lam) * (l - lam) / ((1 + sl) * (1 + sl)),
                                                1 - lam, n);
            break;
        }
        case Method::chebyshev:
            v = accel_detail::chebyshev_ratio(l, lam, n);
            break;
        }
        r(i) = static_cast<double>(v);
    }
    return r;
}

std::uint64_t iterations_to_keep(const Tuning& t, double target, std::uint64_t n_max) {
    if (!(target > 0.0 && target < 1.0))
        throw std::invalid_argument("iterations_to_keep: target must lie in (0, 1), got " +
                                    std::to_string(target));
    if (n_max == 0) return 1;
    if (t.method == Method::gd) {
        // n = log(1 - target) / log(1 - l), then corrected against the mask as evaluated.
        if (t.l >= 1.0) return 1;
        const double guess = std::ceil(std::log1p(-target) / std::log1p(-t.l));
        if (guess > static_cast<double>(n_max) + 2.0) return n_max + 1;
        std::uint64_t n = guess < 1.0 ? 1 : static_cast<std::uint64_t>(guess);
        while (n > 1 && accel_detail::gd_mask(t.l, n - 1) >= target)
            --n;
        while (n <= n_max && accel_detail::gd_mask(t.l, n) < target)
            ++n;
        return n > n_max ? n_max + 1 : n;
    }
    accel_detail::Schedule sched(t);
    const bool nesterov = sched.gradient_at_extrapolation();
    double m = 0.0, m_prev = 0.0;
    for (std::uint64_t n = 1; n <= n_max; ++n) {
        double omega = 0.0, beta = 0.0;
        sched.next(omega, beta);
        const double next = accel_detail::mask_step(m, m_prev, t.l, omega, beta, nesterov);
        m_prev = m;
        m = next;
        if (m >= target) return n;
        if (n > 1 && m == m_prev) break; // stalled within rounding of 1: target out of reach
    }
    return n_max + 1;
}

double chebyshev_iterations_closed_form(double l, double target) {
    if (!(l > 0.0 && l < 1.0) || !(target > 0.0 && target < 1.0))
        throw std::invalid_argument("chebyshev_iterations_closed_form: l and target must lie in "
                                    "(0, 1)");
    // acosh(1 / (1 - target)) = acosh(1 + w), w = target / (1 - target).
    const double w = target / (1.0 - target);
    const double num = std::log1p(w + std::sqrt(w * (2.0 + w)));
    return std::ceil(num / (2.0 * std::atanh(std::sqrt(l))));
}

arma::vec accelerated_iterates(const Tuning& t, const arma::mat& A, const arma::vec& y,
                               double alpha, std::uint64_t n) {
    if (y.n_elem != A.n_rows)
        throw std::invalid_argument("accelerated_iterates: y needs one entry per row of A");
    arma::vec w(A.n_cols, arma::fill::zeros), w_prev = w;
    accel_detail::Schedule sched(t);
    const bool nesterov = sched.gradient_at_extrapolation();
    for (std::uint64_t k = 0; k < n; ++k) {
        double omega = 0.0, beta = 0.0;
        sched.next(omega, beta);
        arma::vec next;
        if (nesterov) {
            const arma::vec v = w + beta * (w - w_prev);
            next = v + (omega * alpha) * (A.t() * (y - A * v));
        } else {
            next = w + (omega * alpha) * (A.t() * (y - A * w)) + beta * (w - w_prev);
        }
        w_prev = std::move(w);
        w = std::move(next);
    }
    return w;
}

arma::vec adam_least_squares(const arma::mat& A, const arma::vec& y, const AdamOptions& o,
                             std::uint64_t T, const IterateObserver& observe) {
    if (y.n_elem != A.n_rows)
        throw std::invalid_argument("adam_least_squares: y needs one entry per row of A");
    if (!(o.lr > 0.0) || !(o.beta1 >= 0.0 && o.beta1 < 1.0) || !(o.beta2 >= 0.0 && o.beta2 < 1.0) ||
        !(o.eps >= 0.0))
        throw std::invalid_argument(
            "adam_least_squares: need lr > 0, beta1 and beta2 in [0, 1), eps >= 0");
    arma::vec w(A.n_cols, arma::fill::zeros), m = w, v = w;
    const double log_b1 = std::log(o.beta1), log_b2 = std::log(o.beta2);
    for (std::uint64_t k = 1; k <= T; ++k) {
        const arma::vec g = A.t() * (A * w - y);
        m = o.beta1 * m + (1.0 - o.beta1) * g;
        v = o.beta2 * v + (1.0 - o.beta2) * arma::square(g);
        const double kk = static_cast<double>(k);
        const double c1 = -std::expm1(kk * log_b1), c2 = -std::expm1(kk * log_b2); // 1 - beta^k
        w -= o.lr * (m / c1) / (arma::sqrt(v / c2) + o.eps);
        if (observe) observe(k, w);
    }
    return w;
}

} // namespace sbias
