// Leading singular values and left singular vectors of design matrices, computed by the cheapest
// honest route and cached on disk, keyed by everything that determines them.
//   - Shared grid (N = M): A is Toeplitz; Golub-Kahan-Lanczos on the FFT operator (lanczos.hpp).
//   - Otherwise: the dense thin SVD (LAPACK dgesdd), e.g. N = 5000, M = 50.
#pragma once

#include "sbias/activations.hpp"

#include <armadillo>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sbias {

struct SpectrumRequest {
    std::string activation;
    double sigma = 1.0;
    arma::uword N = 0, M = 0;
    arma::uword values = 200; ///< leading singular values wanted (clipped to min(N, M))
    arma::uword vectors = 10; ///< leading left singular vectors wanted
    std::string label;        ///< for logs and JSON keys, e.g. "sinc15"
    std::string word{};       ///< letters only, for LaTeX macro names, e.g. "SincA"
};

struct Spectrum {
    arma::vec s;           ///< leading singular values, descending
    arma::mat U;           ///< leading left singular vectors (fix_signs convention)
    std::string method;    ///< "lanczos-fft" or "dense-svd"
    arma::uword steps = 0; ///< Lanczos steps (0 for dense)
    double seconds = 0.0;  ///< compute time (0 on a cache hit)
    bool cache_hit = false;
};

/// The spectra of the paper's Fig. 3 on a shared grid of size n, one per activation of
/// all_activations(): at SPEC.md's scale where it has one (heaviside, relu, relu2, tanh, gelu,
/// silu), else at each of `sigmas` (sinc and gauss; labels "sinc15" ..., words "SincA", "SincB").
/// An activation added to the library table appears here, and so in chapters 04, 07 and 09.
std::vector<SpectrumRequest> figure3_requests(arma::uword n,
                                              const std::vector<double>& sigmas = {15, 30},
                                              arma::uword values = 200, arma::uword vectors = 10);

/// From this N on, a shared-grid spectrum is computed by block Lanczos with this many vectors a
/// step (toeplitz_partial_svd); below it by the single-vector iteration on T itself.
constexpr arma::uword block_lanczos_from = 10000, block_lanczos_size = 10;

/// Bump when the computation changes in a way that changes results: old cache files then miss.
constexpr int spectra_code_version = 4; // 2: payload checksum; 3: block Lanczos from N = 10000;
                                        // 4: even and odd T in halves from N = 10000

/// The cache key: every input that determines the result, in one line.
std::string spectrum_key(const SpectrumRequest& request);

/// Computes (or loads from cache_dir, if not empty) each request. Runs up to `threads` requests at
/// once, each with single-threaded BLAS. log receives one line per request ("cache hit ..." or
/// "computed ... in 0.31 s"). Cache files are written atomically (temporary, then rename).
std::vector<Spectrum> leading_spectra(const std::vector<SpectrumRequest>& requests,
                                      const std::filesystem::path& cache_dir,
                                      const std::function<void(const std::string&)>& log,
                                      int threads = 2);

/// Chapter 04's results as the later chapters read them (07, 09): the grid, the sinc/gauss scales,
/// the ten requests in figure3_requests order and each normalized spectrum s_k / s_0 by label.
struct Figure3Spectra {
    arma::uword N = 0;
    std::vector<double> sigmas;
    std::vector<SpectrumRequest> requests;
    std::map<std::string, arma::vec> normalized;
    arma::uword values = 0; ///< length of every spectrum
};

/// Reads build/results/04-spectra.json (or another run's). Throws usage_error naming the file when
/// it cannot be read, is not a shared-grid chapter 04 run, lacks a spectrum, or holds spectra of
/// different lengths or a value that is not positive.
Figure3Spectra read_figure3_spectra(const std::string& path);

/// The dense route for one request, with all singular values (for tests and the benchmark).
arma::vec dense_singular_values(const SpectrumRequest& request);

} // namespace sbias
