#include "sbias/twolayer.hpp"
#include "sbias/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

namespace {

// The signs of a column of pre-activations, two samples a byte (bit 0: sample 2p, bit 1: sample
// 2p + 1), made while relu(z) a_j is added into f; and a column of B from them.

/// f_i += a_j relu(z_i) over i, and on[p] = 1[z_2p > 0] | 1[z_2p+1 > 0] << 1.
void add_relu_keep_signs(const double* __restrict z, double aj, arma::uword n, double* __restrict f,
                         unsigned char* __restrict on) {
    arma::uword i = 0;
#ifdef __SSE2__
    const __m128d zero = _mm_setzero_pd(), a = _mm_set1_pd(aj);
    for (; i + 2 <= n; i += 2) {
        const __m128d v = _mm_loadu_pd(z + i), positive = _mm_cmpgt_pd(v, zero);
        // relu(v) is v where v > 0, else +0 (a NaN too, as v > 0 ? v : 0 gives); a_j relu(v)
        // added in, rounded as the scalar f_i += a_j relu(z_i).
        _mm_storeu_pd(f + i,
                      _mm_add_pd(_mm_loadu_pd(f + i), _mm_mul_pd(a, _mm_and_pd(v, positive))));
        on[i / 2] = static_cast<unsigned char>(_mm_movemask_pd(positive));
    }
#endif
    for (; i < n; i += 2) {
        unsigned char bits = 0;
        for (arma::uword k = i; k < std::min(n, i + 2); ++k) {
            f[k] += aj * (z[k] > 0.0 ? z[k] : 0.0);
            bits |= static_cast<unsigned char>(z[k] > 0.0) << (k - i);
        }
        on[i / 2] = bits;
    }
}

/// b_i = r_i where sample i's sign bit is set, else +0.
void masked_residual(const unsigned char* __restrict on, const double* __restrict r, arma::uword n,
                     double* __restrict b) {
    arma::uword i = 0;
#ifdef __SSE2__
    alignas(16) static const std::uint64_t keep[4][2] = {{0, 0},
                                                         {~std::uint64_t(0), 0},
                                                         {0, ~std::uint64_t(0)},
                                                         {~std::uint64_t(0), ~std::uint64_t(0)}};
    for (; i + 2 <= n; i += 2)
        _mm_storeu_pd(b + i,
                      _mm_and_pd(_mm_loadu_pd(r + i),
                                 _mm_load_pd(reinterpret_cast<const double*>(keep[on[i / 2]]))));
#endif
    for (; i < n; ++i)
        b[i] = (on[i / 2] >> (i % 2)) & 1 ? r[i] : 0.0;
}

} // namespace

LossGradient loss_gradient(const TwoLayerRelu& net, const arma::mat& X, const arma::vec& y,
                           GradientWorkspace& ws) {
    const arma::uword n = X.n_rows, m = net.width(), half = (n + 1) / 2;
    if (X.n_cols != net.W.n_cols || y.n_elem != n)
        throw std::invalid_argument("loss_gradient: shapes do not match");
    const double s = std::sqrt(double(m));
    // The n x m pre-activations Z = X W^T are made a block of 32 hidden units at a time, while the
    // block (n x 32 doubles, 256 KB at n = 1000) is in cache, and used there for f; of them only
    // their signs are kept, two samples a byte (m = 4096: 2 MB, against 33 MB for Z, whose trips
    // through memory take longer than a GEMM). The gradient needs nothing else:
    //   dw_j = (s/n) a_j G_j  with  G = B^T X,  B_ij = r_i 1[z_ij > 0],
    //   da_j = (s/n) sum_i r_i relu(z_ij) = (s/n) sum_i r_i 1[z_ij > 0] (w_j . x_i) = (s/n) w_j .
    //   G_j,
    // so an iteration takes two GEMMs with d = 10 (the third, Z made again for the gradient, is
    // gone). f and dW round as before (the same GEMMs, sums in the same order, the same B); da
    // rounds as w_j . G_j instead of the sum over i. make bench times it (chapter 10, "fused").
    constexpr arma::uword block = 32;
    ws.Z.set_size(n, std::min(m, block));
    ws.active.resize(half * m);
    arma::vec f(n, arma::fill::zeros);
    for (arma::uword j0 = 0; j0 < m; j0 += block) {
        const arma::uword j1 = std::min(m, j0 + block);
        arma::mat Zb(ws.Z.memptr(), n, j1 - j0, false, true);
        Zb = X * net.W.rows(j0, j1 - 1).t();
        for (arma::uword j = j0; j < j1; ++j)
            add_relu_keep_signs(Zb.colptr(j - j0), net.a(j), n, f.memptr(),
                                ws.active.data() + j * half);
    }
    LossGradient g;
    g.residual = s * f - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / double(n);
    g.dW.set_size(m, X.n_cols);
    for (arma::uword j0 = 0; j0 < m; j0 += block) {
        const arma::uword j1 = std::min(m, j0 + block);
        arma::mat Bb(ws.Z.memptr(), n, j1 - j0, false, true);
        for (arma::uword j = j0; j < j1; ++j)
            masked_residual(ws.active.data() + j * half, g.residual.memptr(), n, Bb.colptr(j - j0));
        g.dW.rows(j0, j1 - 1) = Bb.t() * X; // G
    }
    const double scale = s / double(n);
    g.da = scale * arma::sum(net.W % g.dW, 1); // w_j . G_j, summed over the d columns in order
    g.dW.each_col() %= net.a * scale;
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
