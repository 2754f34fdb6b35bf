// Activation functions eta(z) of the shallow network f(x) = sum_j w_j eta(sigma (x - b_j)), Eq. 2.
#pragma once

#include <armadillo>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbias {

/// The paper's eight, for code with a fast path for one of them; an activation added later is
/// `other` (see all_activations()).
enum class ActivationKind { heaviside, relu, relu2, tanh, gelu, silu, sinc, gauss, other };

/// SPEC.md's canonical scale sigma: 1 (scale-equivariant), the width M, or named by each
/// experiment.
enum class DefaultScale { one, width, named };

/// How the paper classes an activation (Sec. 5): strictly monotonic, "quasi-monotonic"
/// (GELU, SiLU: not monotonic, but tend to ReLU as sigma grows), or non-monotonic.
enum class Monotonicity { monotonic, quasi_monotonic, non_monotonic };

/// One activation, everything about it in one table entry (lib/src/activations.cpp).
struct Activation {
    ActivationKind kind;
    std::string_view name;    ///< the name used on command lines and in JSON keys
    std::string_view formula; ///< the definition, in LaTeX
    Monotonicity monotonicity;
    /// r of Proposition 3.1 where eta(z) = z^(r-1) [z >= 0] exactly (heaviside 1, relu 2,
    /// relu2 3); 0 for activations that are not of that form.
    int spline_order;
    DefaultScale scale;
    double (*eval)(double z);            ///< eta(z), for every finite z without overflow
    double (*eval_derivative)(double z); ///< eta'(z) (0 at a kink)
    /// |eta^(omega)| for omega > 0, in the convention of fourier.hpp (deltas at 0 dropped).
    double (*fourier)(double omega);
    bool fourier_singular_at_zero; ///< the transform has a pole at omega = 0

    /// eta(z).
    double operator()(double z) const { return eval(z); }
    /// eta'(z) (0 at the kinks of heaviside and relu, where eta has no derivative).
    double derivative(double z) const { return eval_derivative(z); }
    /// True where eta is non-decreasing on the whole real line.
    bool monotonic() const { return monotonicity == Monotonicity::monotonic; }
};

/// The eight activations of SPEC.md, in the order the paper lists them (and any added since).
/// To add an activation, add one entry to the table in lib/src/activations.cpp: name, LaTeX
/// formula, monotonicity, spline order, default scale, eta, eta' and |eta^|; chapters 04, 07 and 09
/// (and every --activation option) pick it up from there.
const std::vector<Activation>& all_activations();

/// Looks an activation up by name; throws sbias::usage_error naming the valid ones.
const Activation& activation(std::string_view name);

/// SPEC.md's canonical scale: 1 for the scale-equivariant heaviside, relu, relu2; M for tanh,
/// gelu, silu. sinc and gauss have no default (each experiment names its sigma): empty.
std::optional<double> default_sigma(const Activation& act, arma::uword M);

/// "heaviside, relu, ..." for error messages and --help.
std::string activation_names();

} // namespace sbias
