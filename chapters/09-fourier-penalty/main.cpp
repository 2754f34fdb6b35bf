// Chapter 09: the Fourier view of Sahs et al. (extension).
//
// With x and b on one uniform grid, A = eta(sigma (x - b^T)) is a Toeplitz matrix: f = A w is a
// discrete convolution of the weights with eta_sigma(z) = eta(sigma z). In the continuum
// f^ = c^ eta^_sigma, the smallest weight norm that represents f is integral |f^|^2 rho with
// rho = 1 / |eta^_sigma|^2 (the spectral penalty), and the singular values of A should follow
// |eta^_sigma| at the components' frequencies, near the DST frequencies omega_k = (k + 1/2) / 2.
// This program reads chapter 04's ten spectra (N = M = 5000) and measures
//   - how well s_k / s_0 follows c p_k, p_k = |eta^_sigma(omega_k)| / |eta^_sigma(omega_0)|, over
//     k in [from, to), with c the one constant that fits best in log space;
//   - where c comes from: the leading component of an order-r spline matrix is the first mode of
//     the order-2r clamped-free problem (beta_0 = pi/2, 1.8751, 2.2248), so c = (2 beta_0 / pi)^r;
//   - the decay exponents p of s_k ~ (k + 1/2)^-p (penalty exponent 2p);
//   - tanh at sigma = M: the transform of 2H - 1, a skew-symmetric matrix whose components come in
//     pairs at omega = j + 1/2, not at the DST frequencies (closed form: cot((2j + 1) pi / 2N));
//   - sinc's cliff at k = sigma - 1/2 and the Gaussian's roll-off exp(-pi omega^2 / sigma^2);
//   - the iterations of Fig. 8, q(K), against the penalty ratio rho(omega_{K-1}) / rho(omega_0);
//   - how the prediction error changes with N (spectra at other N from the cached fast path).
#include "sbias/activations.hpp"
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/fourier.hpp"
#include "sbias/leading.hpp"
#include "sbias/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

using namespace sbias;

namespace {

constexpr double pi = 3.14159265358979323846;
const double nan_value = std::numeric_limits<double>::quiet_NaN();

/// The spline order r of the activations whose transform is a power law.
const std::map<std::string, int> spline_order = {{"heaviside", 1}, {"relu", 2}, {"relu2", 3}};

/// omega_k = (k + 1/2) / 2 for k < n (SPEC.md's frequencies).
arma::vec dst_frequencies(arma::uword n) {
    arma::vec w(n);
    for (arma::uword k = 0; k < n; ++k)
        w(k) = dst_frequency(double(k));
    return w;
}

/// The paired frequencies of a skew-symmetric Toeplitz matrix: j + 1/2 for k = 2j, 2j + 1.
arma::vec paired_frequencies(arma::uword n) {
    arma::vec w(n);
    for (arma::uword k = 0; k < n; ++k)
        w(k) = double(k / 2) + 0.5;
    return w;
}

/// First crossing of level by s (descending), linearly interpolated in k; NaN if none.
double crossing(const arma::vec& s, double level) {
    for (arma::uword k = 1; k < s.n_elem; ++k)
        if (s(k) < level && s(k - 1) >= level)
            return double(k - 1) + (s(k - 1) - level) / (s(k - 1) - s(k));
    return nan_value;
}

struct Matrix {
    SpectrumRequest request; // activation, sigma, label
    arma::vec s;             // s_k / s_0, from chapter 04 (or the fast path at another N)
};

/// The prediction error per matrix (DST frequencies) and tanh's paired one, over [from, to).
json prediction_errors(const std::vector<Matrix>& ms, arma::uword from, arma::uword to) {
    json e = json::object(), c = json::object();
    for (const auto& m : ms) {
        const Activation& eta = activation(m.request.activation);
        const auto fit = fit_prediction(
            m.s, predicted_spectrum(eta, m.request.sigma, dst_frequencies(to)), from, to);
        e[m.request.label] = fit.max_rel_error;
        c[m.request.label] = fit.constant;
        if (m.request.label == "tanh") {
            const auto paired = fit_prediction(
                m.s, predicted_spectrum(eta, m.request.sigma, paired_frequencies(to)), from, to);
            e["tanh_paired"] = paired.max_rel_error;
            c["tanh_paired"] = paired.constant;
        }
    }
    return {{"max_rel_error", e}, {"constant", c}};
}

} // namespace

