// The AVX2/FMA kernels' common ground (twolayer.cpp, thin_products.cpp): where they can be compiled
// (x86-64 with GCC or clang), and the attribute that compiles one function for AVX2 and FMA. Such
// a function runs only after avx2_fma_available() (thin_products.hpp) said yes.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SB_AVX2_KERNELS 1
#include <immintrin.h>
#define SB_AVX2_FMA __attribute__((target("avx2,fma")))
#endif
