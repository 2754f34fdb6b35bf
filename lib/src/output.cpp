#include "sbias/output.hpp"

#include "sbias/errors.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace sbias {

Table& Table::add(std::string name, const arma::vec& column) {
    if (!columns_.empty() && column.n_elem != columns_.front().second.n_elem)
        throw std::invalid_argument("Table: column '" + name + "' has a different length");
    columns_.emplace_back(std::move(name), column);
    return *this;
}

namespace {

/// The rows kept by the thinning rules: from each kept row, greedily, the farthest row whose
/// chord from it still fits (chord_fits(a, e)); a pinned row, the first and the last stay.
template <typename ChordFits>
arma::uvec greedy_rows(const std::vector<char>& pinned, const ChordFits& chord_fits) {
    const arma::uword n = pinned.size();
    std::vector<arma::uword> keep = {0};
    arma::uword a = 0;
    while (a + 1 < n) {
        arma::uword e = a + 1;
        while (!pinned[e] && e + 1 < n && chord_fits(a, e + 1))
            ++e;
        keep.push_back(e);
        a = e;
    }
    return arma::conv_to<arma::uvec>::from(keep);
}

} // namespace

const arma::vec& Table::column(const std::string& name) const {
    for (const auto& c : columns_)
        if (c.first == name) return c.second;
    throw std::invalid_argument("Table: no column '" + name + "'");
}

Table Table::thinned(const std::string& x_name, double tolerance) const {
    const arma::vec& x = column(x_name);
    if (!(tolerance >= 0.0)) throw std::invalid_argument("Table::thinned: negative tolerance");
    const arma::uword n = rows();
    if (n <= 2) return *this;

    // Each scale a column can be drawn on: its values there and the deviation allowed.
    struct Scale {
        arma::vec v;
        double allowed;
    };
    const auto scales_of = [&](const arma::vec& c) {
        std::vector<Scale> out;
        const arma::vec finite = c.elem(arma::find_finite(c));
        if (finite.is_empty()) return out;
        out.push_back({c, tolerance * (finite.max() - finite.min())});
        if (finite.min() > 0.0) {
            const arma::vec lg = arma::log(finite);
            out.push_back({arma::log(c), tolerance * (lg.max() - lg.min())});
        }
        return out;
    };
    std::vector<Scale> xs = scales_of(x), ys;
    for (const auto& c : columns_)
        if (&c.second != &x)
            for (Scale& s : scales_of(c.second))
                ys.push_back(std::move(s));

    // Rows that must be kept: a value that is not finite anywhere in the row, and its neighbours.
    std::vector<char> pinned(n, 0);
    pinned[0] = pinned[n - 1] = 1;
    for (const auto& c : columns_)
        for (arma::uword i = 0; i < n; ++i)
            if (!std::isfinite(c.second(i))) {
                pinned[i] = 1;
                if (i > 0) pinned[i - 1] = 1;
                if (i + 1 < n) pinned[i + 1] = 1;
            }
    // Whether the chord from row a to row e passes within the allowed deviation of every row
    // between.
    const auto chord_fits = [&](arma::uword a, arma::uword e) {
        for (const Scale& sx : xs) {
            const double xa = sx.v(a), dx = sx.v(e) - xa;
            if (!(dx != 0.0)) return false; // repeated x: keep both rows
            for (const Scale& sy : ys) {
                const double ya = sy.v(a), dy = sy.v(e) - ya;
                for (arma::uword i = a + 1; i < e; ++i)
                    if (!(std::abs(sy.v(i) - (ya + (sx.v(i) - xa) / dx * dy)) <= sy.allowed))
                        return false;
            }
        }
        return true;
    };
    const arma::uvec rows_kept = greedy_rows(pinned, chord_fits);
    Table out;
    for (const auto& c : columns_)
        out.add(c.first, arma::vec(c.second.elem(rows_kept)));
    return out;
}

std::vector<std::pair<std::string, Table>>
Table::curve_tables(const std::string& stem, const std::string& x, double tolerance) const {
    const arma::vec& xs = column(x);
    std::vector<std::pair<std::string, Table>> out;
    for (const auto& c : columns_) {
        if (&c.second == &xs) continue;
        Table pair;
        pair.add(x, xs).add(c.first, c.second);
        out.emplace_back(stem + "-" + c.first + ".tsv", pair.thinned(x, tolerance));
    }
    return out;
}

