// Chapter 05: principal components against the DST basis (the paper's Figs. 4 and 5).
//
// Left singular vectors u_k, k = 0, 4, 5, 9, of A for heaviside, tanh, relu, relu2, at
// N = M = 5000 (Fig. 4; from chapter 04's cache when it is there) and N = 5000, M = 50 (Fig. 5;
// a dense thin SVD), each compared with the DST function sin(pi (k + 1/2) x) on the samples:
// c = |cos| of the angle between them. Where singular values are equal to rounding (tanh's come in
// pairs) u_k alone is not defined, so the similarity of the DST function to the span of the
// degenerate group is reported too. For Heaviside on the shared grid the components are exactly
// sin((2k+1)(i+1) pi / (2N+1)), a DST basis on a grid shifted by O(1/N); that is measured as well.
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/grid.hpp"
#include "sbias/leading.hpp"
#include "sbias/signals.hpp"

#include <cmath>

using namespace sbias;

namespace {

constexpr double pi = 3.14159265358979323846;

/// sin(pi (k + 1/2) x), the DST function the paper compares u_k with.
arma::vec dst_reference(const arma::vec& x, arma::uword k) {
    return dst_basis(x, k + 1).col(k);
}

/// Indices j with |s_j - s_k| <= tol s_0: the group of singular values equal to s_k.
arma::uvec degenerate_group(const arma::vec& s, arma::uword k, double tol) {
    return arma::find(arma::abs(s - s(k)) <= tol * s(0));
}

} // namespace

