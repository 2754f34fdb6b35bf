#include "sbias/solve.hpp"

#include <stdexcept>

namespace sbias {

arma::vec filtered_solution(const Svd& svd, const arma::vec& y, const arma::vec& mask) {
    if (mask.n_elem != svd.s.n_elem)
        throw std::invalid_argument("filtered_solution: one mask value per singular value");
    arma::vec gain(svd.s.n_elem, arma::fill::zeros);
    for (arma::uword k = 0; k < svd.s.n_elem; ++k)
        if (svd.s(k) > 0.0) gain(k) = mask(k) / svd.s(k);
    return svd.V * (gain % (svd.U.t() * y));
}

} // namespace sbias
