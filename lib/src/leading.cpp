#include "sbias/leading.hpp"

#include "sbias/checksum.hpp"
#include "sbias/errors.hpp"
#include "sbias/grid.hpp"
#include "sbias/lanczos.hpp"
#include "sbias/output.hpp"
#include "sbias/spectra.hpp"
#include "sbias/toeplitz.hpp"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

extern "C" void openblas_set_num_threads(int) __attribute__((weak));
extern "C" int openblas_get_num_threads(void) __attribute__((weak));

namespace sbias {

namespace fs = std::filesystem;

namespace {

std::mutex
    fftw_planner; // FFTW's planner (plan creation and destruction) is not thread-safe; execution is

/// Deletes an operator (and so its FFTW plans) under the planner lock, however the scope is left.
struct PlannerLockedDelete {
    void operator()(ToeplitzOperator* op) const {
        std::lock_guard<std::mutex> lock(fftw_planner);
        delete op;
    }
};

/// The start of every checksum here (not FNV's own offset basis, 14695981039346656037: one digit
/// fewer; any start will do, and changing it would make every cached spectrum a miss).
constexpr std::uint64_t fnv1a_offset = 1469598103934665603ull;

std::string hex16(std::uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

/// A stable file name for a key (the key itself is stored and compared too).
std::string hash_hex(const std::string& text) {
    return hex16(fnv1a(fnv1a_offset, text.data(), text.size()));
}

/// The payload's checksum: FNV-1a over the shapes and the bytes of s and U.
std::string payload_checksum(const arma::vec& s, const arma::mat& U) {
    const unsigned long long dims[3] = {s.n_elem, U.n_rows, U.n_cols};
    std::uint64_t h = fnv1a(fnv1a_offset, dims, sizeof dims);
    h = fnv1a(h, s.memptr(), s.n_elem * sizeof(double));
    h = fnv1a(h, U.memptr(), U.n_elem * sizeof(double));
    return "checksum=" + hex16(h);
}

enum class CacheRead { miss, hit, corrupt };

/// A hit only if the key matches, both payload files load, the stored checksum matches the
/// payload, and the values are what a spectrum can be: finite, non-negative, non-increasing.
CacheRead load(const fs::path& base, const std::string& key, Spectrum& out) {
    std::ifstream k(base.string() + ".key");
    std::string stored, checksum;
    if (!k || !std::getline(k, stored) || stored != key) return CacheRead::miss;
    if (!std::getline(k, checksum)) return CacheRead::corrupt;
    if (!out.s.load(base.string() + ".s.bin", arma::arma_binary) ||
        !out.U.load(base.string() + ".U.bin", arma::arma_binary))
        return CacheRead::corrupt;
    if (payload_checksum(out.s, out.U) != checksum || !out.s.is_finite() || !out.U.is_finite() ||
        (out.s.n_elem > 0 && out.s.min() < 0.0))
        return CacheRead::corrupt;
    for (arma::uword i = 1; i < out.s.n_elem; ++i)
        if (out.s(i) > out.s(i - 1)) return CacheRead::corrupt;
    return CacheRead::hit;
}

void save(const fs::path& base, const std::string& key, const Spectrum& sp) {
    const std::string tmp = ".tmp." + std::to_string(::getpid());
    const std::string b = base.string();
    // Data first, the key (with the payload's checksum) last: a reader that finds the key finds
    // complete data, and a payload changed afterwards no longer matches.
    if (!sp.s.save(b + ".s.bin" + tmp, arma::arma_binary) ||
        !sp.U.save(b + ".U.bin" + tmp, arma::arma_binary))
        return; // a cache that cannot be written is only slower, never wrong
    { std::ofstream(b + ".key" + tmp) << key << "\n" << payload_checksum(sp.s, sp.U) << "\n"; }
    std::error_code ec;
    fs::rename(b + ".s.bin" + tmp, b + ".s.bin", ec);
    fs::rename(b + ".U.bin" + tmp, b + ".U.bin", ec);
    fs::rename(b + ".key" + tmp, b + ".key", ec);
}

Spectrum compute(const SpectrumRequest& r) {
    Spectrum sp;
    const auto start = std::chrono::steady_clock::now();
    const Activation& eta = activation(r.activation);
    const arma::uword values = std::min(r.values, std::min(r.N, r.M));
    const arma::uword vectors = std::min(r.vectors, values);
    if (r.N == r.M) {
        std::unique_ptr<ToeplitzOperator, PlannerLockedDelete> T;
        {
            std::lock_guard<std::mutex> lock(fftw_planner);
            T.reset(shared_grid_design(eta, r.sigma, r.N).release());
        }
        // Block Lanczos (BLAS-3 reorthogonalisation, block 10) from N = 10000 on, where the bases
        // outgrow the cache and the single-vector iteration is bound by memory bandwidth: measured
        // 1.3 to 2.9 times faster per spectrum at N = 10000, chapter 04 at N = 100000 2.3 to 3
        // times. It applies T column by column (FFTW's batched plans measured slower per transform
        // at these sizes). From the same N on, an even or odd activation's T (sinc, gauss; tanh)
        // splits into two half-size problems (toeplitz_partial_svd). At N = 5000 the single-vector
        // iteration on T itself is as fast or faster (fewer steps), and the canonical results stay
        // what they were, bit for bit.
        PartialSvdReport report;
        const arma::uword block = r.N >= block_lanczos_from ? block_lanczos_size : 1;
        const PartialSvdOptions options{values, vectors, 1e-13, 1, block};
        const Svd svd = block > 1 ? toeplitz_partial_svd(*T, options, &report)
                                  : partial_svd(linear_operator(*T), options, &report);
        sp.s = svd.s;
        sp.U = svd.U;
        sp.method = "lanczos-fft";
        sp.steps = report.steps;
    } else {
        const Svd svd = thin_svd(design_matrix(eta, r.sigma, unit_grid(r.N), unit_grid(r.M)));
        sp.s = svd.s.head(values);
        sp.U = svd.U.cols(0, vectors - 1);
        sp.method = "dense-svd";
    }
    sp.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return sp;
}

} // namespace

std::string spectrum_key(const SpectrumRequest& r) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "spectra-v%d activation=%s sigma=%.17g N=%llu M=%llu values=%llu vectors=%llu",
                  spectra_code_version, r.activation.c_str(), r.sigma,
                  static_cast<unsigned long long>(r.N), static_cast<unsigned long long>(r.M),
                  static_cast<unsigned long long>(r.values),
                  static_cast<unsigned long long>(r.vectors));
    return buf;
}

