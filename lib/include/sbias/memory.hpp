// The memory guard (issue 23). A chapter whose memory grows with a size parameter (04's N, 08's
// grid, 10's n and widths, 11's widths) estimates its peak from its parameters before it computes
// anything and, where that exceeds the memory available, stops at once with one line naming the
// need, what is available and the largest size that fits, instead of running for minutes and
// dying of std::bad_alloc (chapter 04 at N = 30000000: 116 s).
//
// Each model below counts the arrays that dominate the program's peak resident memory (doubles,
// from the code that allocates them) and returns
//   peak = program_base_bytes + array_margin * 8 * (doubles at the peak),
// the margin covering the vectors and small matrices a model leaves out and the allocator's slack.
// Measured against the peak resident set (max RSS) of each program at several sizes, estimate /
// measured lies in [1.04, 1.71] (README, "Memory"; tests/test_memory.cpp checks [1, 2] at small
// sizes): the guard refuses a run that would need more than is there, and a run it lets through
// may still find up to about half its estimate unused.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sbias {

/// Memory a new computation may take, in bytes, and where the number comes from.
struct AvailableMemory {
    double bytes = 0.0;
    std::string source; ///< "SB_MEMORY_AVAILABLE" or "MemAvailable"
};

/// The environment variable SB_MEMORY_AVAILABLE where it is set and not empty (a number of bytes,
/// or a number with a binary suffix K, M, G or T: "512M", "1.5G"), so that tests can play a small
/// machine; else MemAvailable from /proc/meminfo (the kernel's estimate of what can be allocated
/// without swapping, page cache that can be dropped included). Nothing where neither is known (no
/// /proc): the guard then lets every run through. Throws usage_error for a malformed
/// SB_MEMORY_AVAILABLE.
std::optional<AvailableMemory> available_memory();

/// "123", "64K", "1.5G", "2T" (binary multiples; a trailing "B" or "iB" is allowed) -> bytes.
/// Throws usage_error naming `what` for anything else (a sign, no digits, another suffix).
double parse_byte_size(const std::string& text, const std::string& what);

/// Three significant digits in binary units: "512 bytes", "52.3 MiB", "22.1 GiB", "447 GiB".
std::string human_bytes(double bytes);

/// n rounded down to three significant digits (1543210 -> 1540000): the guard's "about", rounded
/// towards a size that still fits.
long long round_down_3(long long n);

/// The largest s in [lo, hi] with need(s) <= budget, by bisection (need non-decreasing in s);
/// nothing where need(lo) > budget already.
std::optional<long long> largest_fitting(const std::function<double(long long)>& need, long long lo,
                                         long long hi, double budget);

/// "the largest N that fits is about 1540000" (name "N"), or where even lo does not fit "not even
/// N = <lo> fits" followed by `otherwise` (e.g. ": lower --threads"); `where` follows "fits" in
/// both (e.g. " at these widths").
std::string largest_size_phrase(const std::string& name,
                                const std::function<double(long long)>& need, long long lo,
                                long long hi, double budget, const std::string& otherwise = "",
                                const std::string& where = "");

/// The guard. Where the available memory is known and need_bytes exceeds it, throws usage_error
/// with one line:
///   "<what> needs about 447 GiB (estimated peak); 22.1 GiB is available (MemAvailable);
///    <fits(available bytes)>"
/// e.g. what = "chapter 04 at N = 30000000", fits = "the largest N that fits is about 1170000".
/// Chapter::run prints it as "<program>: error: ..." and exits with code 2, writing nothing.
void require_memory(const std::string& what, double need_bytes,
                    const std::function<std::string(double available)>& fits);

/// What every chapter program holds besides the arrays a model counts: its code, the libraries
/// (OpenBLAS, FFTW, libstdc++), their buffers and the threads' stacks. Measured: 12.5 MiB for
/// chapter 04 at N = 100 (9.3 MiB for --help).
constexpr double program_base_bytes = 16.0 * 1024 * 1024;
/// The modelled arrays are multiplied by this (see the file comment).
constexpr double array_margin = 1.10;

/// program_base_bytes + array_margin * 8 * doubles.
double program_peak_bytes(double doubles);

/// Chapter 04 (leading_spectra on a shared grid, lib/leading.hpp): `spectra` spectra of N x N
/// Toeplitz matrices, `threads` at once, each by Golub-Kahan-Lanczos (lib/lanczos.hpp) for
/// `values` values. Per spectrum the Krylov bases U and V (N x c each) dominate:
///   block iteration (N >= 10000, block 10): room for c = 2 round10(values + 10) + 100 columns
///     (= 2 values + 120), allocated untouched and written as the steps need them: measured
///     100-510 steps for 10-200 values (chapter 04 at N = 20000 to 1000000);
///   single-vector iteration (N < 10000): c = values + max(20, values / 4), zeroed, grown by 100
///     columns at a time (a copy: the old basis and the new one coexist for a moment) to the
///     steps, estimated 1.8 values + 30 (measured 375 for 200 values, 120 for 50; chapter 08's
///     64 components 109-134);
/// c at most N. Then the m x m projected problem (m = c, or the estimated steps): the block
/// iteration's SVD of T holds T, its copy, X, Y, Y^T and the workspace (9 m^2); the bidiagonal
/// one X, Y, Y^T and 3 m^2 of workspace (6 m^2). The Toeplitz operator's FFT buffers and the
/// iteration's vectors: 24 N. Every finished spectrum keeps its N x vectors left vectors. So
///   doubles = min(threads, spectra) (2 N c [+ N (c - 100)] + 9 or 6 m^2 + 24 N)
///             + spectra N vectors,
/// about threads 2 N (2 values + 120) doubles for large N: 15.5 GiB of bases per million N at the
/// canonical 200 values and two threads (estimated peak 18.3 GiB at N = 1000000, measured 13.4
/// GiB).
double spectra_peak_bytes(long long N, long long values, long long vectors, long long spectra,
                          int threads);

