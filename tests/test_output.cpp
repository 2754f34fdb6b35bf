#include "sbias/errors.hpp"
#include "sbias/output.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "scratch.hpp"

using namespace sbias;

namespace {
fs::path output_scratch(const std::string& name) {
    const fs::path dir = scratch_dir::path("output/" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}
std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
} // namespace

TEST_SUITE("output-files") {
    TEST_CASE("TSV table") {
        Table t;
        t.add("a", arma::vec{1.0, 0.1}).add("b", arma::vec{arma::datum::nan, -2.0});
        CHECK(t.to_tsv() == "a\tb\n1\tnan\n0.1\t-2\n");
        CHECK_THROWS(t.add("c", arma::vec{1.0}));
    }

    TEST_CASE("a thinned table keeps the kinks of piecewise-linear curves and nothing else") {
        // x = 0, 0.01, ..., 1: a ReLU with its kink at row 30 and a ramp down to row 70 and flat
        // after it. Every other row lies on a chord, on every scale: rows 0, 30, 70, 100 remain.
        const arma::vec x = arma::regspace(0.0, 100.0) / 100.0;
        arma::vec relu = arma::clamp(x - 0.3, 0.0, 1.0), ramp = arma::clamp(0.7 - x, 0.0, 1.0);
        Table t;
        t.add("x", x).add("relu", relu).add("ramp", ramp);
        const Table thin = t.thinned("x");
        CHECK(thin.rows() == 4);
        CHECK(thin.column("x")(1) == x(30));
        // A row that is not finite stays, with its neighbours.
        relu(50) = arma::datum::nan;
        Table gap;
        gap.add("x", x).add("relu", relu);
        CHECK(gap.thinned("x").rows() == 6); // 0, 30, 49, 50, 51, 100
        CHECK_THROWS_AS(t.thinned("y"), std::invalid_argument);
    }

    TEST_CASE("curve tables: each column against x alone and thinned for that column alone") {
        // The ReLU and the ramp of the case above, with a third column that is a straight line
        // through zero (so drawn on a linear scale only): together they need rows 0, 30, 70 and
        // 100; each alone needs only its own kinks.
        const arma::vec x = arma::regspace(0.0, 100.0) / 100.0;
        const arma::vec relu = arma::clamp(x - 0.3, 0.0, 1.0),
                        ramp = arma::clamp(0.7 - x, 0.0, 1.0), line = 2.0 * x - 1.0;
        Table t;
        t.add("x", x).add("relu", relu).add("ramp", ramp).add("line", line);
        const auto curves = t.curve_tables("masks", "x");
        REQUIRE(curves.size() == 3);
        CHECK(curves[0].first == "masks-relu.tsv");
        CHECK(curves[1].first == "masks-ramp.tsv");
        CHECK(curves[2].first == "masks-line.tsv");
        CHECK(curves[0].second.rows() == 3); // x = 0, 0.3, 1
        CHECK(curves[1].second.rows() == 3); // x = 0, 0.7, 1
        CHECK(curves[2].second.rows() == 2); // its ends
        CHECK(curves[0].second.to_tsv() == "x\trelu\n0\t0\n0.3\t0\n1\t0.7\n");
        // Each is the two-column table thinned by Table::thinned, with the tolerance passed on.
        for (const double tol : {2e-4, 0.0}) {
            Table pair;
            pair.add("x", x).add("ramp", ramp);
            CHECK(t.curve_tables("masks", "x", tol)[1].second.to_tsv() ==
                  pair.thinned("x", tol).to_tsv());
        }
        CHECK_THROWS_AS(t.curve_tables("masks", "y"), std::invalid_argument);
    }

    TEST_CASE("a curve thinned for its axes: within tolerance of its visible height inside them") {
        // Curves that leave the axis range and come back, on linear and log scales: every row
        // left out lies between two kept rows on its own side of the range (so a chord never
        // crosses a limit), and inside the range within tolerance of the chord, measured on the
        // axes' scales against the curve's visible height.
        const arma::uword n = 2001;
        const arma::vec x = arma::linspace(0.001, 1.0, n);
        struct Case {
            const char* what;
            arma::vec y;
            CurveAxes axes;
        };
        const std::vector<Case> cases = {
            {"parabola entering from above",
             4.0 * arma::square(1.0 - x),
             {false, false, -1.0, 1.0}},
            {"oscillation through both limits",
             3.0 * arma::sin(20.0 * x),
             {false, false, -1.0, 2.0}},
            {"decay on log-log below the axis", arma::exp(-30.0 * x), {true, true, 1e-8, 2.0}},
            {"sign changes on a log axis", arma::sin(15.0 * x) + 0.2, {true, true, 1e-3, 10.0}},
        };
        const double tol = 2e-4;
        for (const Case& c : cases) {
            const std::string what = c.what;
            CAPTURE(what);
            Table t;
            t.add("x", x).add("y", c.y);
            const Table thin = t.curve("x", "y", c.axes, tol);
            const arma::vec kx = thin.column("x"), ky = thin.column("y");
            REQUIRE(kx.n_elem >= 2);
            CHECK(kx.n_elem < n / 4);
            CHECK(kx(0) == x(0));
            CHECK(kx(kx.n_elem - 1) == x(n - 1));
            const auto place = [&](double v) {
                if (c.axes.y_log && !(v > 0.0)) return 0;
                return v < c.axes.y_min ? 1 : v > c.axes.y_max ? 3 : 2;
            };
            const auto su = [&](double v) { return c.axes.x_log ? std::log(v) : v; };
            const auto sv = [&](double v) { return c.axes.y_log ? std::log(v) : v; };
            double lo = 1e300, hi = -1e300;
            for (arma::uword i = 0; i < n; ++i)
                if (place(c.y(i)) == 2) {
                    lo = std::min(lo, sv(c.y(i)));
                    hi = std::max(hi, sv(c.y(i)));
                }
            int crossing_rows = 0, bad_side = 0, bad_fit = 0;
            arma::uword k = 0;
            for (arma::uword i = 0; i < n; ++i) {
                while (k + 2 < kx.n_elem && kx(k + 1) <= x(i))
                    ++k;
                if (x(i) == kx(k) || x(i) == kx(k + 1)) continue; // kept
                const int p = place(c.y(i));
                if (place(ky(k)) != p || place(ky(k + 1)) != p) ++bad_side;
                if (p != 2) continue;
                const double s = (su(x(i)) - su(kx(k))) / (su(kx(k + 1)) - su(kx(k)));
                const double chord = sv(ky(k)) + s * (sv(ky(k + 1)) - sv(ky(k)));
                if (!(std::abs(sv(c.y(i)) - chord) <= tol * (hi - lo) * (1 + 1e-9))) ++bad_fit;
            }
            for (arma::uword i = 0; i + 1 < n; ++i)
                crossing_rows += place(c.y(i)) != place(c.y(i + 1));
            CHECK(crossing_rows > 0); // each case leaves its range
            CHECK(bad_side == 0);
            CHECK(bad_fit == 0);
        }
        // The tolerance is a fraction of the visible height, not of the column's range: a bump
        // of 1e-3 on a curve that is 0.5 high inside the axis and 1e6 outside it stays; the
        // axis-free thinning, against the column's whole range, drops it.
        arma::vec y = arma::clamp(x, 0.0, 0.5);
        y(1000) += 1e-3;
        y.tail(100).fill(1e6);
        Table t;
        t.add("x", x).add("y", y);
        const auto has_bump = [&](const Table& thin) {
            const arma::vec kx = thin.column("x");
            return arma::any(kx == x(1000));
        };
        CHECK(has_bump(t.curve("x", "y", {false, false, 0.0, 1.0})));
        CHECK_FALSE(has_bump(t.thinned("x")));
        CHECK_THROWS_AS(t.curve("x", "z", {}), std::invalid_argument);
        CHECK_THROWS_AS(t.curve("x", "y", {}, -1.0), std::invalid_argument);
    }

    TEST_CASE("a thinned smooth curve stays within its tolerance on linear and log scales") {
        // y = exp(3x) on x in [0.01, 1]: curved on a linear scale, straight on a log scale; both
        // scales of both axes are checked, so the interpolated curve must stay within tolerance
        // of every dropped row in each of them.
        const arma::uword n = 2000;
        const arma::vec x = arma::linspace(0.01, 1.0, n), y = arma::exp(3.0 * x);
        Table t;
        t.add("x", x).add("y", y);
        const double tol = 2e-4;
        const Table thin = t.thinned("x", tol);
        const std::vector<double> kx = arma::conv_to<std::vector<double>>::from(thin.column("x")),
                                  ky = arma::conv_to<std::vector<double>>::from(thin.column("y"));
        REQUIRE(kx.size() >= 2);
        CHECK(kx.size() < n / 4);
        CHECK(kx.front() == x(0));
        CHECK(kx.back() == x(n - 1));
        double closest = 0.0; // the largest deviation over the four scales, relative
        for (int logx = 0; logx < 2; ++logx)
            for (int logy = 0; logy < 2; ++logy) {
                const auto fx = [&](double v) { return logx ? std::log(v) : v; };
                const auto fy = [&](double v) { return logy ? std::log(v) : v; };
                const double range = fy(y.max()) - fy(y.min());
                double worst = 0.0;
                std::size_t k = 0;
                for (arma::uword i = 0; i < n; ++i) {
                    while (k + 2 < kx.size() && kx[k + 1] <= x(i))
                        ++k;
                    const double t01 = (fx(x(i)) - fx(kx[k])) / (fx(kx[k + 1]) - fx(kx[k]));
                    const double line = fy(ky[k]) + t01 * (fy(ky[k + 1]) - fy(ky[k]));
                    worst = std::max(worst, std::abs(fy(y(i)) - line));
                }
                CAPTURE(logx);
                CAPTURE(logy);
                CHECK(worst <= tol * range * (1 + 1e-9));
                closest = std::max(closest, worst / (tol * range));
            }
        CHECK(closest > 0.5); // rows are dropped up to the tolerance, not far short of it
    }

    TEST_CASE("LaTeX numbers and macros") {
        CHECK(latex_number(0.357, 3) == "0.357");
        CHECK(latex_number(5.41e-14, 2) == "5.4 \\times 10^{-14}");
        CHECK(latex_number(123456.0, 3) == "1.23 \\times 10^{5}");
        CHECK(latex_number(64213.0, 3) == "64200"); // %g would print 6.42e+04
        CHECK(latex_number(361.0, 3) == "361");
        Macros m;
        m.number("chXAlpha", 0.25).integer("chXBig", 1234567);
        CHECK(m.to_latex().find("\\providecommand{\\chXAlpha}{\\ensuremath{0.25}}") !=
              std::string::npos);
        CHECK(m.to_latex().find("1\\,234\\,567") != std::string::npos);
        CHECK_THROWS(m.number("ch2x", 1.0));     // digits are not allowed in a control word
        CHECK_THROWS(m.number("chXAlpha", 1.0)); // defined twice
    }

    TEST_CASE("commit writes every file and leaves no temporary") {
        const fs::path dir = output_scratch("commit");
        OutputSet out;
        out.add(dir / "a.txt", std::string("alpha"));
        out.add(dir / "sub" / "b.json", json{{"k", 1}});
        out.commit();
        CHECK(slurp(dir / "a.txt") == "alpha");
        CHECK(slurp(dir / "sub" / "b.json") == "{\n  \"k\": 1\n}\n");
        int entries = 0;
        for (const auto& e : fs::recursive_directory_iterator(dir))
            entries += e.is_regular_file();
        CHECK(entries == 2);
    }

    TEST_CASE("a failed commit creates nothing and truncates nothing") {
        const fs::path dir = output_scratch("failed");
        { std::ofstream(dir / "keep.txt") << "old"; }
        { std::ofstream(dir / "blocker") << "a file where a directory is wanted"; }
        OutputSet out;
        out.add(dir / "keep.txt", std::string("new"));
        out.add(dir / "blocker" / "c.txt", std::string("cannot be written"));
        CHECK_THROWS_AS(out.commit(), io_error);
        CHECK(slurp(dir / "keep.txt") == "old");
        int entries = 0;
        for (const auto& e : fs::directory_iterator(dir))
            entries += 1 + 0 * e.is_regular_file();
        CHECK(entries == 2); // keep.txt and blocker only: no temporaries left behind
    }

    TEST_CASE("unwritable output directory is reported before any work") {
        const fs::path dir = output_scratch("unwritable");
        { std::ofstream(dir / "file") << "x"; }
        CHECK_THROWS_AS(ensure_writable_dir(dir / "file" / "sub"), io_error);
        CHECK_NOTHROW(ensure_writable_dir(dir / "new" / "deeper"));
        CHECK(fs::is_empty(dir / "new" / "deeper"));
    }
}