std::vector<Spectrum> leading_spectra(const std::vector<SpectrumRequest>& requests,
                                      const fs::path& cache_dir,
                                      const std::function<void(const std::string&)>& log,
                                      int threads) {
    std::vector<Spectrum> out(requests.size());
    std::vector<std::string> lines(requests.size());
    if (!cache_dir.empty()) {
        std::error_code ec;
        fs::create_directories(cache_dir, ec);
    }
    std::atomic<std::size_t> next{0};
    std::mutex log_mutex;
    std::exception_ptr failure;
    const auto worker = [&] {
        for (std::size_t i; (i = next++) < requests.size();) {
            try {
                const SpectrumRequest& r = requests[i];
                const std::string key = spectrum_key(r);
                const fs::path base = cache_dir.empty() ? fs::path() : cache_dir / hash_hex(key);
                std::string line;
                const CacheRead read =
                    cache_dir.empty() ? CacheRead::miss : load(base, key, out[i]);
                if (read == CacheRead::hit) {
                    out[i].cache_hit = true;
                    out[i].method = "cache";
                    line = "cache hit  " + r.label + " (" + key + ")";
                } else {
                    out[i] = compute(r);
                    if (!cache_dir.empty()) save(base, key, out[i]);
                    char t[64];
                    std::snprintf(t, sizeof t, " in %.3f s", out[i].seconds);
                    line = std::string(read == CacheRead::corrupt
                                           ? "cache entry corrupt, recomputed and replaced: "
                                           : "cache miss ") +
                           r.label + ": " + out[i].method +
                           (out[i].steps ? ", " + std::to_string(out[i].steps) + " steps"
                                         : std::string()) +
                           t;
                }
                std::lock_guard<std::mutex> lock(log_mutex);
                if (log) log(line);
            } catch (...) {
                std::lock_guard<std::mutex> lock(log_mutex);
                if (!failure) failure = std::current_exception();
            }
        }
    };
    // Parallel over requests, one BLAS thread each (BLAS threads would only compete).
    const int blas_threads = openblas_get_num_threads ? openblas_get_num_threads() : 1;
    const int n_threads = std::max(1, std::min<int>(threads, static_cast<int>(requests.size())));
    if (n_threads > 1 && openblas_set_num_threads) openblas_set_num_threads(1);
    std::vector<std::thread> pool;
    for (int t = 1; t < n_threads; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& th : pool)
        th.join();
    if (n_threads > 1 && openblas_set_num_threads) openblas_set_num_threads(blas_threads);
    if (failure) std::rethrow_exception(failure);
    return out;
}

std::vector<SpectrumRequest> figure3_requests(arma::uword n, const std::vector<double>& sigmas,
                                              arma::uword values, arma::uword vectors) {
    std::vector<SpectrumRequest> r;
    for (const Activation& a : all_activations()) {
        const std::string name(a.name);
        if (const auto sigma = default_sigma(a, n)) {
            r.push_back({name, *sigma, n, n, values, vectors, name, macro_word(name)});
            continue;
        }
        for (std::size_t i = 0; i < sigmas.size(); ++i)
            r.push_back({name, sigmas[i], n, n, values, vectors,
                         name + std::to_string(static_cast<long long>(std::llround(sigmas[i]))),
                         macro_word(name) + char('A' + i % 26)});
    }
    return r;
}

arma::vec dense_singular_values(const SpectrumRequest& r) {
    const Activation& eta = activation(r.activation);
    return singular_values(design_matrix(eta, r.sigma, unit_grid(r.N), unit_grid(r.M)));
}

Figure3Spectra read_figure3_spectra(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw usage_error("cannot read " + path + " (run chapter 04 first)");
    Figure3Spectra f;
    try {
        const auto doc = json::parse(in); // sbias::json: one JSON type in the library
        const auto& params = doc.at("run").at("parameters");
        const long long n = params.at("N").get<long long>();
        f.sigmas = params.at("sigmas").get<std::vector<double>>();
        if (n < 2 || params.at("M").get<long long>() != n || f.sigmas.size() != 2)
            throw std::runtime_error("not a shared-grid run with two sinc/gauss scales");
        f.N = static_cast<arma::uword>(n);
        f.requests = figure3_requests(f.N, f.sigmas);
        for (const auto& r : f.requests) {
            const arma::vec v = arma::conv_to<arma::vec>::from(
                doc.at("normalized_singular_values").at(r.label).get<std::vector<double>>());
            if (f.values == 0) f.values = v.n_elem;
            if (v.n_elem != f.values || v.n_elem < 2)
                throw std::runtime_error("spectra of different lengths");
            if (!arma::all(v > 0.0)) throw std::runtime_error("a value is not positive");
            f.normalized[r.label] = v;
        }
    } catch (const std::exception& e) {
        throw usage_error(path + " is not chapter 04's results: " + e.what());
    }
    return f;
}

} // namespace sbias
