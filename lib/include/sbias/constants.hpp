// Constants shared by the library's sources.
#pragma once

namespace sbias {

inline constexpr double pi = 3.14159265358979323846;

} // namespace sbias
