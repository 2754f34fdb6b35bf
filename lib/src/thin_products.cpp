#include "sbias/thin_products.hpp"

#include "avx2.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sbias {

bool avx2_fma_available() {
#ifdef SB_AVX2_KERNELS
    static const bool available = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return available;
#else
    return false;
#endif
}

KChunks blas_k_chunks(arma::uword K) {
    constexpr arma::uword Q = 256, unroll = 4;
    KChunks chunks;
    for (arma::uword start = 0; start < K;) {
        arma::uword len = K - start;
        if (len >= 2 * Q)
            len = Q;
        else if (len > Q)
            len = (len / 2 + unroll - 1) / unroll * unroll;
        chunks.emplace_back(start, len);
        start += len;
    }
    return chunks;
}

namespace {

constexpr arma::uword max_thin = 16; // columns of the thin factor the kernels take

#ifdef SB_AVX2_KERNELS
/// One chunk's sums, rows r in [start, start + len) in order, added to H's rows i0 .. i0 + G - 1
/// (padded, row-major: Hp[i * 4V + c]): G columns of Q against the rows of Wt (W transposed and
/// padded to 4V columns, row-major), V vectors of 4 entries of W's row r per column of Q.
template <int V, int G>
SB_AVX2_FMA void tn_columns(const double* Q, arma::uword ldq, arma::uword i0, const double* Wt,
                            arma::uword start, arma::uword len, double* Hp) {
    constexpr int P = 4 * V;
    const double* q[G];
    for (int g = 0; g < G; ++g)
        q[g] = Q + (i0 + g) * ldq;
    __m256d acc[G][V];
    for (int g = 0; g < G; ++g)
        for (int v = 0; v < V; ++v)
            acc[g][v] = _mm256_setzero_pd();
    for (arma::uword r = start; r < start + len; ++r) {
        __m256d w[V];
        for (int v = 0; v < V; ++v)
            w[v] = _mm256_loadu_pd(Wt + r * P + 4 * v);
        for (int g = 0; g < G; ++g) {
            const __m256d qg = _mm256_broadcast_sd(q[g] + r);
            for (int v = 0; v < V; ++v)
                acc[g][v] = _mm256_fmadd_pd(qg, w[v], acc[g][v]);
        }
    }
    for (int g = 0; g < G; ++g)
        for (int v = 0; v < V; ++v) {
            double* h = Hp + (i0 + g) * P + 4 * v;
            _mm256_storeu_pd(h, _mm256_add_pd(_mm256_loadu_pd(h), acc[g][v]));
        }
}

using TnKernel = void (*)(const double*, arma::uword, arma::uword, const double*, arma::uword,
                          arma::uword, double*);

/// Columns of Q a kernel takes at once: V G accumulators, V rows of W and a broadcast within the
/// 16 registers.
constexpr int tn_group(int V) {
    return V < 4 ? 4 : 2;
}

/// tn_columns<V, G> for G = 1 .. tn_group(V).
template <int V> TnKernel tn_kernel(int G) {
    switch (G) {
    case 1:
        return tn_columns<V, 1>;
    case 2:
        return tn_columns<V, 2>;
    case 3:
        return tn_columns<V, std::min(3, tn_group(V))>;
    default:
        return tn_columns<V, tn_group(V)>;
    }
}

SB_AVX2_FMA arma::mat tn_avx2(const arma::mat& Q, const arma::mat& W) {
    const arma::uword N = W.n_rows, b = W.n_cols, j = Q.n_cols;
    const int V = int((b + 3) / 4), P = 4 * V, G = tn_group(V);
    // W's rows, padded with zeros: written row by row into a buffer the thread keeps (a fresh
    // N x 4V allocation per call cost page faults and a zero fill each time).
    thread_local std::vector<double> Wt;
    if (Wt.size() < N * P) Wt.resize(N * P);
    std::vector<double> Hp(j * P, 0.0);
    const double* w[max_thin];
    for (arma::uword c = 0; c < b; ++c)
        w[c] = W.colptr(c);
    for (arma::uword r = 0; r < N; ++r) {
        double* row = Wt.data() + r * P;
        for (arma::uword c = 0; c < b; ++c)
            row[c] = w[c][r];
        for (arma::uword c = b; c < arma::uword(P); ++c)
            row[c] = 0.0;
    }
    // Chunk by chunk, all of Q's columns against each: W's chunk (at most 256 rows of 4V entries)
    // stays in L1 while Q streams past once. Each entry still adds its chunks' sums in order.
    const auto kernel = [V](int g) {
        return V == 1   ? tn_kernel<1>(g)
               : V == 2 ? tn_kernel<2>(g)
               : V == 3 ? tn_kernel<3>(g)
                        : tn_kernel<4>(g);
    };
    const TnKernel full = kernel(G), last = kernel(int((j - 1) % G + 1));
    for (const auto& [start, len] : blas_k_chunks(N))
        for (arma::uword i0 = 0; i0 < j; i0 += G)
            (i0 + G <= j ? full : last)(Q.memptr(), Q.n_rows, i0, Wt.data(), start, len, Hp.data());
    arma::mat H(j, b);
    for (arma::uword c = 0; c < b; ++c)
        for (arma::uword i = 0; i < j; ++i)
            H(i, c) = Hp[i * P + c];
    return H;
}

#endif

} // namespace

bool thin_products_fused(arma::uword b) {
    return b >= 1 && b <= max_thin && avx2_fma_available();
}

arma::mat thin_tn(const arma::mat& A, const arma::mat& W) {
    if (A.n_rows != W.n_rows) throw std::invalid_argument("thin_tn: shapes do not match");
    if (A.n_cols == 0) return arma::mat(0, W.n_cols);
#ifdef SB_AVX2_KERNELS
    if (thin_products_fused(W.n_cols)) return tn_avx2(A, W);
#endif
    return A.t() * W;
}

} // namespace sbias