int main(int argc, char** argv) {
    Chapter ch("05-dst-components",
               "Chapter 05: principal components vs the DST basis (Figs. 4, 5)");
    long long N = 5000, M_narrow = 50;
    std::vector<long long> ks = {0, 4, 5, 9};
    double degenerate_tol = 1e-9;
    bool no_cache = false;
    auto& cli = ch.cli();
    cli.add_option("--N", N, "samples (and width of the wide network, M = N)")
        ->capture_default_str();
    cli.add_option("--M-narrow", M_narrow, "width of the narrow network (Fig. 5)")
        ->capture_default_str();
    cli.add_option("--k", ks, "component indices (four)")->delimiter(',')->capture_default_str();
    cli.add_option("--degenerate-tol", degenerate_tol,
                   "singular values within tol * s_0 count as equal")
        ->capture_default_str();
    cli.add_flag("--no-cache", no_cache, "ignore and do not write <out>/cache/spectra");

    const auto check = [&] {
        if (N < 20) throw usage_error("N must be at least 20 (got " + std::to_string(N) + ")");
        if (M_narrow < 11 || M_narrow > N) throw usage_error("M-narrow must lie in [11, N]");
        if (ks.size() != 4) throw usage_error("k needs four indices");
        for (long long k : ks)
            if (k < 0 || k > 9)
                throw usage_error("each k must lie in [0, 9] (ten vectors are computed)");
        if (!(degenerate_tol >= 0.0)) throw usage_error("degenerate-tol must be >= 0");
    };

    const auto compute = [&] {
        ch.parameters = {{"N", N},
                         {"M_wide", N},
                         {"M_narrow", M_narrow},
                         {"k", ks},
                         {"degenerate_tol", degenerate_tol}};
        const std::vector<std::string> acts = {"heaviside", "tanh", "relu", "relu2"};
        const arma::uword n = N;
        // The same requests as chapter 04 (200 values, 10 vectors), so its cache serves them.
        std::vector<SpectrumRequest> req;
        for (const auto& a : acts)
            req.push_back({a, *default_sigma(activation(a), n), n, n, 200, 10, a + " M=N"});
        for (const auto& a : acts)
            req.push_back({a, *default_sigma(activation(a), M_narrow), n, arma::uword(M_narrow),
                           arma::uword(M_narrow), 10, a + " M=" + std::to_string(M_narrow)});
        const fs::path cache = no_cache ? fs::path() : fs::path(ch.out_dir()) / "cache" / "spectra";
        const auto spectra =
            leading_spectra(req, cache, [&](const std::string& l) { ch.progress(l); });

        const arma::vec x = unit_grid(n);
        // The figures draw 250 rows per curve (every (n/250)-th sample and the last one): a panel
        // is 4.6 cm wide, so a row every 0.2 mm, one pixel of the 150 dpi PNG, and the components
        // (at most 10 half-periods here) keep 25 rows per half-period. Compared with the 1000 rows
        // drawn before, the 150 dpi renderings differ in 0.9 % (wide) and 1.6 % (narrow) of the
        // pixels, 0.02 % and 0.14 % by more than a quarter of full scale (anti-aliasing along the
        // curves and the narrow network's steps; the same to the eye), and pgfplots renders each
        // figure in 3-4 s instead of 13-25 s.
        const arma::uword stride = std::max<arma::uword>(1, n / 250);
        arma::uvec rows = arma::regspace<arma::uvec>(0, stride, n - 1);
        if (rows(rows.n_elem - 1) != n - 1) rows = arma::join_cols(rows, arma::uvec{n - 1});
        json sim = json::object(), span = json::object(), groups = json::object();
        const std::string keys[] = {"M" + std::to_string(N), "M" + std::to_string(M_narrow)};
        // Keyed by the width: "M5000" and "M50" in the canonical run, as SPEC.md names them.
        for (int w = 0; w < 2; ++w) {
            Table t;
            t.add("x", x.elem(rows));
            for (long long k : ks) {
                const arma::vec d = dst_reference(x, k);
                t.add("dst" + std::to_string(k), arma::vec(d.elem(rows) / arma::norm(d)));
            }
            for (std::size_t a = 0; a < acts.size(); ++a) {
                const Spectrum& sp = spectra[w * acts.size() + a];
                for (long long k : ks) {
                    const std::string K = std::to_string(k);
                    const arma::vec d = dst_reference(x, k) / arma::norm(dst_reference(x, k));
                    const arma::vec u = sp.U.col(k);
                    const double c = arma::dot(u, d);
                    sim[keys[w]][acts[a]][K] = std::abs(c);
                    // Plotted with the sign that correlates positively with the DST function.
                    t.add(acts[a] + K, arma::vec((c < 0 ? -1.0 : 1.0) * u.elem(rows)));
                    arma::uvec g = degenerate_group(sp.s, k, degenerate_tol);
                    g = g.elem(arma::find(g < sp.U.n_cols));
                    span[keys[w]][acts[a]][K] = arma::norm(sp.U.cols(g).t() * d);
                    groups[keys[w]][acts[a]][K] = std::vector<arma::uword>(g.begin(), g.end());
                }
            }
            const std::string stem = std::string("components_") + (w == 0 ? "wide" : "narrow");
            ch.tables.emplace_back(stem + ".tsv", t);
            // The figures read a file a curve, each with the rows it needs (Table::thinned; their
            // y axis, +-0.045, holds every component whole).
            ch.add_curve_tables(stem, t, "x");
        }
        // Heaviside on the shared grid: exactly sin((2k+1)(i+1) pi / (2N+1)).
        double exact_dev = 0.0;
        for (long long k : ks) {
            arma::vec e(n);
            for (arma::uword i = 0; i < n; ++i)
                e(i) = std::sin((2.0 * k + 1.0) * (i + 1.0) * pi / (2.0 * n + 1.0));
            exact_dev = std::max(exact_dev,
                                 1.0 - std::abs(arma::dot(spectra[0].U.col(k), e)) / arma::norm(e));
        }

        auto& r = ch.results;
        r["dst_similarity"] = sim;
        r["dst_similarity_span"] = span;
        r["degenerate_groups"] = groups;
        r["heaviside_exact_dst_max_deviation"] = exact_dev;

        auto& m = ch.macros;
        m.integer("chVN", N)
            .integer("chVMnarrow", M_narrow)
            .number("chVExactDev", exact_dev, 2)
            .number("chVDegTol", degenerate_tol, 2);
        const std::map<std::string, std::string> word = {
            {"heaviside", "Heaviside"}, {"tanh", "Tanh"}, {"relu", "Relu"}, {"relu2", "Relutwo"}};
        const char* kw[] = {"A", "B", "C", "D"};
        for (int w = 0; w < 2; ++w)
            for (const auto& a : acts)
                for (int j = 0; j < 4; ++j) {
                    const std::string K = std::to_string(ks[j]);
                    const std::string base =
                        std::string("chV") + (w == 0 ? "Wide" : "Narrow") + word.at(a) + kw[j];
                    m.fixed(base, sim[keys[w]][a][K].get<double>(), 4);
                    m.fixed(base + "Span", span[keys[w]][a][K].get<double>(), 4);
                    m.integer(base + "Group", static_cast<long long>(groups[keys[w]][a][K].size()));
                }
        for (int j = 0; j < 4; ++j)
            m.integer(std::string("chVk") + kw[j], ks[j]);
        double deficit = 0.0; // how far Heaviside's similarity falls short of 1 on the sample grid
        for (long long k : ks)
            deficit =
                std::max(deficit, 1.0 - sim[keys[0]]["heaviside"][std::to_string(k)].get<double>());
        m.number("chVWideHeavisideDeficit", deficit, 2);
        // The claims ledger (the report's front table).
        ch.verdict("Heaviside's principal components are the DST functions $\\sin(\\pi(k + "
                   "\\frac12)x)$; ReLU's and ReLU$^2$'s are close",
                   "Sec.~5, Figs.~4, 5",
                   "Heaviside exact on a shifted grid; ReLU$^2$ similarity \\chVWideRelutwoD{} at "
                   "$k = \\chVkD$",
                   "holds");
        ch.verdict("tanh's principal components are DST-like", "Fig.~4(b)",
                   "span similarity of a sine--cosine pair \\chVWideTanhBSpan{} at $k = \\chVkB$",
                   "does not hold",
                   "Fig.~4(b): at $\\sigma = M$ on a shared grid tanh tends to $2H - 1$, $A$ is "
                   "skew-symmetric and its components are degenerate sine--cosine pairs, not the "
                   "DST functions the figure shows (Section~\\ref{sec:05-dst-components}).");
        // Audit rows (issue 19): claims of the paper this chapter's numbers already measure.
        ch.verdict("At finite width tanh keeps a smooth DST basis where Heaviside does not",
                   "Sec.~6, Fig.~5",
                   "similarity at $M = 50$, $k = \\chVkD$: tanh \\chVNarrowTanhD, Heaviside "
                   "\\chVNarrowHeavisideD, ReLU \\chVNarrowReluD",
                   "holds with a correction",
                   "Fig.~5(b): at $M = 50$ tanh's components are smoother than Heaviside's "
                   "staircase but further from the DST functions than Heaviside's and ReLU's "
                   "(Section~\\ref{sec:05-dst-components}).");
        ch.verdict(
            "ReLU and ReLU$^2$ form smooth bases, less DST-like as $r$ grows", "Sec.~6, Fig.~4",
            "similarity at $k = \\chVkD$: \\chVWideReluD{} (ReLU), \\chVWideRelutwoD{} (ReLU$^2$)",
            "holds");
    };
    return ch.run(argc, argv, check, compute);
}
