// A fast 64-bit checksum for cache files and fingerprints. Not cryptographic: it detects
// damage and mismatches, which is all a local cache needs. Streaming: the value depends only
// on the bytes, not on how they were split between calls to add().
#pragma once

#include <cstddef>
#include <cstdint>

namespace ll {

class Checksum {
public:
    void add(const void* data, size_t bytes);
    uint64_t value() const;

private:
    uint64_t h_ = 0x9E3779B97F4A7C15ull;
    uint64_t count_ = 0;
    unsigned char pending_[8] = {};  // bytes of an incomplete 8-byte word
};

}  // namespace ll
