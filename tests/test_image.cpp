// Image loading (libpng) and the canonical signal's 2 x 2 box average, on small synthetic images.
#include "sbias/errors.hpp"
#include "sbias/image.hpp"
#include "sbias/rgb_png.hpp"
#include "sbias/signals.hpp"

#include "scratch.hpp"
#include <cstdint>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <png.h>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

using namespace sbias;
namespace fs = std::filesystem;

namespace {
fs::path image_scratch(const std::string& name) {
    return scratch_dir::path("image/" + name);
}

/// An RGB PNG, which the loader must refuse.
void write_rgb_png(const fs::path& path) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = 2;
    image.height = 2;
    image.format = PNG_FORMAT_RGB;
    const png_byte pixels[12] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9};
    REQUIRE(png_image_write_to_file(&image, path.c_str(), 0, pixels, 0, nullptr));
}
} // namespace

TEST_SUITE("image") {
    TEST_CASE("8-bit grayscale round trip and 2 x 2 box average") {
        arma::mat pixels = {
            {0, 10, 20, 30}, {40, 50, 60, 70}, {80, 90, 100, 110}, {120, 130, 140, 250}};
        const fs::path path = image_scratch("gray.png");
        save_gray8_png(path.string(), pixels);
        const arma::mat loaded = load_gray8_png(path.string());
        CHECK(arma::approx_equal(loaded, pixels, "absdiff", 0.0));
        const arma::mat avg = box_average_2x2(loaded);
        REQUIRE(avg.n_rows == 2);
        REQUIRE(avg.n_cols == 2);
        CHECK(avg(0, 0) == 25.0); // (0 + 10 + 40 + 50) / 4
        CHECK(avg(0, 1) == 45.0);
        CHECK(avg(1, 0) == 105.0);
        CHECK(avg(1, 1) == 150.0); // (100 + 110 + 140 + 250) / 4
        const arma::vec row1 = canonical_signal(path.string(), 1);
        CHECK(arma::approx_equal(row1, arma::vec{105.0 / 255, 150.0 / 255}, "absdiff", 1e-15));
        CHECK_THROWS_AS(canonical_signal(path.string(), 2), usage_error);
    }

    TEST_CASE("box average by any factor") {
        const arma::mat img = arma::reshape(arma::regspace<arma::vec>(0, 35), 6, 6);
        CHECK(arma::approx_equal(box_average(img, 2), box_average_2x2(img), "absdiff", 0.0));
        const arma::mat third = box_average(img, 3);
        REQUIRE(third.n_rows == 2);
        CHECK(third(0, 0) == arma::mean(arma::vectorise(img.submat(0, 0, 2, 2))));
        CHECK(third(1, 1) == arma::mean(arma::vectorise(img.submat(3, 3, 5, 5))));
        CHECK(box_average(img, 6)(0, 0) == 17.5);
        CHECK_THROWS_AS(box_average(img, 4), usage_error);
    }

    TEST_CASE("PNG bytes in memory: grayscale round trip with upscaling and the diverging scale") {
        const arma::mat pixels = {{0, 100}, {200, 255}};
        const std::string bytes = encode_gray8_png(pixels, 3);
        const fs::path path = image_scratch("memory.png");
        std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
        const arma::mat loaded = load_gray8_png(path.string());
        REQUIRE(loaded.n_rows == 6);
        REQUIRE(loaded.n_cols == 6);
        for (arma::uword r = 0; r < 6; ++r)
            for (arma::uword c = 0; c < 6; ++c)
                CHECK(loaded(r, c) == pixels(r / 3, c / 3));
        // -limit blue, 0 white, +limit red, clamped beyond.
        const std::string rgb = encode_diverging_png(arma::mat{{-2.0, 0.0, 2.0, 9.0}}, 2.0);
        png_image image{};
        image.version = PNG_IMAGE_VERSION;
        REQUIRE(png_image_begin_read_from_memory(&image, rgb.data(), rgb.size()));
        image.format = PNG_FORMAT_RGB;
        std::vector<png_byte> px(PNG_IMAGE_SIZE(image));
        REQUIRE(png_image_finish_read(&image, nullptr, px.data(), 0, nullptr));
        const std::vector<png_byte> expected = {33,  102, 172, 255, 255, 255,
                                                178, 24,  43,  178, 24,  43};
        CHECK(px == expected);
    }

    TEST_CASE("figures' PNGs: a binary PPM read and written as a PNG that records its dpi") {
        // A 3 x 2 PPM as pdftoppm writes it, with a comment in its header as PPM allows.
        const std::vector<unsigned char> pixels = {255, 0, 0, 0,   255, 0,  0, 0, 255,
                                                   9,   8, 7, 200, 100, 50, 1, 2, 3};
        std::stringstream ppm;
        ppm << "P6\n# a comment\n3 2\n255\n";
        ppm.write(reinterpret_cast<const char*>(pixels.data()), pixels.size());
        const RgbImage image = read_ppm(ppm);
        REQUIRE(image.width == 3);
        REQUIRE(image.height == 2);
        CHECK(image.rgb == pixels);

        const std::string bytes = encode_rgb8_png(image, 300);
        png_image decoded{};
        decoded.version = PNG_IMAGE_VERSION;
        REQUIRE(png_image_begin_read_from_memory(&decoded, bytes.data(), bytes.size()));
        CHECK(decoded.width == 3);
        CHECK(decoded.height == 2);
        decoded.format = PNG_FORMAT_RGB;
        std::vector<png_byte> back(PNG_IMAGE_SIZE(decoded));
        REQUIRE(png_image_finish_read(&decoded, nullptr, back.data(), 0, nullptr));
        CHECK(back == pixels);
        // pHYs: pixels per metre in x and y, unit 1 (metre): 300 / 0.0254 = 11811.02.
        const std::size_t at = bytes.find("pHYs");
        REQUIRE(at != std::string::npos);
        const auto u32 = [&](std::size_t i) {
            std::uint32_t v = 0;
            for (std::size_t k = 0; k < 4; ++k)
                v = v << 8 | static_cast<unsigned char>(bytes[i + k]);
            return v;
        };
        CHECK(u32(at + 4) == 11811);
        CHECK(u32(at + 8) == 11811);
        CHECK(static_cast<unsigned char>(bytes[at + 12]) == 1);
    }

    TEST_CASE("figures' PNGs: what is not an 8-bit binary PPM is refused") {
        const auto read = [](const std::string& text) {
            std::stringstream in(text);
            return read_ppm(in);
        };
        CHECK_THROWS_WITH_AS(read(""), doctest::Contains("no P6 header"), usage_error);
        CHECK_THROWS_WITH_AS(read("P3\n1 1\n255\n0 0 0\n"), doctest::Contains("no P6 header"),
                             usage_error);
        CHECK_THROWS_WITH_AS(read("P6\n0 1\n255\n"), doctest::Contains("width 0 outside"),
                             usage_error);
        CHECK_THROWS_WITH_AS(read("P6\n2 x\n255\n"), doctest::Contains("height is not"),
                             usage_error);
        CHECK_THROWS_WITH_AS(read("P6\n1 1\n65535\n"), doctest::Contains("maxval is not 255"),
                             usage_error);
        CHECK_THROWS_WITH_AS(read("P6\n2 1\n255\nabcde"),
                             doctest::Contains("end after 5 of 6 bytes"), usage_error);
        CHECK_THROWS_WITH_AS(read("P6\n100000 100000\n255\n"), doctest::Contains("over 1 GiB"),
                             usage_error);
        CHECK_THROWS_AS(encode_rgb8_png(RgbImage{2, 1, {0, 0, 0}}, 300), std::invalid_argument);
        CHECK_THROWS_AS(encode_rgb8_png(RgbImage{1, 1, {0, 0, 0}}, 0), std::invalid_argument);
    }

    TEST_CASE("missing files and other formats and colour images are refused") {
        CHECK_THROWS_AS(load_gray8_png(image_scratch("none.png").string()), usage_error);
        const fs::path text = image_scratch("text.png");
        std::ofstream(text) << "not a png";
        CHECK_THROWS_AS(load_gray8_png(text.string()), usage_error);
        const fs::path rgb = image_scratch("rgb.png");
        write_rgb_png(rgb);
        CHECK_THROWS_WITH_AS(load_gray8_png(rgb.string()), doctest::Contains("not 8-bit grayscale"),
                             usage_error);
        CHECK_THROWS_AS(box_average_2x2(arma::mat(3, 4, arma::fill::zeros)), usage_error);
    }

    TEST_CASE(
        "the reconstruction chapter refuses a colour image with exit code 2 and writes nothing") {
        const fs::path rgb = image_scratch("rgb-chapter.png");
        write_rgb_png(rgb);
        const fs::path out = image_scratch("out");
        const std::string cmd = std::string(CH06_EXE) + " --image " + rgb.string() + " --out " +
                                out.string() + " 2>/dev/null";
        const int status = std::system(cmd.c_str());
        CHECK(WEXITSTATUS(status) == 2);
        CHECK(!fs::exists(out));
    }
}

TEST_SUITE("reconstruction") {
    TEST_CASE("DST baseline at K = N reproduces every sample but x = 0 where every DST function "
              "vanishes") {
        const arma::uword N = 64;
        const arma::vec x = arma::linspace(0, 1, N);
        const arma::vec y = 0.3 + 0.5 * arma::cos(7 * x) % x;
        const arma::vec f = dst_least_squares(x, y, N, x);
        CHECK(f(0) == 0.0);
        CHECK(arma::abs(f.tail(N - 1) - y.tail(N - 1)).max() < 1e-10);
        // and K = N - 1 functions already interpolate the other N - 1 samples (a DST-III basis)
        const arma::vec g = dst_least_squares(x, y, N - 1, x);
        CHECK(arma::abs(g.tail(N - 1) - y.tail(N - 1)).max() < 1e-10);
        // while fewer functions do not
        CHECK(arma::abs(dst_least_squares(x, y, N / 2, x).tail(N - 1) - y.tail(N - 1)).max() >
              1e-6);
    }
}
