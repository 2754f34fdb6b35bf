// Chapter 02: gradient descent is a shrinkage operator (Proposition 4.1, Appendix B).
//
// On a real design matrix A (tanh, N = 256, M = 1024 by default) we run plain GD from w = 0 and,
// at log-spaced iteration counts q, compare its iterate w_q with three SVD filters
// w = V diag(m(s) / s) U^T y:
//   - the exact mask 1 - (1 - alpha s^2)^q, evaluated stably (Eq. 29),
//   - the same mask as printed, 1 - pow(1 - alpha s^2, q) (the naive evaluation),
//   - gradient flow's 1 - exp(-alpha q s^2) (Eq. 15, the form Proposition 4.1 states).
// It also reads the mask GD actually applied off its iterate, m_k = s_k (V^T w_q)_k / (U^T y)_k,
// and measures where the naive evaluation loses precision, over alpha s^2 from 1e-20 to 1.
#include "sbias/activations.hpp"
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/gd.hpp"
#include "sbias/grid.hpp"
#include "sbias/masks.hpp"
#include "sbias/metrics.hpp"
#include "sbias/signals.hpp"
#include "sbias/solve.hpp"
#include "sbias/spectra.hpp"

#include <cmath>
#include <limits>
#include <set>

using namespace sbias;

namespace {

/// Whole numbers from 1 to q_max, about per_decade of them per factor of ten, always with q_max.
std::vector<std::uint64_t> checkpoints(std::uint64_t q_max, int per_decade) {
    std::set<std::uint64_t> qs{1, q_max};
    const double decades = std::log10(static_cast<double>(q_max));
    const int n = static_cast<int>(std::ceil(decades * per_decade));
    for (int i = 0; i <= n; ++i)
        qs.insert(std::min<std::uint64_t>(q_max, static_cast<std::uint64_t>(std::llround(
                                                     std::pow(10.0, i / double(per_decade))))));
    return {qs.begin(), qs.end()};
}

} // namespace

