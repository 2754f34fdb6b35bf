// The two kinds of failure a chapter program reports: bad input (the user's to fix) and
// I/O failures. Both end the program with one line on stderr and exit code 2.
#pragma once

#include <stdexcept>

namespace sbias {

/// A parameter or input file the user has to correct.
struct usage_error : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// Reading or writing a file failed.
struct io_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

} // namespace sbias
