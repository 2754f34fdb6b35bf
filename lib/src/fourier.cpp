#include "sbias/fourier.hpp"
#include "sbias/constants.hpp"

#include <cmath>
#include <complex>
#include <limits>
#include <stdexcept>

namespace sbias {

namespace {} // namespace

double fourier_magnitude(const Activation& eta, double omega) {
    const double w = std::abs(omega);
    if (w == 0.0 && eta.fourier_singular_at_zero)
        throw std::invalid_argument("fourier_magnitude: the transform of " + std::string(eta.name) +
                                    " is singular at omega = 0");
    return eta.fourier(w); // the formulas and their derivations: lib/src/activations.cpp
}

double fourier_magnitude(const Activation& eta, double sigma, double omega) {
    if (!(sigma > 0.0)) throw std::invalid_argument("fourier_magnitude: sigma must be positive");
    return fourier_magnitude(eta, omega / sigma) / sigma;
}

double spectral_penalty(const Activation& eta, double sigma, double omega) {
    const double m = fourier_magnitude(eta, sigma, omega);
    return m > 0.0 ? 1.0 / (m * m) : std::numeric_limits<double>::infinity();
}

arma::vec predicted_spectrum(const Activation& eta, double sigma, const arma::vec& omega) {
    if (omega.is_empty()) throw std::invalid_argument("predicted_spectrum: no frequencies");
    arma::vec p(omega.n_elem);
    for (arma::uword k = 0; k < omega.n_elem; ++k)
        p(k) = fourier_magnitude(eta, sigma, omega(k));
    if (!(p(0) > 0.0))
        throw std::invalid_argument("predicted_spectrum: the transform vanishes at omega_0");
    return p / p(0);
}

PredictionFit fit_prediction(const arma::vec& measured, const arma::vec& predicted,
                             arma::uword from, arma::uword to) {
    if (from >= to || to > measured.n_elem || to > predicted.n_elem)
        throw std::invalid_argument("fit_prediction: range outside the spectra");
    double log_sum = 0.0;
    arma::uword n = 0;
    for (arma::uword k = from; k < to; ++k)
        if (predicted(k) > 0.0) {
            log_sum += std::log(measured(k) / predicted(k));
            ++n;
        }
    PredictionFit fit;
    fit.constant = n > 0 ? std::exp(log_sum / double(n)) : std::numeric_limits<double>::quiet_NaN();
    for (arma::uword k = from; k < to; ++k) {
        const double c_p = n > 0 ? fit.constant * predicted(k) : 0.0;
        fit.max_rel_error = std::max(fit.max_rel_error, std::abs(c_p - measured(k)) / measured(k));
    }
    return fit;
}

namespace {
/// The boundary determinant of the order-2r clamped-free problem at beta, made real: the roots
/// mu_j = beta exp(i pi (2j + r) / (2r)) of mu^(2r) = (-1)^r beta^(2r) come in conjugate pairs, so
/// the determinant is real or imaginary; its larger part changes sign at each eigenvalue.
double clamped_free_determinant(int r, double beta) {
    const int n = 2 * r;
    arma::cx_vec mu(n);
    for (int j = 0; j < n; ++j)
        mu(j) = std::polar(beta, pi * (2.0 * j + r) / n);
    arma::cx_mat B(n, n);
    for (int j = 0; j < n; ++j)
        for (int m = 0; m < n; ++m) // u^(m)(0) = 0 for m < r; u^(m)(1) = 0 for m >= r
            B(m, j) = std::pow(mu(j), m) * (m < r ? 1.0 : std::exp(mu(j)));
    const std::complex<double> d = arma::det(B);
    return std::abs(d.real()) >= std::abs(d.imag()) ? d.real() : d.imag();
}
} // namespace

double clamped_free_frequency(int r) {
    if (r < 1 || r > 4) throw std::invalid_argument("clamped_free_frequency: r must lie in 1..4");
    // beta_0 lies in (pi/4, pi/2 + r): scan for the first sign change, then bisect.
    const double step = 1e-3;
    double lo = pi / 4, f_lo = clamped_free_determinant(r, lo);
    for (double hi = lo + step; hi < pi / 2 + r; hi += step) {
        const double f_hi = clamped_free_determinant(r, hi);
        if ((f_lo < 0) != (f_hi < 0)) {
            for (int it = 0; it < 200 && hi - lo > 4e-16 * hi; ++it) {
                const double mid = 0.5 * (lo + hi), f_mid = clamped_free_determinant(r, mid);
                if ((f_lo < 0) != (f_mid < 0))
                    hi = mid;
                else
                    lo = mid, f_lo = f_mid;
            }
            return 0.5 * (lo + hi);
        }
        lo = hi, f_lo = f_hi;
    }
    throw std::runtime_error("clamped_free_frequency: no root found");
}

} // namespace sbias