int main(int argc, char** argv) {
    Chapter ch("02-gd-mask", "Chapter 02: GD iterates vs the closed-form shrinkage mask "
                             "(Proposition 4.1, Appendix B)");
    std::string act_name = "tanh";
    long long N = 256, M = 1024, q_max = 10000;
    double sigma = std::numeric_limits<double>::quiet_NaN(), alpha_scale = 1.0;
    int per_decade = 12;
    bool sigma_given = false;
    auto& cli = ch.cli();
    cli.add_option("--activation", act_name, "activation: " + activation_names())
        ->capture_default_str();
    cli.add_option("--N", N, "number of samples x_i = linspace(0, 1, N)")->capture_default_str();
    cli.add_option("--M", M, "network width, biases b_j = linspace(0, 1, M)")
        ->capture_default_str();
    auto* sigma_opt =
        cli.add_option("--sigma", sigma, "activation scale (default: SPEC.md's, M for tanh)");
    cli.add_option("--q-max", q_max, "largest number of GD iterations")->capture_default_str();
    cli.add_option("--alpha-scale", alpha_scale, "step size alpha = scale / s_0^2, 0 < scale <= 1")
        ->capture_default_str();
    cli.add_option("--per-decade", per_decade, "checkpoints per factor of ten in q")
        ->capture_default_str();

    const Activation* eta = nullptr;
    const auto check = [&] {
        eta = &activation(act_name);
        if (N < 2) throw usage_error("N must be at least 2 (got " + std::to_string(N) + ")");
        if (M < 1) throw usage_error("M must be at least 1 (got " + std::to_string(M) + ")");
        if (q_max < 1)
            throw usage_error("q-max must be at least 1 (got " + std::to_string(q_max) + ")");
        if (per_decade < 1) throw usage_error("per-decade must be at least 1");
        if (!(alpha_scale > 0.0 && alpha_scale <= 1.0))
            throw usage_error("alpha-scale must lie in (0, 1] (got " + std::to_string(alpha_scale) +
                              ")");
        sigma_given = sigma_opt->count() > 0;
        if (!sigma_given) {
            const auto d = default_sigma(*eta, static_cast<arma::uword>(M));
            if (!d) throw usage_error("activation " + act_name + " needs --sigma");
            sigma = *d;
        }
        if (!std::isfinite(sigma) || sigma <= 0.0)
            throw usage_error("sigma must be a positive finite number (got " +
                              std::to_string(sigma) + ")");
    };

    const auto compute = [&] {
        ch.parameters = {{"activation", act_name},  {"N", N},         {"M", M},
                         {"sigma", sigma},          {"q_max", q_max}, {"alpha_scale", alpha_scale},
                         {"per_decade", per_decade}};
        const arma::vec x = unit_grid(N);
        const arma::mat A = design_matrix(*eta, sigma, x, unit_grid(M));
        const arma::vec y = smooth_test_signal(x);
        ch.progress("SVD of the " + std::to_string(N) + " x " + std::to_string(M) +
                    " design matrix");
        const Svd svd = thin_svd(A);
        const arma::vec& s = svd.s;
        const double alpha = alpha_scale / (s(0) * s(0));
        const arma::vec yt = svd.U.t() * y; // y in the basis of principal components

        // The four q whose masks the iterates figure draws: q_max / 1000 ... q_max.
        std::vector<double> shown;
        for (int e = 3; e >= 0; --e)
            shown.push_back(std::max(1.0, std::round(double(q_max) / std::pow(10.0, e))));

        const auto qs = checkpoints(static_cast<std::uint64_t>(q_max), per_decade);
        arma::vec qv(qs.size()), err_cf(qs.size()), err_flow(qs.size()), err_naive(qs.size()),
            gap(qs.size()), gap_sup(qs.size());
        arma::mat emp(s.n_elem, shown.size(), arma::fill::value(arma::datum::nan));
        std::size_t next = 0;
        ch.progress("gradient descent, q = 1 .. " + std::to_string(q_max));
        gradient_descent(
            A, y, alpha, static_cast<std::uint64_t>(q_max),
            [&](std::uint64_t q, const arma::vec& w) {
                if (q_max >= 10000 && q % (q_max / 10) == 0)
                    ch.progress("  iteration " + std::to_string(q) + " / " + std::to_string(q_max));
                for (std::size_t j = 0; j < shown.size(); ++j)
                    if (double(q) == shown[j]) {
                        const arma::vec wt = svd.V.t() * w;
                        for (arma::uword k = 0; k < s.n_elem; ++k)
                            if (std::abs(yt(k)) > 1e-8 * arma::norm(y))
                                emp(k, j) = s(k) * wt(k) / yt(k);
                    }
                if (next >= qs.size() || q != qs[next]) return;
                const double qd = static_cast<double>(q);
                qv(next) = qd;
                err_cf(next) = relative_error(filtered_solution(svd, y, mask_gd(s, alpha, qd)), w);
                err_naive(next) =
                    relative_error(filtered_solution(svd, y, mask_gd_naive(s, alpha, qd)), w);
                err_flow(next) =
                    relative_error(filtered_solution(svd, y, mask_flow(s, alpha, qd)), w);
                gap(next) = arma::max(arma::abs(mask_gd(s, alpha, qd) - mask_flow(s, alpha, qd)));
                gap_sup(next) = flow_gap_sup(qd);
                ++next;
            });

        // Where the naive evaluation of (1 - c)^q loses precision: its relative error against
        // the stable form over c = alpha s^2, for q from 1e2 to 1e12. Exact agreement -> nan.
        const double u = std::numeric_limits<double>::epsilon() / 2; // unit roundoff 2^-53
        const arma::vec c = logspace(1e-20, 1.0, 241);
        const std::vector<double> prec_q = {1e2, 1e4, 1e8, 1e12};
        Table precision;
        precision.add("c", c).add("predicted", u / c);
        for (std::size_t j = 0; j < prec_q.size(); ++j) {
            arma::vec rel(c.n_elem);
            for (arma::uword i = 0; i < c.n_elem; ++i) {
                const double stable = mask_gd(std::sqrt(c(i)), 1.0, prec_q[j]);
                const double d = std::abs(mask_gd_naive(std::sqrt(c(i)), 1.0, prec_q[j]) - stable);
                rel(i) = d == 0.0 ? arma::datum::nan : d / stable;
            }
            precision.add("rel_q" + std::to_string(j + 1), rel);
        }
        // An illustration for the prose: a component with alpha s^2 = 1e-14 after q = 1e12 steps.
        const double ex_c = 1e-14, ex_q = 1e12;
        const double ex_mask = mask_gd(std::sqrt(ex_c), 1.0, ex_q);
        const double ex_err =
            std::abs(mask_gd_naive(std::sqrt(ex_c), 1.0, ex_q) - ex_mask) / ex_mask;
        const double c_min = alpha * s(s.n_elem - 1) * s(s.n_elem - 1);
        const double naive_on_spectrum = arma::max(
            arma::abs(mask_gd_naive(s, alpha, double(q_max)) - mask_gd(s, alpha, double(q_max))) /
            mask_gd(s, alpha, double(q_max)));

        // Tables for the figures.
        const arma::vec sn = normalized(s);
        Table masks, curves;
        const arma::vec sgrid = logspace(sn.min(), 1.0, 400);
        masks.add("k", arma::regspace(0, s.n_elem - 1)).add("snorm", sn);
        curves.add("snorm", sgrid);
        for (std::size_t j = 0; j < shown.size(); ++j) {
            const std::string t = std::to_string(j + 1);
            masks.add("emp" + t, emp.col(j))
                .add("cf" + t, mask_gd(s, alpha, shown[j]))
                .add("flow" + t, mask_flow(s, alpha, shown[j]));
            curves.add("cf" + t, mask_gd(sgrid * s(0), alpha, shown[j]))
                .add("flow" + t, mask_flow(sgrid * s(0), alpha, shown[j]));
        }
        Table errors;
        errors.add("q", qv)
            .add("err_cf", err_cf)
            .add("err_naive", err_naive)
            .add("err_flow", err_flow)
            .add("gap", gap)
            .add("gap_sup", gap_sup)
            .add("gap_asym", 2.0 * std::exp(-2.0) / qv);
        ch.tables = {{"errors.tsv", errors},
                     {"masks.tsv", masks},
                     {"mask_curves.tsv", curves.thinned("snorm")}, // rows the curves need
                     {"precision.tsv", precision}};

        // Empirical mask of GD against the closed form, over the components where it is defined.
        double emp_dev = 0.0;
        for (std::size_t j = 0; j < shown.size(); ++j)
            for (arma::uword k = 0; k < s.n_elem; ++k)
                if (!std::isnan(emp(k, j)))
                    emp_dev =
                        std::max(emp_dev, std::abs(emp(k, j) - mask_gd(s(k), alpha, shown[j])));

        const auto vec = [](const arma::vec& v) { return std::vector<double>(v.begin(), v.end()); };
        auto& r = ch.results;
        r["max_rel_error_closed_form"] = err_cf.max();
        r["max_rel_error_flow"] = err_flow.max();
        r["max_rel_error_naive"] = err_naive.max();
        r["max_abs_error_empirical_mask"] = emp_dev;
        r["alpha"] = alpha;
        r["s0"] = s(0);
        r["smallest_alpha_s2"] = c_min;
        r["naive_mask_max_rel_error_on_spectrum_at_q_max"] = naive_on_spectrum;
        r["q"] = vec(qv);
        r["rel_error_closed_form"] = vec(err_cf);
        r["rel_error_naive"] = vec(err_naive);
        r["rel_error_flow"] = vec(err_flow);
        r["flow_mask_gap"] = vec(gap);
        r["flow_mask_gap_sup"] = vec(gap_sup);

        auto& m = ch.macros;
        m.text("chIIActivation", act_name)
            .integer("chIIN", N)
            .integer("chIIM", M)
            .number("chIISigma", sigma, 4)
            .integer("chIIqMax", q_max)
            .number("chIIAlphaScale", alpha_scale)
            .integer("chIIPerDecade", per_decade)
            .integer("chIICheckpoints", static_cast<long long>(qs.size()))
            .number("chIIsZero", s(0), 4)
            .number("chIIAlpha", alpha)
            .number("chIISmallestC", c_min, 2)
            .raw("chIISmallestCRaw", c_min)
            .number("chIIErrClosedForm", err_cf.max(), 2)
            .number("chIIErrNaive", err_naive.max(), 2)
            .number("chIIErrFlow", err_flow.max(), 3)
            .number("chIIErrFlowAtqMax", err_flow(err_flow.n_elem - 1), 3)
            .number("chIIErrFlowAtOne", err_flow(0), 3)
            .number("chIIGapAtOne", gap(0), 4)
            .number("chIIGapAtqMax", gap(gap.n_elem - 1), 3)
            .number("chIIGapSupAtqMax", gap_sup(gap_sup.n_elem - 1), 3)
            .number("chIIGapAsymAtqMax", 2.0 * std::exp(-2.0) / double(q_max), 3)
            .number("chIIEmpMaskDev", emp_dev, 2)
            .number("chIINaiveOnSpectrum", naive_on_spectrum, 2)
            .number("chIIExampleC", ex_c, 1)
            .number("chIIExampleQ", ex_q, 1)
            .number("chIIExampleMask", ex_mask, 2)
            .number("chIIExampleNaiveErr", ex_err, 2);
        for (std::size_t j = 0; j < shown.size(); ++j)
            m.integer(std::string("chIIq") + char('A' + j), static_cast<long long>(shown[j]));
        ch.progress("closed form vs GD: max relative error " + plain_number(err_cf.max(), 2) +
                    "; gradient flow vs GD: " + plain_number(err_flow.max(), 3));
        // The claims ledger (the report's front table).
        ch.verdict(
            "GD from $w = 0$ is a shrinkage operator on the singular values", "Prop.~4.1, App.~B",
            "closed-form mask $1 - (1 - \\alpha s^2)^q$ against GD iterates: \\chIIErrClosedForm",
            "holds");
        ch.verdict(
            "The mask is $1 - e^{-\\alpha q s^2}$ (gradient flow)", "Prop.~4.1, Eq.~29",
            "mask gap \\chIIGapAtOne{} at $q = 1$, at most $2e^{-2}/q$", "holds with a correction",
            "Prop.~4.1 states the gradient-flow mask $1 - e^{-\\alpha q s^2}$; GD's exact mask is "
            "$1 - (1 - \\alpha s^2)^q$, off by up to $2e^{-2}/q$, and Eq.~27 prints the exponent "
            "of the GD sum as $k - 1$ where it is $k$ (Section~\\ref{sec:02-gd-mask}).");
        // Audit rows (issue 19): claims of the paper this chapter's numbers already measure.
        ch.verdict(
            "Eq.~29 suffers from floating-point precision; the gradient-flow form does not",
            "App.~B",
            "naive $1 - (1 - \\alpha s^2)^q$ off by \\chIIExampleNaiveErr{} at $\\alpha s^2 = "
            "\\chIIExampleC$; evaluated stably, Eq.~29 matches GD to \\chIIErrClosedForm",
            "holds with a correction",
            "App.~B blames Eq.~29 for its loss of precision; only its naive evaluation loses it: "
            "evaluated through expm1 and log1p the exact GD mask is accurate at any $q$, and the "
            "gradient-flow substitute is not needed (Section~\\ref{sec:02-gd-mask}).");
    };
    return ch.run(argc, argv, check, compute);
}
