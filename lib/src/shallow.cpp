#include "sbias/shallow.hpp"

#include <cmath>
#include <stdexcept>

namespace sbias {

namespace {
/// Z_ij = v_j x_i + c_j.
void preactivations(const ShallowNet& net, const arma::vec& x, arma::mat& Z) {
    Z = x * net.v.t();
    Z.each_row() += net.c.t();
}
} // namespace

ShallowNet ShallowNet::paper_init(const Activation& eta, double sigma, const arma::vec& b) {
    ShallowNet net;
    net.eta = &eta;
    net.w.zeros(b.n_elem);
    net.v.set_size(b.n_elem);
    net.v.fill(sigma);
    net.c = -sigma * b;
    return net;
}

arma::vec ShallowNet::operator()(const arma::vec& x) const {
    arma::mat Z;
    preactivations(*this, x, Z);
    const Activation& e = *eta;
    if (e.kind == ActivationKind::tanh) // |z| >= 22: tanh rounds to +-1, as in shallow_gradient
        Z.transform(
            [](double z) { return std::abs(z) >= 22.0 ? (z > 0.0 ? 1.0 : -1.0) : std::tanh(z); });
    else
        Z.transform([&](double z) { return e(z); });
    arma::vec f = Z * w;
    if (tau != 1.0) f *= tau;
    return f;
}

ShallowGradient shallow_gradient(const ShallowNet& net, const arma::vec& x, const arma::vec& y,
                                 arma::mat& Z, arma::mat& H) {
    if (x.n_elem != y.n_elem)
        throw std::invalid_argument("shallow_gradient: x and y differ in size");
    const Activation& e = *net.eta;
    const arma::uword N = x.n_elem, M = net.w.n_elem;
    // Z_ij = v_j x_i + c_j in one pass (the same two roundings as preactivations()).
    Z.set_size(N, M);
    for (arma::uword j = 0; j < M; ++j) {
        const double vj = net.v(j), cj = net.c(j);
        double* zj = Z.colptr(j);
        for (arma::uword i = 0; i < N; ++i)
            zj[i] = x[i] * vj + cj;
    }
    H.set_size(N, M);
    // One pass: H = eta(Z), and Z becomes D = eta'(Z) (tanh' from tanh itself).
    const bool is_tanh = e.kind == ActivationKind::tanh, is_relu = e.kind == ActivationKind::relu;
    double* z = Z.memptr();
    double* h = H.memptr();
    const arma::uword NM = N * M;
    // One loop per activation, so the relu loop has no branch left to vectorise around.
    if (is_relu) {
        for (arma::uword k = 0; k < NM; ++k) {
            const double zk = z[k];
            h[k] = zk > 0.0 ? zk : 0.0;
            z[k] = zk > 0.0 ? 1.0 : 0.0;
        }
    } else if (is_tanh) {
        for (arma::uword k = 0; k < NM; ++k) {
            // |z| >= 22: tanh rounds to +-1 in double and 1 - h^2 to 0; skipping the call gives
            // the same bits and most entries are there at sigma = M.
            if (std::abs(z[k]) >= 22.0) {
                h[k] = z[k] > 0.0 ? 1.0 : -1.0;
                z[k] = 0.0;
            } else {
                h[k] = std::tanh(z[k]);
                z[k] = 1.0 - h[k] * h[k];
            }
        }
    } else {
        for (arma::uword k = 0; k < NM; ++k) {
            h[k] = e(z[k]);
            z[k] = e.derivative(z[k]);
        }
    }
    ShallowGradient g;
    // L = ||r||^2 / (2 tau^2) with r = tau H w - y: each gradient is tau = 1's over tau. At
    // tau = 1 the products and quotients by tau are exact: chapter 11's bits.
    const double tau = net.tau;
    g.residual = tau * (H * net.w) - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / (tau * tau);
    g.dw = H.t() * g.residual / tau;
    // G = diag(r) D: dv = w o (G^T x), dc = w o (G^T 1).
    Z.each_col() %= g.residual;
    g.dv = net.w % (Z.t() * x) / tau;
    g.dc = net.w % arma::vec(arma::sum(Z, 0).t()) / tau;
    return g;
}

arma::mat tangent_features(const ShallowNet& net, const arma::vec& x) {
    const Activation& e = *net.eta;
    arma::mat Z;
    preactivations(net, x, Z);
    arma::mat H = Z, D = Z;
    H.transform([&](double z) { return e(z); });
    D.transform([&](double z) { return e.derivative(z); });
    D.each_row() %= net.w.t();
    arma::mat Dx = D;
    Dx.each_col() %= x;
    arma::mat T = arma::join_rows(H, Dx, D);
    if (net.tau != 1.0) T *= net.tau;
    return T;
}

namespace {

/// Four-lane sums over i of column j: sw = sum h r, s1 = sum d r x, s0 = sum d r, with h = eta(z)
/// and d = eta'(z) given by `hd(i, h, d)`. Lanes i mod 4, added in a fixed order at the end.
template <class HD>
void column_sums(arma::uword N, const double* r, const double* rx, HD hd, double& sw, double& s1,
                 double& s0) {
    double aw[4] = {0, 0, 0, 0}, a1[4] = {0, 0, 0, 0}, a0[4] = {0, 0, 0, 0};
    arma::uword i = 0;
    for (; i + 4 <= N; i += 4)
        for (int l = 0; l < 4; ++l) {
            double h, d;
            hd(i + l, h, d);
            aw[l] += h * r[i + l];
            a1[l] += d * rx[i + l];
            a0[l] += d * r[i + l];
        }
    for (int l = 0; i < N; ++i, ++l) {
        double h, d;
        hd(i, h, d);
        aw[l] += h * r[i];
        a1[l] += d * rx[i];
        a0[l] += d * r[i];
    }
    sw = (aw[0] + aw[1]) + (aw[2] + aw[3]);
    s1 = (a1[0] + a1[1]) + (a1[2] + a1[3]);
    s0 = (a0[0] + a0[1]) + (a0[2] + a0[3]);
}

/// The dense two-pass kernel: every (i, j), for any x and any activation.
ShallowGradient fused_dense(const ShallowNet& net, const arma::vec& x, const arma::vec& y,
                            ShallowWorkspace& work) {
    const Activation& e = *net.eta;
    const arma::uword N = x.n_elem, M = net.w.n_elem;
    const double* xp = x.memptr();
    const double *wp = net.w.memptr(), *vp = net.v.memptr(), *cp = net.c.memptr();
    const bool is_relu = e.kind == ActivationKind::relu, is_tanh = e.kind == ActivationKind::tanh;
    // Pass 1: f = sum_j w_j eta(z_j) (unscaled); tanh keeps eta(z), the generic path eta and eta'.
    work.f.zeros(N);
    double* f = work.f.memptr();
    if (is_relu) {
        for (arma::uword j = 0; j < M; ++j) {
            const double wj = wp[j], vj = vp[j], cj = cp[j];
            if (wj == 0.0) continue; // adds +0 to every f_i
            for (arma::uword i = 0; i < N; ++i) {
                const double z = xp[i] * vj + cj;
                f[i] += wj * (z > 0.0 ? z : 0.0);
            }
        }
    } else {
        work.H.set_size(N, M);
        if (!is_tanh) work.D.set_size(N, M);
        for (arma::uword j = 0; j < M; ++j) {
            const double wj = wp[j], vj = vp[j], cj = cp[j];
            double* h = work.H.colptr(j);
            if (is_tanh) {
                for (arma::uword i = 0; i < N; ++i) {
                    const double z = xp[i] * vj + cj;
                    // |z| >= 22: tanh rounds to +-1 (as in shallow_gradient).
                    h[i] = std::abs(z) >= 22.0 ? (z > 0.0 ? 1.0 : -1.0) : std::tanh(z);
                }
            } else {
                double* d = work.D.colptr(j);
                for (arma::uword i = 0; i < N; ++i) {
                    const double z = xp[i] * vj + cj;
                    h[i] = e(z);
                    d[i] = e.derivative(z);
                }
            }
            if (wj != 0.0)
                for (arma::uword i = 0; i < N; ++i)
                    f[i] += wj * h[i];
        }
    }
    ShallowGradient g;
    const double tau = net.tau;
    g.residual = tau * work.f - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / (tau * tau);
    work.rx = g.residual % x;
    const double *r = g.residual.memptr(), *rx = work.rx.memptr();
    // Pass 2: per hidden unit, the three sums.
    g.dw.set_size(M);
    g.dv.set_size(M);
    g.dc.set_size(M);
    for (arma::uword j = 0; j < M; ++j) {
        const double vj = vp[j], cj = cp[j];
        double sw, s1, s0;
        if (is_relu) {
            column_sums(
                N, r, rx,
                [&](arma::uword i, double& h, double& d) {
                    const double z = xp[i] * vj + cj;
                    d = z > 0.0 ? 1.0 : 0.0;
                    h = z > 0.0 ? z : 0.0;
                },
                sw, s1, s0);
        } else if (is_tanh) {
            const double* hj = work.H.colptr(j);
            column_sums(
                N, r, rx,
                [&](arma::uword i, double& h, double& d) {
                    h = hj[i];
                    d = 1.0 - h * h;
                },
                sw, s1, s0);
        } else {
            const double *hj = work.H.colptr(j), *dj = work.D.colptr(j);
            column_sums(
                N, r, rx,
                [&](arma::uword i, double& h, double& d) {
                    h = hj[i];
                    d = dj[i];
                },
                sw, s1, s0);
        }
        g.dw[j] = sw / tau;
        g.dv[j] = wp[j] * s1 / tau;
        g.dc[j] = wp[j] * s0 / tau;
    }
    return g;
}

/// The first i in [0, N) with pred(i), N if none, for a predicate that is false and then true
/// along i.
template <class Pred> arma::uword first_true(arma::uword N, Pred pred) {
    arma::uword lo = 0, hi = N;
    while (lo < hi) {
        const arma::uword mid = lo + (hi - lo) / 2;
        if (pred(mid))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/// x strictly ascending and finite (NaN fails every comparison), so that z_ij = x_i v_j + c_j is
/// monotone in i; and every parameter finite.
bool sorted_case(const ShallowNet& net, const arma::vec& x) {
    const arma::uword N = x.n_elem;
    if (N == 0 || !std::isfinite(x[0]) || !std::isfinite(x[N - 1])) return false;
    for (arma::uword i = 0; i + 1 < N; ++i)
        if (!(x[i] < x[i + 1])) return false;
    return net.w.is_finite() && net.v.is_finite() && net.c.is_finite();
}

/// work.P0, P1: sums of r and r x over [0, k), accumulated from i = 0; work.S0, S1: sums over
/// [k, N), accumulated from i = N - 1. So the sum over a prefix or a suffix is one accumulated
/// sum, never the difference of two.
void range_sums(const arma::vec& r, const arma::vec& rx, ShallowWorkspace& work) {
    const arma::uword N = r.n_elem;
    work.P0.set_size(N + 1);
    work.P1.set_size(N + 1);
    work.S0.set_size(N + 1);
    work.S1.set_size(N + 1);
    work.P0[0] = work.P1[0] = work.S0[N] = work.S1[N] = 0.0;
    for (arma::uword i = 0; i < N; ++i) {
        work.P0[i + 1] = work.P0[i] + r[i];
        work.P1[i + 1] = work.P1[i] + rx[i];
    }
    for (arma::uword i = N; i-- > 0;) {
        work.S0[i] = work.S0[i + 1] + r[i];
        work.S1[i] = work.S1[i + 1] + rx[i];
    }
}

/// r = tau f - y, the loss, and work.rx = r o x, as the dense kernel computes them.
void residual_and_loss(const ShallowNet& net, const arma::vec& x, const arma::vec& y,
                       ShallowWorkspace& work, ShallowGradient& g) {
    const double tau = net.tau;
    g.residual = tau * work.f - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / (tau * tau);
    work.rx = g.residual % x;
}

/// Active ranges of ReLU units up to this long have sum_i z_ij r_i summed directly; longer ones
/// take the closed form v_j s1_j + c_j s0_j, which cancels where the range is short (z small
/// against v x). Measured against long-double sums (sigma = 1024 and 1, b = unit_grid(1024),
/// N = 37 and 256, w random, alternating +-1e3 and 1e-3 sin j, r smooth or random): the closed
/// form everywhere is within 3e-15 of the block's norm, but single short-range entries were off
/// by up to 7e-12 of themselves; with the direct sums up to 32 terms each entry is as accurate as
/// the dense kernel's, and the closed form over ranges of 33+ terms cancels at most ~2N/32-fold.
constexpr arma::uword kShortRange = 32;

/// ReLU on strictly ascending x: unit j is active (x_i v_j + c_j > 0) on [lo_j, hi_j), a suffix
/// of i (v_j >= 0) or a prefix (v_j < 0).
ShallowGradient fused_relu_sorted(const ShallowNet& net, const arma::vec& x, const arma::vec& y,
                                  ShallowWorkspace& work) {
    const arma::uword N = x.n_elem, M = net.w.n_elem;
    const double* xp = x.memptr();
    const double *wp = net.w.memptr(), *vp = net.v.memptr(), *cp = net.c.memptr();
    work.lo.set_size(M);
    work.hi.set_size(M);
    // The boundaries, by bisection on the dense kernel's own predicate. It is monotone in i
    // exactly, not just up to rounding: x_i < x_{i+1} gives x_i v <= x_{i+1} v for v >= 0, and
    // rounding (of the product, then of the sum with c) never reverses a <=. So the boundary is
    // the dense kernel's, tie for tie.
    for (arma::uword j = 0; j < M; ++j) {
        const double vj = vp[j], cj = cp[j];
        if (vj < 0.0) {
            work.lo[j] = 0;
            work.hi[j] = first_true(N, [&](arma::uword i) { return !(xp[i] * vj + cj > 0.0); });
        } else {
            work.lo[j] = first_true(N, [&](arma::uword i) { return xp[i] * vj + cj > 0.0; });
            work.hi[j] = N;
        }
    }
    // Pass 1: f_i = (x_i - xm) A_i + B_i, A_i and B_i the sums of w_j v_j and w_j (v_j xm + c_j)
    // over the units active at i; suffix units accumulated from i = 0, prefix units from i = N - 1
    // (no sum is a difference). The reference xm, the middle of x, keeps the two terms from
    // cancelling: with x_i A_i + B_i (xm = 0) the residual's error against a long-double sum was
    // up to 2.8e-14 of its norm (N = 37, M = 1024, random w), with xm 6e-15, the dense kernel's.
    const double xm = 0.5 * (xp[0] + xp[N - 1]);
    work.A.zeros(N);
    work.B.zeros(N);
    work.Ab.zeros(N);
    work.Bb.zeros(N);
    for (arma::uword j = 0; j < M; ++j) {
        const double wj = wp[j];
        const arma::uword lo = work.lo[j], hi = work.hi[j];
        if (wj == 0.0 || lo >= hi) continue;
        if (hi == N) {
            work.A[lo] += wj * vp[j];
            work.B[lo] += wj * (vp[j] * xm + cp[j]);
        } else {
            work.Ab[hi - 1] += wj * vp[j];
            work.Bb[hi - 1] += wj * (vp[j] * xm + cp[j]);
        }
    }
    for (arma::uword i = 1; i < N; ++i) {
        work.A[i] += work.A[i - 1];
        work.B[i] += work.B[i - 1];
    }
    for (arma::uword i = N - 1; i-- > 0;) {
        work.Ab[i] += work.Ab[i + 1];
        work.Bb[i] += work.Bb[i + 1];
    }
    work.f.set_size(N);
    for (arma::uword i = 0; i < N; ++i)
        work.f[i] = (xp[i] - xm) * (work.A[i] + work.Ab[i]) + (work.B[i] + work.Bb[i]);
    ShallowGradient g;
    residual_and_loss(net, x, y, work, g);
    const double* r = g.residual.memptr();
    range_sums(g.residual, work.rx, work);
    // Pass 2: s0 and s1 are range sums; sw = sum over the range of z r.
    const double tau = net.tau;
    g.dw.set_size(M);
    g.dv.set_size(M);
    g.dc.set_size(M);
    for (arma::uword j = 0; j < M; ++j) {
        const double vj = vp[j], cj = cp[j];
        const arma::uword lo = work.lo[j], hi = work.hi[j];
        double sw = 0.0, s1 = 0.0, s0 = 0.0;
        if (lo < hi) {
            s0 = hi == N ? work.S0[lo] : work.P0[hi];
            s1 = hi == N ? work.S1[lo] : work.P1[hi];
            if (hi - lo <= kShortRange)
                for (arma::uword i = lo; i < hi; ++i)
                    sw += (xp[i] * vj + cj) * r[i];
            else
                sw = vj * s1 + cj * s0;
        }
        g.dw[j] = sw / tau;
        g.dv[j] = wp[j] * s1 / tau;
        g.dc[j] = wp[j] * s0 / tau;
    }
    return g;
}

/// tanh on strictly ascending x: unit j is unsaturated (|z| < 22) on the band [lo_j, hi_j);
/// before it eta = -1 (v_j >= 0) or +1 (v_j < 0), after it the opposite, and eta' = 0 on both
/// sides.
ShallowGradient fused_tanh_sorted(const ShallowNet& net, const arma::vec& x, const arma::vec& y,
                                  ShallowWorkspace& work) {
    const arma::uword N = x.n_elem, M = net.w.n_elem;
    const double* xp = x.memptr();
    const double *wp = net.w.memptr(), *vp = net.v.memptr(), *cp = net.c.memptr();
    work.lo.set_size(M);
    work.hi.set_size(M);
    work.off.set_size(M + 1);
    work.off[0] = 0;
    // The band edges by bisection on the dense kernel's predicate |z| >= 22 (as z <= -22 and
    // z >= 22), monotone in i exactly (see fused_relu_sorted).
    for (arma::uword j = 0; j < M; ++j) {
        const double vj = vp[j], cj = cp[j];
        if (vj < 0.0) {
            work.lo[j] = first_true(N, [&](arma::uword i) { return !(xp[i] * vj + cj >= 22.0); });
            work.hi[j] = first_true(N, [&](arma::uword i) { return xp[i] * vj + cj <= -22.0; });
        } else {
            work.lo[j] = first_true(N, [&](arma::uword i) { return !(xp[i] * vj + cj <= -22.0); });
            work.hi[j] = first_true(N, [&](arma::uword i) { return xp[i] * vj + cj >= 22.0; });
        }
        work.off[j + 1] = work.off[j] + (work.hi[j] - work.lo[j]);
    }
    // Pass 1: the band entries directly (tanh kept for pass 2), the saturated sides +-w_j as
    // accumulated sums: suffixes from i = 0, prefixes from i = N - 1.
    work.band.set_size(work.off[M]);
    work.f.zeros(N);
    work.A.zeros(N);
    work.Ab.zeros(N);
    double* f = work.f.memptr();
    for (arma::uword j = 0; j < M; ++j) {
        const double wj = wp[j], vj = vp[j], cj = cp[j];
        const arma::uword lo = work.lo[j], hi = work.hi[j];
        double* h = work.band.memptr() + work.off[j]; // h[i - lo] = tanh(z_ij)
        for (arma::uword i = lo; i < hi; ++i)
            h[i - lo] = std::tanh(xp[i] * vj + cj);
        if (wj == 0.0) continue;
        for (arma::uword i = lo; i < hi; ++i)
            f[i] += wj * h[i - lo];
        const double before = vj < 0.0 ? wj : -wj; // w_j eta on [0, lo)
        if (lo > 0) work.Ab[lo - 1] += before;
        if (hi < N) work.A[hi] -= before;
    }
    for (arma::uword i = 1; i < N; ++i)
        work.A[i] += work.A[i - 1];
    for (arma::uword i = N - 1; i-- > 0;)
        work.Ab[i] += work.Ab[i + 1];
    for (arma::uword i = 0; i < N; ++i)
        f[i] += work.A[i] + work.Ab[i];
    ShallowGradient g;
    residual_and_loss(net, x, y, work, g);
    const double *r = g.residual.memptr(), *rx = work.rx.memptr();
    range_sums(g.residual, work.rx, work);
    // Pass 2: the three sums over the band (column_sums' lanes), plus the saturated sides' sums
    // of +-r in sw.
    const double tau = net.tau;
    g.dw.set_size(M);
    g.dv.set_size(M);
    g.dc.set_size(M);
    for (arma::uword j = 0; j < M; ++j) {
        const arma::uword lo = work.lo[j], hi = work.hi[j];
        const double* hj = work.band.memptr() + work.off[j];
        double sw, s1, s0;
        column_sums(
            hi - lo, r + lo, rx + lo,
            [&](arma::uword i, double& h, double& d) {
                h = hj[i];
                d = 1.0 - h * h;
            },
            sw, s1, s0);
        const double before = vp[j] < 0.0 ? work.P0[lo] : -work.P0[lo];
        const double after = vp[j] < 0.0 ? -work.S0[hi] : work.S0[hi];
        sw += before + after;
        g.dw[j] = sw / tau;
        g.dv[j] = wp[j] * s1 / tau;
        g.dc[j] = wp[j] * s0 / tau;
    }
    return g;
}

} // namespace

ShallowGradient shallow_gradient_fused(const ShallowNet& net, const arma::vec& x,
                                       const arma::vec& y, ShallowWorkspace& work) {
    if (x.n_elem != y.n_elem)
        throw std::invalid_argument("shallow_gradient_fused: x and y differ in size");
    const ActivationKind kind = net.eta->kind;
    if ((kind == ActivationKind::relu || kind == ActivationKind::tanh) && sorted_case(net, x))
        return kind == ActivationKind::relu ? fused_relu_sorted(net, x, y, work)
                                            : fused_tanh_sorted(net, x, y, work);
    return fused_dense(net, x, y, work);
}

ShallowRun train_shallow(ShallowNet& net, const arma::vec& x, const arma::vec& y, double alpha,
                         double gamma, arma::uword iterations,
                         const std::vector<arma::uword>& observe_at,
                         const std::function<void(arma::uword, const ShallowNet&)>& observe) {
    ShallowRun run;
    run.residual_sq.set_size(iterations + 1);
    run.residual_sq.fill(arma::datum::nan);
    ShallowWorkspace work;
    std::size_t next = 0;
    for (arma::uword t = 0;; ++t) {
        while (next < observe_at.size() && observe_at[next] < t)
            ++next;
        if (next < observe_at.size() && observe_at[next] == t) observe(t, net);
        if (t == iterations) {
            const arma::vec r = net(x) - y;
            run.residual_sq(t) = arma::dot(r, r);
            break;
        }
        const ShallowGradient g = shallow_gradient_fused(net, x, y, work);
        run.residual_sq(t) = arma::dot(g.residual, g.residual);
        if (!std::isfinite(g.loss)) {
            run.residual_sq(t) = arma::datum::nan;
            run.diverged = true;
            break;
        }
        net.w -= alpha * g.dw;
        net.v -= (gamma * alpha) * g.dv;
        net.c -= (gamma * alpha) * g.dc;
        run.steps = t + 1;
        if (!net.w.is_finite() || !net.v.is_finite() || !net.c.is_finite()) {
            run.diverged = true;
            break;
        }
    }
    return run;
}

} // namespace sbias
