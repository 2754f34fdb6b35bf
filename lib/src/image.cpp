#include "sbias/image.hpp"

#include "sbias/errors.hpp"

#include <algorithm>
#include <cmath>
#include <png.h>
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

void save_gray8_png(const std::string& path, const arma::mat& pixels) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = static_cast<png_uint_32>(pixels.n_cols);
    image.height = static_cast<png_uint_32>(pixels.n_rows);
    image.format = PNG_FORMAT_GRAY;
    std::vector<png_byte> buffer(pixels.n_elem);
    for (arma::uword r = 0; r < pixels.n_rows; ++r)
        for (arma::uword c = 0; c < pixels.n_cols; ++c)
            buffer[r * pixels.n_cols + c] =
                static_cast<png_byte>(std::min(255.0, std::max(0.0, std::round(pixels(r, c)))));
    if (!png_image_write_to_file(&image, path.c_str(), 0, buffer.data(), 0, nullptr))
        throw io_error("cannot write image " + path + ": " + image.message);
}

arma::mat box_average_2x2(const arma::mat& image) {
    if (image.n_rows % 2 || image.n_cols % 2)
        throw usage_error("2 x 2 box average needs even dimensions");
    arma::mat out(image.n_rows / 2, image.n_cols / 2);
    for (arma::uword c = 0; c < out.n_cols; ++c)
        for (arma::uword r = 0; r < out.n_rows; ++r)
            out(r, c) = 0.25 * (image(2 * r, 2 * c) + image(2 * r + 1, 2 * c) +
                                image(2 * r, 2 * c + 1) + image(2 * r + 1, 2 * c + 1));
    return out;
}

arma::vec canonical_signal(const std::string& path, arma::uword row) {
    const arma::mat small = box_average_2x2(load_gray8_png(path));
    if (row >= small.n_rows)
        throw usage_error("row " + std::to_string(row) + " is outside the image");
    return small.row(row).t() / 255.0;
}

} // namespace sbias
