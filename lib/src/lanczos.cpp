#include "sbias/lanczos.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

namespace sbias {

namespace {

/// Orthogonalises r against the first j columns of Q by classical Gram-Schmidt, with a second
/// pass only where the first removed most of r (the DGKS criterion: the norm fell below 1/sqrt 2 of
/// what it was), which keeps the basis orthogonal to working precision at about half the cost of
/// always orthogonalising twice.
void reorthogonalise(arma::vec& r, const arma::mat& Q, arma::uword j) {
    if (j == 0) return;
    // An alias of the first j columns (no copy), so both products are single BLAS gemv calls.
    const arma::mat Qj(const_cast<double*>(Q.colptr(0)), Q.n_rows, j, false, true);
    for (int pass = 0; pass < 3; ++pass) {
        const double before = arma::norm(r);
        r -= Qj * (Qj.t() * r);
        if (arma::norm(r) > 0.7071 * before) return;
    }
}

extern "C" void dbdsdc_(const char* uplo, const char* compq, const int* n, double* d, double* e,
                        double* u, const int* ldu, double* vt, const int* ldvt, double* q, int* iq,
                        double* work, int* iwork, int* info);

/// SVD of the m x m upper bidiagonal matrix (d on the diagonal, e above it) by LAPACK's
/// divide-and-conquer dbdsdc, which Armadillo does not wrap: far cheaper than a dense SVD of B.
void bidiagonal_svd(const arma::vec& d_in, const arma::vec& e_in, arma::mat& X, arma::vec& s,
                    arma::mat& Y) {
    const int m = static_cast<int>(d_in.n_elem);
    s = d_in;
    arma::vec e(std::max(1, m), arma::fill::zeros);
    if (m > 1) e.head(m - 1) = e_in.head(m - 1);
    X.set_size(m, m);
    arma::mat VT(m, m);
    std::vector<double> work(3 * m * m + 4 * m);
    std::vector<int> iwork(8 * m);
    int info = 0;
    dbdsdc_("U", "I", &m, s.memptr(), e.memptr(), X.memptr(), &m, VT.memptr(), &m, nullptr, nullptr,
            work.data(), iwork.data(), &info);
    if (info != 0) throw std::runtime_error("partial_svd: LAPACK dbdsdc failed");
    Y = VT.t();
}

} // namespace

LinearOperator matrix_operator(const arma::mat& A) {
    LinearOperator op;
    op.rows = A.n_rows;
    op.cols = A.n_cols;
    op.apply = [&A](const arma::vec& v) { return arma::vec(A * v); };
    op.apply_t = [&A](const arma::vec& u) { return arma::vec(A.t() * u); };
    return op;
}

Svd partial_svd(const LinearOperator& A, const PartialSvdOptions& opt, PartialSvdReport* report) {
    const arma::uword n_max = std::min(A.rows, A.cols);
    if (opt.values == 0 || opt.values > n_max || opt.vectors > opt.values)
        throw std::invalid_argument("partial_svd: need 0 < vectors <= values <= min(rows, cols)");
    arma::uword cap = n_max; // the Krylov space cannot grow past min(rows, cols)
    arma::uword m_target = std::min(cap, opt.values + std::max<arma::uword>(20, opt.values / 4));

    // Bases with room to grow; resize() keeps the columns already there.
    arma::mat U(A.rows, m_target), V(A.cols, m_target);
    const auto ensure = [cap](arma::mat& Q, arma::uword cols) {
        if (Q.n_cols < cols) Q.resize(Q.n_rows, std::min(cap, std::max(cols, Q.n_cols + 100)));
    };
    arma::vec alpha(cap, arma::fill::zeros), beta(cap, arma::fill::zeros);

    // A random start vector from a local engine (no global RNG state: callers run in threads).
    std::mt19937_64 engine(opt.seed);
    std::normal_distribution<double> normal;
    arma::vec v(A.cols);
    for (auto& x : v)
        x = normal(engine);
    V.col(0) = v / arma::norm(v);
    arma::vec u = A.apply(V.col(0));
    alpha(0) = arma::norm(u);
    U.col(0) = u / alpha(0);
    arma::uword m = 1; // columns of U and V in use; B is m x m

    Svd result;
    for (;;) {
        // Extend the bidiagonalisation to m_target steps.
        while (m < m_target) {
            ensure(V, m + 1);
            ensure(U, m + 1);
            arma::vec r = A.apply_t(U.col(m - 1)) - alpha(m - 1) * V.col(m - 1);
            reorthogonalise(r, V, m);
            beta(m - 1) = arma::norm(r);
            if (beta(m - 1) == 0.0) { // an invariant subspace: the Ritz values are exact
                cap = m;
                break;
            }
            V.col(m) = r / beta(m - 1);
            arma::vec p = A.apply(V.col(m)) - beta(m - 1) * U.col(m - 1);
            reorthogonalise(p, U, m);
            alpha(m) = arma::norm(p);
            if (alpha(m) == 0.0) {
                cap = m;
                break;
            }
            U.col(m) = p / alpha(m);
            ++m;
        }
        // Ritz triplets from B (upper bidiagonal, alpha on the diagonal, beta above it).
        arma::mat X, Y;
        arma::vec s;
        bidiagonal_svd(alpha.head(m), beta.head(m), X, s, Y);
        // Residual of triplet j: ||A^T (U x_j) - s_j V y_j|| = |beta_m| |x_j(m-1)|, where beta_m is
        // the next off-diagonal the iteration would produce.
        arma::vec r = A.apply_t(U.col(m - 1)) - alpha(m - 1) * V.col(m - 1);
        reorthogonalise(r, V, m);
        const double beta_next = arma::norm(r);
        double worst = 0.0;
        for (arma::uword j = 0; j < opt.values; ++j)
            worst = std::max(worst, beta_next * std::abs(X(m - 1, j)));
        worst /= s(0);
        if (worst <= opt.tol || m == cap) {
            result.s = s.head(opt.values);
            result.U = U.cols(0, m - 1) * X.cols(0, opt.vectors - 1);
            result.V = V.cols(0, m - 1) * Y.cols(0, opt.vectors - 1);
            fix_signs(result.U, result.V);
            if (report) *report = {m, worst};
            return result;
        }
        m_target = std::min(cap, m + 25);
    }
}

} // namespace sbias
