#include "sbias/memory.hpp"

#include "sbias/errors.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

namespace sbias {

double parse_byte_size(const std::string& text, const std::string& what) {
    const auto bad = [&]() {
        return usage_error(
            what + " must be a number of bytes, optionally with K, M, G or T (got '" + text + "')");
    };
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    const std::string number = text.substr(0, i);
    if (number.empty() || number.find_first_of("0123456789") == std::string::npos ||
        std::count(number.begin(), number.end(), '.') > 1)
        throw bad();
    std::string unit = text.substr(i);
    for (char& c : unit)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // "K", "KB" and "KiB" alike (binary multiples in every spelling); "B" alone is bytes.
    if (unit.size() == 3 && unit.compare(1, 2, "IB") == 0)
        unit.erase(1);
    else if (unit.size() == 2 && unit[1] == 'B')
        unit.erase(1);
    else if (unit == "B")
        unit.clear();
    const std::string units = "KMGT";
    double scale = 1.0;
    if (!unit.empty()) {
        const auto p = units.find(unit);
        if (unit.size() != 1 || p == std::string::npos) throw bad();
        scale = std::ldexp(1.0, 10 * static_cast<int>(p + 1));
    }
    const double bytes = std::strtod(number.c_str(), nullptr) * scale;
    if (!std::isfinite(bytes)) throw bad();
    return bytes;
}

std::optional<AvailableMemory> available_memory() {
    if (const char* env = std::getenv("SB_MEMORY_AVAILABLE"); env && *env)
        return AvailableMemory{parse_byte_size(env, "SB_MEMORY_AVAILABLE"), "SB_MEMORY_AVAILABLE"};
    std::ifstream in("/proc/meminfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("MemAvailable:", 0) == 0) {
            double kib = -1.0;
            std::istringstream(line.substr(13)) >> kib; // "MemAvailable:   23456789 kB"
            if (kib >= 0.0) return AvailableMemory{kib * 1024.0, "MemAvailable"};
        }
    return std::nullopt;
}

std::string human_bytes(double bytes) {
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (u < 5 && bytes >= 1024.0) {
        bytes /= 1024.0;
        ++u;
    }
    char buf[64];
    if (u == 0 || bytes >= 100.0)
        std::snprintf(buf, sizeof buf, "%.0f %s", bytes, units[u]);
    else
        std::snprintf(buf, sizeof buf, "%.3g %s", bytes, units[u]);
    return buf;
}

long long round_down_3(long long n) {
    long long scale = 1;
    while (n / scale >= 1000)
        scale *= 10;
    return n / scale * scale;
}

std::optional<long long> largest_fitting(const std::function<double(long long)>& need, long long lo,
                                         long long hi, double budget) {
    if (hi < lo || need(lo) > budget) return std::nullopt;
    while (lo < hi) { // need(lo) <= budget throughout
        const long long mid = lo + (hi - lo + 1) / 2;
        if (need(mid) <= budget)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

std::string largest_size_phrase(const std::string& name,
                                const std::function<double(long long)>& need, long long lo,
                                long long hi, double budget, const std::string& otherwise,
                                const std::string& where) {
    if (const auto s = largest_fitting(need, lo, hi, budget))
        return "the largest " + name + " that fits" + where + " is about " +
               std::to_string(std::max(lo, round_down_3(*s)));
    return "not even " + name + " = " + std::to_string(lo) + " fits" + where + otherwise;
}

void require_memory(const std::string& what, double need_bytes,
                    const std::function<std::string(double available)>& fits) {
    const auto available = available_memory();
    if (!available || need_bytes <= available->bytes) return;
    throw usage_error(what + " needs about " + human_bytes(need_bytes) + " (estimated peak); " +
                      human_bytes(available->bytes) + " is available (" + available->source +
                      "); " + fits(available->bytes));
}

double program_peak_bytes(double doubles) {
    return program_base_bytes + array_margin * 8.0 * doubles;
}

namespace {

/// The Krylov bases of partial_svd (lib/lanczos.cpp) as leading_spectra calls it: columns in use
/// at the peak, columns of the old basis alive during the last growth (0 if none), and the order
/// of the projected problem and its factor (9 block, 6 single-vector). Mirrors leading.cpp's
/// choice (block 10 from N = 10000 on) and lanczos.cpp's allocations.
struct Krylov {
    double columns = 0.0, old_columns = 0.0, m = 0.0, square_factor = 6.0;
};

Krylov krylov(double n_max, double values, bool block_allowed) {
    Krylov k;
    const double b = 10.0;
    const double block_target = std::ceil((values + b) / b) * b;
    if (block_allowed && block_target + b <= n_max) {
        // Room for 2 m_target + 100 columns, touched only as the steps reach them.
        k.columns = std::min(n_max, 2.0 * block_target + 100.0);
        k.m = k.columns;
        k.square_factor = 9.0;
        return k;
    }
    const double first = std::min(n_max, values + std::max(20.0, std::floor(values / 4.0)));
    const double steps = std::min(n_max, std::ceil(1.8 * values + 30.0));
    k.columns = first;
    if (steps > first) {
        k.columns = std::min(n_max, first + 100.0 * std::ceil((steps - first) / 100.0));
        k.old_columns = k.columns - 100.0;
    }
    k.m = std::min(k.columns, steps);
    return k;
}

/// The sum of the `threads` largest of the runs' terms: runs go `threads` at a time, the widest
/// first, so at the peak the largest ones are in memory together.
double largest_running(std::vector<double> terms, int threads) {
    std::sort(terms.begin(), terms.end(), std::greater<double>());
    const std::size_t running = std::min<std::size_t>(std::max(threads, 1), terms.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < running; ++i)
        sum += terms[i];
    return sum;
}

} // namespace

double spectra_peak_bytes(long long N_, long long values, long long vectors, long long spectra,
                          int threads) {
    const double N = static_cast<double>(N_);
    const Krylov k = krylov(N, static_cast<double>(values), N_ >= 10000);
    const double per_spectrum =
        2.0 * N * k.columns + N * k.old_columns + k.square_factor * k.m * k.m + 24.0 * N;
    const double running = static_cast<double>(std::min<long long>(std::max(threads, 1), spectra));
    return program_peak_bytes(running * per_spectrum + double(spectra) * N * double(vectors));
}

double multidimensional_peak_bytes(long long grid, long long M_, long long M_check,
                                   long long components, long long dst_functions, int threads) {
    const double N = double(grid) * double(grid), M = double(M_);
    const double h = std::ceil(N / 2.0), C = double(components);
    const auto run = [&](double W) {
        const double r = std::min(h, W);
        const double svd = 2.0 * h * W + h * r + 2.0 * W * r + 4.0 * r * r + 8.0 * r;
        const double extended = h * r + W * r + N * r + W * r;
        const Krylov k = krylov(std::min(N, W), C, false);
        const double lanczos = N * k.columns + W * k.columns + N * k.old_columns + 6.0 * k.m * k.m;
        return N * W + std::max({svd, extended, lanczos});
    };
    // The five runs: three at M, two at check_M.
    const double running = largest_running(
        {run(double(M_check)), run(double(M_check)), run(M), run(M), run(M)}, threads);
    const double doubles =
        std::max(3.0 * N * M + running + N * double(dst_functions) + 6.0 * N * C, 4.0 * N * M);
    return program_peak_bytes(doubles);
}

double ntk_gram_doubles(long long n_, long long m_) {
    const double n = double(n_), m = double(m_);
    return std::max(4.0 * n * m, n * m + 3.0 * n * n);
}

double ntk_sphere_peak_bytes(long long n_, long long d_, const std::vector<long long>& widths,
                             int threads, long long iterations) {
    const double n = double(n_), d = double(d_), W = double(widths.size());
    const double runs = W + 1.0; // the first width trains on two targets
    double making = 0.0, m_max = 0.0;
    for (std::size_t i = 0; i < widths.size(); ++i) {
        making = std::max(making, 3.0 * n * n * double(i) +
                                      std::max(ntk_gram_doubles(n_, widths[i]), 4.0 * n * n));
        m_max = std::max(m_max, double(widths[i]));
    }
    const double running = std::min(double(std::max(threads, 1)), runs);
    const double training =
        3.0 * W * n * n +
        running * (std::max(ntk_gram_doubles(n_, static_cast<long long>(m_max)), 2.0 * n * n) +
                   3.0 * m_max * d + std::max(32.0, 2.0 * d) * n + n * m_max / 16.0) +
        7.0 * runs * (double(iterations) + 1.0);
    return program_peak_bytes(std::max(making, training));
}

double full_training_peak_bytes(long long N_, long long M, const std::vector<long long>& widths,
                                int threads, long long K_count) {
    const double N = double(N_);
    const auto run = [&](double W) {
        const double r = std::min(N, W);
        const double tangent = 11.0 * N * W + (N + W) * r;
        const double svd = 3.0 * N * W + N * r + 2.0 * W * r + 4.0 * r * r;
        return std::max(tangent, svd) + (double(K_count) + 8.0) * W;
    };
    // Four runs at M (two activations, fitted and held-out samples), two at each other width.
    std::vector<double> runs(4, run(double(M)));
    for (long long w : widths)
        runs.insert(runs.end(), 2, run(double(w)));
    return program_peak_bytes(largest_running(std::move(runs), threads));
}

} // namespace sbias
