#include "sbias/toeplitz.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

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

int ToeplitzOperator::parity() const {
    bool symmetric = true, skew = col_(0) == 0.0;
    for (arma::uword k = 1; k < n_ && (symmetric || skew); ++k) {
        symmetric = symmetric && row_(k) == col_(k);
        skew = skew && row_(k) == -col_(k);
    }
    return symmetric ? 1 : skew ? -1 : 0;
}

namespace {

/// The orthonormal basis of the even (J x = x) or odd (J x = -x) vectors of length n, h = n / 2:
/// (e_i + e_{n-1-i}) / sqrt 2 or (e_i - e_{n-1-i}) / sqrt 2 for i < h, and for odd n the middle
/// e_h among the even ones. up() maps coordinates in the basis to the vector, down() back (its
/// transpose, so down(T up(v)) applies the block).
struct Parity {
    arma::uword n;
    bool odd;
    arma::uword dim() const { return odd ? n / 2 : n - n / 2; }
    arma::vec up(const arma::vec& v) const {
        const arma::uword h = n / 2;
        const double c = 1.0 / std::sqrt(2.0), sign = odd ? -1.0 : 1.0;
        arma::vec x(n);
        for (arma::uword i = 0; i < h; ++i) {
            x(i) = c * v(i);
            x(n - 1 - i) = sign * c * v(i);
        }
        if (n % 2) x(h) = odd ? 0.0 : v(h);
        return x;
    }
    arma::vec down(const arma::vec& y) const {
        const arma::uword h = n / 2;
        const double c = 1.0 / std::sqrt(2.0), sign = odd ? -1.0 : 1.0;
        arma::vec r(dim());
        for (arma::uword i = 0; i < h; ++i)
            r(i) = c * (y(i) + sign * y(n - 1 - i));
        if (!odd && n % 2) r(h) = y(h);
        return r;
    }
};

} // namespace

LinearOperator linear_operator(const ToeplitzOperator& T) {
    return {T.size(), T.size(), [&T](const arma::vec& v) { return T.apply(v); },
            [&T](const arma::vec& u) { return T.apply_t(u); }};
}

Svd toeplitz_partial_svd(const ToeplitzOperator& T, const PartialSvdOptions& opt,
                         PartialSvdReport* report, std::optional<arma::uword> margin) {
    const arma::uword n = T.size();
    const int parity = T.parity();
    if (parity == 0 || n < 2) return partial_svd(linear_operator(T), opt, report);
    if (opt.values == 0 || opt.values > n || opt.vectors > opt.values)
        throw std::invalid_argument("toeplitz_partial_svd: need 0 < vectors <= values <= n");
    // The two blocks, (output parity, input parity): T_EE and T_OO, or T_OE and T_EO.
    const Parity E{n, false}, O{n, true};
    const std::vector<std::pair<Parity, Parity>> blocks =
        parity > 0 ? std::vector<std::pair<Parity, Parity>>{{E, E}, {O, O}}
                   : std::vector<std::pair<Parity, Parity>>{{O, E}, {E, O}};
    const arma::uword half = (opt.values + 1) / 2;
    std::vector<arma::uword> want(2, parity > 0 ? half + margin.value_or(opt.block) : half);
    std::vector<Svd> parts(2);
    std::vector<PartialSvdReport> reports(2);
    std::vector<bool> done(2, false);
    for (;;) {
        for (int b = 0; b < 2; ++b) {
            if (done[b]) continue;
            const auto& [out, in] = blocks[b];
            const arma::uword k = std::min({want[b], out.dim(), in.dim()});
            if (k == 0) { // n = 1 has no odd vectors
                parts[b] = Svd{};
            } else {
                LinearOperator op{out.dim(), in.dim(),
                                  [&T, out = out, in = in](const arma::vec& v) {
                                      return out.down(T.apply(in.up(v)));
                                  },
                                  [&T, out = out, in = in](const arma::vec& u) {
                                      return in.down(T.apply_t(out.up(u)));
                                  }};
                PartialSvdOptions o = opt;
                o.values = k;
                o.vectors = std::min(k, std::max<arma::uword>(opt.vectors, 1));
                parts[b] = partial_svd(op, o, &reports[b]);
            }
            done[b] = true;
        }
        // The union, largest first (ties: the first block first).
        std::vector<std::pair<double, std::pair<int, arma::uword>>> all;
        for (int b = 0; b < 2; ++b)
            for (arma::uword i = 0; i < parts[b].s.n_elem; ++i)
                all.push_back({parts[b].s(i), {b, i}});
        std::stable_sort(all.begin(), all.end(),
                         [](const auto& x, const auto& y) { return x.first > y.first; });
        const double s0 = all.empty() ? 0.0 : all.front().first;
        const double last = all.size() >= opt.values ? all[opt.values - 1].first : 0.0;
        // A block whose smallest value computed still lies in the union's wanted values may hold
        // more of them: compute it again for all of them.
        bool again = false;
        for (int b = 0; b < 2; ++b) {
            const auto& [out, in] = blocks[b];
            const bool complete = parts[b].s.n_elem == std::min(out.dim(), in.dim());
            if (complete || want[b] >= opt.values) continue;
            if (parts[b].s.n_elem == 0 ||
                parts[b].s(parts[b].s.n_elem - 1) > last + 2.0 * opt.tol * s0) {
                want[b] = opt.values;
                done[b] = false;
                again = true;
            }
        }
        if (again) continue;
        if (all.size() < opt.values) break; // every value of both blocks, and still short

        Svd result;
        result.s.set_size(opt.values);
        result.U.set_size(n, opt.vectors);
        result.V.set_size(n, opt.vectors);
        for (arma::uword j = 0; j < opt.values; ++j) {
            const auto [b, i] = all[j].second;
            result.s(j) = all[j].first;
            if (j < opt.vectors) {
                const auto& [out, in] = blocks[b];
                result.U.col(j) = out.up(arma::vec(parts[b].U.col(i)));
                result.V.col(j) = in.up(arma::vec(parts[b].V.col(i)));
            }
        }
        fix_signs(result.U, result.V);
        if (report) {
            *report = {0, 0.0, reports[0].block};
            for (int b = 0; b < 2; ++b) {
                report->steps += reports[b].steps;
                report->projections += reports[b].projections;
                report->projections_skipped += reports[b].projections_skipped;
                if (parts[b].s.n_elem && s0 > 0.0)
                    report->max_residual = std::max(report->max_residual,
                                                    reports[b].max_residual * parts[b].s(0) / s0);
            }
        }
        return result;
    }
    // Only a skew T of odd n asked for all its values (the zero one is in neither block).
    return partial_svd(linear_operator(T), opt, report);
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
