// Checksums of cached payloads (lib/src/leading.cpp: chapter 04's spectra cache).
#pragma once

#include <cstddef>
#include <cstdint>

namespace sbias {

/// FNV-1a, 64 bit, continued over `bytes` bytes from the state h (start from an offset basis,
/// e.g. FNV's 14695981039346656037). Built with the kernels (-O3): it runs over every byte of a
/// cached basis, 8 MB a spectrum at chapter 04's canonical size, on every save and every hit.
std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t bytes);

} // namespace sbias
