// Chapter 10: spectral bias of a trained two-layer ReLU network on the sphere (Cao et al.),
// forecast by the GD filter of Proposition 4.1.
//
// f(x) = sqrt(m) W2 relu(W1 x) (no biases), W1 ~ N(0, 2/m), W2 ~ N(0, 1/m), both layers trained
// by full-batch GD on L = (1/2n) sum (f(x_i) - y_i)^2; x uniform on S^9 (d = 10), n = 1000; target
// a1 P1(<z1, x>) + a2 P2(<z2, x>) + a4 P4(<z4, x>), P_k the Gegenbauer polynomials of S^9 with
// P_k(1) = 1. Measured: |v_k^T (y - f_t)| per degree k (v_k the normalised sampled P_k) against
// the iteration t. Forecast two ways:
//   (i)  the empirical NTK Gram matrix K at initialisation (closed form, twolayer.hpp): the
//        linearised residual is r_t = U diag((1 - lr lambda / n)^t) U^T r_0, Prop. 4.1's filter;
//   (ii) the infinite-width NTK (arc-cosine kernels) and its Funk-Hecke eigenvalue mu_k per degree,
//        a per-iteration rate -log(1 - lr m mu_k) with no sample at all.
// lr = c n / lambda_max(K), the analogue of the main paper's alpha = 1 / s_0^2.
// Then Cao's decay law for the same kernel, mu_k = Omega(k^-(d+1)) for k >> d and Omega(d^-(k-1))
// for d >> k on S^d: every degree to 64 on S^2 and S^9 by Funk-Hecke in quadruple precision, and
// degrees 0-8 as the sphere's dimension grows to 159.
#include "sbias/chapter.hpp"
#include "sbias/constants.hpp"
#include "sbias/errors.hpp"
#include "sbias/memory.hpp"
#include "sbias/metrics.hpp"
#include "sbias/parallel.hpp"
#include "sbias/sphere.hpp"
#include "sbias/twolayer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>

using namespace sbias;

namespace {

const std::vector<int> degrees = {1, 2, 4};

struct Width {
    arma::uword m = 0;
    TwoLayerRelu net0;
    arma::mat K0;     // the empirical NTK Gram matrix at initialisation
    arma::vec lambda; // eigenvalues of K_0, ascending (eig_sym)
    arma::mat U;
    double lr = 0.0;
    double gram_seconds = 0.0, eig_seconds = 0.0;
    std::vector<arma::mat> blocks; // eigenvectors of the degree-1, 2, 4 eigenvalue blocks
};

struct Run {
    std::string key; // "m4096_a111"
    const Width* width = nullptr;
    std::vector<double> amps; // a1, a2, a4
    arma::vec y;
    arma::mat trained{}; // (T + 1) x 3: v_k^T (y - f_t)
    arma::mat block{};   // (T + 1) x 3: ||U_k^T (y - f_t)||, U_k the degree-k eigenvectors
    arma::vec loss{};    // T + 1
    double kernel_change = 0.0, weight_change = 0.0, seconds = 0.0;
};

std::string amp_key(const std::vector<double>& a) {
    std::string s;
    for (double v : a) {
        const long long r = std::llround(v);
        s += (std::abs(v - double(r)) < 1e-12 && r >= 0 && r < 10) ? std::to_string(r) : "x";
    }
    return s;
}

/// The least-squares slope of log|p| against t over [t0, t1], negated: the per-iteration decay.
double decay_rate(const arma::vec& p, arma::uword t0, arma::uword t1) {
    return -linear_slope(arma::regspace(double(t0), double(t1)),
                         arma::log(arma::abs(p.subvec(t0, t1))));
}

/// The window of a degree's rate, [t_b / 2, t_b]: t_b is the first iteration at which the
/// projection has fallen below 1 % of its largest value so far (past that the other degrees'
/// leakage floors it), at least 10, at most T. The first half is left out: the residual starts as
/// a mixture (the initial network's own function included) whose fast parts die out first.
std::pair<arma::uword, arma::uword> rate_window(const arma::vec& p, arma::uword T) {
    double peak = std::abs(p(0));
    arma::uword tb = T;
    for (arma::uword t = 1; t <= T; ++t) {
        peak = std::max(peak, std::abs(p(t)));
        if (std::abs(p(t)) < 1e-2 * peak) {
            tb = std::max<arma::uword>(t, 10);
            break;
        }
    }
    return {tb / 2, tb};
}

/// The linearised GD filter on a residual: coefficients c_i = (u_i^T v)(u_i^T r_0) and factors
/// g_i = 1 - lr lambda_i / n, so that v^T r_t = sum_i c_i g_i^t (Prop. 4.1 on the NTK).
struct Filter {
    arma::vec c, log_g;
    double at(double t) const {
        if (t == 0.0) return arma::accu(c);
        return arma::dot(c, arma::exp(t * log_g));
    }
};

Filter make_filter(const arma::mat& U, const arma::vec& lambda, double lr, double n,
                   const arma::vec& v, const arma::vec& r0) {
    Filter f;
    f.c = (U.t() * v) % (U.t() * r0);
    f.log_g = arma::log(arma::clamp(1.0 - lr * lambda / n, 0.0, 1.0)); // -inf where g = 0
    return f;
}

} // namespace

