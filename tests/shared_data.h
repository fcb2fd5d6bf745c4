// Access to the ground truth in ../shared. A test that needs it fails loudly when it is
// missing under CI=true and skips with a message otherwise.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace lltest {

inline std::string shared_path(const std::string& rel) {
    return std::string(LONGLENS_SHARED_DIR) + "/" + rel;
}

inline bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::strcmp(ci, "true") == 0;
}

template <typename T>
inline std::vector<T> read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<T> out(bytes.size() / sizeof(T));
    if (!out.empty()) std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));  // a missing file is empty
    return out;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace lltest

// Use at the top of a test: skips (or fails under CI=true) when `rel` is not in ../shared.
#define LL_REQUIRE_SHARED(rel)                                                              \
    do {                                                                                    \
        if (!std::filesystem::exists(lltest::shared_path(rel))) {                           \
            if (lltest::running_in_ci())                                                    \
                FAIL() << "missing ground truth " << lltest::shared_path(rel)               \
                       << " (CI=true): set LONGLENS_SHARED_DIR";                            \
            GTEST_SKIP() << "ground truth not found: " << lltest::shared_path(rel);         \
        }                                                                                   \
    } while (0)
