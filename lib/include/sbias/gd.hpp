// Plain full-batch gradient descent on E(w) = 1/2 ||y - A w||^2 (Eqs. 11, 12, 22).
#pragma once

#include <armadillo>
#include <cstdint>
#include <functional>

namespace sbias {

/// Called after iteration q with the iterate w_q.
using IterateObserver = std::function<void(std::uint64_t q, const arma::vec& w)>;

/// Runs q steps of w <- w + alpha A^T (y - A w) from w_0 = 0 and returns w_q. The observer, if
/// given, sees every iterate w_1 .. w_q (it decides which to keep).
arma::vec gradient_descent(const arma::mat& A, const arma::vec& y, double alpha, std::uint64_t q,
                           const IterateObserver& observe = {});

/// The same from a given w_0 (App. B: "the more practical case where w_0 != 0"); equal to w_0
/// plus GD from 0 on y - A w_0, so w_0's part in the null space of A is never changed.
arma::vec gradient_descent_from(const arma::mat& A, const arma::vec& y, const arma::vec& w0,
                                double alpha, std::uint64_t q, const IterateObserver& observe = {});

} // namespace sbias
