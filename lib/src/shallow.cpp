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
    const double tau = net.tau;
    if (tau == 1.0) { // chapter 11's expressions, unchanged
        g.residual = H * net.w - y;
        g.loss = 0.5 * arma::dot(g.residual, g.residual);
        g.dw = H.t() * g.residual;
        // G = diag(r) D: dv = w o (G^T x), dc = w o (G^T 1).
        Z.each_col() %= g.residual;
        g.dv = net.w % (Z.t() * x);
        g.dc = net.w % arma::vec(arma::sum(Z, 0).t());
        return g;
    }
    // L = ||r||^2 / (2 tau^2) with r = tau H w - y: each gradient is the one above over tau.
    g.residual = tau * (H * net.w) - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / (tau * tau);
    g.dw = H.t() * g.residual / tau;
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

} // namespace

ShallowGradient shallow_gradient_fused(const ShallowNet& net, const arma::vec& x,
                                       const arma::vec& y, ShallowWorkspace& work) {
    if (x.n_elem != y.n_elem)
        throw std::invalid_argument("shallow_gradient_fused: x and y differ in size");
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
    g.residual = tau == 1.0 ? arma::vec(work.f - y) : arma::vec(tau * work.f - y);
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
