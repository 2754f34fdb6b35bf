// The test signal of the reconstruction chapter: rows of an 8-bit grayscale PNG (libpng).
#pragma once

#include <armadillo>
#include <string>

namespace sbias {

/// Pixel values 0..255 of an 8-bit grayscale PNG, as a rows x cols matrix. Throws usage_error if
/// the file is missing or unreadable, not a PNG, or not 8-bit grayscale without alpha.
arma::mat load_gray8_png(const std::string& path);

/// Writes an 8-bit grayscale PNG (values rounded and clamped to 0..255); for tests and tools.
void save_gray8_png(const std::string& path, const arma::mat& pixels);

/// The mean of each 2 x 2 block: (rows/2) x (cols/2). Rows and cols must be even.
arma::mat box_average_2x2(const arma::mat& image);

/// SPEC.md's canonical signal: 2 x 2 box average, row `row` (0-based), divided by 255.
arma::vec canonical_signal(const std::string& path, arma::uword row = 100);

} // namespace sbias
