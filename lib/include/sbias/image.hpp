// Images (libpng): the test signal of the reconstruction chapter (rows of an 8-bit grayscale
// PNG) and the chapters' image outputs. The figures' PNGs: rgb_png.hpp.
#pragma once

#include <armadillo>
#include <string>

namespace sbias {

/// Pixel values 0..255 of an 8-bit grayscale PNG, as a rows x cols matrix. Throws usage_error if
/// the file is missing or unreadable, not a PNG, or not 8-bit grayscale without alpha.
arma::mat load_gray8_png(const std::string& path);

/// Writes an 8-bit grayscale PNG (values rounded and clamped to 0..255); for tests and tools.
void save_gray8_png(const std::string& path, const arma::mat& pixels);

/// The mean of each f x f block: (rows/f) x (cols/f). Throws usage_error unless f divides both.
arma::mat box_average(const arma::mat& image, arma::uword f);

/// The mean of each 2 x 2 block: (rows/2) x (cols/2). Rows and cols must be even.
arma::mat box_average_2x2(const arma::mat& image);

/// An 8-bit grayscale PNG file's bytes (values rounded and clamped to 0..255), each pixel repeated
/// as an upscale x upscale block so that no viewer smooths a small image. For OutputSet.
std::string encode_gray8_png(const arma::mat& pixels, arma::uword upscale = 1);

/// A signed image as an RGB PNG's bytes on a diverging blue-white-red scale: -limit is blue
/// (33, 102, 172), 0 white, +limit red (178, 24, 43), linear in between and clamped beyond.
std::string encode_diverging_png(const arma::mat& values, double limit, arma::uword upscale = 1);

/// SPEC.md's canonical signal: 2 x 2 box average, row `row` (0-based), divided by 255.
arma::vec canonical_signal(const std::string& path, arma::uword row = 100);

/// The canonical signal y and the full-resolution row at the same height (pixel row 2 row, / 255),
/// for chapters 06 and 11; throws usage_error for a missing or odd-sized image or a row outside it.
struct SignalRows {
    arma::vec y;
    arma::vec full_row;
};
SignalRows canonical_rows(const std::string& path, long long row);

/// Chapter 06's held-out split of a row on linspace(0, 1, F): even pixels train, odd pixels test.
struct HeldOutSplit {
    arma::vec x_train, y_train, x_test, y_test;
};
HeldOutSplit heldout_split(const arma::vec& row);

} // namespace sbias
