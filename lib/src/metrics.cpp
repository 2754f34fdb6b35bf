#include "sbias/metrics.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace sbias {

double psnr(const arma::vec& f, const arma::vec& y) {
    const double mse = arma::mean(arma::square(f - y));
    if (mse == 0.0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(1.0 / mse);
}

double relative_error(const arma::vec& a, const arma::vec& ref) {
    const double d = arma::norm(a - ref);
    const double r = arma::norm(ref);
    return r == 0.0 ? d : d / r;
}

double linear_slope(const arma::vec& x, const arma::vec& y) {
    const arma::vec dx = x - arma::mean(x);
    return arma::dot(dx, y - arma::mean(y)) / arma::dot(dx, dx);
}

double loglog_slope(const arma::vec& x, const arma::vec& y) {
    return linear_slope(arma::log(x), arma::log(y));
}

double decay_exponent(const arma::vec& s, arma::uword from, arma::uword to) {
    if (from >= to || to >= s.n_elem)
        throw std::invalid_argument("decay_exponent: range outside the spectrum");
    return -loglog_slope(arma::regspace(from, to) + 0.5, s.subvec(from, to));
}

namespace {
/// Ranks 1..n of v, ties (within tie_rel of the run's first value) sharing their mean rank.
arma::vec ranks(const arma::vec& v, double tie_rel) {
    const arma::uvec order = arma::stable_sort_index(v);
    arma::vec r(v.n_elem);
    for (arma::uword i = 0; i < v.n_elem;) {
        arma::uword j = i;
        const double first = v(order(i));
        while (j + 1 < v.n_elem && v(order(j + 1)) - first <= tie_rel * std::abs(first))
            ++j;
        for (arma::uword t = i; t <= j; ++t)
            r(order(t)) = 0.5 * static_cast<double>(i + j) + 1.0;
        i = j + 1;
    }
    return r;
}
} // namespace

double spearman(const arma::vec& a, const arma::vec& b, double tie_rel) {
    if (a.n_elem != b.n_elem || a.n_elem < 2)
        throw std::invalid_argument("spearman: needs two vectors of the same length >= 2");
    const arma::vec ra = ranks(a, tie_rel) - (a.n_elem + 1) / 2.0,
                    rb = ranks(b, tie_rel) - (b.n_elem + 1) / 2.0;
    return arma::dot(ra, rb) / std::sqrt(arma::dot(ra, ra) * arma::dot(rb, rb));
}

double subspace_overlap(const arma::mat& Q1, const arma::mat& Q2) {
    if (Q1.n_rows != Q2.n_rows || Q1.n_cols != Q2.n_cols || Q1.n_cols == 0)
        throw std::invalid_argument("subspace_overlap: bases of different shapes");
    return arma::accu(arma::square(Q1.t() * Q2)) / static_cast<double>(Q1.n_cols);
}

arma::vec logspace(double lo, double hi, arma::uword n) {
    return arma::exp10(arma::linspace(std::log10(lo), std::log10(hi), n));
}

} // namespace sbias
