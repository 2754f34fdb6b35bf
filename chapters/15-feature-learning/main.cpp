// Chapter 15: leaving the lazy regime (beyond the paper). Chapter 11 trains every parameter of
// the paper's network and finds it is the fixed-feature shrinkage to rounding: the features do not
// move. Here three knobs make them move, and we measure what that does to the shrinkage forecast
// and to the cost of a fit.
//
// Network and data as chapter 11's held-out runs: f(x) = tau sum_j w_j eta(v_j x + c_j) with
// v = sigma, c = -sigma b, w = 0 (b = linspace(0, 1, M)), trained on the even pixels of the
// full-resolution row and scored on the odd ones; loss (1/(2 tau^2)) ||f(x) - y||^2; full-batch
// GD with step alpha = 1/s_0^2 (s_0 of the design matrix A at the training samples) for w and
// gamma alpha for v and c (lib/shallow.hpp). The knobs: (a) gamma, (b) the output scale tau
// (Chizat and Bach), (c) ReLU's sigma. One derivation ties them (chapter.tex): with w~ = tau w,
// and for ReLU v~ = v/sigma, c~ = c/sigma, w~ = sigma w, every setting is the tau = 1, sigma = 1
// network with the inner step multiplied by gamma_eff = gamma / tau^2 (times sigma^-4 for ReLU);
// the fixed-feature forecast is the same for all. Per setting, against iterations: loss, PSNR on
// fitted and held-out samples, the forecast (Prop. 4.1's mask on the initial A), the departure
// ||f - f_forecast|| / ||f_forecast||, the feature drift and the tangent spectrum at start and end;
// and the iterations each setting needs to reach the PSNR fixed-feature GD reaches at q(K).
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/grid.hpp"
#include "sbias/image.hpp"
#include "sbias/masks.hpp"
#include "sbias/metrics.hpp"
#include "sbias/parallel.hpp"
#include "sbias/shallow.hpp"
#include "sbias/solve.hpp"
#include "sbias/spectra.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <map>
#include <mutex>

using namespace sbias;

namespace {

const double nan_value = std::nan("");
const double lazy_threshold = 1e-3; // the "the forecast still holds"

/// The fixed features of one activation and scale: A at the training and held-out samples, its
/// SVD, the paper's step, and the fixed-feature GD (Prop. 4.1) in closed form.
struct Features {
    std::string activation;
    double sigma = 0.0;
    Svd svd;       // of A (training samples x hidden units)
    arma::mat Bte; // A_te V: the held-out prediction is Bte (gains o U^T y)
    arma::vec uy;  // U^T y
    double alpha = 0.0, y_perp_sq = 0.0;
    arma::vec q, target_sq, psnr_fixed, psnr_fixed_held; // per K

