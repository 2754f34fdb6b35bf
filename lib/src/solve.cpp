#include "sbias/solve.hpp"

#include <stdexcept>

namespace sbias {

arma::vec filter_gains(const arma::vec& s, const arma::vec& mask) {
    if (mask.n_elem != s.n_elem)
        throw std::invalid_argument("filter_gains: one mask value per singular value");
    arma::vec gain(s.n_elem, arma::fill::zeros);
    for (arma::uword k = 0; k < s.n_elem; ++k)
        if (s(k) > 0.0) gain(k) = mask(k) / s(k);
    return gain;
}

arma::vec filtered_solution(const Svd& svd, const arma::vec& y, const arma::vec& mask) {
    if (mask.n_elem != svd.s.n_elem)
        throw std::invalid_argument("filtered_solution: one mask value per singular value");
    return svd.V * (filter_gains(svd.s, mask) % (svd.U.t() * y));
}

} // namespace sbias