int main(int argc, char** argv) {
    Chapter ch("09-fourier-penalty",
               "Chapter 09: spectra of A from the activation's Fourier transform, and the "
               "spectral penalty it implies (Sahs et al.)");
    std::string spectra_path;
    long long from = 10, to = 100, fit_from = 10;
    std::vector<long long> K_report = {10, 50, 100};
    std::vector<long long> N_scaling = {1000, 5000, 20000};
    int threads = 2;
    bool no_cache = false;
    auto& cli = ch.cli();
    cli.add_option("--spectra", spectra_path,
                   "chapter 04's results (default: <out>/results/04-spectra.json)");
    cli.add_option("--from", from, "first k of the prediction range [from, to)")
        ->capture_default_str();
    cli.add_option("--to", to, "end of the prediction range [from, to)")->capture_default_str();
    cli.add_option("--fit-from", fit_from,
                   "first k of the decay-exponent fit (which runs to the last value)")
        ->capture_default_str();
    cli.add_option("--K", K_report, "K at which q(K) is compared with the penalty")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--N-scaling", N_scaling,
                   "grid sizes N = M of the scaling study (chapter 04's N is read, others "
                   "computed and cached)")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--threads", threads, "spectra computed at once")->capture_default_str();
    cli.add_flag("--no-cache", no_cache, "ignore and do not write <out>/cache/spectra");

    Figure3Spectra spectra;
    long long N = 0, n_values = 0;
    std::vector<double> sigmas;
    const auto check = [&] {
        if (spectra_path.empty())
            spectra_path = (fs::path(ch.out_dir()) / "results" / "04-spectra.json").string();
        spectra = read_figure3_spectra(spectra_path);
        N = static_cast<long long>(spectra.N);
        n_values = static_cast<long long>(spectra.values);
        sigmas = spectra.sigmas;
        if (from < 1 || to <= from + 1 || to > n_values)
            throw usage_error("the range needs 1 <= from < to - 1 and to <= " +
                              std::to_string(n_values) + " (chapter 04's values)");
        if (fit_from < 1 || fit_from + 2 > n_values)
            throw usage_error("fit-from must lie in [1, " + std::to_string(n_values - 2) + "]");
        for (long long K : K_report)
            if (K < 1 || K > n_values)
                throw usage_error("each K must lie in [1, " + std::to_string(n_values) + "]");
        if (N_scaling.empty()) throw usage_error("N-scaling needs at least one N");
        for (long long n : N_scaling)
            if (n < to || n > 200000)
                throw usage_error("each N-scaling value must lie in [to, 200000] (got " +
                                  std::to_string(n) + ")");
        if (threads < 1) throw usage_error("threads must be at least 1");
    };

    const auto compute = [&] {
        ch.parameters = {{"spectra", spectra_path}, {"from", from},        {"to", to},
                         {"fit_from", fit_from},    {"K", K_report},       {"N_scaling", N_scaling},
                         {"threads", threads},      {"no_cache", no_cache}};
        const arma::uword n_val = n_values, a = from, b = to;
        std::vector<Matrix> ms;
        for (const auto& req : spectra.requests)
            ms.push_back({req, spectra.normalized.at(req.label)});
        const auto find = [&](const std::string& label) -> const Matrix& {
            for (const auto& m : ms)
                if (m.request.label == label) return m;
            throw std::logic_error("no matrix " + label);
        };
        // The macro word of a matrix label (macro names are letters only), e.g. "SincA".
        const auto word = [&](const std::string& label) { return find(label).request.word; };
        auto& res = ch.results;
        auto& mac = ch.macros;
        mac.integer("chIXN", N)
            .integer("chIXFrom", from)
            .integer("chIXTo", to)
            .integer("chIXLast", to - 1)
            .integer("chIXFitFrom", fit_from)
            .integer("chIXFitTo", n_values - 1)
            .number("chIXSigmaA", sigmas[0])
            .number("chIXSigmaB", sigmas[1]);

        // 1. Decay exponents (Fig. 3's slopes) and the penalty exponents they imply.
        json p = json::object(), pen = json::object();
        for (const auto& mx : ms) {
            if (!default_sigma(activation(mx.request.activation), N)) continue; // sinc, gauss
            const std::string& l = mx.request.label;
            const double e = decay_exponent(mx.s, fit_from, n_val - 1);
            p[l] = e;
            pen[l] = 2.0 * e;
            mac.fixed("chIXDecay" + word(l), e, 3).fixed("chIXPenalty" + word(l), 2.0 * e, 2);
        }
        res["decay_exponent"] = p;
        res["penalty_exponent"] = pen;
        res["decay_fit_range"] = {fit_from, n_values - 1};

        // 2. The prediction at the DST frequencies, per matrix.
        ch.progress("Fourier predictions of ten spectra, k in [" + std::to_string(from) + ", " +
                    std::to_string(to) + ")");
        const json pred = prediction_errors(ms, a, b);
        json err = json::object(), cst = json::object();
        for (const auto& m : ms) {
            err[m.request.label] = pred["max_rel_error"][m.request.label];
            cst[m.request.label] = pred["constant"][m.request.label];
        }
        res["frequencies"] = "omega_k = (k + 1/2) / 2 cycles per unit of x (DST)";
        res["prediction_range"] = {from, to};
        res["prediction_max_rel_error"] = err;
        res["prediction_constant"] = cst;
        for (const auto& m : ms) {
            const std::string& w = word(m.request.label);
            mac.number("chIXErr" + w, err[m.request.label].get<double>(), 2)
                .number("chIXConst" + w, cst[m.request.label].get<double>(), 5);
        }
        const double tanh_paired_err = pred["max_rel_error"]["tanh_paired"].get<double>();
        const double tanh_paired_c = pred["constant"]["tanh_paired"].get<double>();
        res["tanh_paired"] = {{"frequencies", "omega_k = floor(k/2) + 1/2"},
                              {"prediction_constant", tanh_paired_c},
                              {"prediction_max_rel_error", tanh_paired_err}};
        mac.number("chIXErrTanhPaired", tanh_paired_err, 2)
            .number("chIXConstTanhPaired", tanh_paired_c, 5);

        // 3. Where the constant comes from: the clamped-free first mode of order 2r.
        json boundary = json::object();
        for (const auto& [l, r] : spline_order) {
            const double beta0 = clamped_free_frequency(r);
            const double c_pred = std::pow(2.0 * beta0 / pi, r);
            const double c_meas = cst[l].get<double>();
            boundary[l] = {{"r", r},
                           {"beta0", beta0},
                           {"predicted_constant", c_pred},
                           {"measured_constant", c_meas},
                           {"rel_diff", c_meas / c_pred - 1.0}};
            const std::string& w = word(l);
            mac.number("chIXBeta" + w, beta0, 6)
                .number("chIXConstPred" + w, c_pred, 5)
                .number("chIXConstDiff" + w, std::abs(c_meas / c_pred - 1.0), 2);
        }
        res["boundary_constant"] = boundary;

        // 4. Heaviside: the discrete spectrum in closed form, and what the continuum misses.
        const double n = double(N);
        arma::vec exact(n_val), continuum_err(b - a);
        for (arma::uword k = 0; k < n_val; ++k)
            exact(k) =
                std::sin(pi / (2 * (2 * n + 1))) / std::sin((2 * k + 1) * pi / (2 * (2 * n + 1)));
        const double closed_err = arma::max(arma::abs(find("heaviside").s - exact) / exact);
        const auto exact_fit = fit_prediction(
            exact, predicted_spectrum(activation("heaviside"), 1.0, dst_frequencies(b)), a, b);
        const double theta_last = (2.0 * (b - 1) + 1) * pi / (2 * n + 1);
        res["heaviside_closed_form"] = {
            {"formula", "s_k = 1 / (2 sin((2k + 1) pi / (2 (2N + 1))))"},
            {"max_rel_error", closed_err},
            {"prediction_max_rel_error", exact_fit.max_rel_error},
            {"theta_last_squared_over_24", theta_last * theta_last / 24}};
        mac.number("chIXHeavisideClosedErr", closed_err, 2)
            .number("chIXHeavisideThetaBound", theta_last * theta_last / 24, 2);

        // 5. tanh at sigma = M: the transform of 2H - 1 (sign), skew-symmetric, paired.
        {
            const Matrix& t = find("tanh");
            arma::vec limit(n_val);
            for (arma::uword k = 0; k < n_val; ++k)
                limit(k) = 1.0 / std::tan((2.0 * double(k / 2) + 1) * pi / (2 * n)) /
                           (1.0 / std::tan(pi / (2 * n)));
            const arma::vec ratio = t.s / limit;
            const double sig = t.request.sigma;
            // The sampled kernel's transform is the continuum one summed over its aliases
            // omega + m/h (Poisson); tanh and sign are odd, their transforms -i times odd real
            // functions, and sign's alias sum is h cot(pi h omega). Pair j sits at
            // theta = (2j + 1) pi / N, omega = theta / (2 pi h).
            const double h = 1.0 / (n - 1);
            const auto aliased_ratio = [&](double omega) {
                double st = 0.0;
                for (int m = -8; m <= 8; ++m) {
                    const double u = omega + m / h;
                    st += (u > 0 ? 1.0 : -1.0) * fourier_magnitude(activation("tanh"), sig, u);
                }
                return st / (h / std::tan(pi * h * omega));
            };
            const auto pair_omega = [&](double j) { return (2 * j + 1) / (2 * n * h); };
            // |tanh^_sigma| / |sign^_sigma| = x / sinh(x), x = pi^2 omega / sigma, normalized at
            // the first pair.
            const auto fourier_ratio = [&](double omega) {
                const double x = pi * pi * omega / sig, x0 = pi * pi * pair_omega(0) / sig;
                return (x / std::sinh(x)) / (x0 / std::sinh(x0));
            };
            const double j_last = double((b - 1) / 2);
            const double omega_last = pair_omega(j_last);
            const double aliased = aliased_ratio(omega_last) / aliased_ratio(pair_omega(0));
            double pair_gap = 0.0;
            for (arma::uword k = 0; k + 1 < n_val; k += 2)
                pair_gap = std::max(pair_gap, std::abs(t.s(k) - t.s(k + 1)) / t.s(k));
            res["tanh_sign_limit"] = {
                {"formula", "s_k / s_0 = cot((2 floor(k/2) + 1) pi / (2N)) / cot(pi / (2N))"},
                {"sigma", sig},
                {"measured_over_limit_at_last", ratio(b - 1)},
                {"fourier_predicted_ratio_at_last", fourier_ratio(omega_last)},
                {"aliased_predicted_ratio_at_last", aliased},
                {"max_rel_diff_from_limit", arma::max(arma::abs(ratio(arma::span(a, b - 1)) - 1))},
                {"pair_max_rel_gap", pair_gap}};
            mac.number("chIXTanhSigma", sig)
                .number("chIXTanhLimitRatio", ratio(b - 1), 6)
                .number("chIXTanhLimitPred", fourier_ratio(omega_last), 6)
                .number("chIXTanhLimitAliased", aliased, 6)
                .number("chIXTanhPairGap", pair_gap, 2)
                .number("chIXTanhOmegaLast", omega_last, 3);
        }

        // 6. sinc's cliff and the Gaussian's roll-off.
        json cliff = json::object(), rolloff = json::object();
        for (const auto& m : ms) {
            const std::string& l = m.request.label;
            const double sig = m.request.sigma;
            const std::string& w = word(l);
            if (m.request.activation == "sinc") {
                const double measured = crossing(m.s, 0.5);
                const double plunge = crossing(m.s, 1e-3) - crossing(m.s, 0.99);
                cliff[l] = {{"predicted_k", sig - 0.5},
                            {"measured_k_half", measured},
                            {"plunge_width_0.99_to_1e-3", plunge},
                            {"floor", m.s.min()}};
                mac.number("chIXCliffPred" + w, sig - 0.5, 3)
                    .raw("chIXCliffRaw" + w, sig - 0.5)
                    .raw("chIXBandRaw" + w, sig / 2)
                    .number("chIXCliff" + w, measured, 4)
                    .number("chIXPlunge" + w, plunge, 2)
                    .number("chIXFloor" + w, m.s.min(), 2);
            } else if (m.request.activation == "gauss") {
                // ln(s_k / s_0) against omega_k^2 over [from, to), where above the rounding floor.
                std::vector<double> x2, ly;
                for (arma::uword k = a; k < b; ++k)
                    if (m.s(k) > 1e-12) {
                        x2.push_back(std::pow(dst_frequency(double(k)), 2));
                        ly.push_back(std::log(m.s(k)));
                    }
                const double slope = linear_slope(arma::vec(x2), arma::vec(ly));
                const double predicted = -pi / (sig * sig);
                const arma::vec pk =
                    predicted_spectrum(activation("gauss"), sig, dst_frequencies(b));
                const double c = cst[l].get<double>();
                rolloff[l] = {{"predicted_slope", predicted},
                              {"measured_slope", slope},
                              {"fit_points", x2.size()},
                              {"measured_over_predicted_at_last", m.s(b - 1) / (c * pk(b - 1))},
                              {"measured_over_unit_prediction_at_last", m.s(b - 1) / pk(b - 1)}};
                mac.number("chIXSlopePred" + w, predicted, 3)
                    .number("chIXSlope" + w, slope, 3)
                    .number("chIXWidom" + w, m.s(b - 1) / pk(b - 1), 3);
            }
        }
        res["sinc_cliff"] = cliff;
        res["gauss_rolloff"] = rolloff;

        // 7. Fig. 8's iterations against the penalty: q(K) = (s_0 / s_{K-1})^2 over
        //    rho(omega_{K-1}) / rho(omega_0) = 1 / p_{K-1}^2 (0 where the penalty is infinite).
        json qr = json::object(), qrc = json::object();
        for (const auto& m : ms) {
            const std::string& l = m.request.label;
            const arma::vec pk = predicted_spectrum(activation(m.request.activation),
                                                    m.request.sigma, dst_frequencies(n_val));
            const double c = cst[l].get<double>();
            for (long long K : K_report) {
                const double q_meas = 1.0 / std::pow(m.s(K - 1), 2);
                const double ratio = q_meas * pk(K - 1) * pk(K - 1);
                qr[l][std::to_string(K)] = ratio;
                qrc[l][std::to_string(K)] = ratio * c * c;
            }
        }
        res["q_ratio"] = qr;
        res["q_ratio_with_constant"] = qrc;
        // The prose quotes three K and three N; fewer given leave a dash in their place.
        const char* kw[] = {"A", "B", "C"};
        const std::vector<const char*> q_labels = {"heaviside", "relu",   "relu2",  "tanh",
                                                   "gelu",      "sinc15", "gauss30"};
        for (std::size_t j = 0; j < 3; ++j) {
            if (j >= K_report.size()) {
                mac.text(std::string("chIXK") + kw[j], "--");
                for (const char* l : q_labels)
                    mac.text("chIXQ" + word(l) + kw[j], "--")
                        .text("chIXQc" + word(l) + kw[j], "--");
                continue;
            }
            const std::string K = std::to_string(K_report[j]);
            mac.integer(std::string("chIXK") + kw[j], K_report[j]);
            for (const char* l : q_labels)
                mac.number("chIXQ" + word(l) + kw[j], qr[l][K].get<double>(), 3)
                    .number("chIXQc" + word(l) + kw[j], qrc[l][K].get<double>(), 4);
        }
        for (const char* l : {"heaviside", "relu", "relu2"})
            mac.number("chIXInvCsq" + word(l), 1.0 / std::pow(cst[l].get<double>(), 2), 3);

        // 8. The error against N: chapter 04's N read, the others from the fast path.
        const fs::path cache = no_cache ? fs::path() : fs::path(ch.out_dir()) / "cache" / "spectra";
        json scaling = {{"N", N_scaling}};
        Table scale_table;
        scale_table.add("N", arma::conv_to<arma::vec>::from(N_scaling));
        std::map<std::string, arma::vec> scale_cols;
        for (std::size_t i = 0; i < N_scaling.size(); ++i) {
            const long long nn = N_scaling[i];
            std::vector<Matrix> at_n;
            if (nn == N) {
                at_n = ms;
            } else {
                ch.progress("ten spectra at N = M = " + std::to_string(nn) + " (" +
                            std::to_string(to) + " values each)");
                const auto reqs = figure3_requests(nn, sigmas, b, 1);
                const auto sp = leading_spectra(
                    reqs, cache, [&](const std::string& l) { ch.progress("  " + l); }, threads);
                for (std::size_t j = 0; j < reqs.size(); ++j)
                    at_n.push_back({reqs[j], sp[j].s / sp[j].s(0)});
            }
            const json e = prediction_errors(at_n, a, b);
            for (const auto& [label, v] : e["max_rel_error"].items()) {
                scaling["prediction_max_rel_error"][label].push_back(v);
                scaling["prediction_constant"][label].push_back(e["constant"][label]);
                if (!scale_cols.count(label)) scale_cols[label] = arma::vec(N_scaling.size());
                scale_cols[label](i) = v.get<double>();
            }
        }
        for (const auto& m : ms)
            scale_table.add(m.request.label, scale_cols[m.request.label]);
        scale_table.add("tanh_paired", scale_cols["tanh_paired"]);
        res["n_scaling"] = scaling;
        mac.raw("chIXScaleRawMin", double(*std::min_element(N_scaling.begin(), N_scaling.end())))
            .raw("chIXScaleRawMax", double(*std::max_element(N_scaling.begin(), N_scaling.end())));
        const char* nw[] = {"A", "B", "C"};
        const std::vector<const char*> n_labels = {"heaviside", "relu",    "relu2",      "gelu",
                                                   "tanh",      "gauss30", "tanh_paired"};
        const auto n_word = [&](const std::string& l) {
            return l == "tanh_paired" ? std::string("TanhPaired") : word(l);
        };
        for (std::size_t i = 0; i < 3; ++i) {
            if (i >= N_scaling.size()) {
                mac.text(std::string("chIXScaleN") + nw[i], "--");
                for (const char* l : n_labels)
                    mac.text("chIXScale" + n_word(l) + nw[i], "--");
                continue;
            }
            mac.integer(std::string("chIXScaleN") + nw[i], N_scaling[i]);
            for (const char* l : n_labels)
                mac.number("chIXScale" + n_word(l) + nw[i], scale_cols[l](i), 2);
        }

        // Tables for the figures.
        Table spec;
        const arma::vec omega = dst_frequencies(n_val);
        spec.add("k", arma::regspace(0, n_val - 1)).add("omega", omega);
        for (const auto& m : ms) {
            const std::string& l = m.request.label;
            arma::vec cp =
                cst[l].get<double>() *
                predicted_spectrum(activation(m.request.activation), m.request.sigma, omega);
            cp.transform([](double v) { return v > 0.0 ? v : nan_value; });
            arma::vec q = arma::square(cst[l].get<double>() / m.s); // c^2 (s_0 / s_k)^2
            spec.add(l, m.s).add(l + "_pred", cp).add(l + "_q", q);
        }
        {
            const Matrix& t = find("tanh");
            spec.add("tanh_paired_pred",
                     tanh_paired_c * predicted_spectrum(activation("tanh"), t.request.sigma,
                                                        paired_frequencies(n_val)));
            spec.add("heaviside_exact", exact);
        }
        Table penalty;
        const arma::vec w = logspace(omega(0), 100.0, 241);
        penalty.add("omega", w);
        for (const auto& m : ms) {
            const Activation& eta = activation(m.request.activation);
            arma::vec rho(w.n_elem);
            const double rho0 = spectral_penalty(eta, m.request.sigma, omega(0));
            for (arma::uword i = 0; i < w.n_elem; ++i) {
                const double r = spectral_penalty(eta, m.request.sigma, w(i)) / rho0;
                rho(i) = std::isfinite(r) ? r : nan_value;
            }
            penalty.add(m.request.label, rho);
        }
        // The penalty curves: only the rows they need (Table::thinned, within 2e-4 of their
        // height).
        ch.tables = {{"spectra.tsv", spec},
                     {"penalty.tsv", penalty.thinned("omega")},
                     {"scaling.tsv", scale_table}};
        // The figures' lines read a file a curve, each with the rows it needs as drawn there
        // (Table::curve; the axes of figure-spectra.tex and figure-penalty.tex); their markers
        // read spectra.tsv.
        std::vector<std::string> power, banded;
        for (const auto& m : ms) {
            const std::string &l = m.request.label, &a = m.request.activation;
            if (a == "sinc" || a == "gauss")
                banded.insert(banded.end(), {l, l + "_pred"});
            else
                power.push_back(l);
        }
        ch.add_curves("spectra", spec, "k", {true, true, 1e-8, 2.0}, power);
        ch.add_curves("spectra", spec, "k", {false, true, 1e-17, 2.0}, banded);
        ch.add_curves("penalty", penalty, "omega", {true, true, 0.5, 1e16});
        // The claims ledger (the report's front table).
        ch.verdict(
            "The kernel-regime penalty is $\\rho = 1/|\\hat\\eta_\\sigma|^2$; on the shared grid "
            "$s_k/s_0 \\approx "
            "c\\,|\\hat\\eta_\\sigma(\\omega_k)|/|\\hat\\eta_\\sigma(\\omega_0)|$",
            "Sahs et al.",
            "largest error \\chIXErrHeaviside, \\chIXErrRelu, \\chIXErrRelutwo{} (Heaviside, ReLU, "
            "ReLU$^2$), falling like $N^{-2}$; $c$ derived from the clamped-free boundary",
            "holds");
        ch.verdict(
            "Heaviside, ReLU, ReLU$^2$ penalise like $\\omega^2$, $\\omega^4$, $\\omega^6$",
            "Sahs et al.",
            "penalty exponents \\chIXPenaltyHeaviside, \\chIXPenaltyRelu, \\chIXPenaltyRelutwo",
            "holds");
        ch.verdict("tanh: a polynomial times $\\sinh^2$", "Sahs et al.",
                   "at $\\sigma = M$ like Heaviside (exponent \\chIXPenaltyTanh); prediction "
                   "\\chIXErrTanh{} at DST frequencies, \\chIXErrTanhPaired{} at its paired ones",
                   "holds with a correction");
        ch.verdict("sinc: constant in the band, infinite outside", "Sahs et al.",
                   "cliff at $k = \\chIXCliffSincA$ (predicted \\chIXCliffPredSincA), then the "
                   "rounding floor",
                   "holds");
        ch.verdict("Gaussian: $\\rho \\sim e^{2\\pi\\omega^2/\\sigma^2}$", "Sahs et al.",
                   "slope \\chIXSlopeGaussB{} against \\chIXSlopePredGaussB; tail "
                   "\\chIXWidomGaussA{} times above",
                   "holds with a correction");
        ch.verdict("Fig.~8's iterations follow from the penalty", "Sahs et al.\\ and App.~D",
                   "$q(K)\\rho(\\omega_0)/\\rho(\\omega_{K-1}) = \\chIXQReluB$ (ReLU, $K = "
                   "\\chIXKB$) $= 1/c^2$; $\\times c^2$: \\chIXQcReluB",
                   "holds");
    };
    return ch.run(argc, argv, check, compute);
}
