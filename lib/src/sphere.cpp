#include "sbias/sphere.hpp"
#include "sbias/constants.hpp"
#include "sbias/random.hpp"

#include <quadmath.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace sbias {

namespace {

/// C_k^{(lambda)}(t) by C_{j+1} = (2 t (j + lambda) C_j - (j + 2 lambda - 1) C_{j-1}) / (j + 1).
double gegenbauer_c(int k, double lambda, double t) {
    double c0 = 1.0, c1 = 2.0 * lambda * t;
    if (k == 0) return c0;
    for (int j = 1; j < k; ++j) {
        const double c2 = (2.0 * t * (j + lambda) * c1 - (j + 2.0 * lambda - 1.0) * c0) / (j + 1);
        c0 = c1;
        c1 = c2;
    }
    return c1;
}

/// Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n from the Chebyshev guesses).
void gauss_legendre(int n, std::vector<double>& x, std::vector<double>& w) {
    x.assign(n, 0.0);
    w.assign(n, 0.0);
    for (int i = 0; i < n; ++i) {
        double z = std::cos(pi * (i + 0.75) / (n + 0.5)), dp = 0.0;
        for (int it = 0; it < 100; ++it) {
            double p0 = 1.0, p1 = z;
            for (int k = 2; k <= n; ++k) {
                const double p2 = ((2.0 * k - 1) * z * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (z * p1 - p0) / (z * z - 1.0);
            const double dz = p1 / dp;
            z -= dz;
            if (std::abs(dz) < 1e-16) break;
        }
        x[i] = z;
        w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
    }
}

void check_degree(int k, int d) {
    if (k < 0) throw std::invalid_argument("sphere: the degree must be non-negative");
    if (d < 3) throw std::invalid_argument("sphere: d must be at least 3");
}

const quad pi_q = acosq(-1);

/// An n-point Gauss-Legendre rule mapped to [0, pi] in quadruple precision, with cos and sin of
/// its nodes.
struct AngleRule {
    std::vector<quad> theta, weight, cos_theta, sin_theta;
};

/// The roots of P_n by Newton from the Chebyshev guesses, first in double, then two steps in
/// quadruple precision (each squares the relative error: 1e-16 -> 1e-32 -> rounding), weights
/// 2 / ((1 - z^2) P_n'(z)^2) at the refined root; symmetric about 0, so half are computed.
AngleRule angle_rule(int n) {
    AngleRule r;
    r.theta.resize(n);
    r.weight.resize(n);
    const auto legendre = [n](auto z, auto& dp) {
        decltype(z) p0 = 1, p1 = z;
        for (int k = 2; k <= n; ++k) {
            const decltype(z) p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
            p0 = p1;
            p1 = p2;
        }
        dp = n * (z * p1 - p0) / (z * z - 1);
        return p1;
    };
    for (int i = 0; i < (n + 1) / 2; ++i) {
        double zd = std::cos(pi * (i + 0.75) / (n + 0.5)), dpd = 0.0;
        for (int it = 0; it < 100; ++it) {
            const double p = legendre(zd, dpd), dz = p / dpd;
            zd -= dz;
            if (std::abs(dz) < 1e-15) break;
        }
        quad z = zd, dp = 0;
        for (int it = 0; it < 2; ++it) {
            const quad p = legendre(z, dp);
            z -= p / dp;
        }
        (void)legendre(z, dp);
        if (2 * i + 1 == n) z = 0; // the middle node of an odd rule
        const quad w = 2 / ((1 - z * z) * dp * dp), half = pi_q / 2;
        // x = -z maps to theta = (pi/2)(1 - z), x = z to (pi/2)(1 + z).
        r.theta[i] = half * (1 - z);
        r.theta[n - 1 - i] = half * (1 + z);
        r.weight[i] = r.weight[n - 1 - i] = half * w;
    }
    for (const quad th : r.theta) {
        r.cos_theta.push_back(cosq(th));
        r.sin_theta.push_back(sinq(th));
    }
    return r;
}

/// The rule of each size, computed once: it costs O(n^2) quadruple operations (measured: 6 ms at
/// n = 128, 85 ms at n = 512), the sum over its nodes O(n K) (2 ms at n = 128, K = 64).
const AngleRule& cached_angle_rule(int n) {
    static std::mutex mutex;
    static std::map<int, AngleRule> rules;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = rules.find(n);
    if (it == rules.end()) it = rules.emplace(n, angle_rule(n)).first;
    return it->second;
}

quad power(quad x, int e) {
    quad r = 1;
    for (; e > 0; e >>= 1, x *= x)
        if (e & 1) r *= x;
    return r;
}
} // namespace

arma::mat uniform_sphere(arma::uword n, arma::uword d, std::mt19937_64& rng) {
    if (d < 1) throw std::invalid_argument("uniform_sphere: d must be at least 1");
    arma::mat X(n, d);
    for (arma::uword i = 0; i < n; ++i) {
        double norm = 0.0;
        do {
            for (arma::uword c = 0; c < d; ++c)
                X(i, c) = standard_normal(rng);
            norm = arma::norm(X.row(i));
        } while (norm == 0.0);
        X.row(i) /= norm;
    }
    return X;
}

double gegenbauer(int k, int d, double t) {
    check_degree(k, d);
    const double lambda = (d - 2) / 2.0;
    return gegenbauer_c(k, lambda, t) / gegenbauer_c(k, lambda, 1.0);
}

arma::vec gegenbauer(int k, int d, const arma::vec& t) {
    check_degree(k, d);
    const double lambda = (d - 2) / 2.0, at_one = gegenbauer_c(k, lambda, 1.0);
    arma::vec p(t.n_elem);
    for (arma::uword i = 0; i < t.n_elem; ++i)
        p(i) = gegenbauer_c(k, lambda, t(i)) / at_one;
    return p;
}

double harmonic_dimension(int k, int d) {
    check_degree(k, d);
    // (2k + d - 2) / (k + d - 2) * binomial(k + d - 2, k), in logs of Gamma for any size.
    return (2.0 * k + d - 2) / (k + d - 2.0) *
           std::exp(std::lgamma(k + d - 1.0) - std::lgamma(k + 1.0) - std::lgamma(d - 1.0));
}

double funk_hecke(const std::function<double(double)>& kappa, int d, int k, int panels) {
    check_degree(k, d);
    if (panels < 1) throw std::invalid_argument("funk_hecke: at least one panel");
    const double c_d = std::exp(std::lgamma(d / 2.0) - std::lgamma((d - 1) / 2.0)) / std::sqrt(pi);
    static thread_local std::vector<double> x, w;
    if (x.size() != 20) gauss_legendre(20, x, w);
    // In phi (t = cos phi) the integrand kappa(cos phi) P_k(cos phi) sin(phi)^(d-2) is smooth on
    // [0, pi] for the kernels used here, so composite Gauss-Legendre converges fast.
    const double h = pi / panels;
    double sum = 0.0;
    for (int p = 0; p < panels; ++p)
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double phi = h * (p + 0.5 * (x[i] + 1.0)), t = std::cos(phi);
            sum += w[i] * kappa(t) * gegenbauer(k, d, t) * std::pow(std::sin(phi), d - 2);
        }
    return c_d * sum * h / 2.0;
}

double relu_ntk_kernel(double t) {
    t = std::clamp(t, -1.0, 1.0);
    const double theta = std::acos(t);
    return (std::sin(theta) + (pi - theta) * t) / pi + t * (pi - theta) / (2.0 * pi);
}

arma::vec funk_hecke_high(const std::function<quad(quad)>& kappa_theta, int d, int max_degree,
                          int nodes) {
    check_degree(max_degree, d);
    if (nodes < 2) throw std::invalid_argument("funk_hecke_high: at least two nodes");
    const AngleRule& rule = cached_angle_rule(nodes);
    const quad c_d = expq(lgammaq(quad(d) / 2) - lgammaq(quad(d - 1) / 2)) / sqrtq(pi_q);
    // The recurrence's coefficients, once: P_{j+1} = a_j t P_j - b_j P_{j-1}.
    std::vector<quad> a(max_degree + 1), b(max_degree + 1);
    for (int j = 1; j <= max_degree; ++j) {
        a[j] = quad(2 * j + d - 2) / (j + d - 2);
        b[j] = quad(j) / (j + d - 2);
    }
    std::vector<quad> mu(max_degree + 1, 0);
    for (int i = 0; i < nodes; ++i) {
        const quad t = rule.cos_theta[i];
        const quad f =
            rule.weight[i] * kappa_theta(rule.theta[i]) * power(rule.sin_theta[i], d - 2);
        quad p0 = 1, p1 = t;
        mu[0] += f;
        if (max_degree >= 1) mu[1] += f * t;
        for (int j = 1; j < max_degree; ++j) {
            const quad p2 = a[j] * t * p1 - b[j] * p0;
            p0 = p1;
            p1 = p2;
            mu[j + 1] += f * p1;
        }
    }
    arma::vec out(max_degree + 1);
    for (int k = 0; k <= max_degree; ++k)
        out(k) = double(c_d * mu[k]);
    return out;
}

quad relu_ntk_kernel_theta(quad theta) {
    const quad t = cosq(theta);
    return (sinq(theta) + (pi_q - theta) * t) / pi_q + t * (pi_q - theta) / (2 * pi_q);
}

double relu_ntk_taylor(int j) {
    if (j < 0) throw std::invalid_argument("relu_ntk_taylor: the order must be non-negative");
    if (j == 0) return 1.0 / pi;
    if (j == 1) return 0.75;
    if (j % 2 == 1) return 0.0;
    const int i = j / 2;
    double q = 1.0; // q_{i-1} = (2i - 2)! / (4^(i-1) (i-1)!^2), by q_m = q_{m-1} (2m - 1) / (2m)
    for (int m = 1; m < i; ++m)
        q *= (2.0 * m - 1.0) / (2.0 * m);
    return q * (i + 1.0) / (2.0 * pi * i * (2.0 * i - 1.0));
}

double relu_ntk_asymptote(int k, int d) {
    check_degree(k, d);
    if (k < 2 || k % 2 == 1)
        throw std::invalid_argument("relu_ntk_asymptote: the law is for even degrees k >= 2");
    const double c = std::exp((d - 2) * std::log(2.0) + 2.0 * std::lgamma(d / 2.0)) / (pi * pi);
    // Term j of the bracket: a_j d (d + 2) ... (d + 2j - 2) / prod_{i=1..j} (k - 1/2 - i)(k + d -
    // 3/2 + i).
    const double a[] = {27.0 / 8.0, -63.0 / 128.0, 2247.0 / 7168.0};
    double bracket = 1.0, ratio = 1.0;
    for (int j = 1; j <= 3; ++j) {
        ratio *= (d + 2.0 * j - 2.0) / ((k - 0.5 - j) * (k + d - 1.5 + j));
        bracket += a[j - 1] * ratio;
    }
    return c * std::exp(std::lgamma(k - 0.5) - std::lgamma(k + d - 0.5)) * bracket;
}

} // namespace sbias
