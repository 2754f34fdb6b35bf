// Toeplitz design matrices applied by FFT. On a shared grid (x = b = linspace(0, 1, n)) the design
// matrix A[i][j] = eta(sigma (x_i - x_j)) depends only on i - j, so A v and A^T v cost O(n log n)
// and A never has to be formed (at n = 100000 it would take 80 GB).
#pragma once

#include "sbias/activations.hpp"
#include "sbias/lanczos.hpp"

#include <armadillo>
#include <complex>
#include <memory>
#include <optional>
#include <vector>

namespace sbias {

/// T[i][j] = t(i - j), n x n. Applied through its circulant embedding of size L = 2n:
/// c = [t_0 .. t_{n-1}, 0, t_{-(n-1)} .. t_{-1}], T v = (C [v; 0])_{0..n-1}, with C diagonalised by
/// the real FFT (FFTW, plans made with FFTW_ESTIMATE so every run takes the same arithmetic path).
/// T^T uses the conjugate spectrum. Not thread-safe: one operator per thread.
class ToeplitzOperator {
public:
    /// first_col(k) = T[k][0], first_row(k) = T[0][k]; first_col(0) must equal first_row(0).
    ToeplitzOperator(const arma::vec& first_col, const arma::vec& first_row);
    ~ToeplitzOperator();
    ToeplitzOperator(const ToeplitzOperator&) = delete;
    ToeplitzOperator& operator=(const ToeplitzOperator&) = delete;

    arma::uword size() const { return n_; }
    arma::vec apply(const arma::vec& v) const;   ///< T v
    arma::vec apply_t(const arma::vec& v) const; ///< T^T v
    arma::mat dense() const;                     ///< T itself, for tests and small n
    /// +1 where T is symmetric (t_{-k} = t_k for every k, bit for bit: an even activation on a
    /// shared grid), -1 where it is skew-symmetric (t_{-k} = -t_k, t_0 = 0: an odd one), else 0.
    int parity() const;

private:
    arma::vec multiply(const arma::vec& v, bool transpose) const;
    arma::uword n_, L_;
    arma::vec col_, row_;
    struct Fftw;
    std::unique_ptr<Fftw> fft_;
};

/// T as a LinearOperator (A v and A^T u by T's FFT; it refers to T, which must outlive it).
LinearOperator linear_operator(const ToeplitzOperator& T);

/// Leading singular triplets of T by Golub-Kahan-Lanczos (partial_svd with these options), through
/// two half-size problems where T has a parity. A Toeplitz T satisfies J T J = T^T (J reverses a
/// vector), so a symmetric T commutes with J and a skew-symmetric one anticommutes with it: in the
/// orthonormal bases of the even vectors (J x = x, ceil(n/2) of them) and the odd ones (J x = -x,
/// floor(n/2)), a symmetric T is block diagonal, T_EE and T_OO, and a skew-symmetric one block
/// anti-diagonal, T_OE and T_EO = -T_OE^T. T's singular values are the union of the two blocks'
/// (for a skew T each value twice, and a zero where n is odd), its singular vectors theirs mapped
/// back: an exact orthogonal similarity, not an approximation. Each block is applied through T's
/// own FFT (a vector of length n/2 mapped up, multiplied, mapped back). The Krylov bases have
/// half the length and, as each block holds about half the wanted values, a little over half the
/// columns, so reorthogonalising them (the cost that grows like n m^2) takes about a third to
/// two fifths of the time; the FFTs stay (chapter 04 at n = 100000: sinc and gauss 5.7-6.9 ->
/// 2.9-3.8 s, tanh 15.5 -> 8.3 s). Each block
/// computes half the wanted values plus a margin (options.block unless given; a skew T's blocks
/// exactly half, as they have the same values); where a block's smallest value computed still
/// lies above the union's last wanted one (beyond twice the tolerance), that block is computed
/// again for all of them. Without a parity, partial_svd on T itself. The report's steps and
/// projections are the two blocks' added; its residual is relative to T's largest value.
Svd toeplitz_partial_svd(const ToeplitzOperator& T, const PartialSvdOptions& options,
                         PartialSvdReport* report = nullptr,
                         std::optional<arma::uword> margin = std::nullopt);

/// The design matrix of a shared grid, A[i][j] = eta(sigma (i - j) / (n - 1)), as an operator.
std::unique_ptr<ToeplitzOperator> shared_grid_design(const Activation& eta, double sigma,
                                                     arma::uword n);

} // namespace sbias
