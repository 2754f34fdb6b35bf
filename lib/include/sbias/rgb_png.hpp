// The figures' PNGs from pdftoppm's raster: a binary PPM read, and written as a PNG that records
// its print resolution. Armadillo-free, so that tools/png.cpp, run once per figure, links libpng
// alone (a program linked with the library loads Armadillo, OpenBLAS and FFTW at every start:
// 0.06 CPU-s each time, more than encoding a figure).
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace sbias {

/// An 8-bit RGB raster: `rgb` holds height rows of width x 3 bytes, top row first.
struct RgbImage {
    std::size_t width = 0, height = 0;
    std::vector<unsigned char> rgb;
};

/// A binary PPM (P6, maxval 255, as pdftoppm writes it) from `in`. Throws usage_error if the
/// stream is not one, or ends before its last pixel.
RgbImage read_ppm(std::istream& in);

/// PNG file bytes of `image` that record `dpi` as its print resolution (a pHYs chunk), written
/// with zlib's default level and no row filter. The figures' PNGs (tools/png.cpp): pdftoppm's own
/// PNG writer took 0.3 s a figure at 300 dpi, this 0.03 s, and its files are no larger.
std::string encode_rgb8_png(const RgbImage& image, unsigned dpi);

} // namespace sbias