    /// ||f - y||^2 on the training samples after t steps of fixed-feature GD.
    double residual_sq(double t) const {
        const arma::vec m = mask_gd(svd.s, alpha, t);
        return arma::dot(arma::square(1.0 - m), arma::square(uy)) + y_perp_sq;
    }
    /// f after t steps at the training samples, from the mask m = mask_gd(s, alpha, t).
    arma::vec fit(const arma::vec& m) const { return svd.U * (m % uy); }
    /// ... and at the held-out samples.
    arma::vec held(const arma::vec& m) const { return Bte * (filter_gains(svd.s, m) % uy); }
    arma::vec held(double t) const { return held(mask_gd(svd.s, alpha, t)); }
};

/// One training run: a knob at one value, for one activation.
struct Setting {
    std::string knob, activation;
    double value = 0.0, sigma = 0.0, gamma = 1.0, tau = 1.0;
    double gamma_eff = 1.0; // gamma / tau^2 (sigma_base / sigma)^4 for ReLU
    const Features* features = nullptr;
};

struct Record {
    double t, loss, psnr_fit, psnr_held, forecast_fit, forecast_held, departure, departure_held,
        drift, drift_v, drift_c, forecast_held_same_fit;
};

struct Outcome {
    std::vector<Record> records;
    ShallowRun run;
    bool unstable = false;        // diverged, or a recorded loss above the initial one
    arma::vec tangent_end;        // step-weighted tangent features' singular values / s_0(A)
    std::vector<double> to_match; // per K: first iteration reaching the fixed PSNR at q(K); NaN
    double departure = 0.0, drift = 0.0, seconds = 0.0;
    long long frozen_start = 0, frozen_end = 0;     // units with eta' = 0 at every training sample
    long long occupied_start = 0, occupied_end = 0; // sample intervals holding a unit's centre
};

/// How many of the N - 1 intervals between neighbouring samples hold at least one unit's centre
/// -c_j / v_j (a ReLU unit's breakpoint): units whose centres share an interval have the same
/// activation pattern on the samples, so clustering shows as fewer occupied intervals.
long long occupied_intervals(const ShallowNet& net, const arma::vec& x) {
    std::vector<char> hit(x.n_elem, 0);
    for (arma::uword j = 0; j < net.w.n_elem; ++j) {
        if (net.v(j) == 0.0) continue;
        const double t = -net.c(j) / net.v(j);
        if (!(t >= x(0) && t < x(x.n_elem - 1))) continue;
        const auto k = std::upper_bound(x.begin(), x.end(), t) - x.begin() - 1;
        hit[std::size_t(k)] = 1;
    }
    return std::count(hit.begin(), hit.end(), char(1));
}

/// Hidden units whose eta'(v_j x_i + c_j) is 0 at every sample: their v_j and c_j get no gradient
/// (a ReLU unit off on every sample also adds nothing to f; a saturated tanh unit adds a constant).
long long frozen_units(const ShallowNet& net, const arma::vec& x) {
    long long n = 0;
    for (arma::uword j = 0; j < net.w.n_elem; ++j) {
        bool frozen = true;
        for (arma::uword i = 0; i < x.n_elem && frozen; ++i)
            frozen = net.eta->derivative(net.v(j) * x(i) + net.c(j)) == 0.0;
        n += frozen ? 1 : 0;
    }
    return n;
}

/// About `per_decade` iterations per decade from 1 to T, with 0 and T, and the stops q(K) <= T
/// (of every activation and scale, so that every run is recorded at the same iterations).
std::vector<arma::uword> record_times(arma::uword T, const arma::vec& q, int per_decade) {
    std::vector<arma::uword> t = {0};
    const double top = std::log10(double(std::max<arma::uword>(T, 1)));
    for (int k = 0; k <= int(std::ceil(top * per_decade)); ++k) {
        const arma::uword v = std::llround(std::pow(10.0, std::min(top, double(k) / per_decade)));
        if (v > t.back() && v <= T) t.push_back(v);
    }
    for (double qk : q)
        if (qk <= double(T)) t.push_back(arma::uword(qk));
    t.push_back(T);
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
    return t;
}

/// The fixed-feature q whose fitted PSNR equals `psnr_fit` (bisection in log q; NaN beyond the
/// least-squares limit), and that fit's held-out PSNR.
double fixed_held_at_same_fit(const Features& F, double psnr_fit, double n, const arma::vec& yte) {
    const double target = n * std::pow(10.0, -psnr_fit / 10.0);
    double lo = 0.0, hi = 18.0; // log10 q
    if (F.residual_sq(std::pow(10.0, hi)) > target) return nan_value;
    if (F.residual_sq(1.0) <= target) return psnr(F.held(1.0), yte);
    for (int i = 0; i < 60; ++i) {
        const double mid = 0.5 * (lo + hi);
        (F.residual_sq(std::pow(10.0, mid)) > target ? lo : hi) = mid;
    }
    return psnr(F.held(std::pow(10.0, hi)), yte);
}

Outcome train(const Setting& S, const arma::vec& b, const arma::vec& x, const arma::vec& y,
              const arma::vec& xte, const arma::vec& yte, arma::uword T,
              const std::vector<arma::uword>& times) {
    const Features& F = *S.features;
    Outcome out;
    ShallowNet net = ShallowNet::paper_init(activation(S.activation), S.sigma, b);
    net.tau = S.tau;
    const ShallowNet start = net;
    const arma::vec p0 = arma::join_cols(start.v, start.c);
    const double n = double(x.n_elem);
    const auto observe = [&](arma::uword t, const ShallowNet& now) {
        Record r{};
        r.t = double(t);
        const arma::vec m = mask_gd(F.svd.s, F.alpha, double(t));
        const arma::vec f = now(x), fh = now(xte), fc = F.fit(m), fch = F.held(m);
        r.loss = 0.5 * arma::dot(f - y, f - y) / (S.tau * S.tau);
        r.psnr_fit = psnr(f, y);
        r.psnr_held = psnr(fh, yte);
        r.forecast_fit = psnr(fc, y);
        r.forecast_held = psnr(fch, yte);
        r.departure = t == 0 ? 0.0 : arma::norm(f - fc) / arma::norm(fc);
        r.departure_held = t == 0 ? 0.0 : arma::norm(fh - fch) / arma::norm(fch);
        r.drift = arma::norm(arma::join_cols(now.v, now.c) - p0) / arma::norm(p0);
        r.drift_v = arma::norm(now.v - start.v) / arma::norm(start.v);
        r.drift_c = arma::norm(now.c - start.c) / arma::norm(start.c);
        r.forecast_held_same_fit = fixed_held_at_same_fit(F, r.psnr_fit, n, yte);
        out.records.push_back(r);
    };
    out.run = train_shallow(net, x, y, F.alpha, S.gamma, T, times, observe);
    // Unstable: the run diverged, or its loss rose above the loss at w = 0 (GD with a stable
    // step only lowers it: the first step is the fixed-feature one). Its numbers are not reported.
    out.unstable = out.run.diverged;
    for (const Record& r : out.records) {
        out.unstable = out.unstable || !(r.loss <= out.records.front().loss);
        out.departure = std::max(out.departure, r.departure);
        out.drift = std::max(out.drift, r.drift);
    }
    if (out.unstable) out.departure = out.drift = nan_value;
    // Iterations to reach the fixed-feature fit at q(K): the first t with ||f - y||^2 at most
    // its (a relative 1e-9 allows for rounding: the lazy run then gives q(K) itself).
    for (arma::uword k = 0; k < F.q.n_elem; ++k) {
        double n_k = nan_value;
        for (arma::uword t = 0; t < out.run.residual_sq.n_elem && !out.unstable; ++t)
            if (out.run.residual_sq(t) <= F.target_sq(k) * (1.0 + 1e-9)) {
                n_k = double(t);
                break;
            }
        out.to_match.push_back(n_k);
    }
    out.frozen_start = frozen_units(start, x);
    out.frozen_end = frozen_units(net, x);
    out.occupied_start = occupied_intervals(start, x);
    out.occupied_end = occupied_intervals(net, x);
    // Tangent features weighted by the steps, [H, sqrt(gamma) dh/dv, sqrt(gamma) dh/dc] for the
    // unscaled network h = f / tau: alpha times their Gram matrix is one step's kernel in
    // function space, and at the start they are [A, 0, 0].
    if (!out.unstable) {
        arma::mat J = tangent_features(net, x) / S.tau;
        const arma::uword M = net.w.n_elem;
        J.cols(M, 3 * M - 1) *= std::sqrt(S.gamma);
        out.tangent_end = singular_values(J) / F.svd.s(0);
    }
    return out;
}

/// A knob's value in LaTeX: 10^{k} for a power of ten, else three digits.
std::string value_tex(double v, int digits = 3) {
    const double k = std::round(std::log10(v));
    if (std::abs(v / std::pow(10.0, k) - 1.0) < 1e-12)
        return k == 0 ? "1" : (k == 1 ? "10" : "10^{" + std::to_string(long(k)) + "}");
    return latex_number(v, digits);
}

} // namespace

