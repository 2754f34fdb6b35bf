// Proposition 4.1 / Appendix B: q steps of GD from w = 0 are the SVD filter with mask
// 1 - (1 - alpha s^2)^q; gradient flow's 1 - exp(-alpha q s^2) is its alpha -> 0 limit.
#include "sbias/gd.hpp"
#include "sbias/grid.hpp"
#include "sbias/masks.hpp"
#include "sbias/metrics.hpp"
#include "sbias/signals.hpp"
#include "sbias/solve.hpp"
#include "sbias/spectra.hpp"
#include "tolerances.hpp"

#include <doctest/doctest.h>

using namespace sbias;

namespace {
struct Problem {
    arma::mat A;
    arma::vec y;
    Svd svd;
};

Problem tanh_problem(arma::uword N = 64, arma::uword M = 128) {
    Problem p;
    const arma::vec x = unit_grid(N);
    p.A = design_matrix(activation("tanh"), double(M), x, unit_grid(M));
    p.y = smooth_test_signal(x);
    p.svd = thin_svd(p.A);
    return p;
}
} // namespace

TEST_SUITE("prop-4.1") {
    TEST_CASE("q steps of GD equal the closed-form mask solution") {
        const Problem p = tanh_problem();
        const double s0 = p.svd.s(0);
        for (double scale : {1.0, 0.5}) {
            const double alpha = scale / (s0 * s0);
            gradient_descent(p.A, p.y, alpha, 1000, [&](std::uint64_t q, const arma::vec& w) {
                if (q != 1 && q != 10 && q != 100 && q != 1000) return;
                const arma::vec cf =
                    filtered_solution(p.svd, p.y, mask_gd(p.svd.s, alpha, double(q)));
                CAPTURE(scale);
                CAPTURE(q);
                CHECK(relative_error(cf, w) < tol::gd_closed_form);
            });
        }
    }

    TEST_CASE("the same holds for a ReLU matrix whose spectrum is far more spread") {
        const arma::vec x = unit_grid(48);
        const arma::mat A = design_matrix(activation("relu"), 1.0, x, unit_grid(96));
        const arma::vec y = arma::exp(-x) % arma::sin(5 * x);
        const Svd svd = thin_svd(A);
        const double alpha = 1.0 / (svd.s(0) * svd.s(0));
        const arma::vec w = gradient_descent(A, y, alpha, 500);
        CHECK(relative_error(filtered_solution(svd, y, mask_gd(svd.s, alpha, 500.0)), w) <
              tol::gd_closed_form);
    }

    TEST_CASE("gd_closed_form through the Gram matrix: GD itself and the SVD's closed form") {
        // Wide (U, A A^T) and tall (V, A^T A) matrices, tanh and the far more spread ReLU, and a
        // rank-deficient wide one (rows 16..31 repeat rows 0..15: half the eigenvalues are 0).
        arma::mat deficient = tanh_problem(32, 64).A;
        deficient.rows(16, 31) = deficient.rows(0, 15);
        const arma::vec x48 = unit_grid(48);
        const std::vector<std::pair<std::string, arma::mat>> cases = {
            {"tanh wide", tanh_problem(64, 128).A},
            {"tanh tall", tanh_problem(96, 40).A},
            {"relu wide", design_matrix(activation("relu"), 1.0, x48, unit_grid(96))},
            {"rank-deficient wide", deficient}};
        for (const auto& c : cases) { // not a structured binding: clang cannot capture one
            const std::string& name = c.first;
            const arma::mat& A = c.second;
            const arma::vec y = smooth_test_signal(unit_grid(A.n_rows));
            const Svd svd = thin_svd(A);
            const double alpha = 1.0 / (svd.s(0) * svd.s(0));
            CAPTURE(name);
            CHECK(gd_closed_form(A, y, 0.0).w.is_zero());
            for (double q : {1.0, 7.0, 300.0}) {
                CAPTURE(q);
                const GdClosedForm g = gd_closed_form(A, y, q);
                CHECK(tol::close(g.alpha, alpha, tol::svd_values));
                const arma::vec gd = gradient_descent(A, y, alpha, static_cast<std::uint64_t>(q));
                CHECK(relative_error(g.w, gd) < tol::gd_closed_form);
                CHECK(relative_error(g.w, filtered_solution(svd, y, mask_gd(svd.s, alpha, q))) <
                      tol::gd_closed_form);
            }
        }
    }

    TEST_CASE("gd_closed_form beyond gram_q_max is the SVD's closed form itself") {
        const Problem p = tanh_problem();
        const double alpha = 1.0 / (p.svd.s(0) * p.svd.s(0)), q = 10 * gram_q_max;
        const GdClosedForm g = gd_closed_form(p.A, p.y, q);
        CHECK(g.alpha == alpha);
        CHECK(arma::approx_equal(g.w, filtered_solution(p.svd, p.y, mask_gd(p.svd.s, alpha, q)),
                                 "absdiff", 0.0));
        for (double q_any : {5.0, q}) // a zero matrix: no step to take, w = 0 either route
            CHECK(gd_closed_form(arma::mat(4, 6, arma::fill::zeros), arma::vec(4, arma::fill::ones),
                                 q_any)
                      .w.is_zero());
        CHECK_THROWS_AS(gd_closed_form(p.A, p.y, -1.0), std::invalid_argument);
        CHECK_THROWS_AS(gd_closed_form(p.A, arma::vec(3), 1.0), std::invalid_argument);
    }

    TEST_CASE("gradient flow's error shrinks as alpha -> 0 at fixed alpha q") {
        const Problem p = tanh_problem();
        const double s0 = p.svd.s(0);
        const double t = 50.0 / (s0 * s0); // alpha q held fixed
        std::vector<double> err;
        for (double q : {50.0, 500.0, 5000.0}) {
            const double alpha = t / q;
            const arma::vec w = gradient_descent(p.A, p.y, alpha, static_cast<std::uint64_t>(q));
            err.push_back(
                relative_error(filtered_solution(p.svd, p.y, mask_flow(p.svd.s, alpha, q)), w));
        }
        CAPTURE(err[0]);
        CAPTURE(err[1]);
        CAPTURE(err[2]);
        // First order in alpha: each tenfold smaller step cuts the error about tenfold.
        CHECK(err[1] < err[0] / 5);
        CHECK(err[2] < err[1] / 5);
        CHECK(err[0] > 1e-4); // and at alpha = 1 / s_0^2 the flow really is off
    }
}

