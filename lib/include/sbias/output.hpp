// What a chapter writes: TSV tables for the figures, its results JSON, LaTeX macros for the
// prose. Everything is staged in memory and committed at the end, each file written to a
// temporary name and renamed, so a failed run leaves no half-written or truncated file.
#pragma once

#include <armadillo>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace sbias {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

/// How a figure draws a curve: each axis on a linear or a log scale, and the part of y it shows
/// (its axis limits; the whole line where the axis fits the data).
struct CurveAxes {
    bool x_log = false, y_log = false;
    double y_min = -std::numeric_limits<double>::infinity(),
           y_max = std::numeric_limits<double>::infinity();
};

/// Named columns of equal length; written as TSV with a header line, values in %.9g ("nan"
/// marks a point a figure should skip). The tables are what the figures draw: nine significant
/// digits are 10^5 times finer than a pixel, and pgfplots reads them 14 % faster than %.17g
/// (chapter 05's narrow figure: 2.96 -> 2.54 s). The results JSON keeps every digit.
class Table {
public:
    Table& add(std::string name, const arma::vec& column);
    std::string to_tsv() const;
    arma::uword rows() const { return columns_.empty() ? 0 : columns_.front().second.n_elem; }
    /// The column of that name (std::invalid_argument if there is none).
    const arma::vec& column(const std::string& name) const;
    /// The columns' names, in order.
    std::vector<std::string> names() const;

    /// The rows a figure needs to draw every other column against column `x` as a polyline,
    /// whatever the axes: a row is left out only when, with x and the column each on a linear
    /// scale and (where all their finite values are positive) a log scale, every column's value
    /// there lies within `tolerance` times that column's range on that scale of the straight line
    /// between the rows kept on either side. The first and last rows are kept, and so is every
    /// row with a value that is not finite, with its neighbours (a plot's gap stays a gap).
    /// With the default, a curve moves by at most 2e-4 of its own height: 1 micrometre on a 5 cm
    /// panel, against a pixel of 170 micrometres at 150 dpi.
    Table thinned(const std::string& x, double tolerance = 2e-4) const;

    /// Every column but `x` as a table of its own, {x, column}, named "<stem>-<column>.tsv" and
    /// thinned for that column alone (thinned(x, tolerance) of the two): the files a figure's
    /// line plots read. pgfplots reads every column of a row for each curve it draws from a
    /// table, and the rows that all of a table's curves need together are most of its rows;
    /// drawn from these, the widest figures render in about half the time (README, Performance).
    /// A plot with markers reads the whole table: thinning would move its markers. The tolerance
    /// is a fraction of each column's own range, so it holds on the page only where the figure
    /// shows that whole range: where an axis limit or a restricted domain cuts a curve, use
    /// curve() with the figure's axes instead.
    std::vector<std::pair<std::string, Table>>
    curve_tables(const std::string& stem, const std::string& x, double tolerance = 2e-4) const;

    /// {x, column} with the rows its curve needs as the figure draws it (`axes`), for a figure
    /// whose axis cuts the data: a row is left out only when the curve there lies, on the axes'
    /// scales, within `tolerance` times the curve's visible height (its extent inside [y_min,
    /// y_max]) of the chord between the rows kept on either side. Where the curve enters or
    /// leaves that range, or a gap (values not finite, or not positive on a log axis), both rows
    /// of the change are kept: every chord then lies wholly inside the range, where it is
    /// checked, or wholly above or below it (the axis clips it), or within a gap (not drawn).
    Table curve(const std::string& x, const std::string& column, const CurveAxes& axes,
                double tolerance = 2e-4) const;

private:
    std::vector<std::pair<std::string, arma::vec>> columns_;
};

/// \newcommand definitions. A name is letters only (LaTeX's rule for a control word); the prose
/// uses the macros, so an undefined one fails the report build rather than printing nothing.
class Macros {
public:
    /// Raw LaTeX value.
    Macros& text(const std::string& name, const std::string& latex);
    /// A number with `digits` significant digits, in scientific notation (a \times 10^{b})
    /// when it is below 1e-3 or above 1e5, in math mode.
    Macros& number(const std::string& name, double value, int digits = 3);
    /// A number with a fixed count of decimals (e.g. exponents: 1.000, 2.000), in math mode.
    Macros& fixed(const std::string& name, double value, int decimals);
    /// A number in plain %.9g form, for pgfplots coordinates (not for prose).
    Macros& raw(const std::string& name, double value);
    /// A whole number, with thin-space thousands separators above 9999.
    Macros& integer(const std::string& name, long long value);
    std::string to_latex() const;

private:
    std::vector<std::pair<std::string, std::string>> defs_;
};

/// LaTeX for a number with `digits` significant digits (see Macros::number).
std::string latex_number(double value, int digits = 3);

/// A label as a LaTeX macro word (letters only): the first letter capitalised, digits spelled
/// ("relu2" -> "Relutwo"), other characters dropped.
std::string macro_word(const std::string& label);

/// Plain text for a number with `digits` significant digits ("6.5e-14"), for progress lines and
/// JSON notes: what a user reads in the shell carries no LaTeX.
std::string plain_number(double value, int digits = 3);

/// Files staged for an all-or-nothing write.
class OutputSet {
public:
    void add(fs::path path, std::string content);
    void add(fs::path path, const json& document);
    void add(fs::path path, const Table& table);
    void add(fs::path path, const Macros& macros);
    /// Writes every staged file to "<path>.tmp.<pid>" and then renames them all into place.
    /// If any write fails, removes the temporaries, leaves existing files untouched and throws
    /// io_error.
    void commit();

private:
    std::vector<std::pair<fs::path, std::string>> files_;
};

/// A results value that may be missing: the number, or null where it is NaN or infinite (a run
/// that stopped at a cap, an unstable run).
json finite_or_null(double value);
/// Element by element, as a JSON array.
json finite_or_null(const arma::vec& values);

/// Creates dir if needed and checks a file can be created in it; throws io_error otherwise.
/// Run before any computation so an unwritable output fails at once.
void ensure_writable_dir(const fs::path& dir);

} // namespace sbias