std::vector<std::string> Table::names() const {
    std::vector<std::string> out;
    for (const auto& c : columns_)
        out.push_back(c.first);
    return out;
}

Table Table::curve(const std::string& x_name, const std::string& name, const CurveAxes& axes,
                   double tolerance) const {
    const arma::vec &x = column(x_name), &y = column(name);
    if (!(tolerance >= 0.0)) throw std::invalid_argument("Table::curve: negative tolerance");
    const arma::uword n = rows();
    Table out;
    if (n <= 2) return out.add(x_name, x).add(name, y);

    // Each row's place: 0 not drawn, 1 below the range, 2 inside, 3 above; and its position on
    // the axes' scales.
    std::vector<int> place(n);
    arma::vec u(n), v(n);
    for (arma::uword i = 0; i < n; ++i) {
        const bool drawn = std::isfinite(x(i)) && std::isfinite(y(i)) &&
                           (!axes.x_log || x(i) > 0.0) && (!axes.y_log || y(i) > 0.0);
        place[i] = !drawn ? 0 : y(i) < axes.y_min ? 1 : y(i) > axes.y_max ? 3 : 2;
        u(i) = axes.x_log && drawn ? std::log(x(i)) : x(i);
        v(i) = axes.y_log && drawn ? std::log(y(i)) : y(i);
    }
    std::vector<char> pinned(n, 0);
    pinned[0] = pinned[n - 1] = 1;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (arma::uword i = 0; i < n; ++i) {
        if (i + 1 < n && place[i] != place[i + 1]) pinned[i] = pinned[i + 1] = 1;
        if (place[i] == 2) {
            lo = std::min(lo, v(i));
            hi = std::max(hi, v(i));
        }
    }
    const double allowed = hi >= lo ? tolerance * (hi - lo) : 0.0;
    // A chord is only tried between rows of one place (a change of place pins both rows).
    const auto chord_fits = [&](arma::uword a, arma::uword e) {
        if (place[a] != 2) return true; // wholly above or below the range (clipped), or a gap
        const double ua = u(a), du = u(e) - ua, va = v(a), dv = v(e) - va;
        if (!(du != 0.0)) return false; // repeated x: keep both rows
        for (arma::uword i = a + 1; i < e; ++i)
            if (!(std::abs(v(i) - (va + (u(i) - ua) / du * dv)) <= allowed)) return false;
        return true;
    };
    const arma::uvec rows_kept = greedy_rows(pinned, chord_fits);
    return out.add(x_name, arma::vec(x.elem(rows_kept))).add(name, arma::vec(y.elem(rows_kept)));
}

std::string Table::to_tsv() const {
    std::string out;
    for (std::size_t c = 0; c < columns_.size(); ++c)
        out += (c ? "\t" : "") + columns_[c].first;
    out += '\n';
    const arma::uword rows = columns_.empty() ? 0 : columns_.front().second.n_elem;
    char buf[32];
    for (arma::uword r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            const double v = columns_[c].second(r);
            if (std::isnan(v))
                std::snprintf(buf, sizeof buf, "nan");
            else if (std::isinf(v))
                std::snprintf(buf, sizeof buf, v > 0 ? "inf" : "-inf");
            else
                std::snprintf(buf, sizeof buf, "%.9g", v);
            out += (c ? "\t" : "");
            out += buf;
        }
        out += '\n';
    }
    return out;
}

std::string latex_number(double value, int digits) {
    if (std::isnan(value)) return "\\text{NaN}";
    if (std::isinf(value)) return value > 0 ? "\\infty" : "-\\infty";
    if (value == 0.0) return "0";
    const double a = std::abs(value);
    char buf[64];
    if (a < 1e-3 || a >= 1e5) {
        std::snprintf(buf, sizeof buf, "%.*e", digits - 1, value);
        std::string s(buf);
        const auto e = s.find('e');
        const std::string mant = s.substr(0, e);
        const int exponent = std::stoi(s.substr(e + 1));
        return mant + " \\times 10^{" + std::to_string(exponent) + "}";
    }
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    if (std::string(buf).find('e') !=
        std::string::npos) // %g chose an exponent: print the rounded whole number
        std::snprintf(buf, sizeof buf, "%.0f", std::stod(buf));
    return buf;
}