int main(int argc, char** argv) {
    Chapter ch("15-feature-learning",
               "Chapter 15: leaving the lazy regime (step multiplier, output scale, ReLU's sigma)");
    std::string image = "../shared/data/peppers.png";
    long long row = 100, M = 1024, iterations = 2000;
    double base_sigma = 1024;
    std::vector<double> gammas = {1, 1e3, 1e6, 1e9, 1e12, 1e15};
    std::vector<double> taus = {1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7};
    std::vector<double> sigmas = {1, 4, 32, 1024};
    std::vector<std::string> knobs = {"gamma", "tau", "sigma"};
    std::vector<long long> Ks = octave_integers(2, 128, 3);
    long long per_decade = 12;
    int threads = 2;
    auto& cli = ch.cli();
    cli.add_option("--image", image, "8-bit grayscale PNG (SPEC.md: peppers)")
        ->capture_default_str();
    cli.add_option("--row", row, "row of the 2x2-averaged image (0-based)")->capture_default_str();
    cli.add_option("--M", M, "network width")->capture_default_str();
    cli.add_option("--base-sigma", base_sigma,
                   "sigma of the gamma and tau sweeps (chapter 11's), both activations")
        ->capture_default_str();
    cli.add_option("--gamma", gammas, "step multipliers for v and c")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--tau", taus, "output scales")->delimiter(',')->capture_default_str();
    cli.add_option("--sigma", sigmas, "ReLU's scales")->delimiter(',')->capture_default_str();
    cli.add_option("--knobs", knobs, "sweeps to run: gamma, tau, sigma")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--K", Ks, "components kept (chapter 06's grid), for the cost question")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--iterations", iterations, "GD steps of every run")->capture_default_str();
    cli.add_option("--records-per-decade", per_decade, "recorded iterations per decade")
        ->capture_default_str();
    cli.add_option("--threads", threads, "runs trained at once")->capture_default_str();

    arma::vec full_row;
    const auto positive_list = [](const std::vector<double>& v, const std::string& name) {
        if (v.empty()) throw usage_error(name + " needs at least one value");
        for (double d : v)
            if (!std::isfinite(d) || d <= 0.0)
                throw usage_error("each " + name + " must be positive and finite");
    };
    const auto check = [&] {
        if (M < 2 || M > 16384) throw usage_error("M must lie in [2, 16384]");
        if (row < 0) throw usage_error("row must be >= 0");
        if (!std::isfinite(base_sigma) || base_sigma <= 0.0)
            throw usage_error("base-sigma must be positive and finite");
        positive_list(gammas, "gamma");
        positive_list(taus, "tau");
        positive_list(sigmas, "sigma");
        for (double t : taus)
            if (t > 1.0)
                throw usage_error("each tau must lie in (0, 1] (the sweep goes down from 1)");
        if (knobs.empty()) throw usage_error("knobs needs at least one of gamma, tau, sigma");
        for (const std::string& k : knobs)
            if (k != "gamma" && k != "tau" && k != "sigma")
                throw usage_error("unknown knob '" + k + "' (gamma, tau or sigma)");
        if (iterations < 1 || iterations > 10000000)
            throw usage_error("iterations must lie in [1, 1e7]");
        if (per_decade < 1 || per_decade > 1000)
            throw usage_error("records-per-decade must lie in [1, 1000]");
        if (Ks.empty()) throw usage_error("K needs at least one value");
        if (threads < 1) throw usage_error("threads must be at least 1");
        full_row = canonical_rows(image, row).full_row;
        const long long n_train = static_cast<long long>((full_row.n_elem + 1) / 2);
        for (long long K : Ks)
            if (K < 1 || K > n_train || K > M)
                throw usage_error("each K must lie in [1, min(N, M)] (N = " +
                                  std::to_string(n_train) + " training samples)");
    };

    const auto compute = [&] {
        const bool do_gamma = std::count(knobs.begin(), knobs.end(), "gamma") > 0,
                   do_tau = std::count(knobs.begin(), knobs.end(), "tau") > 0,
                   do_sigma = std::count(knobs.begin(), knobs.end(), "sigma") > 0;
        ch.parameters = {{"image", image},
                         {"row", row},
                         {"M", M},
                         {"base_sigma", base_sigma},
                         {"gamma", gammas},
                         {"tau", taus},
                         {"sigma", sigmas},
                         {"knobs", knobs},
                         {"K", Ks},
                         {"iterations", iterations},
                         {"records_per_decade", per_decade},
                         {"threads", threads},
                         {"loss", "(1/(2 tau^2)) ||f(x) - y||^2"},
                         {"parametrisation",
                          "f(x) = tau sum_j w_j eta(v_j x + c_j), v = sigma, c = -sigma b, w = 0; "
                          "step alpha = 1/s_0^2 for w, gamma alpha for v and c"},
                         {"samples", "even pixels of the full-resolution row train, odd ones "
                                     "are held out (chapter 06's split)"}};
        const HeldOutSplit split = heldout_split(full_row);
        const arma::vec &x = split.x_train, &y = split.y_train, &xte = split.x_test,
                        &yte = split.y_test;
        const arma::vec b = unit_grid(arma::uword(M));
        const arma::uword T = arma::uword(iterations);

        // The fixed features of every (activation, sigma) in use.
        std::vector<std::pair<std::string, double>> needed = {{"tanh", base_sigma},
                                                              {"relu", base_sigma}};
        if (do_sigma)
            for (double s : sigmas)
                needed.push_back({"relu", s});
        std::sort(needed.begin(), needed.end());
        needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
        std::vector<Features> features(needed.size());
        ch.progress("fixed features: " + std::to_string(needed.size()) + " design matrices");
        parallel_for(needed.size(), threads, [&](std::size_t i) {
            Features& F = features[i];
            F.activation = needed[i].first;
            F.sigma = needed[i].second;
            const Activation& eta = activation(F.activation);
            F.svd = thin_svd(design_matrix(eta, F.sigma, x, b));
            F.alpha = 1.0 / (F.svd.s(0) * F.svd.s(0));
            F.Bte = design_matrix(eta, F.sigma, xte, b) * F.svd.V;
            F.uy = F.svd.U.t() * y;
            F.y_perp_sq = std::max(0.0, arma::dot(y, y) - arma::dot(F.uy, F.uy));
            const std::size_t nK = Ks.size();
            F.q.set_size(nK);
            F.target_sq.set_size(nK);
            F.psnr_fixed.set_size(nK);
            F.psnr_fixed_held.set_size(nK);
            for (std::size_t k = 0; k < nK; ++k) {
                const double r = F.svd.s(0) / F.svd.s(Ks[k] - 1);
                F.q(k) = std::ceil(r * r);
                F.target_sq(k) = F.residual_sq(F.q(k));
                F.psnr_fixed(k) = psnr(F.fit(mask_gd(F.svd.s, F.alpha, F.q(k))), y);
                F.psnr_fixed_held(k) = psnr(F.held(F.q(k)), yte);
            }
        });
        const auto features_of = [&](const std::string& a, double s) -> const Features* {
            for (const Features& F : features)
                if (F.activation == a && F.sigma == s) return &F;
            throw std::logic_error("no features");
        };

        // The settings; one run serves every knob whose setting is the same network and step.
        std::vector<Setting> settings;
        const auto add = [&](const std::string& knob, double value, const std::string& a,
                             double sigma, double gamma, double tau) {
            Setting s;
            s.knob = knob;
            s.value = value;
            s.activation = a;
            s.sigma = sigma;
            s.gamma = gamma;
            s.tau = tau;
            s.gamma_eff =
                gamma / (tau * tau) * (a == "relu" ? std::pow(base_sigma / sigma, 4.0) : 1.0);
            s.features = features_of(a, sigma);
            settings.push_back(s);
        };
        for (const char* a : {"tanh", "relu"}) {
            if (do_gamma)
                for (double g : gammas)
                    add("gamma", g, a, base_sigma, g, 1.0);
            if (do_tau)
                for (double t : taus)
                    add("tau", t, a, base_sigma, 1.0, t);
        }
        if (do_sigma)
            for (double s : sigmas)
                add("sigma", s, "relu", s, 1.0, 1.0);
        arma::vec all_q;
        for (const Features& F : features)
            all_q = arma::join_cols(all_q, F.q);
        const std::vector<arma::uword> times = record_times(T, all_q, int(per_decade));
        // Distinct runs (same activation, sigma, gamma and tau).
        std::vector<std::size_t> run_of(settings.size());
        std::vector<std::size_t> runs; // index of the first setting of each distinct run
        for (std::size_t i = 0; i < settings.size(); ++i) {
            const Setting& s = settings[i];
            std::size_t r = runs.size();
            for (std::size_t k = 0; k < runs.size(); ++k) {
                const Setting& o = settings[runs[k]];
                if (o.activation == s.activation && o.sigma == s.sigma && o.gamma == s.gamma &&
                    o.tau == s.tau)
                    r = k;
            }
            if (r == runs.size()) runs.push_back(i);
            run_of[i] = r;
        }
        // tanh first (each of its steps costs more), two at a time.
        std::vector<std::size_t> order(runs.size());
        for (std::size_t k = 0; k < order.size(); ++k)
            order[k] = k;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) {
            return settings[runs[a]].activation == "tanh" && settings[runs[c]].activation != "tanh";
        });
        std::vector<Outcome> outcomes(runs.size());
        std::mutex log_mutex;
        const auto t_all = std::chrono::steady_clock::now();
        parallel_for(order.size(), threads, [&](std::size_t i) {
            const std::size_t k = order[i];
            const Setting& s = settings[runs[k]];
            {
                std::lock_guard<std::mutex> lock(log_mutex);
                ch.progress("training " + s.activation + ", sigma = " + plain_number(s.sigma, 6) +
                            ", gamma = " + plain_number(s.gamma, 6) + ", tau = " +
                            plain_number(s.tau, 6) + " (" + std::to_string(T) + " steps)");
            }
            const auto t0 = std::chrono::steady_clock::now();
            outcomes[k] = train(s, b, x, y, xte, yte, T, times);
            outcomes[k].seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        });
        ch.timings["training"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count();
        const auto outcome = [&](std::size_t i) -> const Outcome& { return outcomes[run_of[i]]; };

        // ---- Results ----
        auto& res = ch.results;
        res["gamma"] = gammas;
        res["tau"] = taus;
        res["sigma"] = sigmas;
        res["K"] = Ks;
        res["iterations"] = iterations;
        res["N_train"] = x.n_elem;
        json departure = json::object(), drift = json::object(), to_match = json::object(),
             runs_j = json::object(), fixed_j = json::object();
        for (const Features& F : features) {
            const std::string key = F.activation + "_sigma" + plain_number(F.sigma, 6);
            fixed_j[key] = {{"alpha", F.alpha},
                            {"q", F.q},
                            {"psnr_fitted", F.psnr_fixed},
                            {"psnr_heldout", F.psnr_fixed_held},
                            {"tangent_start", normalized(F.svd.s)}};
        }
        res["fixed_features"] = fixed_j;
        for (std::size_t i = 0; i < settings.size(); ++i) {
            const Setting& s = settings[i];
            const Outcome& o = outcome(i);
            departure[s.knob][s.activation].push_back(finite_or_null(o.departure));
            drift[s.knob][s.activation].push_back(finite_or_null(o.drift));
            const std::string key = s.knob + "=" + plain_number(s.value, 6);
            json per_k = json::object();
            for (std::size_t k = 0; k < Ks.size(); ++k)
                per_k[std::to_string(Ks[k])] = finite_or_null(o.to_match[k]);
            to_match[key][s.activation] = per_k;
            const Record& end = o.records.back();
            // The per-iteration series, in the order of Record's fields.
            const char* names[] = {"t",
                                   "loss",
                                   "psnr_fitted",
                                   "psnr_heldout",
                                   "forecast_fitted",
                                   "forecast_heldout",
                                   "departure",
                                   "departure_heldout",
                                   "feature_drift",
                                   "drift_v",
                                   "drift_c",
                                   "fixed_heldout_at_same_fitted_psnr"};
            json series = json::object();
            for (const char* name : names)
                series[name] = json::array();
            for (const Record& r : o.records) {
                const double vals[] = {r.t,         r.loss,           r.psnr_fit,
                                       r.psnr_held, r.forecast_fit,   r.forecast_held,
                                       r.departure, r.departure_held, r.drift,
                                       r.drift_v,   r.drift_c,        r.forecast_held_same_fit};
                for (std::size_t j = 0; j < std::size(names); ++j)
                    series[names[j]].push_back(finite_or_null(vals[j]));
            }
            runs_j[key][s.activation] = {
                {"sigma", s.sigma},
                {"gamma", s.gamma},
                {"tau", s.tau},
                {"gamma_eff", s.gamma_eff},
                {"alpha", s.features->alpha},
                {"steps", o.run.steps},
                {"diverged", o.run.diverged},
                {"departure_max", finite_or_null(o.departure)},
                {"feature_drift_max", finite_or_null(o.drift)},
                {"psnr_fitted_end", finite_or_null(end.psnr_fit)},
                {"psnr_heldout_end", finite_or_null(end.psnr_held)},
                {"forecast_fitted_end", finite_or_null(end.forecast_fit)},
                {"forecast_heldout_end", finite_or_null(end.forecast_held)},
                {"fixed_heldout_at_same_fitted_psnr_end",
                 finite_or_null(end.forecast_held_same_fit)},
                {"tangent_end", finite_or_null(o.tangent_end)},
                {"frozen_units_start", o.frozen_start},
                {"frozen_units_end", o.frozen_end},
                {"occupied_intervals_start", o.occupied_start},
                {"occupied_intervals_end", o.occupied_end},
                {"series", series}};
            ch.timings[key + "_" + s.activation] = o.seconds;
        }
        res["departure"] = departure;
        res["feature_drift"] = drift;
        res["iterations_to_match"] = to_match;
        res["runs"] = runs_j;
        json stable = json::object();
        for (std::size_t i = 0; i < settings.size(); ++i)
            stable[settings[i].knob][settings[i].activation].push_back(!outcome(i).unstable);
        res["stable"] = stable;

        // ---- The phase picture, per activation ----
        auto& mac = ch.macros;
        const arma::uword N = x.n_elem;
        mac.integer("chXVN", static_cast<long long>(N))
            .integer("chXVM", M)
            .integer("chXVT", iterations)
            .number("chXVBaseSigma", base_sigma, 4)
            .number("chXVLazy", lazy_threshold, 1)
            .raw("chXVTRaw", double(iterations))
            .raw("chXVNRaw", double(N))
            .raw("chXVLazyRaw", lazy_threshold);
        json phase = json::object();
        // Stable settings of one activation, in increasing gamma_eff.
        const auto stable_of = [&](const std::string& a) {
            std::vector<std::size_t> v;
            for (std::size_t i = 0; i < settings.size(); ++i)
                if (settings[i].activation == a && !outcome(i).unstable) v.push_back(i);
            std::stable_sort(v.begin(), v.end(), [&](std::size_t p, std::size_t q) {
                return settings[p].gamma_eff < settings[q].gamma_eff;
            });
            return v;
        };
        const auto setting_tex = [&](const Setting& s) {
            if (s.knob == "gamma") return "$\\gamma = " + value_tex(s.value) + "$";
            if (s.knob == "tau") return "$\\tau = " + value_tex(s.value) + "$";
            return "$\\sigma = " + value_tex(s.value, 4) + "$";
        };
        std::map<std::string, std::size_t> best; // per activation: the best stable fit
        std::map<std::string, double> speedups, gen_gains;
        for (const char* a : {"tanh", "relu"}) {
            const std::string A(a), W = A == "tanh" ? "Tanh" : "Relu";
            const std::vector<std::size_t> st = stable_of(A);
            double lazy_max = nan_value, break_min = nan_value, unstable_min = nan_value;
            for (std::size_t i : st)
                if (outcome(i).departure < lazy_threshold)
                    lazy_max = std::isnan(lazy_max) ? settings[i].gamma_eff
                                                    : std::max(lazy_max, settings[i].gamma_eff);
                else
                    break_min = std::isnan(break_min) ? settings[i].gamma_eff
                                                      : std::min(break_min, settings[i].gamma_eff);
            for (std::size_t i = 0; i < settings.size(); ++i)
                if (settings[i].activation == A && outcome(i).unstable)
                    unstable_min = std::isnan(unstable_min)
                                       ? settings[i].gamma_eff
                                       : std::min(unstable_min, settings[i].gamma_eff);
            // Departure against gamma_eff where it is above rounding and below the threshold.
            arma::vec lg, ld;
            for (std::size_t i : st)
                if (outcome(i).departure > 1e-13 && outcome(i).departure < lazy_threshold) {
                    lg.resize(lg.n_elem + 1);
                    ld.resize(ld.n_elem + 1);
                    lg(lg.n_elem - 1) = settings[i].gamma_eff;
                    ld(ld.n_elem - 1) = outcome(i).departure;
                }
            const double slope = lg.n_elem >= 2 ? loglog_slope(lg, ld) : nan_value;
            // The best stable fit at the end of the run.
            std::size_t b_i = st.front();
            for (std::size_t i : st)
                if (outcome(i).records.back().psnr_fit > outcome(b_i).records.back().psnr_fit)
                    b_i = i;
            best[A] = b_i;
            const Record& e = outcome(b_i).records.back();
            const Features& F = *settings[b_i].features;
            // Speed-up: q(K) / iterations to reach its PSNR, best over stable settings and K.
            double speedup = 0.0, sp_q = nan_value, sp_n = nan_value;
            long long sp_K = -1, k_fixed = -1, k_any = -1;
            std::size_t sp_i = b_i;
            for (std::size_t k = 0; k < Ks.size(); ++k)
                if (F.q(k) <= double(T)) k_fixed = Ks[k];
            for (std::size_t i : st)
                for (std::size_t k = 0; k < Ks.size(); ++k) {
                    const double n_k = outcome(i).to_match[k];
                    if (!std::isfinite(n_k)) continue;
                    k_any = std::max(k_any, Ks[k]);
                    const double qk = settings[i].features->q(k);
                    if (qk / std::max(n_k, 1.0) > speedup ||
                        (qk / std::max(n_k, 1.0) == speedup && Ks[k] > sp_K)) {
                        speedup = qk / std::max(n_k, 1.0);
                        sp_q = qk;
                        sp_n = n_k;
                        sp_K = Ks[k];
                        sp_i = i;
                    }
                }
            // Tangent spectrum of the best fit against A's at K = 16, 64, 128.
            json growth = json::object();
            for (long long k : {16LL, 64LL, 128LL})
                if (arma::uword(k) <= outcome(b_i).tangent_end.n_elem &&
                    arma::uword(k) <= F.svd.s.n_elem) {
                    const double g =
                        outcome(b_i).tangent_end(k - 1) / (F.svd.s(k - 1) / F.svd.s(0));
                    growth[std::to_string(k)] = g;
                    mac.number("chXVTangent" + W + macro_word(std::to_string(k)), g, 2);
                }
            speedups[A] = speedup;
            gen_gains[A] = e.psnr_held - e.forecast_held_same_fit;
            phase[A] = {
                {"lazy_gamma_eff_max", finite_or_null(lazy_max)},
                {"departing_gamma_eff_min", finite_or_null(break_min)},
                {"unstable_gamma_eff_min", finite_or_null(unstable_min)},
                {"departure_slope", finite_or_null(slope)},
                {"best",
                 {{"setting", settings[b_i].knob + "=" + plain_number(settings[b_i].value, 6)},
                  {"gamma_eff", settings[b_i].gamma_eff},
                  {"psnr_fitted", e.psnr_fit},
                  {"psnr_heldout", e.psnr_held},
                  {"forecast_fitted", e.forecast_fit},
                  {"forecast_heldout", e.forecast_held},
                  {"fixed_heldout_at_same_fitted_psnr", finite_or_null(e.forecast_held_same_fit)},
                  {"tangent_growth", growth}}},
                {"speedup",
                 {{"setting", settings[sp_i].knob + "=" + plain_number(settings[sp_i].value, 6)},
                  {"K", sp_K},
                  {"q", finite_or_null(sp_q)},
                  {"iterations", finite_or_null(sp_n)},
                  {"ratio", speedup}}},
                {"largest_K_fixed_within_T", k_fixed},
                {"largest_K_any_within_T", k_any}};
            mac.number("chXVLazyMax" + W, lazy_max, 2)
                .number("chXVDepartMin" + W, break_min, 2)
                .text("chXVUnstable" + W,
                      std::isnan(unstable_min)
                          ? "none up to $\\gamma_{\\mathrm{eff}} = " +
                                latex_number(st.empty() ? nan_value : settings[st.back()].gamma_eff,
                                             2) +
                                "$"
                          : "$\\gamma_{\\mathrm{eff}} \\ge " + latex_number(unstable_min, 2) + "$")
                .number("chXVSlope" + W, slope, 3)
                .text("chXVBest" + W, setting_tex(settings[b_i]))
                .number("chXVBestGamma" + W, settings[b_i].gamma_eff, 2)
                .number("chXVBestFit" + W, e.psnr_fit, 3)
                .number("chXVBestHeld" + W, e.psnr_held, 3)
                .number("chXVForecastFit" + W, e.forecast_fit, 3)
                .number("chXVForecastHeld" + W, e.forecast_held, 3)
                .number("chXVSameFitHeld" + W, e.forecast_held_same_fit, 3)
                .number("chXVGenGain" + W, e.psnr_held - e.forecast_held_same_fit, 2)
                .number("chXVSpeedup" + W, speedup, 2)
                .integer("chXVSpeedupK" + W, sp_K)
                .integer("chXVSpeedupN" + W, std::llround(sp_n))
                .integer("chXVSpeedupQ" + W, std::llround(sp_q))
                .text("chXVSpeedupSetting" + W, setting_tex(settings[sp_i]))
                .integer("chXVFrozenStart" + W, outcome(b_i).frozen_start)
                .integer("chXVFrozenEnd" + W, outcome(b_i).frozen_end)
                .integer("chXVOccupiedStart" + W, outcome(b_i).occupied_start)
                .integer("chXVOccupiedEnd" + W, outcome(b_i).occupied_end)
                .integer("chXVKFixed" + W, k_fixed)
                .integer("chXVKAny" + W, k_any)
                .number("chXVQmax" + W, F.q.max(), 3);
        }
        res["phase"] = phase;

        // The output scale is the step multiplier gamma = tau^-2: the largest relative difference
        // of the departures where a tau run and a gamma run share gamma_eff.
        double tau_gap = 0.0;
        long long tau_pairs = 0;
        for (std::size_t i = 0; i < settings.size(); ++i)
            for (std::size_t j = 0; j < settings.size(); ++j) {
                const Setting &si = settings[i], &sj = settings[j];
                if (si.knob != "tau" || sj.knob != "gamma" || si.activation != sj.activation ||
                    si.value == 1.0 || outcome(i).unstable || outcome(j).unstable)
                    continue;
                if (std::abs(si.gamma_eff / sj.gamma_eff - 1.0) > 1e-9) continue;
                tau_gap =
                    std::max(tau_gap, std::abs(outcome(i).departure / outcome(j).departure - 1.0));
                ++tau_pairs;
            }
        res["tau_gamma_departure_max_rel_gap"] = tau_pairs > 0 ? json(tau_gap) : json(nullptr);
        mac.number("chXVTauGap", tau_pairs > 0 ? tau_gap : nan_value, 2)
            .integer("chXVTauPairs", tau_pairs);

        // ReLU's sigma: departure and the exponent of its power law between the two smallest
        // sigmas whose departure is above rounding and below the threshold.
        json sigma_j = json::object();
        if (do_sigma) {
            double s_lo = nan_value, s_hi = nan_value, d_lo = nan_value, d_hi = nan_value;
            for (std::size_t i = 0; i < settings.size(); ++i) {
                const Setting& s = settings[i];
                if (s.knob != "sigma") continue;
                const double d = outcome(i).departure;
                mac.number("chXVSigmaDep" + macro_word(plain_number(s.value, 6)), d, 2);
                if (!(d > 1e-12 && d < lazy_threshold)) continue;
                if (std::isnan(s_lo) || s.value < s_lo) {
                    s_hi = s_lo, d_hi = d_lo;
                    s_lo = s.value, d_lo = d;
                } else if (std::isnan(s_hi) || s.value < s_hi) {
                    s_hi = s.value, d_hi = d;
                }
            }
            const double expo = std::log(d_hi / d_lo) / std::log(s_hi / s_lo);
            sigma_j = {{"exponent", finite_or_null(expo)},
                       {"between", {finite_or_null(s_lo), finite_or_null(s_hi)}},
                       {"predicted_exponent", -4}};
            mac.fixed("chXVSigmaExp", expo, 2)
                .number("chXVSigmaLo", s_lo, 3)
                .number("chXVSigmaHi", s_hi, 3);
        }
        res["sigma_scaling"] = sigma_j;

        // ---- Tables for the figures ----
        const auto sweep_table = [&](const std::string& knob) {
            Table t;
            std::vector<double> vals = knob == "gamma" ? gammas : (knob == "tau" ? taus : sigmas);
            arma::vec v(vals.size()), ge(vals.size());
            for (std::size_t k = 0; k < vals.size(); ++k) {
                v(k) = vals[k];
                ge(k) = knob == "gamma" ? vals[k]
                                        : (knob == "tau" ? 1.0 / (vals[k] * vals[k])
                                                         : std::pow(base_sigma / vals[k], 4.0));
            }
            t.add(knob, v).add("gamma_eff", ge);
            for (const char* a : {"tanh", "relu"}) {
                if (knob == "sigma" && std::string(a) == "tanh") continue;
                arma::vec d(vals.size()), f(vals.size());
                d.fill(nan_value);
                f.fill(nan_value);
                for (std::size_t i = 0; i < settings.size(); ++i)
                    if (settings[i].knob == knob && settings[i].activation == a)
                        for (std::size_t k = 0; k < vals.size(); ++k)
                            if (vals[k] == settings[i].value) {
                                d(k) = outcome(i).departure;
                                f(k) = outcome(i).drift;
                            }
                t.add(std::string(a), d).add(std::string(a) + "_drift", f);
            }
            return t;
        };
        ch.tables.push_back({"departure_gamma.tsv", sweep_table("gamma")});
        ch.tables.push_back({"departure_tau.tsv", sweep_table("tau")});
        ch.tables.push_back({"departure_sigma.tsv", sweep_table("sigma")});

        // PSNR against iterations: the forecast, and per activation the first departing setting,
        // the best fit, and (ReLU) sigma = 1 or (tanh) the first stable setting that fits worse
        // than the forecast.
        for (const char* a : {"tanh", "relu"}) {
            const std::string A(a), W = A == "tanh" ? "Tanh" : "Relu";
            const std::vector<std::size_t> st = stable_of(A);
            std::size_t first_dep = best[A], third = best[A];
            for (std::size_t i : st)
                if (outcome(i).departure >= lazy_threshold) {
                    first_dep = i;
                    break;
                }
            bool third_found = false;
            for (std::size_t i : st)
                if (A == "relu" ? (settings[i].knob == "sigma" && settings[i].value == 1.0)
                                : outcome(i).records.back().psnr_fit <
                                      outcome(i).records.back().forecast_fit) {
                    third = i;
                    third_found = true;
                    break;
                }
            const Outcome& base = outcome(st.front());
            const arma::uword nr = base.records.size();
            arma::vec t(nr), ff(nr), fh(nr);
            for (arma::uword r = 0; r < nr; ++r) {
                t(r) = base.records[r].t;
                ff(r) = base.records[r].forecast_fit;
                fh(r) = base.records[r].forecast_held;
            }
            Table tab;
            tab.add("t", t).add("forecast_fitted", ff).add("forecast_heldout", fh);
            const char* roles[] = {"one", "two", "three"};
            const std::size_t picks[] = {first_dep, best[A], third};
            for (int k = 0; k < 3; ++k) {
                const Outcome& o = outcome(picks[k]);
                arma::vec pf(nr), ph(nr);
                pf.fill(nan_value);
                ph.fill(nan_value);
                for (arma::uword r = 0; r < nr && r < o.records.size(); ++r) {
                    pf(r) = o.records[r].psnr_fit;
                    ph(r) = o.records[r].psnr_held;
                }
                if (k == 2 && !third_found) pf.fill(nan_value), ph.fill(nan_value);
                tab.add(std::string(roles[k]) + "_fitted", pf)
                    .add(std::string(roles[k]) + "_heldout", ph);
                mac.text("chXVPick" + W + macro_word(roles[k]),
                         k == 2 && !third_found ? "none" : setting_tex(settings[picks[k]]));
            }
            ch.tables.push_back({"psnr_" + A + ".tsv", tab});
        }

        // Tangent spectra: A's (the start, for every setting) and the best fit's at the end.
        {
            Table tab;
            const arma::uword n = features_of("tanh", base_sigma)->svd.s.n_elem;
            tab.add("k", arma::regspace(0.0, double(n - 1)));
            for (const char* a : {"tanh", "relu"}) {
                const Features& F = *settings[best[a]].features;
                arma::vec end(n);
                end.fill(nan_value);
                const arma::vec& te = outcome(best[a]).tangent_end;
                end.head(std::min(n, te.n_elem)) = te.head(std::min(n, te.n_elem));
                tab.add(std::string(a) + "_start", normalized(F.svd.s))
                    .add(std::string(a) + "_end", end);
            }
            ch.tables.push_back({"tangent.tsv", tab});
        }

        // ---- The claims ledger ----
        ch.verdict("Training every parameter stays the fixed-feature shrinkage while the "
                   "features' step is small (beyond the paper; chapter~11's lazy regime)",
                   "Sec.~4 setting",
                   "departure $\\propto \\gamma_{\\mathrm{eff}}$ (slope \\chXVSlopeTanh, "
                   "\\chXVSlopeRelu); below $10^{-3}$ up to $\\gamma_{\\mathrm{eff}} = "
                   "\\chXVLazyMaxTanh$ (tanh), \\chXVLazyMaxRelu{} (ReLU) over \\chXVT{} "
                   "iterations; unstable: \\chXVUnstableTanh{} (tanh), \\chXVUnstableRelu{} "
                   "(ReLU)",
                   "holds with a correction",
                   "Chapter~11's agreement is a property of the step the features get, "
                   "$\\gamma_{\\mathrm{eff}} = \\gamma\\tau^{-2}(\\sigma_0/\\sigma)^{4}$ "
                   "(ReLU): the departure from the forecast grows in proportion to it and passes "
                   "$10^{-3}$ beyond $\\gamma_{\\mathrm{eff}} = \\chXVLazyMaxTanh$ (tanh) and "
                   "\\chXVLazyMaxRelu{} (ReLU) (Section~\\ref{sec:15-feature-learning})");
        ch.verdict("Scaling the output by $\\tau$ and the loss by $\\tau^{-2}$ makes training "
                   "lazy as $\\tau$ grows (Chizat, Oyallon and Bach)",
                   "Chizat et al.\\ (2019)",
                   "with $w = 0$ at the start, $\\tau$ is the step multiplier "
                   "$\\gamma = \\tau^{-2}$ exactly: departures of the $\\tau$ and $\\gamma$ runs "
                   "at equal $\\gamma_{\\mathrm{eff}}$ agree to \\chXVTauGap{} "
                   "(\\chXVTauPairs{} pairs)",
                   "holds");
        ch.verdict("For ReLU the scale $\\sigma$ is irrelevant (scale equivariance: $A$ only "
                   "rescales)",
                   "Sec.~5",
                   "fixed features: the same forecast for every $\\sigma$; every parameter "
                   "trained: departure \\chXVSigmaDepOne{} at $\\sigma = 1$, "
                   "\\chXVSigmaDepFour{} at 4, \\chXVSigmaDepThreetwo{} at 32 after \\chXVT{} "
                   "iterations, exponent \\chXVSigmaExp{} (derived $-4$)",
                   "holds with a correction",
                   "Only with fixed features. Trained on every parameter, ReLU's network at scale "
                   "$\\sigma$ is the $\\sigma = 1$ network with its inner step multiplied by "
                   "$\\sigma^{-4}$, so it leaves the shrinkage forecast as $\\sigma^{-4}$: "
                   "\\chXVSigmaDepOne{} at $\\sigma = 1$ (Section~\\ref{sec:15-feature-learning})");
        ch.verdict("Moving features remove the $q(K)$ cost of the fixed-feature fit (the "
                   "question of App.~D's $10^9$ iterations)",
                   "App.~D",
                   "best speed-up $\\times\\chXVSpeedupTanh$ (tanh, $K = \\chXVSpeedupKTanh$: "
                   "\\chXVSpeedupNTanh{} iterations for $q = \\chXVSpeedupQTanh$), "
                   "$\\times\\chXVSpeedupRelu$ (ReLU, $K = \\chXVSpeedupKRelu$); in \\chXVT{} "
                   "iterations ReLU reaches $K = \\chXVKAnyRelu$ at best ($q(128) = "
                   "\\chXVQmaxRelu$)",
                   std::max(speedups["tanh"], speedups["relu"]) >= 100 ? "holds" : "does not hold");
        ch.verdict("In the adaptive regime the units' breakpoints (zero planes) form clusters "
                   "(Sahs et al.)",
                   "Sahs et al., adaptive regime",
                   "the breakpoints of ReLU's best run (\\chXVBestRelu) occupy "
                   "\\chXVOccupiedEndRelu{} of the intervals between samples at the end, "
                   "\\chXVOccupiedStartRelu{} at the start (tanh, \\chXVBestTanh: "
                   "\\chXVOccupiedEndTanh); the tangent features lose rank",
                   outcome(best["relu"]).occupied_end < outcome(best["relu"]).occupied_start / 2
                       ? "holds"
                       : "does not hold");
        ch.verdict("A fit whose features moved generalises like the fixed-feature fit of the same "
                   "training PSNR (beyond the paper)",
                   "Sec.~6 setting",
                   "held-out PSNR \\chXVBestHeldTanh{} against \\chXVSameFitHeldTanh{} dB at the "
                   "same fitted PSNR (tanh, \\chXVBestTanh); ReLU \\chXVBestHeldRelu{} against "
                   "\\chXVSameFitHeldRelu",
                   std::min(gen_gains["tanh"], gen_gains["relu"]) >= -0.1 ? "holds"
                                                                          : "does not hold");
    };
    return ch.run(argc, argv, check, compute);
}
