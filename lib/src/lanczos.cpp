#include "sbias/lanczos.hpp"
#include "sbias/thin_products.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <vector>

namespace sbias {

namespace {

/// Columns [first, first + count) of Q as a matrix of its own that shares Q's memory (no copy).
arma::mat columns(const arma::mat& Q, arma::uword first, arma::uword count) {
    return arma::mat(const_cast<double*>(Q.colptr(first)), Q.n_rows, count, false, true);
}

/// Orthogonalises r against the first j columns of Q by classical Gram-Schmidt, with a second
/// pass only where the first removed most of r (the DGKS criterion: the norm fell below 1/sqrt 2 of
/// what it was), which keeps the basis orthogonal to working precision at about half the cost of
/// always orthogonalising twice.
void reorthogonalise(arma::vec& r, const arma::mat& Q, arma::uword j) {
    if (j == 0) return;
    // An alias of the first j columns (no copy), so both products are single BLAS gemv calls.
    const arma::mat Qj = columns(Q, 0, j);
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
    op.apply_block = [&A](const arma::mat& V) { return arma::mat(A * V); };
    op.apply_t_block = [&A](const arma::mat& U) { return arma::mat(A.t() * U); };
    return op;
}

namespace {

/// The single-vector iteration (options.block == 1, and the fallback of the block one).
Svd single_vector_svd(const LinearOperator& A, const PartialSvdOptions& opt,
                      PartialSvdReport* report) {
    const arma::uword n_max = std::min(A.rows, A.cols);
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
            if (report) *report = {m, worst, 1};
            return result;
        }
        m_target = std::min(cap, m + 25);
    }
}

extern "C" void dgeqrf_(const int* m, const int* n, double* a, const int* lda, double* tau,
                        double* work, const int* lwork, int* info);
extern "C" void dorgqr_(const int* m, const int* n, const int* k, double* a, const int* lda,
                        const double* tau, double* work, const int* lwork, int* info);

/// out = A X (transpose false) or A^T X (true), into out's memory (a view of a basis's columns,
/// say): through the operator's block products where it has them, else column by column.
void apply_columns(const LinearOperator& A, const arma::mat& X, bool transpose, arma::mat& out) {
    const auto& block = transpose ? A.apply_t_block : A.apply_block;
    if (block) {
        out = block(X);
        return;
    }
    const auto& single = transpose ? A.apply_t : A.apply;
    for (arma::uword c = 0; c < X.n_cols; ++c)
        out.col(c) = single(X.col(c));
}

/// Column norms from dot products (BLAS ddot; the scaled dnrm2 is several times slower, and
/// nothing here comes near overflow).
arma::rowvec column_norms(const arma::mat& W) {
    arma::rowvec n(W.n_cols);
    for (arma::uword c = 0; c < W.n_cols; ++c)
        n(c) = std::sqrt(arma::dot(W.col(c), W.col(c)));
    return n;
}

/// The block iteration's projections (PartialSvdReport::projections and projections_skipped).
struct ProjectionCount {
    arma::uword all = 0, skipped = 0;
};

/// The block form of reorthogonalise(): W -= Q_j (Q_j^T W) by block classical Gram-Schmidt (two
/// matrix-matrix products per pass, no N x b temporary), repeated while any column lost most of its
/// norm in the pass (the DGKS criterion column by column), at most three passes. norms: W's column
/// norms on entry, updated.
///
/// Where the first pass finds every component of every column at the rounding level of the dot
/// product that measures it, |(Q_j^T w)_i| <= eps sqrt(N) ||w|| (the typical error of a sum of N
/// rounded products), there is nothing to subtract that can be told from rounding: W is left as it
/// is, and the second product, W -= Q_j H, is saved. In the block Golub-Kahan-Lanczos iteration
/// this holds for the left blocks at nearly every step (A V_{k+1} - U_k C_k is orthogonal to the
/// earlier U to about 1e-14 on chapter 04's matrices) and for the right blocks at none (their
/// components grow to 1e-11 and beyond): about a quarter of the reorthogonalisation's memory
/// traffic. Measured at N = 20000 and 100000 against projecting always: the same values to 3e-16
/// of s_0 and the same leading vectors to 2e-15.
void project_out(arma::mat& W, const arma::mat& Q, arma::uword j, arma::rowvec& norms,
                 ProjectionCount& count) {
    if (j == 0) return;
    const arma::mat Qj = columns(Q, 0, j);
    const double noise = std::numeric_limits<double>::epsilon() * std::sqrt(double(W.n_rows));
    ++count.all;
    for (int pass = 0; pass < 3; ++pass) {
        const arma::mat H = thin_tn(Qj, W); // rounded as the dgemm it replaces
        if (pass == 0) {
            bool measurable = false;
            for (arma::uword c = 0; c < W.n_cols && !measurable; ++c)
                measurable = !(arma::abs(H.col(c)).max() <= noise * norms(c));
            if (!measurable) {
                ++count.skipped;
                return;
            }
        }
        W -= Qj * H;
        const arma::rowvec after = column_norms(W);
        bool again = false;
        for (arma::uword c = 0; c < W.n_cols; ++c)
            again = again || !(after(c) > 0.7071 * norms(c));
        norms = after;
        if (!again) return;
    }
}

extern "C" void dtrsm_(const char* side, const char* uplo, const char* transa, const char* diag,
                       const int* m, const int* n, const double* alpha, const double* a,
                       const int* lda, double* b, const int* ldb);

/// W := W R^{-1} in place, R upper triangular.
void solve_right_upper(arma::mat& W, const arma::mat& R) {
    const int m = static_cast<int>(W.n_rows), n = static_cast<int>(W.n_cols);
    const double one = 1.0;
    dtrsm_("R", "U", "N", "N", &m, &n, &one, R.memptr(), &n, W.memptr(), &m);
}

/// Householder QR in place (LAPACK dgeqrf and dorgqr): W (n x b, n >= b) becomes Q, R is returned.
arma::mat householder_qr(arma::mat& W) {
    const int m = static_cast<int>(W.n_rows), n = static_cast<int>(W.n_cols);
    std::vector<double> tau(n);
    int info = 0, lwork = -1;
    double query = 0.0;
    dgeqrf_(&m, &n, W.memptr(), &m, tau.data(), &query, &lwork, &info);
    lwork = std::max(n, static_cast<int>(query));
    std::vector<double> work(lwork);
    dgeqrf_(&m, &n, W.memptr(), &m, tau.data(), work.data(), &lwork, &info);
    if (info != 0) throw std::runtime_error("partial_svd: LAPACK dgeqrf failed");
    arma::mat R = arma::trimatu(W.head_rows(n));
    lwork = -1;
    dorgqr_(&m, &n, &n, W.memptr(), &m, tau.data(), &query, &lwork, &info);
    lwork = std::max(n, static_cast<int>(query));
    work.resize(lwork);
    dorgqr_(&m, &n, &n, W.memptr(), &m, tau.data(), work.data(), &lwork, &info);
    if (info != 0) throw std::runtime_error("partial_svd: LAPACK dorgqr failed");
    return R;
}

/// Cholesky QR twice (CholQR2) in place: W = Q R with R from the Cholesky factor of W^T W, then
/// once more on Q, which leaves Q orthonormal to working precision when W is not far from it: a
/// few passes over W where Householder QR (column by column, BLAS 2) takes about 2b. Returns
/// false with W untouched where W is not well enough conditioned for it (the Gram matrix not
/// positive definite, or a column within 1e-3 of the span of the ones before it, which Cholesky
/// sees independently of the columns' scales): Householder QR then.
bool cholesky_qr2(arma::mat& W, const arma::rowvec& norms, arma::mat& R) {
    arma::mat R1, R2;
    if (!arma::chol(R1, arma::mat(W.t() * W))) return false;
    for (arma::uword c = 0; c < W.n_cols; ++c)
        if (!(R1(c, c) > 1e-3 * norms(c))) return false;
    solve_right_upper(W, R1);
    if (arma::chol(R2, arma::mat(W.t() * W)))
        solve_right_upper(W, R2);
    else // not expected after the test above, but W = (W R1^{-1}) R1 holds either way
        R2 = householder_qr(W);
    R = R2 * R1;
    return true;
}

/// Makes the columns of W orthonormal and orthogonal to the first j columns of Q, in place: on
/// return W_in = Q_j H + W R with R (returned) upper triangular and H (dropped) what full
/// reorthogonalisation removes. project_out(), then CholQR2 (Householder QR where W is too ill
/// conditioned for it). Where the factorisation finds a column nearly in the span of the ones
/// before it (|R_cc| below half the column's norm, an exactly dependent or zero column included),
/// Q inherits that column's rounding along Q_j magnified, so it is projected and factored once
/// more (R becomes R2 R1). A zero column thus turns into a new orthonormal direction with a zero
/// column in R, as an invariant subspace needs.
arma::mat orthonormalise(arma::mat& W, const arma::mat& Q, arma::uword j, ProjectionCount& count) {
    arma::mat R = arma::eye(W.n_cols, W.n_cols);
    arma::rowvec norms = column_norms(W);
    for (int round = 0; round < 3; ++round) {
        project_out(W, Q, j, norms, count);
        arma::mat Rr;
        if (!cholesky_qr2(W, norms, Rr)) {
            Rr = householder_qr(W);
        }
        R = Rr * R;
        bool again = false;
        for (arma::uword c = 0; c < W.n_cols; ++c)
            again = again || !(std::abs(Rr(c, c)) > 0.5 * norms(c));
        if (!again) break;
        norms.ones();
    }
    return R;
}

/// Block Golub-Kahan-Lanczos with block size b = options.block: V_1 = orth(random cols x b),
/// A V_1 = U_1 B_1, and for k = 1, 2, ...
///     A^T U_k - V_k B_k^T = V_{k+1} C_k^T,    A V_{k+1} - U_k C_k = U_{k+1} B_{k+1}
/// (each left side reorthogonalised against all of V, respectively U, then factored by QR), so
/// A V = U T with T block upper bidiagonal, B_k (upper triangular) on its diagonal and C_k (lower
/// triangular) above it, and A^T U = V T^T + V_{k+1} C_k^T E_k^T. With T = X S Y^T, the Ritz
/// triplet (s_j, U x_j, V y_j) satisfies A V y_j = s_j U x_j and has residual
/// ||A^T U x_j - s_j V y_j|| = ||C_k^T x_j(last b rows)||: the single-vector iteration's test
/// beta_m |x_j(m-1)|, with the next block's C_k computed once and kept for the next step. Returns
/// nothing where the Krylov space (with one block to spare) would not fit in min(rows, cols): the
/// caller then runs the single-vector iteration.
std::optional<Svd> block_svd(const LinearOperator& A, const PartialSvdOptions& opt,
                             PartialSvdReport* report) {
    const arma::uword b = opt.block;
    const arma::uword n_max = std::min(A.rows, A.cols);
    const auto round_up = [b](arma::uword m) { return (m + b - 1) / b * b; };
    // The first test as soon as there is a block beyond the wanted values (spectra that fall to
    // rounding level have converged there already; a test costs one SVD of T, little against the
    // products at the sizes this path is for), later ones as the unconverged count suggests.
    arma::uword m_target = round_up(opt.values + b);
    if (m_target + b > n_max) return std::nullopt;

    // Bases with room to grow, not initialised: only the columns in use are ever touched, so the
    // memory not yet used costs address space, not resident memory.
    const arma::uword room = std::min(n_max, 2 * m_target + 100);
    arma::mat U(A.rows, room, arma::fill::none), V(A.cols, room, arma::fill::none);
    const auto ensure = [n_max](arma::mat& Q, arma::uword used, arma::uword cols) {
        if (Q.n_cols >= cols) return;
        arma::mat bigger(Q.n_rows, std::min(n_max, std::max(cols, Q.n_cols + Q.n_cols / 2)),
                         arma::fill::none);
        columns(bigger, 0, used) = columns(Q, 0, used);
        Q.swap(bigger);
    };
    std::vector<arma::mat> B, C; // B_k (upper triangular) and C_k (lower triangular), b x b
    ProjectionCount count;

    // The start block from a local engine (no global RNG state: callers run in threads).
    std::mt19937_64 engine(opt.seed);
    std::normal_distribution<double> normal;
    {
        arma::mat V1 = columns(V, 0, b);
        for (auto& x : V1)
            x = normal(engine);
        orthonormalise(V1, V, 0, count);
        arma::mat U1 = columns(U, 0, b);
        apply_columns(A, V1, false, U1);
        B.push_back(orthonormalise(U1, U, 0, count));
    }
    arma::uword k = 1;       // blocks in U and V; T is kb x kb
    bool next_ready = false; // V_{k+1} and C_k already there (from the last residual test)

    // A^T U_k - V_k B_k^T, reorthogonalised against V and factored: V_{k+1} C_k^T.
    const auto half_step = [&]() {
        ensure(V, k * b, (k + 1) * b);
        arma::mat Vn = columns(V, k * b, b); // the new block, computed in place
        apply_columns(A, columns(U, (k - 1) * b, b), true, Vn);
        Vn -= columns(V, (k - 1) * b, b) * B[k - 1].t();
        C.push_back(orthonormalise(Vn, V, k * b, count).t());
    };

    for (;;) {
        while (k * b < m_target) {
            if (!next_ready) half_step();
            next_ready = false;
            // A V_{k+1} - U_k C_k, reorthogonalised against U and factored: U_{k+1} B_{k+1}.
            ensure(U, k * b, (k + 1) * b);
            arma::mat Un = columns(U, k * b, b);
            apply_columns(A, columns(V, k * b, b), false, Un);
            Un -= columns(U, (k - 1) * b, b) * C[k - 1];
            B.push_back(orthonormalise(Un, U, k * b, count));
            ++k;
        }
        const arma::uword m = k * b;
        half_step(); // C_k for the residuals (m + b <= n_max: checked with m_target)
        next_ready = true;

        arma::mat T(m, m, arma::fill::zeros);
        for (arma::uword i = 0; i < k; ++i) {
            T.submat(i * b, i * b, arma::size(b, b)) = B[i];
            if (i + 1 < k) T.submat(i * b, (i + 1) * b, arma::size(b, b)) = C[i];
        }
        arma::mat X, Y;
        arma::vec s;
        if (!arma::svd(X, s, Y, T, "dc")) throw std::runtime_error("partial_svd: SVD of T failed");
        const arma::mat last = C[k - 1].t() * X.submat(m - b, 0, arma::size(b, opt.values));
        double worst = 0.0;
        arma::uword unconverged = 0;
        for (arma::uword j = 0; j < opt.values; ++j) {
            const double r = arma::norm(last.col(j));
            worst = std::max(worst, r);
            if (!(r <= opt.tol * s(0))) ++unconverged;
        }
        worst = s(0) > 0.0 ? worst / s(0) : 0.0; // A = 0: every residual is 0 as well
        if (unconverged == 0) {
            Svd result;
            result.s = s.head(opt.values);
            result.U = columns(U, 0, m) * X.cols(0, opt.vectors - 1);
            result.V = columns(V, 0, m) * Y.cols(0, opt.vectors - 1);
            fix_signs(result.U, result.V);
            if (report) *report = {m, worst, b, count.all, count.skipped};
            return result;
        }
        // Near the end about one triplet converges per step (a little less): extend by as many
        // steps as there are unconverged triplets, at most the single-vector iteration's 25, in
        // whole blocks.
        m_target = m + round_up(std::min<arma::uword>(unconverged, 25));
        if (m_target + b > n_max) return std::nullopt;
    }
}

} // namespace

Svd partial_svd(const LinearOperator& A, const PartialSvdOptions& opt, PartialSvdReport* report) {
    const arma::uword n_max = std::min(A.rows, A.cols);
    if (opt.values == 0 || opt.values > n_max || opt.vectors > opt.values)
        throw std::invalid_argument("partial_svd: need 0 < vectors <= values <= min(rows, cols)");
    if (opt.block > 1)
        if (auto result = block_svd(A, opt, report)) return std::move(*result);
    return single_vector_svd(A, opt, report);
}

} // namespace sbias
