// sb_png: a figure's PNG from pdftoppm's raster. cmake/render_figure.cmake pipes
//   pdftoppm -r <dpi> -singlefile figure.pdf | sb_png --dpi <dpi> --out figure.png
// pdftoppm writes a binary PPM on its standard output; this writes it as a PNG that records its
// resolution, whole or not at all (a temporary file, then a rename). pdftoppm's own PNG writer
// (zlib's highest level, adaptive row filters) was most of a figure's PNG step: 0.3 s of 0.4 at
// 300 dpi; this takes 0.03 s for the same pixels (README, Performance).
#include "sbias/chapter.hpp"
#include "sbias/errors.hpp"
#include "sbias/image.hpp"
#include "sbias/output.hpp"

#include <iostream>

using namespace sbias;

int main(int argc, char** argv) {
    CommandLine app("Writes a binary PPM (P6, 8-bit) read from standard input as a PNG", "sb_png");
    unsigned dpi = 300;
    std::string out;
    app.add_option("--dpi", dpi, "resolution to record in the PNG (dots per inch)")
        ->capture_default_str();
    app.add_option("--out", out, "the PNG file to write")->required();
    if (const auto done = app.parse(argc, argv)) return *done;
    try {
        if (dpi < 1 || dpi > 2400) throw usage_error("--dpi must be in [1, 2400]");
        const RgbImage image = read_ppm(std::cin);
        OutputSet files;
        files.add(out, encode_rgb8_png(image, dpi));
        files.commit();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "sb_png: error: " << e.what() << std::endl;
        return 2;
    }
}