int main(int argc, char** argv) {
    Chapter ch("10-ntk-sphere",
               "Chapter 10: a trained two-layer ReLU network on the sphere (Cao et al.) against "
               "the GD filter of its NTK");
    long long n = 1000, d = 10, iterations = 800, forecast_to = 30000, max_degree = 8;
    std::vector<long long> widths = {4096, 1024, 256};
    std::vector<double> amps = {1, 1, 1}, amps_alt = {1, 3, 5};
    double lr_factor = 1.0;
    unsigned long long seed_data = 1, seed_net = 2;
    int threads = 2;
    std::vector<long long> decay_spheres = {2, 9}, decay_dims = {9, 19, 39, 79, 159};
    long long decay_degree = 64, decay_nodes = 128;
    auto& cli = ch.cli();
    cli.add_option("--n", n, "samples on the sphere")->capture_default_str();
    cli.add_option("--d", d, "dimension of the ambient space (sphere S^{d-1})")
        ->capture_default_str();
    cli.add_option("--widths", widths,
                   "hidden widths m, each trained on --amplitudes; the first also on "
                   "--amplitudes-alt")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--amplitudes", amps, "a1, a2, a4")->delimiter(',')->capture_default_str();
    cli.add_option("--amplitudes-alt", amps_alt, "a1, a2, a4 of the second target (first width)")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--iterations", iterations, "GD iterations trained (the canonical horizon)")
        ->capture_default_str();
    cli.add_option("--forecast-to", forecast_to, "iterations the NTK forecast is carried to")
        ->capture_default_str();
    cli.add_option("--lr-factor", lr_factor, "lr = factor * n / lambda_max(K_0), in (0, 2)")
        ->capture_default_str();
    cli.add_option("--max-degree", max_degree, "degrees of the analytic NTK eigenvalues")
        ->capture_default_str();
    cli.add_option("--seed-data", seed_data, "seed of the samples and the directions zeta_k")
        ->capture_default_str();
    cli.add_option("--seed-net", seed_net, "seed of the initial weights")->capture_default_str();
    cli.add_option("--threads", threads, "runs trained at once")->capture_default_str();
    cli.add_option("--decay-spheres", decay_spheres,
                   "the two spheres S^d (by d) whose eigenvalues are taken to --decay-degree")
        ->delimiter(',')
        ->capture_default_str();
    cli.add_option("--decay-degree", decay_degree,
                   "highest degree of the decay study (the exponent is fitted over its upper half)")
        ->capture_default_str();
    cli.add_option("--decay-nodes", decay_nodes,
                   "Gauss-Legendre nodes in theta (checked against twice as many)")
        ->capture_default_str();
    cli.add_option("--decay-dims", decay_dims,
                   "spheres S^d (by d, increasing) on which degrees 0-8 are followed as d grows")
        ->delimiter(',')
        ->capture_default_str();

    const auto check = [&] {
        if (n < 10) throw usage_error("n must be at least 10");
        if (d < 3) throw usage_error("d must be at least 3 (the sphere S^{d-1} with d >= 3)");
        if (widths.empty()) throw usage_error("widths needs at least one width");
        for (long long m : widths)
            if (m < 1 || m > 65536) throw usage_error("each width must lie in [1, 65536]");
        if (amps.size() != 3 || amps_alt.size() != 3)
            throw usage_error("amplitudes take three values (a1, a2, a4)");
        for (double a : amps)
            if (!std::isfinite(a)) throw usage_error("amplitudes must be finite");
        for (double a : amps_alt)
            if (!std::isfinite(a)) throw usage_error("amplitudes must be finite");
        if (iterations < 20) throw usage_error("iterations must be at least 20");
        if (forecast_to < iterations) throw usage_error("forecast-to must be at least iterations");
        if (!(lr_factor > 0.0 && lr_factor < 2.0))
            throw usage_error("lr-factor must lie in (0, 2): GD on the linearised model diverges "
                              "beyond 2");
        if (max_degree < 4 || max_degree > 40) throw usage_error("max-degree must lie in [4, 40]");
        if (threads < 1) throw usage_error("threads must be at least 1");
        for (std::size_t i = 0; i < widths.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (widths[i] == widths[j])
                    throw usage_error("each width may appear once (" + std::to_string(widths[i]) +
                                      " repeats)");
        if (amps == amps_alt) throw usage_error("amplitudes-alt must differ from amplitudes");
        if (decay_spheres.size() != 2 || decay_spheres[0] == decay_spheres[1])
            throw usage_error("decay-spheres takes two different sphere dimensions");
        for (long long sd : decay_spheres)
            if (sd < 2 || sd > 1000)
                throw usage_error("each decay sphere S^d needs d in [2, 1000]");
        if (decay_degree < 16 || decay_degree > 400)
            throw usage_error("decay-degree must lie in [16, 400]");
        if (decay_nodes < 16 || decay_nodes > 2048)
            throw usage_error("decay-nodes must lie in [16, 2048]");
        if (decay_dims.size() < 2) throw usage_error("decay-dims needs at least two dimensions");
        for (std::size_t i = 0; i < decay_dims.size(); ++i)
            if (decay_dims[i] < 2 || decay_dims[i] > 1000 ||
                (i > 0 && decay_dims[i] <= decay_dims[i - 1]))
                throw usage_error("decay-dims must increase, each in [2, 1000]");
        // The memory guard: n x n Gram matrices per width, n x m activations per running network
        // (lib/memory.hpp).
        const auto need = [&](long long samples) {
            return ntk_sphere_peak_bytes(samples, d, widths, threads, iterations);
        };
        require_memory("chapter 10 at n = " + std::to_string(n) + " (widest " +
                           std::to_string(*std::max_element(widths.begin(), widths.end())) + ")",
                       need(n), [&](double available) {
                           return largest_size_phrase("n", need, 10, n, available,
                                                      ": lower --widths or --threads",
                                                      " at these widths");
                       });
    };

    const auto compute = [&] {
        ch.seed = seed_data;
        ch.parameters = {{"n", n},
                         {"d", d},
                         {"widths", widths},
                         {"amplitudes", amps},
                         {"amplitudes_alt", amps_alt},
                         {"iterations", iterations},
                         {"forecast_to", forecast_to},
                         {"lr_factor", lr_factor},
                         {"max_degree", max_degree},
                         {"seed_data", seed_data},
                         {"seed_net", seed_net},
                         {"threads", threads},
                         {"loss", "(1/2n) sum_i (f(x_i) - y_i)^2"},
                         {"decay_spheres", decay_spheres},
                         {"decay_degree", decay_degree},
                         {"decay_nodes", decay_nodes},
                         {"decay_dims", decay_dims}};
        const int D = static_cast<int>(d);
        const arma::uword T = iterations;
        auto& res = ch.results;
        auto& mac = ch.macros;

        // The analytic NTK: Funk-Hecke eigenvalues of the arc-cosine kernel (per unit width).
        std::vector<double> mu(max_degree + 1);
        json mu_json = json::object(), dims = json::object();
        for (int k = 0; k <= max_degree; ++k) {
            mu[k] = funk_hecke(relu_ntk_kernel, D, k);
            mu_json[std::to_string(k)] = mu[k];
            dims[std::to_string(k)] = harmonic_dimension(k, D);
        }
        res["analytic_eigenvalues"] = mu_json;
        res["analytic_ratios"] = {{"mu1/mu2", mu[1] / mu[2]}, {"mu2/mu4", mu[2] / mu[4]}};
        res["harmonic_dimensions"] = dims;
        res["kernel"] = "NTK / m = (sin th + (pi - th) t) / pi + t (pi - th) / (2 pi), t = cos th";

        // Data: X, then zeta_1, zeta_2, zeta_4, then the directions of the odd-degree probes.
        ch.progress("data: n = " + std::to_string(n) + " points on S^" + std::to_string(d - 1) +
                    ", seed " + std::to_string(seed_data) + "; networks: seed " +
                    std::to_string(seed_net));
        std::mt19937_64 rng_data(seed_data);
        const arma::mat X = uniform_sphere(n, d, rng_data);
        const arma::mat zeta = uniform_sphere(3, d, rng_data);
        arma::mat P(n, 3), V(n, 3);
        for (int j = 0; j < 3; ++j) {
            P.col(j) = gegenbauer(degrees[j], D, arma::vec(X * zeta.row(j).t()));
            V.col(j) = arma::normalise(P.col(j));
        }
        const auto target = [&](const std::vector<double>& a) {
            return arma::vec(a[0] * P.col(0) + a[1] * P.col(1) + a[2] * P.col(2));
        };

        // Per width: the initial network, its NTK Gram matrix and eigendecomposition, the step.
        std::vector<Width> ws(widths.size());
        for (std::size_t i = 0; i < widths.size(); ++i) {
            Width& w = ws[i];
            w.m = widths[i];
            std::mt19937_64 rng_net(seed_net);
            w.net0 = TwoLayerRelu::init(w.m, d, rng_net);
            auto t0 = std::chrono::steady_clock::now();
            w.K0 = ntk_gram(w.net0, X);
            auto t1 = std::chrono::steady_clock::now();
            arma::eig_sym(w.lambda, w.U, w.K0);
            auto t2 = std::chrono::steady_clock::now();
            w.gram_seconds = std::chrono::duration<double>(t1 - t0).count();
            w.eig_seconds = std::chrono::duration<double>(t2 - t1).count();
            w.lr = lr_factor * double(n) / w.lambda.max();
            // Eigenvalue blocks by degree, in descending order: dim_0 = 1, then dim_1, dim_2,
            // (no degree 3: its eigenvalue is zero), then dim_4; eig_sym sorts ascending.
            {
                arma::uword start = arma::uword(std::llround(harmonic_dimension(0, D)));
                for (int k : {1, 2, 4}) {
                    const arma::uword len = std::llround(harmonic_dimension(k, D));
                    const arma::uword end = std::min<arma::uword>(start + len, n);
                    w.blocks.push_back(start < end ? arma::mat(w.U.cols(n - end, n - 1 - start))
                                                   : arma::mat(n, 0));
                    start = end;
                }
            }
            ch.progress("m = " + std::to_string(w.m) + ": NTK Gram " + std::to_string(n) + " x " +
                        std::to_string(n) + " and its eigendecomposition in " +
                        std::to_string(w.gram_seconds + w.eig_seconds) +
                        " s; lr = " + std::to_string(w.lr));
        }

        // The runs: every width on the first target, the first width also on the second.
        std::vector<Run> runs;
        for (std::size_t i = 0; i < ws.size(); ++i) {
            runs.push_back(
                {"m" + std::to_string(ws[i].m) + "_a" + amp_key(amps), &ws[i], amps, target(amps)});
            if (i == 0) {
                std::string key = "m" + std::to_string(ws[i].m) + "_a" + amp_key(amps_alt);
                if (key == runs.back().key) key += "_alt"; // amplitudes that are not digits
                runs.push_back({key, &ws[i], amps_alt, target(amps_alt)});
            }
        }

        // Train, widest first, up to `threads` runs at once (each with single-threaded BLAS).
        std::vector<std::size_t> order(runs.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return runs[a].width->m > runs[b].width->m;
        });
        ch.progress("training " + std::to_string(runs.size()) + " runs for " + std::to_string(T) +
                    " iterations, " + std::to_string(threads) + " at once");
        std::mutex log_mutex;
        parallel_for(order.size(), threads, [&](std::size_t q) {
            Run& run = runs[order[q]];
            const auto t0 = std::chrono::steady_clock::now();
            TwoLayerRelu net = run.width->net0;
            run.trained.set_size(T + 1, 3);
            run.block.set_size(T + 1, 3);
            run.loss.set_size(T + 1);
            GradientWorkspace ws;
            const arma::uword report = std::max<arma::uword>(T / 4, 1);
            for (arma::uword t = 0; t <= T; ++t) {
                const LossGradient g = loss_gradient(net, X, run.y, ws);
                run.trained.row(t) = -(V.t() * g.residual).t(); // v_k^T (y - f_t)
                for (int j = 0; j < 3; ++j)
                    run.block(t, j) = arma::norm(run.width->blocks[j].t() * g.residual);
                run.loss(t) = g.loss;
                if (!std::isfinite(g.loss))
                    throw std::runtime_error(run.key + " diverged at iteration " +
                                             std::to_string(t));
                if (t == T) break;
                net.W -= run.width->lr * g.dW;
                net.a -= run.width->lr * g.da;
                if ((t + 1) % report == 0) {
                    std::lock_guard<std::mutex> lock(log_mutex);
                    ch.progress("  " + run.key + ": iteration " + std::to_string(t + 1) + " of " +
                                std::to_string(T) + ", loss " + std::to_string(g.loss));
                }
            }
            const arma::mat& K0 = run.width->K0;
            run.kernel_change = arma::norm(ntk_gram(net, X) - K0, "fro") / arma::norm(K0, "fro");
            run.weight_change =
                std::sqrt(std::pow(arma::norm(net.W - run.width->net0.W, "fro"), 2) +
                          std::pow(arma::norm(net.a - run.width->net0.a), 2)) /
                std::sqrt(std::pow(arma::norm(run.width->net0.W, "fro"), 2) +
                          std::pow(arma::norm(run.width->net0.a), 2));
            run.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        });

        // Forecasts and rates.
        // Recorded times for the figures: every iteration up to 20, then log-spaced to forecast_to.
        std::vector<arma::uword> times;
        for (arma::uword t = 0; t <= std::min<arma::uword>(20, forecast_to); ++t)
            times.push_back(t);
        for (double lt = std::log(21.0); lt <= std::log(double(forecast_to)) + 1e-12;
             lt += std::log(double(forecast_to) / 21.0) / 300) {
            const arma::uword t = std::llround(std::exp(lt));
            if (t > times.back()) times.push_back(t);
        }
        if (times.back() != arma::uword(forecast_to)) times.push_back(forecast_to);
        if (std::find(times.begin(), times.end(), T) == times.end()) {
            times.push_back(T);
            std::sort(times.begin(), times.end());
        }
        Table proj, dev;
        proj.add("t", arma::conv_to<arma::vec>::from(times));
        // t + 1 for the figure's log axis: read as a column, not computed by pgfplots for each of
        // its 18 curves (x expr: 1.3 of its 5 s).
        proj.add("t1", arma::conv_to<arma::vec>::from(times) + 1.0);
        const arma::uword dev_step = std::max<arma::uword>(1, T / 200);
        const arma::vec dev_t = arma::regspace(0.0, double(dev_step), double(T));
        dev.add("t", dev_t);
        json runs_json = json::object();
        const char* letters[] = {"A", "B", "C", "D", "E", "F", "G", "H"};
        for (std::size_t ri = 0; ri < runs.size(); ++ri) {
            const Run& run = runs[ri];
            const Width& w = *run.width;
            const std::string L = ri < 8 ? letters[ri] : run.key; // table columns by run letter
            // Forecast (i): r_t = U g^t U^T r_0 with g = 1 - lr lambda / n, r_0 = y - f_0.
            const arma::vec res0 = run.y - w.net0(X);
            std::vector<Filter> filters;
            for (int j = 0; j < 3; ++j)
                filters.push_back(make_filter(w.U, w.lambda, w.lr, double(n), V.col(j), res0));
            const auto forecast = [&](arma::uword t, int j) { return filters[j].at(double(t)); };
            arma::vec dev_col(dev_t.n_elem, arma::fill::zeros);
            json measured = json::object(), predicted = json::object(), fc = json::object(),
                 windows = json::object(), initial = json::object(), final_ = json::object(),
                 final_fc = json::object(), late = json::object(), deviation = json::object(),
                 block_rate = json::object(), block_window = json::object();
            for (int j = 0; j < 3; ++j) {
                const std::string k = std::to_string(degrees[j]);
                const arma::vec p = run.trained.col(j);
                arma::vec pf(T + 1);
                for (arma::uword t = 0; t <= T; ++t)
                    pf(t) = forecast(t, j);
                if (run.width->blocks[j].n_cols > 0) {
                    const arma::vec pb = run.block.col(j);
                    const auto [b0, b1] = rate_window(pb, T);
                    block_rate[k] = decay_rate(pb, b0, b1);
                    block_window[k] = {b0, b1};
                    arma::vec bc(times.size());
                    for (std::size_t i = 0; i < times.size(); ++i)
                        bc(i) = times[i] <= T ? pb(times[i]) : std::nan("");
                    proj.add(L + "_b" + k, bc);
                }
                const auto [t0, t1] = rate_window(p, T);
                measured[k] = decay_rate(p, t0, t1);
                fc[k] = decay_rate(pf, t0, t1);
                predicted[k] = -std::log1p(-w.lr * double(w.m) * mu[degrees[j]]);
                windows[k] = {t0, t1};
                initial[k] = std::abs(p(0));
                final_[k] = std::abs(p(T));
                final_fc[k] = std::abs(pf(T));
                deviation[k] = arma::abs(p - pf).max() / arma::abs(p).max();
                for (arma::uword i = 0; i < dev_t.n_elem; ++i) {
                    const arma::uword t = arma::uword(dev_t(i));
                    dev_col(i) = std::max(dev_col(i), std::abs(p(t) - pf(t)) / arma::abs(p).max());
                }
                // The forecast's own rate over the second half of its horizon, where the slowest
                // eigen-directions that v_k touches are left.
                {
                    const double ta = forecast_to / 2.0, tb = double(forecast_to);
                    late[k] = -std::log(std::abs(filters[j].at(tb)) / std::abs(filters[j].at(ta))) /
                              (tb - ta);
                }
                arma::vec tr(times.size()), fcv(times.size());
                for (std::size_t i = 0; i < times.size(); ++i) {
                    tr(i) = times[i] <= T ? std::abs(p(times[i])) : std::nan("");
                    fcv(i) = std::abs(forecast(times[i], j));
                }
                proj.add(L + "_p" + k, tr).add(L + "_f" + k, fcv);
                // (ii) the analytic rate from |p_k(0)|.
                arma::vec an(times.size());
                for (std::size_t i = 0; i < times.size(); ++i)
                    an(i) =
                        std::abs(p(0)) * std::exp(-predicted[k].get<double>() * double(times[i]));
                proj.add(L + "_a" + k, an);
            }
            runs_json[run.key] = {{"m", w.m},
                                  {"amplitudes", run.amps},
                                  {"lr", w.lr},
                                  {"lr_times_lambda_max_over_n", lr_factor},
                                  {"iterations", T},
                                  {"measured_rate", measured},
                                  {"predicted_rate", predicted},
                                  {"forecast_rate", fc},
                                  {"rate_window", windows},
                                  {"initial_projection", initial},
                                  {"final_projection", final_},
                                  {"final_projection_forecast", final_fc},
                                  {"forecast_max_deviation", deviation},
                                  {"forecast_late_rate", late},
                                  {"eigenspace_rate", block_rate},
                                  {"eigenspace_rate_window", block_window},
                                  {"final_loss", run.loss(T)},
                                  {"kernel_change", run.kernel_change},
                                  {"weight_change", run.weight_change}};
            dev.add(L, dev_col);
            ch.timings[run.key] = {{"train_seconds", run.seconds}};
        }
        res["runs"] = runs_json;

        // The empirical spectrum of K_0 / (n m) at the first width against the analytic staircase
        // (mu_k repeated dim_k times), and what the data say of the odd degrees.
        const Width& w0 = ws[0];
        const arma::vec emp = arma::sort(w0.lambda, "descend") / (double(n) * double(w0.m));
        std::vector<double> stair;
        for (int k = 0; k <= max_degree; ++k)
            if (mu[k] > 1e-12 * mu[0])
                for (long long c = 0; c < std::llround(harmonic_dimension(k, D)); ++c)
                    stair.push_back(mu[k]);
        std::sort(stair.rbegin(), stair.rend());
        arma::vec stair_col(emp.n_elem);
        stair_col.fill(std::nan(""));
        for (std::size_t i = 0; i < stair.size() && i < emp.n_elem; ++i)
            stair_col(i) = stair[i];
        Table eig;
        eig.add("index", arma::regspace(1.0, double(emp.n_elem)))
            .add("empirical", emp)
            .add("analytic", stair_col);
        json blocks = json::object();
        arma::uword start = 0;
        for (int k = 0; k <= 4 && start < emp.n_elem; ++k) {
            if (mu[k] <= 1e-12 * mu[0]) continue; // odd degrees >= 3 hold no eigenvalue
            const arma::uword len = std::llround(harmonic_dimension(k, D));
            const arma::uword end = std::min<arma::uword>(start + len, emp.n_elem);
            const arma::vec b = emp.subvec(start, end - 1);
            blocks[std::to_string(k)] = {{"indices", {start, end}},
                                         {"mean", arma::mean(b)},
                                         {"min", b.min()},
                                         {"max", b.max()},
                                         {"analytic", mu[k]},
                                         {"rate_range",
                                          {-std::log1p(-w0.lr * double(w0.m) * b.min()),
                                           -std::log1p(-w0.lr * double(w0.m) * b.max())}}};
            start = end;
        }
        const arma::uword n_low = std::llround(harmonic_dimension(0, D) + harmonic_dimension(1, D) +
                                               harmonic_dimension(2, D));
        json energy = json::object(), probe_rate = json::object(), odd = json::object();
        const arma::mat U_low = w0.U.tail_cols(std::min<arma::uword>(n_low, w0.U.n_cols));
        for (int k = 0; k <= max_degree; ++k) {
            const arma::mat xi = uniform_sphere(1, d, rng_data);
            const arma::vec v = arma::normalise(gegenbauer(k, D, arma::vec(X * xi.row(0).t())));
            energy[std::to_string(k)] = std::pow(arma::norm(U_low.t() * v), 2);
            // GD on the target v alone (no initial function), linearised: its rate over [T/2, T].
            const Filter f = make_filter(w0.U, w0.lambda, w0.lr, double(n), v, v);
            probe_rate[std::to_string(k)] =
                -std::log(std::abs(f.at(double(T))) / std::abs(f.at(double(T / 2)))) /
                double(T - T / 2);
            if (k % 2 == 1 && k >= 3) odd[std::to_string(k)] = mu[k];
        }
        res["empirical_eigenvalues"] = {
            {"width", w0.m}, {"lambda_max_over_nm", emp(0)}, {"blocks", blocks}};
        res["odd_degrees"] = {{"analytic", odd},
                              {"low_subspace_size", n_low},
                              {"energy_in_low_subspace", energy},
                              {"probe_rate", probe_rate}};
        ch.tables.push_back({"projections.tsv", proj});
        // The figure reads a file a curve (49 columns), each with the rows it needs as drawn there
        // (Table::curve; figure-projections.tex: log-log, y from 1e-5 to 30).
        ch.add_curves("projections", proj, "t1", {true, true, 1e-5, 30.0});
        ch.tables.push_back({"deviation.tsv", dev});
        ch.tables.push_back({"eigenvalues.tsv", eig});
        // Macros for the prose (deterministic: no timings).
        const char* deg_word[] = {"One", "Two", "Four"};
        mac.integer("chXn", n)
            .integer("chXd", d)
            .integer("chXSphere", d - 1)
            .integer("chXT", iterations)
            .integer("chXForecastTo", forecast_to)
            .number("chXLrFactor", lr_factor)
            .integer("chXSeedData", static_cast<long long>(seed_data))
            .integer("chXSeedNet", static_cast<long long>(seed_net))
            .number("chXRatioOneTwo", mu[1] / mu[2], 4)
            .number("chXRatioTwoFour", mu[2] / mu[4], 4)
            .integer("chXLow", static_cast<long long>(n_low))
            .number("chXLambdaMax", emp(0), 4)
            .raw("chXTRaw", double(iterations + 1))
            .raw("chXnRaw", double(n))
            .raw("chXForecastRaw", double(forecast_to + 1));
        const char* mu_word[] = {"Zero", "One", "Two",   "Three", "Four",
                                 "Five", "Six", "Seven", "Eight"};
        double odd_max = 0.0;
        for (int k = 0; k <= std::min<int>(8, max_degree); ++k) {
            mac.number(std::string("chXMu") + mu_word[k], mu[k], 4)
                .integer(std::string("chXDim") + mu_word[k],
                         std::llround(harmonic_dimension(k, D)));
            if (k % 2 == 1 && k >= 3) odd_max = std::max(odd_max, std::abs(mu[k]));
            mac.number(std::string("chXEnergy") + mu_word[k],
                       energy[std::to_string(k)].get<double>(), 3)
                .number(std::string("chXProbe") + mu_word[k],
                        probe_rate[std::to_string(k)].get<double>(), 3);
        }
        mac.number("chXMuOddMax", odd_max, 1).number("chXEfoldFour", mu[0] / mu[4], 2);
        {
            double block_diff = 0.0;
            for (const char* k : {"0", "1", "2"})
                if (blocks.contains(k))
                    block_diff =
                        std::max(block_diff, std::abs(blocks[k]["mean"].get<double>() /
                                                          blocks[k]["analytic"].get<double>() -
                                                      1.0));
            mac.number("chXBlockDiff", block_diff, 2);
            const Run& r0 = runs[0];
            mac.number("chXPeakAFour", arma::abs(r0.trained.col(2)).max(), 3)
                .number("chXInitRatio", arma::norm(r0.width->net0(X)) / arma::norm(r0.y), 2);
        }
        for (const auto& [k, b] : blocks.items()) {
            const std::string w = mu_word[std::stoi(k)];
            mac.number("chXEmp" + w, b["mean"].get<double>(), 4)
                .number("chXEmpMin" + w, b["min"].get<double>(), 3)
                .number("chXEmpMax" + w, b["max"].get<double>(), 3)
                .number("chXRateMin" + w, b["rate_range"][0].get<double>(), 3)
                .number("chXRateMax" + w, b["rate_range"][1].get<double>(), 3);
        }
        const char* run_word[] = {"A", "B", "C", "D"};
        for (std::size_t i = 0; i < 4; ++i) {
            const std::string R = run_word[i];
            if (i >= runs.size()) {
                for (const char* f : {"Key", "Width", "Lr", "Kchg", "Wchg", "Dev", "Amps"})
                    mac.text("chX" + std::string(f) + R, "--");
                for (const char* w : deg_word)
                    for (const char* f :
                         {"Meas", "Pred", "Eig", "EigRel", "Fc", "Final", "FinalFc", "Late"})
                        mac.text("chX" + std::string(f) + R + w, "--");
                continue;
            }
            const json& j = runs_json[runs[i].key];
            double dev_max = 0.0;
            for (const auto& [k, v] : j["forecast_max_deviation"].items())
                dev_max = std::max(dev_max, v.get<double>());
            std::string amps_text;
            for (double a : runs[i].amps)
                amps_text += (amps_text.empty() ? "" : ", ") + latex_number(a, 3);
            std::string key_tex;
            for (char c : runs[i].key)
                key_tex += c == '_' ? std::string("\\_") : std::string(1, c);
            mac.text("chXKey" + R, "\\texttt{" + key_tex + "}")
                .integer("chXWidth" + R, static_cast<long long>(runs[i].width->m))
                .number("chXLr" + R, j["lr"].get<double>(), 3)
                .number("chXKchg" + R, j["kernel_change"].get<double>(), 2)
                .number("chXWchg" + R, j["weight_change"].get<double>(), 2)
                .number("chXDev" + R, dev_max, 2)
                .text("chXAmps" + R, "\\ensuremath{(" + amps_text + ")}");
            for (int jd = 0; jd < 3; ++jd) {
                const std::string k = std::to_string(degrees[jd]), w = deg_word[jd];
                mac.number("chXMeas" + R + w, j["measured_rate"][k].get<double>(), 3)
                    .number("chXPred" + R + w, j["predicted_rate"][k].get<double>(), 3)
                    .number("chXFc" + R + w, j["forecast_rate"][k].get<double>(), 3)
                    .number("chXFinal" + R + w, j["final_projection"][k].get<double>(), 3)
                    .number("chXFinalFc" + R + w, j["final_projection_forecast"][k].get<double>(),
                            3)
                    .number("chXLate" + R + w, j["forecast_late_rate"][k].get<double>(), 3);
                if (j["eigenspace_rate"].contains(k))
                    mac.number("chXEig" + R + w, j["eigenspace_rate"][k].get<double>(), 3)
                        .number("chXEigRel" + R + w,
                                j["eigenspace_rate"][k].get<double>() /
                                    j["predicted_rate"][k].get<double>(),
                                2);
                else
                    mac.text("chXEig" + R + w, "--").text("chXEigRel" + R + w, "--");
            }
        }
        // Cao's decay law, measured on the infinite-width kernel. Per sphere S^sd (in R^{sd + 1}):
        // mu_0 ... mu_K in quadruple precision, the rule checked against twice its nodes and the
        // double rule at low degree; the even degrees' local exponents against -(sd + 1), and the
        // law derived from the kernel's singularities at t = +-1 (relu_ntk_asymptote).
        const auto t_decay = std::chrono::steady_clock::now();
        const int K = static_cast<int>(decay_degree), nodes = static_cast<int>(decay_nodes);
        json decay = json::object();
        Table dtab;
        arma::vec k_even = arma::regspace(2.0, 2.0, double(K - K % 2));
        dtab.add("k", k_even);
        const char* sphere_letter[] = {"A", "B"};
        for (int si = 0; si < 2; ++si) {
            const int sd = static_cast<int>(decay_spheres[si]), p = sd + 1;
            const std::string L = sphere_letter[si];
            const arma::vec m = funk_hecke_high(relu_ntk_kernel_theta, p, K, nodes),
                            m2 = funk_hecke_high(relu_ntk_kernel_theta, p, K, 2 * nodes);
            double conv = 0.0, odd_floor = 0.0, low = 0.0;
            json mu_k = json::object();
            for (int k = 0; k <= K; ++k) {
                mu_k[std::to_string(k)] = m(k);
                if (k % 2 == 1 && k >= 3) {
                    odd_floor = std::max({odd_floor, std::abs(m(k)), std::abs(m2(k))});
                    continue;
                }
                conv = std::max(conv, std::abs(m(k) - m2(k)) / std::abs(m2(k)));
                if (k <= 8)
                    low = std::max(low, std::abs(funk_hecke(relu_ntk_kernel, p, k) - m(k)) / m(k));
            }
            const double double_at_K = std::abs(funk_hecke(relu_ntk_kernel, p, K) - m(K)) / m(K);
            // Even degrees: mu_k / mu_0, the local exponent between k - 2 and k, the leading law
            // C k^-(sd+1) and the derived law; the fit over the upper half [K/2, K].
            const double C =
                std::exp((p - 2) * std::log(2.0) + 2.0 * std::lgamma(p / 2.0)) / (pi * pi);
            arma::vec rel(k_even.n_elem), lead(k_even.n_elem), slope(k_even.n_elem),
                mu_e(k_even.n_elem), law(k_even.n_elem);
            for (arma::uword i = 0; i < k_even.n_elem; ++i) {
                const int k = int(k_even(i));
                mu_e(i) = m(k);
                law(i) = relu_ntk_asymptote(k, p);
                rel(i) = m(k) / m(0);
                lead(i) = C * std::pow(double(k), -p) / m(0);
                slope(i) =
                    k >= 4 ? std::log(m(k) / m(k - 2)) / std::log(k / (k - 2.0)) : std::nan("");
            }
            const arma::uvec upper = arma::find(k_even >= K / 2);
            const double fit = loglog_slope(k_even(upper), mu_e(upper)),
                         law_dev = arma::abs(mu_e(upper) / law(upper) - 1.0).max();
            // From which even degree on the law's local exponent stays within 1 % of -(sd + 1):
            // step by step to k = 1000 (on S^2 it overshoots at small k), beyond by bisection
            // (there it approaches monotonically, like -(sd + 1) k / (k + sd/2)).
            const auto within = [&](long long k) {
                const double e =
                    std::log(relu_ntk_asymptote(int(k), p) / relu_ntk_asymptote(int(k - 2), p)) /
                    std::log(double(k) / double(k - 2));
                return std::abs(e + p) <= 0.01 * p;
            };
            long long hi = 4;
            for (long long k = 4; k <= 1000; k += 2)
                if (!within(k)) hi = k + 2;
            if (hi > 1000) {
                long long lo = 1000;
                hi = 1 << 24;
                while (hi - lo > 2) {
                    const long long mid = (lo + hi) / 4 * 2;
                    (within(mid) ? hi : lo) = mid;
                }
            }
            json ratios = json::object();
            for (int k = 0; k + 2 <= std::min(K, 8); k += 2)
                ratios["mu" + std::to_string(k) + "/mu" + std::to_string(k + 2)] = m(k) / m(k + 2);
            decay["S" + std::to_string(sd)] = {
                {"sphere_dimension", sd},
                {"ambient_dimension", p},
                {"mu", mu_k},
                {"predicted_exponent", -p},
                {"fit_exponent", fit},
                {"fit_range", {K / 2 + (K / 2) % 2, K - K % 2}},
                {"local_exponent_at_max_degree", slope(slope.n_elem - 1)},
                {"leading_constant", C},
                {"mu_over_leading_at_max_degree",
                 mu_e(mu_e.n_elem - 1) / (C * std::pow(double(K - K % 2), -p))},
                {"law_max_relative_deviation", law_dev},
                {"law_fit_exponent", loglog_slope(k_even(upper), law(upper))},
                {"law_degree_within_1pct", hi},
                {"ratios", ratios},
                {"d_squared", double(sd) * sd},
                {"d_plus_1_squared", double(p) * p},
                {"quadrature",
                 {{"nodes", nodes},
                  {"check_nodes", 2 * nodes},
                  {"max_relative_difference", conv},
                  {"odd_degree_max_abs", odd_floor},
                  {"double_rule_max_relative_difference_k_le_8", low},
                  {"double_rule_relative_error_at_max_degree", double_at_K}}}};
            dtab.add(L, rel).add(L + "_lead", lead).add(L + "_slope", slope);
            mac.integer("chXDecaySphere" + L, sd)
                .integer("chXDecayPred" + L, -p)
                .fixed("chXDecayFit" + L, fit, 2)
                .fixed("chXDecayLocal" + L, slope(slope.n_elem - 1), 2)
                .number("chXDecayConst" + L, C, 4)
                .number("chXDecayLead" + L,
                        mu_e(mu_e.n_elem - 1) / (C * std::pow(double(K - K % 2), -p)), 3)
                .number("chXDecayLawDev" + L, law_dev, 1)
                .integer("chXDecayKOnePct" + L, hi)
                .number("chXDecayMuK" + L, rel(rel.n_elem - 1), 2)
                .number("chXDecayConv" + L, conv, 1)
                .number("chXDecayOdd" + L, odd_floor, 1)
                .number("chXDecayLow" + L, low, 1)
                .number("chXDecayDouble" + L, double_at_K, 1);
            if (si == 1)
                for (int k = 0; k + 2 <= std::min(K, 8); k += 2)
                    mac.number(std::string("chXDecayRatio") + mu_word[k] + L, m(k) / m(k + 2), 4);
        }
        // Axis limits for the figure (pgfplots reads plain numbers).
        {
            double y_min = 1.0, e_min = 0.0, e_max = -1e9;
            for (const char* L : sphere_letter) {
                y_min = std::min(y_min, dtab.column(L).min());
                const arma::vec sl = dtab.column(std::string(L) + "_slope");
                const arma::vec fin = sl.elem(arma::find_finite(sl));
                e_min = std::min(e_min, fin.min());
                e_max = std::max(e_max, fin.max());
            }
            e_min = std::min(e_min, -double(std::max(decay_spheres[0], decay_spheres[1]) + 1));
            mac.raw("chXDecayDegreeRaw", double(K))
                .raw("chXDecayPredARaw", -double(decay_spheres[0] + 1))
                .raw("chXDecayPredBRaw", -double(decay_spheres[1] + 1))
                .raw("chXDecayYminRaw", std::pow(10.0, std::floor(std::log10(y_min))))
                .raw("chXDecayEminRaw", std::floor(e_min - 0.5))
                .raw("chXDecayEmaxRaw", std::ceil(e_max + 0.5));
        }
        mac.integer("chXDecayDegree", K)
            .integer("chXDecayFitFrom", K / 2 + (K / 2) % 2)
            .integer("chXDecayNodes", nodes)
            .integer("chXDecayNodesCheck", 2 * nodes)
            .integer("chXDecayDsq", decay_spheres[1] * decay_spheres[1])
            .integer("chXDecayDoneSq", (decay_spheres[1] + 1) * (decay_spheres[1] + 1));
        // d >> k: degrees 0-8 as the sphere grows. mu_k -> b_k k! d^-k (b_k the kernel's Taylor
        // coefficients, relu_ntk_taylor); the exponent in d between the last two spheres.
        {
            json per_dim = json::object();
            std::vector<arma::vec> mus;
            double conv = 0.0;
            for (long long sd : decay_dims) {
                const int p = static_cast<int>(sd) + 1;
                const arma::vec m = funk_hecke_high(relu_ntk_kernel_theta, p, 8, nodes),
                                m2 = funk_hecke_high(relu_ntk_kernel_theta, p, 8, 2 * nodes);
                json mj = json::object();
                for (int k : {0, 1, 2, 4, 6, 8}) {
                    conv = std::max(conv, std::abs(m(k) - m2(k)) / std::abs(m2(k)));
                    mj[std::to_string(k)] = m(k);
                }
                per_dim["S" + std::to_string(sd)] = mj;
                mus.push_back(m);
            }
            const double d1 = double(decay_dims[decay_dims.size() - 2]),
                         d2 = double(decay_dims.back());
            json expo = json::object(), limit = json::object();
            for (int k : {0, 1, 2, 4, 6, 8}) {
                const double e = std::log(mus.back()(k) / mus[mus.size() - 2](k)) /
                                 std::log(d2 / d1),
                             fact = std::tgamma(k + 1.0) * relu_ntk_taylor(k),
                             lim = mus.back()(k) * std::pow(d2, k) / fact;
                expo[std::to_string(k)] = e;
                limit[std::to_string(k)] = lim;
                mac.fixed(std::string("chXScanExp") + mu_word[k], e, 2)
                    .number(std::string("chXScanLimit") + mu_word[k], lim, 3);
            }
            decay["large_d"] = {{"spheres", decay_dims},
                                {"mu", per_dim},
                                {"exponent_in_d_between_last_two", expo},
                                {"mu_d_to_the_k_over_k_factorial_b_k", limit},
                                {"max_relative_difference_2x_nodes", conv}};
            mac.integer("chXScanFirst", decay_dims.front())
                .integer("chXScanPrev", decay_dims[decay_dims.size() - 2])
                .integer("chXScanLast", decay_dims.back())
                .number("chXScanConv", conv, 1);
        }
        res["eigenvalue_decay"] = decay;
        ch.tables.push_back({"decay.tsv", dtab});
        ch.timings["eigenvalue_decay"] = {
            {"seconds",
             std::chrono::duration<double>(std::chrono::steady_clock::now() - t_decay).count()}};

        // The claims ledger (the report's front table).
        ch.verdict(
            "Degree 1 converges first, then 2, then 4, roughly linearly on a log scale",
            "Cao et al.",
            "order confirmed at every width; sampled-harmonic projections non-monotone "
            "(degree 4 peaks at \\chXPeakAFour)",
            "holds with a correction",
            "Cao et al.'s order 1, 2, 4 holds, but the residual's projections on the sampled "
            "harmonics are mixtures of NTK eigenspaces (the initial function, finite $n$): "
            "they are not monotone (degree 4 first grows to \\chXPeakAFour); "
            "only the projections on the NTK's eigenspaces fall linearly on a log scale "
            "(Section~\\ref{sec:10-ntk-sphere}).");
        ch.verdict(
            "Each NTK eigen-direction shrinks like $(1 - \\eta\\lambda_k)^t$: Prop.~4.1 on the NTK",
            "Cao et al., Prop.~4.1",
            "trained curves within \\chXDevA{} ($m = \\chXWidthA$) and \\chXDevD{} ($m = "
            "\\chXWidthD$) of the empirical-NTK filter",
            "holds");
        ch.verdict("NTK eigenvalues: odd degrees $\\ge 3$ vanish, even ones decay", "Cao et al.",
                   "Funk--Hecke $\\mu_1/\\mu_2 = \\chXRatioOneTwo$, $\\mu_2/\\mu_4 = "
                   "\\chXRatioTwoFour$; empirical blocks within \\chXBlockDiff",
                   "holds");
        ch.verdict(
            "Per-degree rates follow the NTK eigenvalues", "Cao et al.",
            "eigenspace rate / analytic \\chXEigRelAOne{} (degree 1), \\chXEigRelATwo{} (degree 2)",
            "holds with a correction",
            "Cao et al.'s rates: the NTK's eigenspaces on the $n$ samples decay at rates near the "
            "infinite-width eigenvalues (\\chXEigRelAOne{} and \\chXEigRelATwo{} times them for "
            "degrees 1 and 2, within the sample's spread); the projections on sampled harmonics "
            "match them only within a factor of about two (Section~\\ref{sec:10-ntk-sphere}).");
        ch.verdict(
            "NTK eigenvalues decay as $\\mu_k = \\Omega(k^{-d-1})$ for $k \\gg d$ and "
            "$\\Omega(d^{-k+1})$ for $d \\gg k$ on $S^d$",
            "Cao et al.",
            "exponent in $k$ over $[\\chXDecayFitFrom, \\chXDecayDegree]$: \\chXDecayFitA{} on "
            "$S^{\\chXDecaySphereA}$, \\chXDecayFitB{} on $S^{\\chXDecaySphereB}$ (predicted "
            "\\chXDecayPredA, \\chXDecayPredB); exponent in $d$ at $k = 2, 4, 6$: "
            "\\chXScanExpTwo, \\chXScanExpFour, \\chXScanExpSix{} (claimed $-1, -3, -5$)",
            "holds with a correction",
            "Cao et al.'s NTK eigenvalue decay: for $k \\gg d$ the exponent is exactly $-(d+1)$, "
            "$\\mu_k \\simeq C_d\\, k^{-d-1}$, $C_d = 2^{d-1}\\Gamma(\\frac{d+1}{2})^2/\\pi^2$, "
            "but reached only slowly (within 1\\,\\% from $k \\approx \\chXDecayKOnePctB$ on "
            "$S^{\\chXDecaySphereB}$); for "
            "$d \\gg k$, $\\mu_k \\simeq k!\\, b_k\\, d^{-k}$ ($b_k$ the kernel's Taylor "
            "coefficients): one power of $d$ below the claimed $\\Omega(d^{-k+1})$, which "
            "$\\sum_k \\dim_k \\mu_k = \\kappa(1)$ rules out (Section~\\ref{sec:10-ntk-sphere}).");
        // Audit row (issue 19): a claim of Cao et al. this chapter's numbers already measure.
        ch.verdict(
            "The convergence theory holds for any target, inside the NTK's RKHS or not",
            "Cao et al.",
            "a degree-3 target ($\\mu_3 = 0$) is still fitted on the samples at rate "
            "\\chXProbeThree{} (degree 4: \\chXProbeFour)",
            "holds with a correction",
            "Cao et al.: a target outside the NTK's span (degree 3, $\\mu_3 = 0$) is fitted "
            "on the samples, at the pace of the even harmonics that span them, but not learned "
            "off them (Section~\\ref{sec:10-ntk-sphere}).");
    };
    return ch.run(argc, argv, check, compute);
}
