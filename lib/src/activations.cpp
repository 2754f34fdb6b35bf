#include "sbias/activations.hpp"
#include "sbias/constants.hpp"

#include "sbias/errors.hpp"

#include <cmath>

namespace sbias {

namespace {

/// csch(a) for a > 0 without overflow: 2 e^-a / (1 - e^-2a).
double csch(double a) {
    return 2.0 * std::exp(-a) / -std::expm1(-2.0 * a);
}
/// csch(a) coth(a) for a > 0: 2 e^-a (1 + e^-2a) / (1 - e^-2a)^2.
double csch_coth(double a) {
    const double e = std::exp(-2.0 * a);
    return 2.0 * std::exp(-a) * (1.0 + e) / std::pow(-std::expm1(-2.0 * a), 2);
}
/// The sigmoid, with the exponential always of a non-positive argument.
double sigmoid(double z) {
    return z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

// The transforms |eta^(w)|, w > 0, in the convention of fourier.hpp (F(z g)(w) = (i / 2 pi)
// d/dw F(g)(w), F(g')(w) = 2 pi i w F(g)(w)); each is checked against quadrature in tests/:
//   heaviside: H' = delta, so 2 pi i w H^ = 1 away from 0.   relu: relu'' = delta.
//   relu2: the third derivative is 2 delta.   tanh: tanh' = sech^2, whose transform is
//   2 pi^2 w csch(pi^2 w) (a standard pair), so tanh^ = -i pi csch(pi^2 w); as w -> 0 this is
//   1 / (pi w), the transform of sign(z) = 2H - 1.   sinc: the inverse transform of the unit box
//   on (-1/2, 1/2).   gauss: exp(-pi z^2) is its own transform.   gelu: z Phi(z) with Phi' = phi,
//   phi^ = exp(-2 pi^2 w^2), so Phi^ = exp(-2 pi^2 w^2) / (2 pi i w); then (i / 2 pi) d/dw gives
//   -exp(-2 pi^2 w^2) (4 pi^2 + 1 / w^2) / (4 pi^2).   silu: z s(z), s = (1 + tanh(z/2)) / 2,
//   s^ = -i pi csch(2 pi^2 w) away from 0; then (i / 2 pi) d/dw gives
//   -pi^2 csch(2 pi^2 w) coth(2 pi^2 w).
// Every monotone or quasi-monotone case reduces to the Heaviside / ReLU form as w -> 0.

} // namespace

const std::vector<Activation>& all_activations() {
    using K = ActivationKind;
    using M = Monotonicity;
    using S = DefaultScale;
    // One entry per activation: kind, name, formula, monotonicity, spline order, default scale,
    // eta, eta', |eta^(w)| for w > 0, whether the transform has a pole at 0.
    static const std::vector<Activation> table = {
        {K::heaviside, "heaviside", R"([z \ge 0])", M::monotonic, 1, S::one,
         [](double z) { return z >= 0.0 ? 1.0 : 0.0; }, // H(0) = 1, SPEC.md
         [](double) { return 0.0; },                    // almost everywhere
         [](double w) { return 1.0 / (2.0 * pi * w); }, true},
        {K::relu, "relu", R"(\max(z, 0))", M::monotonic, 2, S::one,
         [](double z) { return z > 0.0 ? z : 0.0; },
         [](double z) { return z > 0.0 ? 1.0 : 0.0; }, // 0 at the kink
         [](double w) { return 1.0 / std::pow(2.0 * pi * w, 2); }, true},
        {K::relu2, "relu2", R"(\max(z, 0)^2)", M::monotonic, 3, S::one,
         [](double z) { return z > 0.0 ? z * z : 0.0; },
         [](double z) { return z > 0.0 ? 2.0 * z : 0.0; },
         [](double w) { return 2.0 / std::pow(2.0 * pi * w, 3); }, true},
        {K::tanh, "tanh", R"(\tanh z)", M::monotonic, 0, S::width,
         [](double z) { return std::tanh(z); },
         [](double z) {
             const double t = std::tanh(z);
             return 1.0 - t * t;
         },
         [](double w) { return pi * csch(pi * pi * w); }, true},
        {K::gelu, "gelu", R"(z\,\Phi(z))", M::quasi_monotonic, 0, S::width,
         // z Phi(z) with Phi(z) = erfc(-z / sqrt 2) / 2: erfc keeps the left tail accurate where
         // 1 + erf(z / sqrt 2) would cancel.
         [](double z) { return 0.5 * z * std::erfc(-z / std::sqrt(2.0)); },
         [](double z) {
             return 0.5 * std::erfc(-z / std::sqrt(2.0)) +
                    z * std::exp(-0.5 * z * z) / std::sqrt(2 * pi);
         },
         [](double w) {
             const double a = 4.0 * pi * pi * w * w;
             return std::exp(-a / 2.0) * (1.0 + a) / a;
         },
         true},
        {K::silu, "silu", R"(z / (1 + e^{-z}))", M::quasi_monotonic, 0, S::width,
         [](double z) { return z * sigmoid(z); },
         [](double z) {
             const double s = sigmoid(z);
             return s + z * s * (1.0 - s);
         },
         [](double w) { return pi * pi * csch_coth(2.0 * pi * pi * w); }, true},
        {K::sinc, "sinc", R"(\sin(\pi z) / (\pi z))", M::non_monotonic, 0, S::named,
         [](double z) {
             const double t = pi * z;
             // Below |t| = 1e-4 the series 1 - t^2/6 is exact to rounding (next term t^4/120).
             return std::abs(t) < 1e-4 ? 1.0 - t * t / 6.0 : std::sin(t) / t;
         },
         [](double z) {
             const double t = pi * z;
             // d/dz sin(t)/t = pi (t cos t - sin t) / t^2, whose series is -pi t / 3 near 0.
             return std::abs(t) < 1e-4 ? -pi * t / 3.0
                                       : pi * (t * std::cos(t) - std::sin(t)) / (t * t);
         },
         [](double w) { return w < 0.5 ? 1.0 : (w == 0.5 ? 0.5 : 0.0); }, false},
        {K::gauss, "gauss", R"(e^{-\pi z^2})", M::non_monotonic, 0, S::named,
         [](double z) { return std::exp(-pi * z * z); },
         [](double z) { return -2.0 * pi * z * std::exp(-pi * z * z); },
         [](double w) { return std::exp(-pi * w * w); }, false},
    };
    return table;
}

std::string activation_names() {
    std::string names;
    for (const auto& a : all_activations()) {
        if (!names.empty()) names += ", ";
        names += a.name;
    }
    return names;
}

const Activation& activation(std::string_view name) {
    for (const auto& a : all_activations())
        if (a.name == name) return a;
    throw usage_error("unknown activation '" + std::string(name) +
                      "' (choose one of: " + activation_names() + ")");
}

std::optional<double> default_sigma(const Activation& act, arma::uword M) {
    switch (act.scale) {
    case DefaultScale::one:
        return 1.0;
    case DefaultScale::width:
        return static_cast<double>(M);
    case DefaultScale::named:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace sbias
