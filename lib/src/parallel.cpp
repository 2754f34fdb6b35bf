#include "sbias/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

extern "C" void openblas_set_num_threads(int) __attribute__((weak));

namespace sbias {

void use_one_blas_thread() {
    if (!std::getenv("OPENBLAS_NUM_THREADS") && openblas_set_num_threads)
        openblas_set_num_threads(1);
}

void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& body) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const auto worker = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) {
            try {
                body(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                next = n;
            }
        }
    };
    const std::size_t count =
        std::min<std::size_t>(std::max(1, threads), std::max<std::size_t>(1, n));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < count; ++t)
        pool.emplace_back(worker);
    worker();
    for (auto& th : pool)
        th.join();
    if (failure) std::rethrow_exception(failure);
}

} // namespace sbias
