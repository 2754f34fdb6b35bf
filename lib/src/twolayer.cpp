#include "sbias/twolayer.hpp"
#include "sbias/random.hpp"
#include "sbias/thin_products.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "avx2.hpp"
#ifdef SB_AVX2_KERNELS
#include <cstring>
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

/// Hidden units a block on the BLAS path.
constexpr arma::uword blas_block = 32;

// The BLAS path (any machine; loss_gradient below). The signs of a column of pre-activations, two
// samples a byte (bit 0: sample 2p, bit 1: sample 2p + 1), made while relu(z) a_j is added into f;
// and a column of B from them.

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

#ifdef SB_AVX2_KERNELS
// The fused path: both GEMMs of an iteration (d = 10: too thin for BLAS to run near peak, and each
// leaves an n x 32 block to be read again) done in registers with AVX2 and FMA, rounded as the
// dgemm calls they replace (single-threaded OpenBLAS on Haswell and Zen, checked bit for bit):
//   z_ij = fma(x_i,d-1, w_j,d-1, ... fma(x_i0, w_j0, 0)): each dot product one FMA chain in order
//          of the columns of X (OpenBLAS's kernel: one accumulator per entry of Z, k in order);
//   G_jc = sum_i B_ij x_ic as FMA chains in order of the samples, over the chunks in which
//          OpenBLAS's single-threaded driver splits K (blas_k_chunks, thin_products.hpp), each
//          chunk's sum added to the total in turn.
// f_i += a_j relu(z_ij) and B_ij = r_i 1[z_ij > 0] round as on the BLAS path (a product, then a
// sum; the library is compiled with -ffp-contract=off, so no compiler fuses them).

/// bit s of b moved to bit 0 of byte s: the 8 signs of one hidden unit over 8 samples, spread to
/// the 8 bytes of those samples.
struct Spread {
    std::uint64_t of[256];
    Spread() {
        for (unsigned b = 0; b < 256; ++b) {
            of[b] = 0;
            for (unsigned s = 0; s < 8; ++s)
                of[b] |= std::uint64_t((b >> s) & 1u) << (8 * s);
        }
    }
};

/// Lane u all ones where bit u of the index is set, else zero: a group's four signs at a sample
/// as a mask of B's row.
struct Lanes {
    alignas(32) std::uint64_t of[16][4];
    Lanes() {
        for (unsigned b = 0; b < 16; ++b)
            for (unsigned u = 0; u < 4; ++u)
                of[b][u] = (b >> u) & 1u ? ~std::uint64_t(0) : 0;
    }
};

/// f_i += sum_j a_j relu(z_ij) (j in order) and the sign bytes, for X padded to n8 rows (a
/// multiple of 8, the padding rows zero), W (m x d), f (n8 entries, zero on entry).
SB_AVX2_FMA void fused_forward(const double* X, arma::uword n8, arma::uword d, const double* W,
                               arma::uword m, const double* a, double* f, unsigned char* signs) {
    static const Spread spread;
    const __m256d zero = _mm256_setzero_pd();
    std::vector<double> wt(4 * d);
    for (arma::uword j0 = 0; j0 < m; j0 += 4) {
        // The group's weights, c-major, and its output weights; a unit past m has zeros, so its
        // z is +0, its sign bit 0, and the a_j relu(z) = +-0 it adds leaves f as it is (f, which
        // starts at +0, is never -0: a sum of doubles is -0 only when both terms are).
        const arma::uword units = std::min<arma::uword>(4, m - j0);
        double aj[4];
        for (arma::uword u = 0; u < 4; ++u) {
            aj[u] = u < units ? a[j0 + u] : 0.0;
            for (arma::uword c = 0; c < d; ++c)
                wt[4 * c + u] = u < units ? W[j0 + u + c * m] : 0.0;
        }
        unsigned char* group = signs + (j0 / 4) * n8;
        for (arma::uword i = 0; i < n8; i += 8) {
            __m256d z[4][2];
            for (int u = 0; u < 4; ++u)
                z[u][0] = z[u][1] = zero;
            for (arma::uword c = 0; c < d; ++c) {
                const __m256d x0 = _mm256_loadu_pd(X + c * n8 + i);
                const __m256d x1 = _mm256_loadu_pd(X + c * n8 + i + 4);
                for (int u = 0; u < 4; ++u) {
                    const __m256d w = _mm256_broadcast_sd(&wt[4 * c + u]);
                    z[u][0] = _mm256_fmadd_pd(x0, w, z[u][0]);
                    z[u][1] = _mm256_fmadd_pd(x1, w, z[u][1]);
                }
            }
            __m256d f0 = _mm256_loadu_pd(f + i), f1 = _mm256_loadu_pd(f + i + 4);
            std::uint64_t bytes = 0;
            for (int u = 0; u < 4; ++u) { // in order of j: f_i's sum as on the BLAS path
                const __m256d p0 = _mm256_cmp_pd(z[u][0], zero, _CMP_GT_OQ);
                const __m256d p1 = _mm256_cmp_pd(z[u][1], zero, _CMP_GT_OQ);
                const __m256d au = _mm256_broadcast_sd(aj + u);
                f0 = _mm256_add_pd(f0, _mm256_mul_pd(au, _mm256_and_pd(z[u][0], p0)));
                f1 = _mm256_add_pd(f1, _mm256_mul_pd(au, _mm256_and_pd(z[u][1], p1)));
                const unsigned bits =
                    unsigned(_mm256_movemask_pd(p0)) | unsigned(_mm256_movemask_pd(p1)) << 4;
                bytes |= spread.of[bits] << u;
            }
            _mm256_storeu_pd(f + i, f0);
            _mm256_storeu_pd(f + i + 4, f1);
            std::memcpy(group + i, &bytes, 8);
        }
    }
}

