#include "sbias/image.hpp"

#include "sbias/grid.hpp"

#include "sbias/errors.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <png.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace sbias {

arma::mat load_gray8_png(const std::string& path) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        throw usage_error("cannot read image " + path + ": " + image.message);
    // image.format now describes the file itself.
    const bool color = image.format & PNG_FORMAT_FLAG_COLOR,
               alpha = image.format & PNG_FORMAT_FLAG_ALPHA,
               sixteen = image.format & PNG_FORMAT_FLAG_LINEAR;
    if (color || alpha || sixteen) {
        png_image_free(&image);
        throw usage_error("image " + path + " is not 8-bit grayscale (" +
                          (color   ? "colour"
                           : alpha ? "has an alpha channel"
                                   : "16-bit") +
                          ")");
    }
    image.format = PNG_FORMAT_GRAY;
    std::vector<png_byte> buffer(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, buffer.data(), 0, nullptr))
        throw usage_error("cannot decode image " + path + ": " + image.message);
    arma::mat pixels(image.height, image.width);
    for (arma::uword r = 0; r < image.height; ++r)
        for (arma::uword c = 0; c < image.width; ++c)
            pixels(r, c) = buffer[r * image.width + c];
    return pixels;
}

namespace {
/// PNG bytes of 8-bit samples (channels 1 or 3, row-major, interleaved), each pixel repeated as an
/// upscale x upscale block.
std::string encode_png(const std::vector<png_byte>& samples, arma::uword rows, arma::uword cols,
                       int channels, arma::uword upscale) {
    if (upscale < 1) throw std::invalid_argument("encode_png: upscale must be >= 1");
    const arma::uword R = rows * upscale, C = cols * upscale;
    std::vector<png_byte> big(R * C * channels);
    for (arma::uword r = 0; r < R; ++r)
        for (arma::uword c = 0; c < C; ++c)
            for (int k = 0; k < channels; ++k)
                big[(r * C + c) * channels + k] =
                    samples[((r / upscale) * cols + c / upscale) * channels + k];
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(C);
    image.height = static_cast<png_uint_32>(R);
    image.format = channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, nullptr, &size, 0, big.data(), 0, nullptr))
        throw io_error(std::string("cannot encode PNG: ") + image.message);
    std::string bytes(size, '\0');
    if (!png_image_write_to_memory(&image, bytes.data(), &size, 0, big.data(), 0, nullptr))
        throw io_error(std::string("cannot encode PNG: ") + image.message);
    bytes.resize(size);
    return bytes;
}

png_byte to_byte(double v) {
    return static_cast<png_byte>(std::min(255.0, std::max(0.0, std::round(v))));
}
} // namespace

std::string encode_gray8_png(const arma::mat& pixels, arma::uword upscale) {
    std::vector<png_byte> samples(pixels.n_elem);
    for (arma::uword r = 0; r < pixels.n_rows; ++r)
        for (arma::uword c = 0; c < pixels.n_cols; ++c)
            samples[r * pixels.n_cols + c] = to_byte(pixels(r, c));
    return encode_png(samples, pixels.n_rows, pixels.n_cols, 1, upscale);
}

std::string encode_diverging_png(const arma::mat& values, double limit, arma::uword upscale) {
    if (!(limit > 0.0)) throw std::invalid_argument("encode_diverging_png: limit must be > 0");
    const double blue[3] = {33, 102, 172}, red[3] = {178, 24, 43};
    std::vector<png_byte> samples(values.n_elem * 3);
    for (arma::uword r = 0; r < values.n_rows; ++r)
        for (arma::uword c = 0; c < values.n_cols; ++c) {
            const double t = std::min(1.0, std::max(-1.0, values(r, c) / limit));
            const double* end = t < 0.0 ? blue : red;
            for (int k = 0; k < 3; ++k)
                samples[(r * values.n_cols + c) * 3 + k] =
                    to_byte(255.0 + std::abs(t) * (end[k] - 255.0));
        }
    return encode_png(samples, values.n_rows, values.n_cols, 3, upscale);
}

void save_gray8_png(const std::string& path, const arma::mat& pixels) {
    const std::string bytes = encode_gray8_png(pixels);
    std::ofstream out(path, std::ios::binary);
    if (!out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) || !out.flush())
        throw io_error("cannot write image " + path);
}

arma::mat box_average(const arma::mat& image, arma::uword f) {
    if (f < 1 || image.n_rows % f || image.n_cols % f)
        throw usage_error("a " + std::to_string(image.n_rows) + " x " +
                          std::to_string(image.n_cols) + " image cannot be box-averaged by " +
                          std::to_string(f) + " x " + std::to_string(f) + " blocks");
    arma::mat out(image.n_rows / f, image.n_cols / f, arma::fill::zeros);
    for (arma::uword c = 0; c < image.n_cols; ++c)
        for (arma::uword r = 0; r < image.n_rows; ++r)
            out(r / f, c / f) += image(r, c);
    return out / static_cast<double>(f * f);
}

arma::mat box_average_2x2(const arma::mat& image) {
    if (image.n_rows % 2 || image.n_cols % 2)
        throw usage_error("2 x 2 box average needs even dimensions");
    return box_average(image, 2);
}

arma::vec canonical_signal(const std::string& path, arma::uword row) {
    const arma::mat small = box_average_2x2(load_gray8_png(path));
    if (row >= small.n_rows)
        throw usage_error("row " + std::to_string(row) + " is outside the image");
    return small.row(row).t() / 255.0;
}

SignalRows canonical_rows(const std::string& path, long long row) {
    const arma::mat pixels = load_gray8_png(path);
    if (pixels.n_rows % 2 || pixels.n_cols % 2)
        throw usage_error("image " + path + " needs even dimensions");
    if (row < 0 || 2 * row + 1 >= static_cast<long long>(pixels.n_rows))
        throw usage_error("row is outside the image");
    return {canonical_signal(path, static_cast<arma::uword>(row)),
            arma::vec(pixels.row(2 * row).t() / 255.0)};
}

HeldOutSplit heldout_split(const arma::vec& row) {
    const arma::uword F = row.n_elem;
    const arma::vec x = unit_grid(F);
    const arma::uvec even = arma::regspace<arma::uvec>(0, 2, F - 1),
                     odd = arma::regspace<arma::uvec>(1, 2, F - 1);
    return {x.elem(even), row.elem(even), x.elem(odd), row.elem(odd)};
}

} // namespace sbias