TEST_SUITE("solve") {
    TEST_CASE("all-ones mask is the minimum-norm least-squares solution (pseudo-inverse)") {
        const Problem p = tanh_problem(40, 30); // N > M: overdetermined, full column rank
        const arma::vec w = filtered_solution(p.svd, p.y, arma::ones(p.svd.s.n_elem));
        const arma::vec ref = arma::solve(p.A.t() * p.A, p.A.t() * p.y);
        CHECK(relative_error(w, ref) < tol::second_method);
    }

    TEST_CASE("ridge mask equals (A^T A + lambda I)^-1 A^T y") {
        const Problem p = tanh_problem(32, 64);
        const double lambda = 0.1;
        const arma::vec w = filtered_solution(p.svd, p.y, mask_ridge(p.svd.s, lambda));
        const arma::vec ref =
            arma::solve(p.A.t() * p.A + lambda * arma::eye(64, 64), p.A.t() * p.y);
        CHECK(relative_error(w, ref) < tol::second_method);
    }

    TEST_CASE("zero singular values get no weight") {
        Svd svd;
        svd.U = arma::eye(2, 2);
        svd.V = arma::eye(2, 2);
        svd.s = {1.0, 0.0};
        const arma::vec w = filtered_solution(svd, arma::vec{2.0, 3.0}, arma::vec{1.0, 1.0});
        CHECK(w(0) == 2.0);
        CHECK(w(1) == 0.0);
    }
}

TEST_SUITE("metrics") {
    TEST_CASE("PSNR of a known perturbation") {
        const arma::vec y = arma::linspace(0, 1, 100);
        CHECK(tol::close(psnr(y + 0.1, y), 20.0, tol::ulps * 10)); // mse 0.01 -> 20 dB
        CHECK(std::isinf(psnr(y, y)));
        CHECK(relative_error(arma::vec{3.0, 4.0}, arma::vec{0.0, 0.0}) == 5.0);
    }

    TEST_CASE("Spearman correlation: monotone maps and a hand-computed case with ties") {
        const arma::vec a = {1, 2, 3, 4, 5};
        CHECK(spearman(a, arma::exp(a)) == 1.0); // any increasing map: ranks equal
        CHECK(spearman(a, -arma::pow(a, 3)) == -1.0);
        // b = 5, 6, 7, 8, 7: ranks 1, 2, 3.5, 5, 3.5; centred dot 8, norms^2 10 and 9.5.
        CHECK(tol::close(spearman(a, arma::vec{5, 6, 7, 8, 7}), 8.0 / std::sqrt(95.0), tol::ulps));
        // Without ties, 1 - 6 sum d^2 / (n (n^2 - 1)): ranks 2,1,4,3,5 give d^2 = 4, rho = 0.8.
        CHECK(tol::close(spearman(a, arma::vec{0.2, 0.1, 0.4, 0.3, 0.5}), 0.8, tol::ulps));
        // Values equal but for rounding count as tied only under a tie tolerance.
        const arma::vec c = {1.0, 1.0 + 1e-15, 2.0};
        CHECK(spearman(arma::vec{1, 2, 3}, c) == 1.0);
        CHECK(tol::close(spearman(arma::vec{2, 1, 3}, c, 1e-12), std::sqrt(0.75), tol::ulps));
    }

    TEST_CASE("subspace overlap of equal and orthogonal spans and of one angle") {
        arma::arma_rng::set_seed(3);
        arma::mat Q;
        arma::mat R;
        arma::qr_econ(Q, R, arma::mat(20, 4, arma::fill::randn));
        const arma::mat G =
            arma::orth(arma::mat(4, 4, arma::fill::randn)); // a rotation of the basis
        CHECK(tol::close(subspace_overlap(Q.cols(0, 1), Q.cols(0, 1)), 1.0, tol::ulps * 10));
        CHECK(tol::close(subspace_overlap(Q, Q * G), 1.0, 1e-14));
        CHECK(std::abs(subspace_overlap(Q.cols(0, 1), Q.cols(2, 3))) <= 1e-15);
        const double theta = 0.3;
        const arma::mat u = Q.col(0), v = std::cos(theta) * Q.col(0) + std::sin(theta) * Q.col(1);
        CHECK(tol::close(subspace_overlap(u, v), std::pow(std::cos(theta), 2), tol::ulps * 10));
        CHECK_THROWS(subspace_overlap(Q.cols(0, 1), Q.cols(0, 2)));
    }
}
