// Toeplitz design matrices applied by FFT. On a shared grid (x = b = linspace(0, 1, n)) the design
// matrix A[i][j] = eta(sigma (x_i - x_j)) depends only on i - j, so A v and A^T v cost O(n log n)
// and A never has to be formed (at n = 100000 it would take 80 GB).
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>
#include <complex>
#include <memory>
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

private:
    arma::vec multiply(const arma::vec& v, bool transpose) const;
    arma::uword n_, L_;
    arma::vec col_, row_;
    struct Fftw;
    std::unique_ptr<Fftw> fft_;
};

/// The design matrix of a shared grid, A[i][j] = eta(sigma (i - j) / (n - 1)), as an operator.
std::unique_ptr<ToeplitzOperator> shared_grid_design(const Activation& eta, double sigma,
                                                     arma::uword n);

} // namespace sbias
