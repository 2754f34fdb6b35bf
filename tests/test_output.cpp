#include "sbias/errors.hpp"
#include "sbias/output.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "scratch.hpp"

using namespace sbias;

namespace {
fs::path scratch(const std::string& name) {
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

TEST_SUITE("output") {
    TEST_CASE("TSV table") {
        Table t;
        t.add("a", arma::vec{1.0, 0.1}).add("b", arma::vec{arma::datum::nan, -2.0});
        CHECK(t.to_tsv() == "a\tb\n1\tnan\n0.10000000000000001\t-2\n");
        CHECK_THROWS(t.add("c", arma::vec{1.0}));
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
        const fs::path dir = scratch("commit");
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
        const fs::path dir = scratch("failed");
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
        const fs::path dir = scratch("unwritable");
        { std::ofstream(dir / "file") << "x"; }
        CHECK_THROWS_AS(ensure_writable_dir(dir / "file" / "sub"), io_error);
        CHECK_NOTHROW(ensure_writable_dir(dir / "new" / "deeper"));
        CHECK(fs::is_empty(dir / "new" / "deeper"));
    }
}
