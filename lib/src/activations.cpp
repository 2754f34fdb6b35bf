#include "sbias/activations.hpp"

#include "sbias/errors.hpp"

#include <cmath>

namespace sbias {

namespace {

constexpr double pi = 3.14159265358979323846;

double eval(ActivationKind kind, double z) {
    switch (kind) {
    case ActivationKind::heaviside:
        return z >= 0.0 ? 1.0 : 0.0; // H(0) = 1, SPEC.md
    case ActivationKind::relu:
        return z > 0.0 ? z : 0.0;
    case ActivationKind::relu2:
        return z > 0.0 ? z * z : 0.0;
    case ActivationKind::tanh:
        return std::tanh(z);
    case ActivationKind::gelu:
        // z Phi(z) with Phi(z) = erfc(-z / sqrt 2) / 2: erfc keeps the left tail accurate where
        // 1 + erf(z / sqrt 2) would cancel.
        return 0.5 * z * std::erfc(-z / std::sqrt(2.0));
    case ActivationKind::silu:
        // z sigmoid(z), with the exponential always of a non-positive argument.
        return z >= 0.0 ? z / (1.0 + std::exp(-z)) : z * std::exp(z) / (1.0 + std::exp(z));
    case ActivationKind::sinc: {
        const double t = pi * z;
        // Below |t| = 1e-4 the Taylor series 1 - t^2/6 is exact to rounding (next term t^4/120).
        return std::abs(t) < 1e-4 ? 1.0 - t * t / 6.0 : std::sin(t) / t;
    }
    case ActivationKind::gauss:
        return std::exp(-pi * z * z);
    }
    return 0.0; // unreachable: every kind is handled above
}

double eval_derivative(ActivationKind kind, double z) {
    switch (kind) {
    case ActivationKind::heaviside:
        return 0.0; // almost everywhere
    case ActivationKind::relu:
        return z > 0.0 ? 1.0 : 0.0; // 0 at the kink
    case ActivationKind::relu2:
        return z > 0.0 ? 2.0 * z : 0.0;
    case ActivationKind::tanh: {
        const double t = std::tanh(z);
        return 1.0 - t * t;
    }
    case ActivationKind::gelu: // Phi(z) + z phi(z)
        return 0.5 * std::erfc(-z / std::sqrt(2.0)) +
               z * std::exp(-0.5 * z * z) / std::sqrt(2 * pi);
    case ActivationKind::silu: { // s + z s (1 - s), s the sigmoid
        const double s = z >= 0.0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
        return s + z * s * (1.0 - s);
    }
    case ActivationKind::sinc: {
        const double t = pi * z;
        // d/dz sin(t)/t = pi (t cos t - sin t) / t^2, whose series is -pi t / 3 near 0.
        return std::abs(t) < 1e-4 ? -pi * t / 3.0 : pi * (t * std::cos(t) - std::sin(t)) / (t * t);
    }
    case ActivationKind::gauss:
        return -2.0 * pi * z * std::exp(-pi * z * z);
    }
    return 0.0; // unreachable
}

} // namespace

double Activation::operator()(double z) const {
    return eval(kind, z);
}

double Activation::derivative(double z) const {
    return eval_derivative(kind, z);
}

const std::vector<Activation>& all_activations() {
    using K = ActivationKind;
    using M = Monotonicity;
    static const std::vector<Activation> table = {
        {K::heaviside, "heaviside", R"([z \ge 0])", M::monotonic, 1},
        {K::relu, "relu", R"(\max(z, 0))", M::monotonic, 2},
        {K::relu2, "relu2", R"(\max(z, 0)^2)", M::monotonic, 3},
        {K::tanh, "tanh", R"(\tanh z)", M::monotonic, 0},
        {K::gelu, "gelu", R"(z\,\Phi(z))", M::quasi_monotonic, 0},
        {K::silu, "silu", R"(z / (1 + e^{-z}))", M::quasi_monotonic, 0},
        {K::sinc, "sinc", R"(\sin(\pi z) / (\pi z))", M::non_monotonic, 0},
        {K::gauss, "gauss", R"(e^{-\pi z^2})", M::non_monotonic, 0},
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
    switch (act.kind) {
    case ActivationKind::heaviside:
    case ActivationKind::relu:
    case ActivationKind::relu2:
        return 1.0;
    case ActivationKind::tanh:
    case ActivationKind::gelu:
    case ActivationKind::silu:
        return static_cast<double>(M);
    case ActivationKind::sinc:
    case ActivationKind::gauss:
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace sbias
