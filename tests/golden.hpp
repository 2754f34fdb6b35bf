// Golden checks: tests/golden/<chapter>.json lists JSON pointers into a chapter's results with
// an expected value (or bound) and the independent reason for it. A missing file fails.
#pragma once

#include <doctest/doctest.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace golden {

// The library's own JSON type (sbias::json): one instantiation of nlohmann's templates in the
// tests' unit instead of two, 18.0-18.5 -> 15.2-17.0 CPU-s to compile it (measured in turn).
using json = nlohmann::ordered_json;

inline json read_json(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "missing file: " << path);
    return json::parse(in);
}

/// Applies every check of the golden file to results; returns how many checks ran.
inline int check(const json& results, const std::string& golden_path) {
    const json g = read_json(golden_path);
    REQUIRE(g.contains("checks"));
    int ran = 0;
    for (const auto& c : g["checks"]) {
        const auto ptr = json::json_pointer(c["pointer"].get<std::string>());
        INFO("golden check " << c["pointer"] << ": " << c.value("why", ""));
        REQUIRE(results.contains(ptr));
        const double v = results[ptr].get<double>();
        if (c.contains("max")) CHECK(v <= c["max"].get<double>());
        if (c.contains("min")) CHECK(v >= c["min"].get<double>());
        double expected = 0.0;
        bool has_expected = false;
        if (c.contains("value")) {
            expected = c["value"].get<double>();
            has_expected = true;
        } else if (c.contains("value_from")) {
            // Another value of the same results, through a stated relation; an unknown relation
            // fails rather than passing unchecked.
            const std::string relation = c.value("relation", "");
            const auto from = json::json_pointer(c["value_from"].get<std::string>());
            REQUIRE(results.contains(from));
            const double other = results[from].get<double>();
            if (relation == "alpha = 1 / s0^2")
                expected = 1.0 / (other * other);
            else if (relation == "equal")
                expected = other;
            else if (relation == "twice")
                expected = 2.0 * other;
            else
                FAIL("unknown relation '" << relation << "'");
            has_expected = true;
        }
        if (has_expected) {
            const double rel = c.value("rel_tol", 0.0), abs = c.value("abs_tol", 0.0);
            CHECK(std::abs(v - expected) <= std::max(abs, rel * std::abs(expected)));
        }
        ++ran;
    }
    return ran;
}

} // namespace golden
