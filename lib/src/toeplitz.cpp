#include "sbias/toeplitz.hpp"

#include <fftw3.h>
#include <stdexcept>

namespace sbias {

struct ToeplitzOperator::Fftw {
    double* real = nullptr;
    fftw_complex* spectrum = nullptr;        // work buffer, L/2 + 1
    std::vector<std::complex<double>> c_hat; // FFT of the circulant's first column
    fftw_plan forward = nullptr, backward = nullptr;
    ~Fftw() {
        if (forward) fftw_destroy_plan(forward);
        if (backward) fftw_destroy_plan(backward);
        fftw_free(real);
        fftw_free(spectrum);
    }
};

ToeplitzOperator::ToeplitzOperator(const arma::vec& first_col, const arma::vec& first_row)
    : n_(first_col.n_elem), L_(2 * first_col.n_elem), col_(first_col), row_(first_row),
      fft_(std::make_unique<Fftw>()) {
    if (n_ == 0 || first_row.n_elem != n_ || first_col(0) != first_row(0))
        throw std::invalid_argument("ToeplitzOperator: first column and row must match");
    const arma::uword H = L_ / 2 + 1;
    fft_->real = fftw_alloc_real(L_);
    fft_->spectrum = fftw_alloc_complex(H);
    if (!fft_->real || !fft_->spectrum) throw std::bad_alloc();
    fft_->forward =
        fftw_plan_dft_r2c_1d(static_cast<int>(L_), fft_->real, fft_->spectrum, FFTW_ESTIMATE);
    fft_->backward =
        fftw_plan_dft_c2r_1d(static_cast<int>(L_), fft_->spectrum, fft_->real, FFTW_ESTIMATE);
    // Circulant first column: c[k] = t_k for k < n, c[n] = 0, c[L - k] = t_{-k} = row[k].
    for (arma::uword k = 0; k < L_; ++k)
        fft_->real[k] = 0.0;
    for (arma::uword k = 0; k < n_; ++k)
        fft_->real[k] = col_(k);
    for (arma::uword k = 1; k < n_; ++k)
        fft_->real[L_ - k] = row_(k);
    fftw_execute(fft_->forward);
    fft_->c_hat.resize(H);
    for (arma::uword k = 0; k < H; ++k)
        fft_->c_hat[k] = {fft_->spectrum[k][0], fft_->spectrum[k][1]};
}

ToeplitzOperator::~ToeplitzOperator() = default;

arma::vec ToeplitzOperator::multiply(const arma::vec& v, bool transpose) const {
    if (v.n_elem != n_)
        throw std::invalid_argument("ToeplitzOperator: vector has the wrong length");
    double* x = fft_->real;
    for (arma::uword k = 0; k < n_; ++k)
        x[k] = v(k);
    for (arma::uword k = n_; k < L_; ++k)
        x[k] = 0.0;
    fftw_execute(fft_->forward);
    const arma::uword H = L_ / 2 + 1;
    for (arma::uword k = 0; k < H; ++k) {
        const std::complex<double> c = transpose ? std::conj(fft_->c_hat[k]) : fft_->c_hat[k];
        const std::complex<double> z =
            c * std::complex<double>(fft_->spectrum[k][0], fft_->spectrum[k][1]);
        fft_->spectrum[k][0] = z.real();
        fft_->spectrum[k][1] = z.imag();
    }
    fftw_execute(fft_->backward);
    arma::vec out(n_);
    const double scale = 1.0 / static_cast<double>(L_);
    for (arma::uword k = 0; k < n_; ++k)
        out(k) = x[k] * scale;
    return out;
}

arma::vec ToeplitzOperator::apply(const arma::vec& v) const {
    return multiply(v, false);
}
arma::vec ToeplitzOperator::apply_t(const arma::vec& v) const {
    return multiply(v, true);
}

arma::mat ToeplitzOperator::dense() const {
    arma::mat T(n_, n_);
    for (arma::uword j = 0; j < n_; ++j)
        for (arma::uword i = 0; i < n_; ++i)
            T(i, j) = i >= j ? col_(i - j) : row_(j - i);
    return T;
}

std::unique_ptr<ToeplitzOperator> shared_grid_design(const Activation& eta, double sigma,
                                                     arma::uword n) {
    // x_i - x_j = (i - j) / (n - 1). The dense design_matrix() subtracts two rounded grid points
    // instead, which can differ in the last bit: the two matrices agree to rounding, not bitwise.
    arma::vec col(n), row(n);
    const double last = n > 1 ? static_cast<double>(n - 1) : 1.0;
    for (arma::uword k = 0; k < n; ++k) {
        const double d = static_cast<double>(k) / last;
        col(k) = eta(sigma * d);
        row(k) = eta(-sigma * d);
    }
    return std::make_unique<ToeplitzOperator>(col, row);
}

} // namespace sbias
