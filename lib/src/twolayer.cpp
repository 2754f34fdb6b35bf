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
    Z = X * net.W.t(); // pre-activations, one GEMM
    // One pass: relu in place and f = H a (raw pointers: this loop is the hot one).
    arma::vec f(n, arma::fill::zeros);
    double* fp = f.memptr();
    for (arma::uword j = 0; j < m; ++j) {
        double* z = Z.colptr(j);
        const double aj = net.a(j);
        for (arma::uword i = 0; i < n; ++i) {
            const double h = z[i] > 0.0 ? z[i] : 0.0;
            z[i] = h;
            fp[i] += aj * h;
        }
    }
    LossGradient g;
    g.residual = s * f - y;
    g.loss = 0.5 * arma::dot(g.residual, g.residual) / double(n);
    // One pass: da_j = (s/n) sum_i r_i h_ij, and Z becomes B_ij = r_i 1[h_ij > 0].
    g.da.set_size(m);
    const double* r = g.residual.memptr();
    for (arma::uword j = 0; j < m; ++j) {
        double* z = Z.colptr(j);
        double acc = 0.0;
        for (arma::uword i = 0; i < n; ++i) {
            acc += r[i] * z[i];
            z[i] = z[i] > 0.0 ? r[i] : 0.0;
        }
        g.da[j] = s / double(n) * acc;
    }
    // dw_j = (s/n) a_j (B^T X)_j: one GEMM.
    g.dW = Z.t() * X;
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
