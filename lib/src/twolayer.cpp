#include "sbias/twolayer.hpp"
#include "sbias/random.hpp"

#include <cmath>
#include <stdexcept>

namespace sbias {

TwoLayerRelu TwoLayerRelu::init(arma::uword m, arma::uword d, std::mt19937_64& rng) {
    if (m < 1 || d < 1) throw std::invalid_argument("TwoLayerRelu: width and dimension >= 1");
    TwoLayerRelu net;
    net.W = standard_normal_matrix(m, d, rng) * std::sqrt(2.0 / m);
    net.a = arma::vec(standard_normal_matrix(m, 1, rng)) * std::sqrt(1.0 / m);
    return net;
}

arma::vec TwoLayerRelu::operator()(const arma::mat& X) const {
    arma::mat H = X * W.t();
    H.transform([](double v) { return v > 0.0 ? v : 0.0; });
    return std::sqrt(double(width())) * (H * a);
}

LossGradient loss_gradient(const TwoLayerRelu& net, const arma::mat& X, const arma::vec& y,
                           arma::mat& Z) {
    const arma::uword n = X.n_rows, m = net.width();
    if (X.n_cols != net.W.n_cols || y.n_elem != n)
        throw std::invalid_argument("loss_gradient: shapes do not match");
    const double s = std::sqrt(double(m));
    // The n x m pre-activations are made and used a block of hidden units at a time, while the
    // block (n x 32 doubles, 256 KB at n = 1000) is in cache, and made twice: once for f, once
    // more (the same GEMM, so the same bits) for the gradient. Stored whole, they cost trips
    // through memory (m = 4096: 33 MB each) that take longer than the second GEMM, and two runs at
    // once share the memory bandwidth. f and da sum in the same order as whole-matrix passes
    // would; dW's GEMM, one per block, rounds differently from one whole-matrix GEMM (chapter 10's
    // results moved by at most 1e-12 relative, on values at the rounding floor; its macros did not
    // change). Measured at m = 4096, one thread: 14.2 ms per iteration as whole-matrix passes,
    // 9.3 ms with the blocks stored, 7.7 ms recomputed (chapter 10 alone: 13.5 s -> 10 s).
    constexpr arma::uword block = 32;
    Z.set_size(n, std::min(m, block));
    const auto preactivations = [&](arma::uword j0, arma::uword j1) {
        arma::mat Zb(Z.memptr(), n, j1 - j0, false, true);
        Zb = X * net.W.rows(j0, j1 - 1).t();
    };
    const auto relu = [](double v) { return v > 0.0 ? v : 0.0; };
    arma::vec f(n, arma::fill::zeros);
    double* fp = f.memptr();
    for (arma::uword j0 = 0; j0 < m; j0 += block) {
        const arma::uword j1 = std::min(m, j0 + block);
        preactivations(j0, j1);
        for (arma::uword j = j0; j < j1; ++j) { // f += relu(z_j) a_j
            const double* z = Z.colptr(j - j0);
            const double aj = net.a(j);
            for (arma::uword i = 0; i < n; ++i)
                fp[i] += aj * relu(z[i]);
        }
    }
    LossGradient g;
    g.residual = s * f - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / double(n);
    // Per block: da_j = (s/n) sum_i r_i relu(z_ij), then the block becomes B_ij = r_i 1[z_ij > 0]
    // and dw_j = (s/n) a_j (B^T X)_j, one GEMM.
    g.da.set_size(m);
    g.dW.set_size(m, X.n_cols);
    const double* r = g.residual.memptr();
    for (arma::uword j0 = 0; j0 < m; j0 += block) {
        const arma::uword j1 = std::min(m, j0 + block);
        preactivations(j0, j1);
        // Four columns at a time: each sum still runs over i in order (the same rounding as one
        // column at a time), but four independent chains keep the adder busy instead of one.
        arma::uword j = j0;
        for (; j + 4 <= j1; j += 4) {
            double* z0 = Z.colptr(j - j0);
            double* z1 = Z.colptr(j - j0 + 1);
            double* z2 = Z.colptr(j - j0 + 2);
            double* z3 = Z.colptr(j - j0 + 3);
            double acc0 = 0.0, acc1 = 0.0, acc2 = 0.0, acc3 = 0.0;
            for (arma::uword i = 0; i < n; ++i) {
                acc0 += r[i] * relu(z0[i]);
                acc1 += r[i] * relu(z1[i]);
                acc2 += r[i] * relu(z2[i]);
                acc3 += r[i] * relu(z3[i]);
                z0[i] = z0[i] > 0.0 ? r[i] : 0.0;
                z1[i] = z1[i] > 0.0 ? r[i] : 0.0;
                z2[i] = z2[i] > 0.0 ? r[i] : 0.0;
                z3[i] = z3[i] > 0.0 ? r[i] : 0.0;
            }
            g.da[j] = s / double(n) * acc0;
            g.da[j + 1] = s / double(n) * acc1;
            g.da[j + 2] = s / double(n) * acc2;
            g.da[j + 3] = s / double(n) * acc3;
        }
        for (; j < j1; ++j) {
            double* z = Z.colptr(j - j0);
            double acc = 0.0;
            for (arma::uword i = 0; i < n; ++i) {
                acc += r[i] * relu(z[i]);
                z[i] = z[i] > 0.0 ? r[i] : 0.0;
            }
            g.da[j] = s / double(n) * acc;
        }
        const arma::mat Bb(Z.memptr(), n, j1 - j0, false, true);
        g.dW.rows(j0, j1 - 1) = Bb.t() * X;
    }
    g.dW.each_col() %= net.a * (s / double(n));
    return g;
}

arma::mat ntk_gram(const TwoLayerRelu& net, const arma::mat& X) {
    const double m = double(net.width());
    arma::mat Z = X * net.W.t();
    arma::mat H = Z;
    H.transform([](double v) { return v > 0.0 ? v : 0.0; });
    arma::mat Da = arma::conv_to<arma::mat>::from(Z > 0.0);
    Z.reset();
    arma::mat K = H * H.t();
    H.reset();
    Da.each_row() %=
        arma::abs(net.a).t(); // D diag(|a|), so (D diag|a|)(D diag|a|)^T = D diag(a^2) D^T
    K += (X * X.t()) % (Da * Da.t());
    return m * K;
}

arma::mat ntk_jacobian(const TwoLayerRelu& net, const arma::mat& X) {
    const arma::uword n = X.n_rows, m = net.width(), d = X.n_cols;
    const double s = std::sqrt(double(m));
    arma::mat J(n, m * d + m, arma::fill::zeros);
    for (arma::uword i = 0; i < n; ++i)
        for (arma::uword j = 0; j < m; ++j) {
            const double z = arma::dot(net.W.row(j), X.row(i));
            if (z > 0.0)
                for (arma::uword c = 0; c < d; ++c)
                    J(i, j * d + c) = s * net.a(j) * X(i, c); // df/dW_jc
            J(i, m * d + j) = s * (z > 0.0 ? z : 0.0);        // df/da_j
        }
    return J;
}

} // namespace sbias
