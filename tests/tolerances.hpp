// Every tolerance the tests use, with the reason it is what it is. doctest's default Approx
// epsilon (about 1e-5) is far too loose for float64 identities, so tests compare explicitly.
#pragma once

#include <cmath>

namespace tol {

/// A few units in the last place: identities evaluated with O(1) floating-point operations.
constexpr double ulps = 1e-15;
/// Singular values of an n = 500 matrix from LAPACK: backward stable, error about
/// n * eps * s_max, which relative to the smallest value (s_max / s_min ~ 640) is ~1e-13.
constexpr double svd_values = 1e-12;
/// Angle between a computed singular vector and its closed form: the gap between neighbouring
/// singular values is large here, so the vectors are as accurate as the values.
constexpr double svd_vectors = 1e-10;
/// Proposition 4.1: q GD steps against the closed-form mask. Each step adds rounding of order
/// eps * cond; 1e-10 after 1000 steps is the bound with room for that growth.
constexpr double gd_closed_form = 1e-10;
/// Two algebraically equal solvers (SVD filter vs normal equations / pseudo-inverse) on a
/// well-conditioned test problem (condition number below 1e3).
constexpr double second_method = 1e-9;

/// |a - b| <= rel * max(|a|, |b|)
inline bool close(double a, double b, double rel) {
    return std::abs(a - b) <= rel * std::max(std::abs(a), std::abs(b));
}

} // namespace tol
