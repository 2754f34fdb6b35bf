#include "sbias/fourier.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

// Derivations (convention of fourier.hpp; F(z g)(w) = (i / 2 pi) d/dw F(g)(w), F(g')(w) = 2 pi i w
// F(g)(w)):
//   heaviside: H' = delta, so 2 pi i w H^ = 1 away from 0.   relu: relu'' = delta.   relu2:
//   relu2''' = 2 delta. tanh: tanh' = sech^2, whose transform is 2 pi^2 w csch(pi^2 w) (a standard
//   pair), so
//         tanh^ = -i pi csch(pi^2 w). As w -> 0 this is 1 / (pi w), the transform of sign(z) = 2H
//         - 1.
//   sinc: sin(pi z) / (pi z) is the inverse transform of the unit box on (-1/2, 1/2).
//   gauss: exp(-pi z^2) is its own transform.
//   gelu: z Phi(z) with Phi' = phi, phi^ = exp(-2 pi^2 w^2), so Phi^ = exp(-2 pi^2 w^2) / (2 pi i
//   w);
//         then (i / 2 pi) d/dw gives -exp(-2 pi^2 w^2) (4 pi^2 + 1 / w^2) / (4 pi^2).
//   silu: z s(z) with s = (1 + tanh(z / 2)) / 2, s^ = -i pi csch(2 pi^2 w) away from 0; then
//         (i / 2 pi) d/dw gives -pi^2 csch(2 pi^2 w) coth(2 pi^2 w).
// Every monotone or quasi-monotone case reduces to the Heaviside / ReLU form as w -> 0.

namespace sbias {

namespace {
constexpr double pi = 3.14159265358979323846;

/// csch(a) for a > 0 without overflow: 2 e^-a / (1 - e^-2a).
double csch(double a) {
    return 2.0 * std::exp(-a) / -std::expm1(-2.0 * a);
}
/// csch(a) coth(a) for a > 0: 2 e^-a (1 + e^-2a) / (1 - e^-2a)^2.
double csch_coth(double a) {
    const double e = std::exp(-2.0 * a);
    return 2.0 * std::exp(-a) * (1.0 + e) / std::pow(-std::expm1(-2.0 * a), 2);
}
} // namespace

double fourier_magnitude(const Activation& eta, double omega) {
    const double w = std::abs(omega);
    const bool singular_at_zero =
        eta.kind != ActivationKind::sinc && eta.kind != ActivationKind::gauss;
    if (w == 0.0 && singular_at_zero)
        throw std::invalid_argument("fourier_magnitude: the transform of " + std::string(eta.name) +
                                    " is singular at omega = 0");
    switch (eta.kind) {
    case ActivationKind::heaviside:
        return 1.0 / (2.0 * pi * w);
    case ActivationKind::relu:
        return 1.0 / std::pow(2.0 * pi * w, 2);
    case ActivationKind::relu2:
        return 2.0 / std::pow(2.0 * pi * w, 3);
    case ActivationKind::tanh:
        return pi * csch(pi * pi * w);
    case ActivationKind::sinc:
        return w < 0.5 ? 1.0 : (w == 0.5 ? 0.5 : 0.0);
    case ActivationKind::gauss:
        return std::exp(-pi * w * w);
    case ActivationKind::gelu: {
        const double a = 4.0 * pi * pi * w * w;
        return std::exp(-a / 2.0) * (1.0 + a) / a;
    }
    case ActivationKind::silu:
        return pi * pi * csch_coth(2.0 * pi * pi * w);
    }
    throw std::logic_error("fourier_magnitude: unknown activation");
}

double fourier_magnitude(const Activation& eta, double sigma, double omega) {
    if (!(sigma > 0.0)) throw std::invalid_argument("fourier_magnitude: sigma must be positive");
    return fourier_magnitude(eta, omega / sigma) / sigma;
}

double spectral_penalty(const Activation& eta, double sigma, double omega) {
    const double m = fourier_magnitude(eta, sigma, omega);
    return m > 0.0 ? 1.0 / (m * m) : std::numeric_limits<double>::infinity();
}

} // namespace sbias
