// Activation functions eta(z) of the shallow network f(x) = sum_j w_j eta(sigma (x - b_j)), Eq. 2.
#pragma once

#include <armadillo>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sbias {

enum class ActivationKind { heaviside, relu, relu2, tanh, gelu, silu, sinc, gauss };

/// How the paper classes an activation (Sec. 5): strictly monotonic, "quasi-monotonic"
/// (GELU, SiLU: not monotonic, but tend to ReLU as sigma grows), or non-monotonic.
enum class Monotonicity { monotonic, quasi_monotonic, non_monotonic };

struct Activation {
    ActivationKind kind;
    std::string_view name;    ///< the name used on command lines and in JSON keys
    std::string_view formula; ///< the definition, in LaTeX
    Monotonicity monotonicity;
    /// r of Proposition 3.1 where eta(z) = z^(r-1) [z >= 0] exactly (heaviside 1, relu 2,
    /// relu2 3); 0 for activations that are not of that form.
    int spline_order;

    /// eta(z); defined for every finite z without overflow.
    double operator()(double z) const;
    /// eta'(z) (0 at the kinks of heaviside and relu, where eta has no derivative).
    double derivative(double z) const;
    /// True where eta is non-decreasing on the whole real line.
    bool monotonic() const { return monotonicity == Monotonicity::monotonic; }
};

/// The eight activations of SPEC.md, in the order the paper lists them.
const std::vector<Activation>& all_activations();

/// Looks an activation up by name; throws sbias::usage_error naming the valid ones.
const Activation& activation(std::string_view name);

/// SPEC.md's canonical scale: 1 for the scale-equivariant heaviside, relu, relu2; M for tanh,
/// gelu, silu. sinc and gauss have no default (each experiment names its sigma): empty.
std::optional<double> default_sigma(const Activation& act, arma::uword M);

/// "heaviside, relu, ..." for error messages and --help.
std::string activation_names();

} // namespace sbias
