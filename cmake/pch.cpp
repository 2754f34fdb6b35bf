// The translation unit of sb_pch: it only carries the precompiled header the programs share
// (see lib/CMakeLists.txt).