/// Columns [c0, c0 + C) of G = B^T X (G m x d, column-major), B_ij = r_i 1[z_ij > 0] from the
/// sign bytes; four hidden units a vector, samples in order within each chunk. Xr: X row by row
/// (sample i's d values together, one or two cache lines a sample instead of d).
template <int C>
SB_AVX2_FMA void fused_backward_columns(const unsigned char* signs, arma::uword n8, const double* r,
                                        const KChunks& chunks, const double* Xr, arma::uword d,
                                        arma::uword c0, arma::uword m, double* G) {
    static const Lanes lanes;
    for (arma::uword j0 = 0; j0 < m; j0 += 4) {
        const unsigned char* group = signs + (j0 / 4) * n8;
        __m256d total[C];
        for (int c = 0; c < C; ++c)
            total[c] = _mm256_setzero_pd();
        for (const auto& [start, len] : chunks) {
            __m256d acc[C];
            for (int c = 0; c < C; ++c)
                acc[c] = _mm256_setzero_pd();
            for (arma::uword i = start; i < start + len; ++i) {
                const __m256d b = _mm256_and_pd(
                    _mm256_broadcast_sd(r + i),
                    _mm256_load_pd(reinterpret_cast<const double*>(lanes.of[group[i] & 15])));
                const double* xi = Xr + i * d + c0;
                for (int c = 0; c < C; ++c)
                    acc[c] = _mm256_fmadd_pd(b, _mm256_broadcast_sd(xi + c), acc[c]);
            }
            for (int c = 0; c < C; ++c)
                total[c] = _mm256_add_pd(total[c], acc[c]);
        }
        const arma::uword units = std::min<arma::uword>(4, m - j0);
        for (int c = 0; c < C; ++c) {
            alignas(32) double out[4];
            _mm256_store_pd(out, total[c]);
            for (arma::uword u = 0; u < units; ++u)
                G[j0 + u + (c0 + c) * m] = out[u];
        }
    }
}

/// G = B^T X, the columns of X in groups of at most 12 (the accumulators stay in registers).
SB_AVX2_FMA void fused_backward(const unsigned char* signs, arma::uword n, arma::uword n8,
                                const double* r, const double* Xr, arma::uword d, arma::uword m,
                                double* G) {
    const auto chunks = blas_k_chunks(n);
    const arma::uword groups = (d + 11) / 12;
    for (arma::uword g = 0, c0 = 0; g < groups; ++g) {
        const arma::uword C = (d - c0) / (groups - g); // as even as the groups can be
        // One instance per group width, so that each keeps its C accumulators in registers.
        using Columns = void (*)(const unsigned char*, arma::uword, const double*, const KChunks&,
                                 const double*, arma::uword, arma::uword, arma::uword, double*);
        static constexpr Columns by_width[] = {nullptr,
                                               fused_backward_columns<1>,
                                               fused_backward_columns<2>,
                                               fused_backward_columns<3>,
                                               fused_backward_columns<4>,
                                               fused_backward_columns<5>,
                                               fused_backward_columns<6>,
                                               fused_backward_columns<7>,
                                               fused_backward_columns<8>,
                                               fused_backward_columns<9>,
                                               fused_backward_columns<10>,
                                               fused_backward_columns<11>,
                                               fused_backward_columns<12>};
        by_width[C](signs, n8, r, chunks, Xr, d, c0, m, G);
        c0 += C;
    }
}
#endif

