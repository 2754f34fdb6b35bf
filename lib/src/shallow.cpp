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
    return Z * w;
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
    g.residual = H * net.w - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual);
    g.dw = H.t() * g.residual;
    // G = diag(r) D: dv = w o (G^T x), dc = w o (G^T 1).
    Z.each_col() %= g.residual;
    g.dv = net.w % (Z.t() * x);
    g.dc = net.w % arma::vec(arma::sum(Z, 0).t());
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
    return arma::join_rows(H, Dx, D);
}

} // namespace sbias