namespace {
void check_macro_name(const std::string& name) {
    if (name.empty()) throw std::invalid_argument("Macros: empty macro name");
    for (char ch : name)
        if (!std::isalpha(static_cast<unsigned char>(ch)))
            throw std::invalid_argument("Macros: '" + name + "' is not letters only");
}
} // namespace

Macros& Macros::text(const std::string& name, const std::string& latex) {
    check_macro_name(name);
    for (const auto& d : defs_)
        if (d.first == name) throw std::invalid_argument("Macros: '" + name + "' defined twice");
    defs_.emplace_back(name, latex);
    return *this;
}

Macros& Macros::number(const std::string& name, double value, int digits) {
    return text(name, "\\ensuremath{" + latex_number(value, digits) + "}");
}

Macros& Macros::fixed(const std::string& name, double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return text(name, std::string("\\ensuremath{") + buf + "}");
}

Macros& Macros::raw(const std::string& name, double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", value);
    return text(name, buf);
}

Macros& Macros::integer(const std::string& name, long long value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    if (digits.size() > 4)
        for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
            digits.insert(i, "\\,");
    return text(name, "\\ensuremath{" + std::string(value < 0 ? "-" : "") + digits + "}");
}

std::string Macros::to_latex() const {
    std::string out = "% Generated by the chapter program; do not edit.\n";
    for (const auto& [name, value] : defs_)
        // \providecommand: the report's ledger loads every chapter's macros up front, and each
        // chapter's section loads its own again (names are unique per chapter by prefix, and the
        // Macros class refuses a name twice).
        out += "\\providecommand{\\" + name + "}{" + value + "}\n";
    return out;
}

void OutputSet::add(fs::path path, std::string content) {
    files_.emplace_back(std::move(path), std::move(content));
}
void OutputSet::add(fs::path path, const json& document) {
    add(std::move(path), document.dump(2) + "\n");
}
void OutputSet::add(fs::path path, const Table& table) {
    add(std::move(path), table.to_tsv());
}
void OutputSet::add(fs::path path, const Macros& macros) {
    add(std::move(path), macros.to_latex());
}

void OutputSet::commit() {
    const std::string suffix = ".tmp." + std::to_string(::getpid());
    std::vector<fs::path> temps;
    const auto discard = [&temps] {
        std::error_code ignored;
        for (const auto& t : temps)
            fs::remove(t, ignored);
    };
    for (const auto& [path, content] : files_) {
        fs::path tmp = path;
        tmp += suffix;
        std::error_code ec;
        fs::create_directories(path.parent_path().empty() ? "." : path.parent_path(), ec);
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (out) temps.push_back(tmp);
        if (out) out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (out) out.close();
        if (!out) {
            discard();
            throw io_error("cannot write " + path.string());
        }
    }
    for (std::size_t i = 0; i < files_.size(); ++i) {
        std::error_code ec;
        fs::rename(temps[i], files_[i].first, ec);
        if (ec) {
            discard();
            throw io_error("cannot write " + files_[i].first.string() + ": " + ec.message());
        }
    }
    files_.clear();
}

void ensure_writable_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir))
        throw io_error("cannot create output directory " + dir.string() +
                       (ec ? ": " + ec.message() : ""));
    const fs::path probe = dir / (".write-test." + std::to_string(::getpid()));
    {
        std::ofstream out(probe);
        if (!out) throw io_error("output directory " + dir.string() + " is not writable");
    }
    fs::remove(probe, ec);
}

json finite_or_null(double value) {
    return std::isfinite(value) ? json(value) : json(nullptr);
}

json finite_or_null(const arma::vec& values) {
    json a = json::array();
    for (double d : values)
        a.push_back(finite_or_null(d));
    return a;
}

std::string plain_number(double value, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
    return buf;
}

std::string macro_word(const std::string& label) {
    static const char* digits[] = {"zero", "one", "two",   "three", "four",
                                   "five", "six", "seven", "eight", "nine"};
    std::string out;
    for (char c : label) {
        if (std::isalpha(static_cast<unsigned char>(c)))
            out += out.empty() ? char(std::toupper(static_cast<unsigned char>(c))) : c;
        else if (std::isdigit(static_cast<unsigned char>(c)))
            out += out.empty() ? std::string(digits[c - '0'])
                                     .replace(0, 1, 1, char(std::toupper(digits[c - '0'][0])))
                               : digits[c - '0'];
    }
    return out;
}

} // namespace sbias
