// Chapter 13: accelerated shrinkage (beyond the paper; App. D's cost).
//
// GD from w = 0 is one polynomial filter of A^T A: after n steps its mask is 1 - r_n(lambda),
// lambda = alpha s^2, with r_n(lambda) = (1 - lambda)^n. Heavy ball (Polyak), Nesterov's constant-
// momentum method and Chebyshev semi-iteration are other polynomial filters (lib/accelerated.hpp),
// each tuned to the interval [lambda_K, 1], lambda_K = (s_{K-1}/s_0)^2, that GD's Prop. 4.2 keeps.
// On Fig. 6(a)'s matrices (the canonical row, N = 256, M = 1024, tanh at sigma = M and ReLU) the
// program measures, for K = 8 ... 128:
//   - the iterations each method needs for its mask at s_{K-1} to reach GD's value there at
//     q(K) = ceil((s_0/s_{K-1})^2), 1 - (1 - 1/q)^q, against GD's q(K);
//   - each mask against the method's real iterates, where the count is affordable;
//   - the masks' shapes (ripple in the kept band, the drop below s_{K-1}) and the PSNR on the
//   fitted
//     samples and on held-out pixels (chapter 06's even/odd split);
//   - Adam (beta1 = 0.9, beta2 = 0.999), which is no polynomial filter: its effective mask per
//     component s_k (V^T w)_k / (U^T y)_k over the iterations, and whether it keeps the spectral
//     order;
// and extends Fig. 8 with Chebyshev's counts for chapter 04's ten spectra (closed form).
#include "sbias/accelerated.hpp"
#include "sbias/activations.hpp"
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/grid.hpp"
#include "sbias/image.hpp"
#include "sbias/leading.hpp"
#include "sbias/masks.hpp"
#include "sbias/metrics.hpp"
#include "sbias/parallel.hpp"
#include "sbias/signals.hpp"
#include "sbias/solve.hpp"
#include "sbias/spectra.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace sbias;

namespace {

/// GD's mask at s_{K-1} after q(K) = ceil(1/l) steps, 1 - (1 - 1/q)^q: the level every method must
/// reach there (SPEC.md).
double keep_target(double l) {
    const double q = std::ceil(1.0 / l);
    return mask_gd(1.0, 1.0 / q, q);
}

/// One tuned method on one matrix at one K: its iteration count and mask over the spectrum.
struct Kept {
    Tuning tuning;
    std::uint64_t n = 0;
    arma::vec mask; ///< one entry per singular value
};

Kept keep(Method m, const arma::vec& s, arma::uword K) {
    const double l = (s(K - 1) / s(0)) * (s(K - 1) / s(0));
    Kept k{tune(m, std::min(l, 1.0 - 1e-12)), 0, {}};
    const double q = std::ceil(1.0 / l);
    k.n = m == Method::gd
              ? static_cast<std::uint64_t>(q)
              : iterations_to_keep(k.tuning, keep_target(l), static_cast<std::uint64_t>(q));
    k.mask = accelerated_mask(k.tuning, arma::square(s / s(0)), k.n);
    return k;
}

} // namespace