/// f_i = sum_j a_j relu(z_ij) (unscaled, j in order), keeping the signs of Z in ws for
/// gradient_from_signs: by the kernels above where `fused`, else by BLAS a block of 32 hidden units
/// at a time.
arma::vec relu_forward(const TwoLayerRelu& net, const arma::mat& X, GradientWorkspace& ws,
                       bool fused) {
    const arma::uword n = X.n_rows, d = X.n_cols, m = net.width();
#ifdef SB_AVX2_KERNELS
    if (fused) {
        const arma::uword n8 = (n + 7) / 8 * 8;
        ws.Z.zeros(n8, d); // X padded with zero rows
        ws.Z.rows(0, n - 1) = X;
        ws.active.resize((m + 3) / 4 * n8);
        arma::vec f(n8, arma::fill::zeros);
        fused_forward(ws.Z.memptr(), n8, d, net.W.memptr(), m, net.a.memptr(), f.memptr(),
                      ws.active.data());
        return f.head(n);
    }
#else
    (void)fused;
#endif
    const arma::uword half = (n + 1) / 2;
    ws.Z.set_size(n, std::min(m, blas_block));
    ws.active.resize(half * m);
    arma::vec f(n, arma::fill::zeros);
    for (arma::uword j0 = 0; j0 < m; j0 += blas_block) {
        const arma::uword j1 = std::min(m, j0 + blas_block);
        arma::mat Zb(ws.Z.memptr(), n, j1 - j0, false, true);
        Zb = X * net.W.rows(j0, j1 - 1).t();
        for (arma::uword j = j0; j < j1; ++j)
            add_relu_keep_signs(Zb.colptr(j - j0), net.a(j), n, f.memptr(),
                                ws.active.data() + j * half);
    }
    return f;
}

/// G = B^T X (m x d), B_ij = r_i 1[z_ij > 0] from the signs relu_forward kept, on its path.
arma::mat gradient_from_signs(const arma::mat& X, const arma::vec& r, arma::uword m,
                              GradientWorkspace& ws, bool fused) {
    const arma::uword n = X.n_rows, d = X.n_cols;
    arma::mat G(m, d);
#ifdef SB_AVX2_KERNELS
    if (fused) {
        const arma::mat Xr = X.t(); // d x n: sample i's values together
        fused_backward(ws.active.data(), n, ws.Z.n_rows, r.memptr(), Xr.memptr(), d, m, G.memptr());
        return G;
    }
#else
    (void)fused;
#endif
    const arma::uword half = (n + 1) / 2;
    for (arma::uword j0 = 0; j0 < m; j0 += blas_block) {
        const arma::uword j1 = std::min(m, j0 + blas_block);
        arma::mat Bb(ws.Z.memptr(), n, j1 - j0, false, true);
        for (arma::uword j = j0; j < j1; ++j)
            masked_residual(ws.active.data() + j * half, r.memptr(), n, Bb.colptr(j - j0));
        G.rows(j0, j1 - 1) = Bb.t() * X;
    }
    return G;
}

} // namespace

bool fused_gradient_available() {
    return avx2_fma_available();
}

LossGradient loss_gradient(const TwoLayerRelu& net, const arma::mat& X, const arma::vec& y,
                           GradientWorkspace& ws) {
    const arma::uword n = X.n_rows, m = net.width();
    if (X.n_cols != net.W.n_cols || y.n_elem != n)
        throw std::invalid_argument("loss_gradient: shapes do not match");
    const bool fused = !ws.blas_only && fused_gradient_available();
    const double s = std::sqrt(double(m));
    // The n x m pre-activations Z = X W^T are used for f where they are made (in registers on the
    // fused path; on the BLAS path a block of 32 hidden units at a time, n x 32 doubles, 256 KB at
    // n = 1000, while in cache); of them only their signs are kept (m = 4096: 1 MB on the fused
    // path, 2 MB on the BLAS path, against 33 MB for Z, whose trips through memory take longer
    // than a GEMM). The gradient needs nothing else:
    //   dw_j = (s/n) a_j G_j  with  G = B^T X,  B_ij = r_i 1[z_ij > 0],
    //   da_j = (s/n) sum_i r_i relu(z_ij) = (s/n) sum_i r_i 1[z_ij > 0] (w_j . x_i)
    //        = (s/n) w_j . G_j,
    // so an iteration takes two GEMMs with d = 10 (the third, Z made again for the gradient, is
    // gone). f and dW round as before (the same GEMMs, sums in the same order, the same B); da
    // rounds as w_j . G_j instead of the sum over i. make bench times both paths (chapter 10).
    const arma::vec f = relu_forward(net, X, ws, fused);
    LossGradient g;
    g.residual = s * f - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / double(n);
    g.dW = gradient_from_signs(X, g.residual, m, ws, fused);
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
