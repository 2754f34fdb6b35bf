#include "sbias/splines.hpp"

#include "sbias/activations.hpp"

#include <cmath>
#include <stdexcept>

namespace sbias {

arma::vec inverse_difference_apply(const arma::vec& v, int r, double dx) {
    if (r < 0) throw std::invalid_argument("inverse_difference_apply: r must be >= 0");
    arma::vec out = v;
    for (int k = 0; k < r; ++k)
        out = arma::cumsum(out);
    return out * std::pow(dx, r);
}

arma::vec inverse_difference_column(arma::uword M, arma::uword m, int r, double dx) {
    arma::vec e(M, arma::fill::zeros);
    e(m) = 1.0;
    return inverse_difference_apply(e, r, dx);
}

namespace {

/// inverse_difference_entry with dx^r given (`dx_r`, std::pow(dx, r)): the same arithmetic, for
/// loops over a whole matrix that would otherwise call std::pow once an entry.
double inverse_difference_entry_scaled(arma::uword i, arma::uword j, int r, double dx_r) {
    if (i < j) return 0.0;
    // C(n + r - 1, r - 1) by the multiplicative formula, n = i - j.
    const double n = static_cast<double>(i - j);
    double c = 1.0;
    for (int k = 1; k <= r - 1; ++k)
        c = c * (n + k) / k;
    return dx_r * c;
}

/// The activation of spline_activation and its divisor (r - 1)!, computed by std::tgamma as
/// spline_activation always did (so the same bits), once instead of once a call.
struct SplineUnit {
    const Activation* eta;
    double factorial;
};

SplineUnit spline_unit(int r) {
    if (r < 1 || r > 3) throw std::invalid_argument("spline_activation: r must be 1, 2 or 3");
    static const SplineUnit units[] = {{&activation("heaviside"), std::tgamma(1)},
                                       {&activation("relu"), std::tgamma(2)},
                                       {&activation("relu2"), std::tgamma(3)}};
    return units[r - 1];
}

} // namespace

double inverse_difference_entry(arma::uword i, arma::uword j, int r, double dx) {
    return inverse_difference_entry_scaled(i, j, r, std::pow(dx, r));
}

arma::mat difference_matrix(arma::uword M, int r, double dx) {
    arma::mat D1(M, M, arma::fill::zeros);
    D1.diag().fill(1.0 / dx);
    if (M > 1) D1.diag(-1).fill(-1.0 / dx);
    arma::mat D = arma::eye(M, M);
    for (int k = 0; k < r; ++k)
        D = D1 * D;
    return D;
}

arma::vec spline_smooth_direct(arma::uword M, int r, double lambda, const arma::uvec& samples,
                               const arma::vec& y) {
    const arma::uword N = samples.n_elem;
    arma::mat K(N + M, M, arma::fill::zeros);
    for (arma::uword n = 0; n < N; ++n)
        K(n, samples(n)) = 1.0;
    K.rows(N, N + M - 1) = std::sqrt(lambda) * difference_matrix(M, r, 1.0 / M);
    arma::vec rhs(N + M, arma::fill::zeros);
    rhs.head(N) = y;
    return arma::solve(K, rhs);
}

arma::vec spline_smooth_ridge(arma::uword M, int r, double lambda, const arma::uvec& samples,
                              const arma::vec& y) {
    const double dx = 1.0 / M;
    const arma::uword N = samples.n_elem;
    const double dx_r = std::pow(dx, r);
    arma::mat A(N, M);
    for (arma::uword j = 0; j < M; ++j)
        for (arma::uword n = 0; n < N; ++n)
            A.at(n, j) = inverse_difference_entry_scaled(samples[n], j, r, dx_r);
    const arma::vec w = A.t() * arma::solve(A * A.t() + lambda * arma::eye(N, N), y);
    return inverse_difference_apply(w, r, dx);
}

double spline_activation(int r, double z) {
    const SplineUnit u = spline_unit(r);
    return (*u.eta)(z) / u.factorial;
}

arma::uvec sample_indices(arma::uword M, arma::uword Ns) {
    arma::uvec idx(Ns);
    for (arma::uword n = 0; n < Ns; ++n)
        idx(n) = (2 * n + 1) * M / (2 * Ns);
    return idx;
}

arma::vec spline_network_fit(const arma::vec& b, int r, double lambda, const arma::vec& xs,
                             const arma::vec& y, const arma::vec& xe) {
    if (b.is_empty() || xs.n_elem != y.n_elem)
        throw std::invalid_argument("spline_network_fit: needs biases and one y per sample");
    const arma::uword M = b.n_elem;
    const double dx = 1.0 / M;
    const SplineUnit u = spline_unit(r);
    const auto design = [&](const arma::vec& x) {
        arma::mat E(x.n_elem, M);
        for (arma::uword j = 0; j < M; ++j)
            for (arma::uword i = 0; i < x.n_elem; ++i)
                E.at(i, j) = (*u.eta)(x[i] - b[j]) / u.factorial; // spline_activation(r, .)
        return E;
    };
    const arma::mat B = design(xs);
    const arma::vec c =
        B.t() * arma::solve(B * B.t() + lambda / (dx * dx) * arma::eye(xs.n_elem, xs.n_elem), y);
    return design(xe) * c;
}

} // namespace sbias