int main(int argc, char** argv) {
    Chapter ch("13-accelerated",
               "Chapter 13: momentum and Chebyshev filters against GD's iterations (App. D)");
    std::string image = "../shared/data/peppers.png", spectra_path;
    long long row = 100, M = 1024, adam_iterations = 1500, check_max = 400, adam_components = 64;
    std::vector<long long> Ks = {8, 16, 32, 64, 128};
    std::vector<std::string> acts = {"tanh", "relu"},
                             methods = {"gd", "heavy_ball", "nesterov", "chebyshev"};
    std::vector<double> adam_lrs = {1e-3, 1e-2, 1e-1};
    long long K_show = 32;
    int threads = 2;
    auto& cli = ch.cli();
    cli.add_option("--image", image, "8-bit grayscale PNG (SPEC.md: peppers)")
        ->capture_default_str();
    cli.add_option("--row", row, "row of the 2x2-averaged image (0-based)")->capture_default_str();
    cli.add_option("--M", M, "network width, biases linspace(0, 1, M)")->capture_default_str();
    cli.add_option("--K", Ks, "components kept")->delimiter(',')->capture_default_str();
    cli.add_option("--activations", acts, "activations (SPEC scale)")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--methods", methods, "gd, heavy_ball, nesterov, chebyshev")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--K-show", K_show, "K of the masks figure (one of --K)")->capture_default_str();
    cli.add_option("--check-max", check_max,
                   "run a method's real iterates against its mask up to this many iterations")
        ->capture_default_str();
    cli.add_option("--adam-lr", adam_lrs, "Adam's learning rates")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--adam-iterations", adam_iterations, "Adam's iterations")
        ->capture_default_str();
    cli.add_option("--adam-components", adam_components,
                   "leading components whose half-time Adam's rank correlation uses")
        ->capture_default_str();
    cli.add_option("--spectra", spectra_path,
                   "chapter 04's results (default: <out>/results/04-spectra.json)");
    cli.add_option("--threads", threads, "computations at once")->capture_default_str();

    SignalRows rows;
    Figure3Spectra spectra;
    std::vector<Method> ms;
    const auto check = [&] {
        if (M < 2) throw usage_error("M must be at least 2 (got " + std::to_string(M) + ")");
        if (threads < 1) throw usage_error("threads must be at least 1");
        if (check_max < 0) throw usage_error("check-max must be >= 0");
        if (adam_iterations < 10) throw usage_error("adam-iterations must be at least 10");
        if (Ks.empty() || acts.empty() || methods.empty() || adam_lrs.empty())
            throw usage_error("every list needs at least one value");
        for (double lr : adam_lrs)
            if (!std::isfinite(lr) || lr <= 0.0)
                throw usage_error("each Adam learning rate must be positive and finite");
        ms.clear();
        for (const auto& m : methods)
            ms.push_back(method_from_name(m));
        if (std::find(ms.begin(), ms.end(), Method::gd) == ms.end())
            throw usage_error("methods must include gd (the others are measured against it)");
        for (const auto& a : acts)
            if (!default_sigma(activation(a), M))
                throw usage_error("activation '" + a + "' has no canonical scale here");
        rows = canonical_rows(image, row);
        const long long N = static_cast<long long>(rows.y.n_elem);
        for (long long K : Ks)
            if (K < 1 || K > std::min(N, M))
                throw usage_error("each K must lie in [1, N = " + std::to_string(N) + "]");
        if (std::find(Ks.begin(), Ks.end(), K_show) == Ks.end())
            throw usage_error("K-show must be one of --K");
        if (adam_components < 2 || adam_components > N)
            throw usage_error("adam-components must lie in [2, N]");
        if (spectra_path.empty())
            spectra_path = (fs::path(ch.out_dir()) / "results" / "04-spectra.json").string();
        spectra = read_figure3_spectra(spectra_path);
    };

    const auto compute = [&] {
        ch.parameters = {{"image", image},
                         {"row", row},
                         {"N", rows.y.n_elem},
                         {"M", M},
                         {"K", Ks},
                         {"activations", acts},
                         {"methods", methods},
                         {"K_show", K_show},
                         {"check_max", check_max},
                         {"adam_lr", adam_lrs},
                         {"adam_iterations", adam_iterations},
                         {"adam_components", adam_components},
                         {"adam_betas", {0.9, 0.999}},
                         {"adam_eps", AdamOptions{}.eps},
                         {"spectra", spectra_path},
                         {"threads", threads}};
        auto& r = ch.results;
        auto& mac = ch.macros;
        const arma::vec& y = rows.y;
        const arma::uword N = y.n_elem;
        const arma::vec x = unit_grid(N), b = unit_grid(M);
        const HeldOutSplit split = heldout_split(rows.full_row);
        const arma::vec Kv = arma::conv_to<arma::vec>::from(Ks);

        // The SVDs: each activation's matrix on the fitted samples and on the even pixels.
        ch.progress("SVDs of Fig. 6(a)'s matrices, fitted samples and held-out split");
        std::vector<Svd> svd(acts.size()), svd_tr(acts.size());
        std::vector<arma::mat> A(acts.size()), A_te(acts.size());
        parallel_for(2 * acts.size(), threads, [&](std::size_t j) {
            const Activation& eta = activation(acts[j / 2]);
            const double sigma = *default_sigma(eta, M);
            if (j % 2 == 0) {
                A[j / 2] = design_matrix(eta, sigma, x, b);
                svd[j / 2] = thin_svd(A[j / 2]);
            } else {
                svd_tr[j / 2] = thin_svd(design_matrix(eta, sigma, split.x_train, b));
                A_te[j / 2] = design_matrix(eta, sigma, split.x_test, b);
            }
        });

        // ---- Iterations to keep K, PSNR on fitted and held-out samples --------------------------
        ch.progress("iterations to keep K = " + std::to_string(Ks.front()) + " ... " +
                    std::to_string(Ks.back()) + ", PSNR fitted and held out");
        json iters = json::object(), psnr_j = json::object(), held_j = json::object(),
             ripple_j = json::object(), drop_j = json::object();
        Table iter_t, psnr_t, held_t;
        iter_t.add("K", Kv);
        psnr_t.add("K", Kv);
        held_t.add("K", Kv);
        arma::vec dst(Ks.size()), dst_held(Ks.size());
        for (std::size_t i = 0; i < Ks.size(); ++i) {
            dst(i) = psnr(dst_least_squares(x, y, Ks[i], x), y);
            dst_held(i) = psnr(dst_least_squares(split.x_train, split.y_train, Ks[i], split.x_test),
                               split.y_test);
        }
        psnr_t.add("dst", dst);
        held_t.add("dst", dst_held);
        // The real-iterate checks: per method and activation, the largest K whose count is within
        // --check-max (a method's iterate costs two products with A).
        struct IterCheck {
            std::size_t a;
            Kept kept;
        };
        std::vector<IterCheck> checks;
        for (std::size_t a = 0; a < acts.size(); ++a) {
            const std::string& act = acts[a];
            for (Method m : ms) {
                const std::string mn = method_name(m);
                arma::vec n_k(Ks.size()), p(Ks.size()), h(Ks.size()), rip(Ks.size()),
                    drop(Ks.size());
                long long best_check = -1;
                for (std::size_t i = 0; i < Ks.size(); ++i) {
                    const arma::uword K = static_cast<arma::uword>(Ks[i]);
                    const Kept k = keep(m, svd[a].s, K);
                    n_k(i) = static_cast<double>(k.n);
                    iters[mn][act][std::to_string(K)] = k.n;
                    p(i) = psnr(A[a] * filtered_solution(svd[a], y, k.mask), y);
                    const Kept kt = keep(m, svd_tr[a].s, K);
                    h(i) = psnr(A_te[a] * filtered_solution(svd_tr[a], split.y_train, kt.mask),
                                split.y_test);
                    // Shape: the largest |1 - m| over the kept band [l, 1] (fine grid in lambda),
                    // and the drop below s_{K-1}: 10 log10(s_{K-1} / s) at the largest s below it
                    // where the mask is down to 0.005 (chapter 03's lower grey-zone edge).
                    const double l = k.tuning.l;
                    const arma::vec band = arma::logspace(std::log10(l), 0.0, 2000);
                    rip(i) = arma::abs(1.0 - accelerated_mask(k.tuning, band, k.n)).max();
                    const arma::vec below =
                        arma::logspace(std::log10(l) - 12.0, std::log10(l), 4000);
                    const arma::vec mb = accelerated_mask(k.tuning, below, k.n);
                    double lam_lo = below(0);
                    for (arma::uword j = 0; j < below.n_elem; ++j)
                        if (std::abs(mb(j)) <= 0.005) lam_lo = below(j);
                    drop(i) = 5.0 * std::log10(l / lam_lo); // 10 log10 of the s ratio
                    if (k.n <= static_cast<std::uint64_t>(check_max)) best_check = i;
                }
                if (best_check >= 0)
                    checks.push_back(
                        {a, keep(m, svd[a].s, static_cast<arma::uword>(Ks[best_check]))});
                iter_t.add(mn + "_" + act, n_k);
                psnr_t.add(mn + "_" + act, p);
                held_t.add(mn + "_" + act, h);
                psnr_j[mn][act] = std::vector<double>(p.begin(), p.end());
                held_j[mn][act] = std::vector<double>(h.begin(), h.end());
                ripple_j[mn][act] = std::vector<double>(rip.begin(), rip.end());
                drop_j[mn][act] = std::vector<double>(drop.begin(), drop.end());
                const std::string W = macro_word(mn) + macro_word(act);
                mac.integer("chXIIIn" + W, static_cast<long long>(n_k.back()))
                    .integer("chXIIInFirst" + W, static_cast<long long>(n_k.front()))
                    // n / sqrt(q(K)) at the largest K: the constant of the sqrt(q) law.
                    .number(
                        "chXIIIRatio" + W,
                        n_k.back() /
                            std::sqrt(iters["gd"][act][std::to_string(Ks.back())].get<double>()),
                        4)
                    .number("chXIIIPsnrGap" + W,
                            arma::mean(p - arma::vec(psnr_j["gd"][act].get<std::vector<double>>())),
                            2)
                    .number("chXIIIHeldGap" + W,
                            arma::mean(h - arma::vec(held_j["gd"][act].get<std::vector<double>>())),
                            2)
                    .number("chXIIIRipple" + W, rip.max(), 2)
                    .number("chXIIIDrop" + W, arma::mean(drop), 3);
            }
        }
        // What the ripple costs: Chebyshev on the same interval run until its ripple in the kept
        // band is 1 % (1/T_n(x0) = 0.01), not GD's 1/e at the edge.
        json low = json::object();
        for (std::size_t a = 0; a < acts.size(); ++a) {
            arma::vec n_k(Ks.size()), p(Ks.size()), h(Ks.size());
            const auto low_ripple = [&](const arma::vec& s, arma::uword K, std::uint64_t& n) {
                const double l = std::min((s(K - 1) / s(0)) * (s(K - 1) / s(0)), 1.0 - 1e-12);
                const Tuning t = tune(Method::chebyshev, l);
                n = static_cast<std::uint64_t>(chebyshev_iterations_closed_form(l, 0.99));
                return accelerated_mask(t, arma::square(s / s(0)), n);
            };
            for (std::size_t i = 0; i < Ks.size(); ++i) {
                const arma::uword K = static_cast<arma::uword>(Ks[i]);
                std::uint64_t n = 0, n_tr = 0;
                p(i) = psnr(A[a] * filtered_solution(svd[a], y, low_ripple(svd[a].s, K, n)), y);
                h(i) = psnr(A_te[a] * filtered_solution(svd_tr[a], split.y_train,
                                                        low_ripple(svd_tr[a].s, K, n_tr)),
                            split.y_test);
                n_k(i) = static_cast<double>(n);
            }
            const std::string& act = acts[a];
            low[act] = {{"iterations", std::vector<double>(n_k.begin(), n_k.end())},
                        {"psnr", std::vector<double>(p.begin(), p.end())},
                        {"heldout_psnr", std::vector<double>(h.begin(), h.end())}};
            psnr_t.add("chebyshev_low_ripple_" + act, p);
            held_t.add("chebyshev_low_ripple_" + act, h);
            const arma::vec gd_p(psnr_j["gd"][act].get<std::vector<double>>());
            const std::string W = macro_word(act);
            mac.integer("chXIIInLowRipple" + W, static_cast<long long>(n_k.back()))
                .number("chXIIIPsnrGapLowRipple" + W, arma::mean(p - gd_p), 2);
        }
        r["chebyshev_low_ripple"] = low;
        r["K"] = Ks;
        r["iterations_to_keep"] = iters;
        r["psnr"] = psnr_j;
        r["heldout_psnr"] = held_j;
        r["psnr_dst"] = std::vector<double>(dst.begin(), dst.end());
        r["heldout_psnr_dst"] = std::vector<double>(dst_held.begin(), dst_held.end());
        r["mask_ripple_in_band"] = ripple_j;
        r["mask_drop_db_below_threshold"] = drop_j;

        // ---- Each mask against its method's real iterates ---------------------------------------
        ch.progress("masks against real iterates (" + std::to_string(checks.size()) + " runs)");
        std::vector<double> check_diff(checks.size());
        parallel_for(checks.size(), threads, [&](std::size_t i) {
            const IterCheck& c = checks[i];
            const double alpha = 1.0 / (svd[c.a].s(0) * svd[c.a].s(0));
            const arma::vec w_it = accelerated_iterates(c.kept.tuning, A[c.a], y, alpha, c.kept.n);
            check_diff[i] = relative_error(w_it, filtered_solution(svd[c.a], y, c.kept.mask));
        });
        json check_j = json::object(), check_n = json::object();
        double check_worst = 0.0;
        for (Method m : ms)
            check_j[method_name(m)] = nullptr;
        for (std::size_t i = 0; i < checks.size(); ++i) {
            const std::string mn = method_name(checks[i].kept.tuning.method);
            const double prev = check_j[mn].is_null() ? 0.0 : check_j[mn].get<double>();
            check_j[mn] = std::max(prev, check_diff[i]);
            check_n[mn][acts[checks[i].a]] = checks[i].kept.n;
            check_worst = std::max(check_worst, check_diff[i]);
        }
        r["mask_vs_iterates_max_rel_diff"] = check_j;
        r["mask_vs_iterates_iterations"] = check_n;
        mac.number("chXIIICheckWorst", check_worst, 2).integer("chXIIICheckMax", check_max);

        // ---- Recurrences against their closed forms, where they are hardest: n = 50000 steps
        // tuned to l = 1e-10, lambda from 1e-12 to 1
        // ------------------------------------------------------
        double rec_worst = 0.0;
        for (Method m : ms) {
            if (m == Method::gd) continue;
            const Tuning t = tune(m, 1e-10);
            const arma::vec lam = arma::logspace(-12.0, 0.0, 200);
            const std::uint64_t n = 50000;
            const arma::vec a = residual_polynomial(t, lam, n),
                            c = residual_polynomial_closed_form(t, lam, n);
            // Relative where |r| exceeds 1 (heavy ball's transient reaches 1e4 there).
            rec_worst =
                std::max(rec_worst, arma::max(arma::abs(a - c) /
                                              arma::max(arma::abs(c), arma::ones(c.n_elem))));
        }
        r["recurrence_vs_closed_form_max_abs_diff"] = rec_worst;
        mac.number("chXIIIRecurrence", rec_worst, 2);

        // ---- The masks figure
        // ---------------------------------------------------------------------
        Table mask_t;
        const arma::vec s_grid = arma::logspace(-4.0, 0.0, 600);
        mask_t.add("s", s_grid);
        for (std::size_t a = 0; a < acts.size(); ++a)
            for (Method m : ms) {
                const Kept k = keep(m, svd[a].s, static_cast<arma::uword>(K_show));
                mask_t.add(method_name(m) + "_" + acts[a],
                           accelerated_mask(k.tuning, arma::square(s_grid), k.n));
                if (m == Method::gd)
                    mac.raw("chXIIIThresholdRaw" + macro_word(acts[a]),
                            svd[a].s(K_show - 1) / svd[a].s(0));
            }
        mac.integer("chXIIIKshow", K_show);

        // ---- Fig. 8 extended: chapter 04's ten spectra, GD against Chebyshev
        // ----------------------
        Table fig8;
        const arma::uword K_max = spectra.values;
        fig8.add("K", arma::regspace(1, K_max));
        json fig8_j = json::object();
        double cheb_const_min = 1e300, cheb_const_max = 0.0;
        for (const auto& req : spectra.requests) {
            const arma::vec& sn = spectra.normalized.at(req.label);
            arma::vec q(K_max), nc(K_max);
            for (arma::uword K = 1; K <= K_max; ++K) {
                const double l = sn(K - 1) * sn(K - 1);
                q(K - 1) = std::ceil(1.0 / l);
                // q = 1 (l = 1: the component ties with s_0) is one step for every method.
                nc(K - 1) =
                    q(K - 1) <= 1.0 ? 1.0 : chebyshev_iterations_closed_form(l, keep_target(l));
                if (q(K - 1) >= 1e4) {
                    cheb_const_min = std::min(cheb_const_min, nc(K - 1) / std::sqrt(q(K - 1)));
                    cheb_const_max = std::max(cheb_const_max, nc(K - 1) / std::sqrt(q(K - 1)));
                }
            }
            fig8.add("gd_" + req.label, q).add("chebyshev_" + req.label, nc);
            for (long long K : {10LL, 50LL, 100LL, static_cast<long long>(K_max)})
                fig8_j[req.label][std::to_string(K)] = {{"gd", q(K - 1)}, {"chebyshev", nc(K - 1)}};
        }
        r["fig8_extended"] = fig8_j;
        // The constant: acosh(1/(1 - target)) / 2 with target -> 1 - 1/e, i.e. acosh(e) / 2.
        const double cheb_const = std::acosh(std::exp(1.0)) / 2.0;
        r["chebyshev_sqrt_q_constant"] = {{"derived", cheb_const},
                                          {"measured_min_q_ge_1e4", cheb_const_min},
                                          {"measured_max_q_ge_1e4", cheb_const_max}};
        // Heavy ball and Nesterov at the interval's edge have a double root: r_n ~ (1 + t) e^{-t}
        // with t = 2 n sqrt(l) (heavy ball) or n sqrt(l) (Nesterov); (1 + t) e^{-t} = 1/e at t*.
        double lo = 1.0, hi = 5.0;
        for (int it = 0; it < 200; ++it) {
            const double mid = 0.5 * (lo + hi);
            ((1.0 + mid) * std::exp(-mid) > std::exp(-1.0) ? lo : hi) = mid;
        }
        const double t_star = 0.5 * (lo + hi);
        r["sqrt_q_constants_derived"] = {
            {"chebyshev", cheb_const}, {"heavy_ball", t_star / 2.0}, {"nesterov", t_star}};
        mac.number("chXIIITstar", t_star, 4)
            .number("chXIIIHbConst", t_star / 2.0, 4)
            .number("chXIIIChebConst", cheb_const, 4)
            .number("chXIIIChebConstMin", cheb_const_min, 4)
            .number("chXIIIChebConstMax", cheb_const_max, 4);

        // ---- Adam
        // ----------------------------------------------------------------------------------
        ch.progress("Adam: " + std::to_string(adam_lrs.size()) + " learning rates, " +
                    std::to_string(adam_iterations) + " iterations, per activation");
        struct AdamRun {
            std::size_t a;
            double lr;
            arma::vec half; // first iteration at which component k's effective mask >= 1/2
            arma::vec checkpoints, psnr_t;
        };
        std::vector<AdamRun> adam;
        for (std::size_t a = 0; a < acts.size(); ++a)
            for (double lr : adam_lrs)
                adam.push_back({a, lr, {}, {}, {}});
        const std::uint64_t T = static_cast<std::uint64_t>(adam_iterations);
        arma::vec checkpoints =
            arma::unique(arma::round(arma::logspace(0.0, std::log10(double(T)), 60)));
        parallel_for(adam.size(), threads, [&](std::size_t i) {
            AdamRun& run = adam[i];
            const Svd& sv = svd[run.a];
            const arma::uword C = static_cast<arma::uword>(adam_components);
            const arma::vec Uty = sv.U.t() * y;
            run.half = arma::vec(C, arma::fill::value(double(T + 1)));
            run.checkpoints = checkpoints;
            run.psnr_t = arma::vec(checkpoints.n_elem);
            arma::uword next = 0;
            AdamOptions o;
            o.lr = run.lr;
            adam_least_squares(A[run.a], y, o, T, [&](std::uint64_t t, const arma::vec& w) {
                // Every iterate: the half-times need the first crossing.
                const arma::vec m_eff = sv.s.head(C) % (sv.V.cols(0, C - 1).t() * w) / Uty.head(C);
                for (arma::uword k = 0; k < C; ++k)
                    if (run.half(k) > double(T) && m_eff(k) >= 0.5) run.half(k) = double(t);
                if (next < checkpoints.n_elem && double(t) == checkpoints(next))
                    run.psnr_t(next++) = psnr(A[run.a] * w, y);
            });
        });
        json adam_j = json::object();
        Table adam_half, adam_psnr;
        adam_half.add("k", arma::regspace(0, adam_components - 1));
        adam_psnr.add("t", checkpoints);
        for (std::size_t a = 0; a < acts.size(); ++a) {
            const std::string& act = acts[a];
            const Svd& sv = svd[a];
            // GD's half-times in closed form: 1 - (1 - lambda_k)^t >= 1/2.
            arma::vec gd_half(adam_components);
            for (long long k = 0; k < adam_components; ++k) {
                const double lam = (sv.s(k) / sv.s(0)) * (sv.s(k) / sv.s(0));
                gd_half(k) = lam >= 1.0 ? 1.0 : std::ceil(std::log(0.5) / std::log1p(-lam));
            }
            adam_half.add("gd_" + act, gd_half);
            arma::vec gd_p(checkpoints.n_elem), ch_p(checkpoints.n_elem);
            const arma::vec lam_all = arma::square(sv.s / sv.s(0));
            for (arma::uword j = 0; j < checkpoints.n_elem; ++j) {
                const std::uint64_t n = static_cast<std::uint64_t>(checkpoints(j));
                gd_p(j) =
                    psnr(A[a] * filtered_solution(sv, y, mask_gd(lam_all, 1.0, double(n))), y);
                // Chebyshev tuned so that n iterations keep what its edge l reaches at 1 - 1/e:
                // T_n(x0) = e, x0 = cosh(1/n), l = (x0 - 1)/(x0 + 1).
                const double x0 = std::cosh(std::acosh(std::exp(1.0)) / double(n));
                const Tuning t = tune(Method::chebyshev, std::min((x0 - 1.0) / (x0 + 1.0), 0.999));
                ch_p(j) = psnr(A[a] * filtered_solution(sv, y, accelerated_mask(t, lam_all, n)), y);
            }
            adam_psnr.add("gd_" + act, gd_p).add("chebyshev_" + act, ch_p);
            double best_rho = 0.0, best_psnr = -1e300, best_lr = 0.0;
            const AdamRun* best_run = nullptr;
            int lr_index = 0;
            for (const AdamRun& run : adam) {
                if (run.a != a) continue;
                const double rho = spearman(arma::regspace(0, adam_components - 1), run.half);
                const std::string lk = plain_number(run.lr, 3);
                adam_j["runs"][act][lk] = {
                    {"spearman_k_halfway", rho},
                    {"final_psnr", run.psnr_t(run.psnr_t.n_elem - 1)},
                    {"components_reaching_half", arma::accu(run.half <= double(T))}};
                const std::string col = "adam_" + act + "_lr" + std::to_string(lr_index++);
                adam_half.add(col, run.half);
                adam_psnr.add(col, run.psnr_t);
                if (run.psnr_t(run.psnr_t.n_elem - 1) > best_psnr) {
                    best_psnr = run.psnr_t(run.psnr_t.n_elem - 1);
                    best_rho = rho;
                    best_lr = run.lr;
                    best_run = &run;
                }
            }
            // The figure draws the learning rate with the best final PSNR.
            adam_half.add("adam_best_" + act, best_run->half);
            adam_psnr.add("adam_best_" + act, best_run->psnr_t);
            adam_j["spearman_k_halfway"][act] = best_rho;
            adam_j["best_lr"][act] = best_lr;
            adam_j["spearman_k_halfway_gd"][act] =
                spearman(arma::regspace(0, adam_components - 1), gd_half);
            adam_j["final_psnr_gd"][act] = gd_p(gd_p.n_elem - 1);
            adam_j["final_psnr_chebyshev"][act] = ch_p(ch_p.n_elem - 1);
            const std::string W = macro_word(act);
            mac.number("chXIIIAdamRho" + W, best_rho, 2)
                .number("chXIIIAdamLr" + W, best_lr, 2)
                .number("chXIIIAdamPsnr" + W, best_psnr, 3)
                .number("chXIIIGdPsnrT" + W, gd_p(gd_p.n_elem - 1), 3)
                .number("chXIIIChebPsnrT" + W, ch_p(ch_p.n_elem - 1), 3);
        }
        adam_j["iterations"] = T;
        adam_j["components"] = adam_components;
        adam_j["definition"] =
            "effective mask m_k = s_k (V^T w)_k / (U^T y)_k; half-time: first iteration with "
            "m_k >= 1/2 (iterations + 1 if never); spearman_k_halfway at the learning rate with "
            "the best final PSNR";
        r["adam"] = adam_j;
        mac.integer("chXIIIAdamT", adam_iterations).integer("chXIIIAdamC", adam_components);

        // ---- Macros shared by the prose
        // ----------------------------------------------------------
        mac.integer("chXIIIKmin", Ks.front())
            .integer("chXIIIKmax", Ks.back())
            .integer("chXIIIN", N)
            .integer("chXIIIM", M);

        // ---- The claims ledger (beyond the paper)
        // ------------------------------------------------
        ch.verdict(
            "Momentum and Chebyshev filters keep $K$ components in about $\\sqrt{q(K)}$ "
            "iterations (beyond the paper)",
            "App.~D, Fig.~8",
            "ReLU, $K = \\chXIIIKmax$: GD \\chXIIInGdRelu; Chebyshev \\chXIIInChebyshevRelu{} "
            "($\\chXIIIRatioChebyshevRelu\\sqrt q$, derived $\\chXIIIChebConst$), heavy ball "
            "\\chXIIInHeavyballRelu{} ($\\chXIIIRatioHeavyballRelu\\sqrt q$), Nesterov "
            "\\chXIIInNesterovRelu{} ($\\chXIIIRatioNesterovRelu\\sqrt q$)",
            "holds");
        ch.verdict("Every method's iterates are its polynomial mask (Prop.~4.1 generalised)",
                   "Prop.~4.1 (beyond the paper)",
                   "real iterates against the mask, up to \\chXIIICheckMax{} iterations: "
                   "\\chXIIICheckWorst",
                   "holds");
        ch.verdict(
            "The accelerated filters reconstruct as well as GD at a fraction of its "
            "iterations (beyond the paper)",
            "Sec.~6 setting",
            "mean PSNR against GD (ReLU): Nesterov \\chXIIIPsnrGapNesterovRelu, Chebyshev "
            "\\chXIIIPsnrGapChebyshevRelu, heavy ball \\chXIIIPsnrGapHeavyballRelu{} dB; "
            "Chebyshev at 1\\,\\% ripple $+$\\chXIIIPsnrGapLowRippleRelu{} dB in "
            "\\chXIIInLowRippleRelu{} iterations",
            "holds with a correction",
            "Beyond the paper: tuned to reach GD's mask at $s_{K-1}$, Nesterov's method "
            "matches GD's PSNR (mean difference \\chXIIIPsnrGapNesterovRelu\\,dB) in about "
            "$\\chXIIIRatioNesterovRelu\\sqrt q$ iterations, but Chebyshev's mask ripples by "
            "\\chXIIIRippleChebyshevRelu{} across the whole kept band (tune it to a 1\\,\\% "
            "ripple instead) and Polyak's heavy ball amplifies the top components by about "
            "$0.25\\,s_0/s_{K-1}$ when it stops (Section~\\ref{sec:13-accelerated}).");
        ch.verdict("Adam keeps the spectral order of GD (beyond the paper)", "Sec.~6 setting",
                   "rank correlation of $k$ and the iteration where component $k$ is half kept: "
                   "\\chXIIIAdamRhoTanh{} (tanh), \\chXIIIAdamRhoRelu{} (ReLU), GD 1; PSNR after "
                   "\\chXIIIAdamT{} iterations \\chXIIIAdamPsnrRelu{} dB against GD's "
                   "\\chXIIIGdPsnrTRelu",
                   "does not hold");

        ch.tables = {{"iterations.tsv", iter_t},      {"psnr.tsv", psnr_t},
                     {"heldout.tsv", held_t},         {"masks.tsv", mask_t.thinned("s")},
                     {"fig8.tsv", fig8.thinned("K")}, {"adam_half.tsv", adam_half},
                     {"adam_psnr.tsv", adam_psnr}};
        // The masks' and Fig. 8's lines read a file a curve, each with the rows it needs as drawn
        // there (Table::curve; figure-masks.tex: y from -0.05 to 1.45, figure-iterations.tex: log
        // y from 1 to 1e15).
        ch.add_curves("masks", mask_t, "s", {true, false, -0.05, 1.45});
        ch.add_curves("fig8", fig8, "K", {false, true, 1.0, 1e15});
    };
    return ch.run(argc, argv, check, compute);
}
