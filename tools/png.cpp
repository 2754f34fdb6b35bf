// sb_png: a figure's PNG from pdftoppm's raster. cmake/render_figure.cmake pipes
//   pdftoppm -r <dpi> -singlefile figure.pdf | sb_png --dpi <dpi> --out figure.png
// pdftoppm writes a binary PPM on its standard output; this writes it as a PNG that records its
// resolution, whole or not at all (a temporary file beside it, then a rename). pdftoppm's own PNG
// writer (zlib's highest level, adaptive row filters) was most of a figure's PNG step: 0.27 of
// 0.37 s at 300 dpi; this encodes the same pixels in 0.03 s (README, Performance). Run once per
// figure, it links libpng alone, so its command line is read here rather than with CLI11 (in
// chapter.cpp, with the rest of the library).
#include "sbias/errors.hpp"
#include "sbias/rgb_png.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <unistd.h>

using namespace sbias;

namespace {

const char* const usage = R"(Writes a binary PPM (P6, 8-bit) read from standard input as a PNG
Usage: sb_png [--dpi N] --out FILE
Options:
  -h,--help     print this help and exit
  --dpi N       resolution to record in the PNG, dots per inch, in [1, 2400] (default: 300)
  --out FILE    the PNG file to write (required)
)";

/// `bytes` into `path` through "<path>.tmp.<pid>" and a rename: the old file stays until the new
/// one is complete.
void write_whole(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (out) out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (out) out.close();
        if (!out) {
            std::remove(tmp.c_str());
            throw io_error("cannot write " + path);
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw io_error("cannot write " + path);
    }
}

} // namespace

int main(int argc, char** argv) {
    try {
        unsigned dpi = 300;
        std::string out;
        for (int i = 1; i < argc; ++i) {
            const std::string a = argv[i];
            if (a == "-h" || a == "--help") {
                std::cout << usage;
                return 0;
            }
            if (a != "--dpi" && a != "--out")
                throw usage_error("unknown option " + a + " (see --help)");
            if (i + 1 >= argc) throw usage_error(a + " needs a value (see --help)");
            const std::string v = argv[++i];
            if (a == "--out") {
                out = v;
                continue;
            }
            char* end = nullptr;
            const long n = std::strtol(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || n < 1 || n > 2400)
                throw usage_error("--dpi must be a whole number in [1, 2400] (got '" + v + "')");
            dpi = static_cast<unsigned>(n);
        }
        if (out.empty()) throw usage_error("--out is required (see --help)");
        write_whole(out, encode_rgb8_png(read_ppm(std::cin), dpi));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "sb_png: error: " << e.what() << std::endl;
    }
    return 2;
}
