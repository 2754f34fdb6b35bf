// A loop over independent items on a few threads, for chapters whose steps are many separate
// factorisations (one BLAS thread each: Chapter::run sets that, and BLAS threads would only
// compete with these). Results must not depend on the thread count: each item writes only its
// own slot.
#pragma once

#include <cstddef>
#include <functional>

namespace sbias {

/// Calls body(i) for i in [0, n) on min(threads, n) threads (the caller's included). The first
/// exception thrown by any call stops the remaining items and is rethrown here.
void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& body);

/// One OpenBLAS thread unless OPENBLAS_NUM_THREADS says otherwise (nothing with another BLAS):
/// what the chapter programs, the tests and the benchmarks run with.
void use_one_blas_thread();

} // namespace sbias
