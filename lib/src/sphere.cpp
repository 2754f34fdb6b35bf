#include "sbias/sphere.hpp"
#include "sbias/constants.hpp"
#include "sbias/random.hpp"

#include <algorithm>
#include <cmath>
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

} // namespace sbias