/// Chapter 08 (chapters/08-multidimensional): N = grid^2 points, widths M and check_M. It keeps
/// three N x M design matrices (rank-one in unit and pixel coordinates, and the 1D raster matrix)
/// for the whole run; each of its five networks adds its N x W design matrix
/// (W = M or check_M) and then the larger of
///   the held-out fit: the h x W training rows (h = ceil(N / 2)), LAPACK's copy of them, the thin
///     SVD's U (h x r), V^T and V (W x r each) and dgesdd's workspace (4 r^2), r = min(h, W),
///     or afterwards the N x r extended components and a W x r copy of V's columns;
///   the Lanczos bases for `components` values (N x c and W x c, the single-vector rule of
///     spectra_peak_bytes, c at most min(N, W));
/// plus the N x dst_functions orthonormal 2D DST basis and six N x components component sets.
/// The five runs go `threads` at a time, the widest first, so the `threads` largest run terms are
/// in memory together:
///   doubles = 3 N M + (sum of the threads largest of N W + max(held-out fit, Lanczos))
///             + N dst + 6 N components
/// about N (3 M + 2 threads check_M) + threads ((N / 2 + 2 check_M) r + 4 r^2): 308 MiB at the
/// canonical grid 32 and two threads (measured 218 MiB).
double multidimensional_peak_bytes(long long grid, long long M, long long M_check,
                                   long long components, long long dst_functions, int threads);

/// The peak of ntk_gram (lib/twolayer.hpp) for n samples and width m: the pre-activations Z, their
/// ReLU H, the 0/1 mask Z > 0 (8-byte integers) and its double copy at once (4 n m); later the
/// mask scaled by |a|, K and two n x n products (n m + 3 n^2).
double ntk_gram_doubles(long long n, long long m);

/// Chapter 10 (chapters/10-ntk-sphere): n samples on S^(d-1), one network per width (the first
/// trained twice), `threads` runs at once for `iterations` steps. Each width keeps its n x n NTK
/// Gram matrix K_0, its eigenvectors U and the degree blocks of U (at most n^2 together): 3 n^2
/// per width. While they are made, width i adds ntk_gram's peak or eig_sym's (U and dsyevd's
/// 2 n^2 workspace besides K_0: 4 n^2). While training, each running network adds ntk_gram's peak
/// at the widest width (the Gram matrix of the trained network) or its difference with K_0
/// (2 n^2), its weights, gradient and step (3 m d), an n x 32 block (the fused path: X padded
/// and X transposed, 2 n d) and the pre-activations' signs (two samples a byte: n m / 16 doubles'
/// worth; the fused path's four units a byte take half that).
///   doubles = max(3 n^2 i + max(gram(n, m_i), 4 n^2) over widths i,
///                 3 W n^2 + min(threads, runs) (max(gram(n, m_max), 2 n^2) + 3 m_max d
///                                               + max(32, 2 d) n + n m_max / 16)
///                 + 7 runs (iterations + 1))
/// about 3 W n^2 + threads max(4 n m, n m + 3 n^2): 0.36 GiB at the canonical n = 1000.
double ntk_sphere_peak_bytes(long long n, long long d, const std::vector<long long>& widths,
                             int threads, long long iterations);

/// Chapter 11 (chapters/11-full-training): N samples, the main width M (four runs: two
/// activations, fitted and held-out samples) and each other width (two runs), `threads` runs at
/// once. A run of width W holds its design matrices A and A_e (N x W each), the thin SVD of A
/// (U N x r, V W x r, r = min(N, W)), the gradient's workspaces Z and H (N x W each) and, at its
/// start and end, the tangent features [H, D w x, D w] (N x 3W) with the four N x W arrays that
/// make them, then LAPACK's copy of them for their singular values: 11 N W + (N + W) r in all
/// (the SVD of A, earlier, holds less: 3 N W + N r + 2 W r + 4 r^2), and K_count vectors of W.
///   doubles = sum over the `threads` widest runs of (11 N W + (N + W) r + (K_count + 8) W)
/// about threads 12 N W_max (W_max >= N): 0.22 GiB at the canonical N = 256, widest 4096.
double full_training_peak_bytes(long long N, long long M, const std::vector<long long>& widths,
                                int threads, long long K_count);

} // namespace sbias
