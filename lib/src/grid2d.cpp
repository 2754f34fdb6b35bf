#include "sbias/grid2d.hpp"
#include "sbias/constants.hpp"
#include "sbias/random.hpp"

#include "sbias/grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

namespace sbias {

namespace {} // namespace

arma::mat square_grid(arma::uword n) {
    const arma::vec t = unit_grid(n);
    arma::mat X(n * n, 2);
    for (arma::uword r = 0; r < n; ++r)
        for (arma::uword c = 0; c < n; ++c) {
            X(n * r + c, 0) = t(r);
            X(n * r + c, 1) = t(c);
        }
    return X;
}

arma::mat square_grid_pixels(arma::uword n) {
    arma::mat X(n * n, 2);
    for (arma::uword r = 0; r < n; ++r)
        for (arma::uword c = 0; c < n; ++c) {
            X(n * r + c, 0) = static_cast<double>(r);
            X(n * r + c, 1) = static_cast<double>(c);
        }
    return X;
}

arma::mat ridge_design_matrix(const Activation& eta, const arma::mat& X, const arma::mat& V,
                              const arma::vec& b) {
    if (X.n_cols != V.n_cols || V.n_rows != b.n_elem)
        throw std::invalid_argument("ridge_design_matrix: shapes of X, V, b do not match");
    arma::mat Z = X * V.t(); // Z_ij = v_j^T x_i
    Z.each_row() -= b.t();
    return Z.transform([&eta](double z) { return eta(z); });
}

FirstLayer rank_one_layer(arma::uword n, arma::uword M, bool pixel_units) {
    const double rows = static_cast<double>(n);
    FirstLayer layer;
    layer.V = arma::repmat(arma::rowvec{rows, 1.0}, M, 1);
    const double top = pixel_units ? rows * rows - 1.0 : rows + 1.0;
    layer.b = top * unit_grid(M);
    return layer;
}

FirstLayer random_layer(const arma::mat& X, arma::uword M, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    FirstLayer layer{arma::mat(M, 2), arma::vec(M)};
    for (arma::uword j = 0; j < M; ++j) {
        const double theta = 2.0 * pi * uniform01(rng);
        layer.V(j, 0) = std::cos(theta);
        layer.V(j, 1) = std::sin(theta);
        const arma::vec p = X * layer.V.row(j).t();
        layer.b(j) = p.min() + uniform01(rng) * (p.max() - p.min());
    }
    return layer;
}

std::vector<std::pair<arma::uword, arma::uword>> dst2d_order(arma::uword K) {
    std::vector<std::pair<arma::uword, arma::uword>> order;
    for (arma::uword s = 0; order.size() < K; ++s)
        for (arma::uword a = 0; a <= s && order.size() < K; ++a)
            order.emplace_back(a, s - a);
    return order;
}

arma::mat dst2d_basis(arma::uword n, arma::uword K) {
    const arma::vec t = unit_grid(n);
    arma::mat B(n * n, K);
    const auto order = dst2d_order(K);
    for (arma::uword k = 0; k < K; ++k) {
        const arma::vec fa = arma::sin(pi * (order[k].first + 0.5) * t),
                        fb = arma::sin(pi * (order[k].second + 0.5) * t);
        for (arma::uword r = 0; r < n; ++r)
            for (arma::uword c = 0; c < n; ++c)
                B(n * r + c, k) = fa(r) * fb(c);
        B.col(k) /= arma::norm(B.col(k));
    }
    return B;
}

arma::mat dst2d_orthonormal(arma::uword n, arma::uword K) {
    const auto order = dst2d_order(K);
    arma::uword top = 0;
    for (const auto& [a, b] : order)
        top = std::max({top, a, b});
    if (n < 2 || top + 2 > n)
        throw std::invalid_argument(
            "dst2d_orthonormal: K = " + std::to_string(K) +
            " needs a frequency index above n - 2 = " + std::to_string(n < 2 ? 0 : n - 2));
    const arma::vec t = unit_grid(n);
    arma::mat F(n, top + 1);
    for (arma::uword k = 0; k <= top; ++k)
        F.col(k) = arma::sin(pi * (k + 0.5) * t);
    arma::mat Q1, R;
    if (!arma::qr_econ(Q1, R, F)) throw std::runtime_error("dst2d_orthonormal: QR failed");
    // QR's columns follow Gram-Schmidt up to sign; make each correlate positively with its
    // function.
    for (arma::uword k = 0; k < Q1.n_cols; ++k)
        if (R(k, k) < 0.0) Q1.col(k) *= -1.0;
    arma::mat Q(n * n, K);
    for (arma::uword k = 0; k < K; ++k) {
        const auto [a, b] = order[k];
        for (arma::uword r = 0; r < n; ++r)
            for (arma::uword c = 0; c < n; ++c)
                Q(n * r + c, k) = Q1(r, a) * Q1(c, b);
    }
    return Q;
}

double Roughness::anisotropy() const {
    const double lo = std::min(gx, gy), hi = std::max(gx, gy);
    return lo > 0.0 ? hi / lo : std::numeric_limits<double>::infinity();
}

Roughness grid_roughness(const arma::vec& u, arma::uword n) {
    if (u.n_elem != n * n) throw std::invalid_argument("grid_roughness: u is not an n x n image");
    const double scale = 1.0 / arma::norm(u);
    Roughness g;
    for (arma::uword r = 0; r < n; ++r)
        for (arma::uword c = 0; c < n; ++c) {
            const double here = u(n * r + c) * scale;
            if (c + 1 < n) g.gx += std::pow(u(n * r + c + 1) * scale - here, 2);
            if (r + 1 < n) g.gy += std::pow(u(n * (r + 1) + c) * scale - here, 2);
        }
    return g;
}

} // namespace sbias
