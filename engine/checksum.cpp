#include "checksum.h"

#include <cstring>

namespace ll {
namespace {

// One multiply-xorshift round per 8 bytes (a 64-bit mix in the style of splitmix):
// every input bit reaches every output bit, at memory speed.
inline uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
}

}  // namespace

void Checksum::add(const void* data, size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    size_t have = count_ % 8;
    count_ += bytes;
    if (have) {  // complete the word an earlier call left open
        const size_t take = bytes < 8 - have ? bytes : 8 - have;
        std::memcpy(pending_ + have, p, take);
        p += take;
        bytes -= take;
        if (have + take < 8) return;
        uint64_t v;
        std::memcpy(&v, pending_, 8);
        h_ = mix(h_, v);
    }
    while (bytes >= 8) {
        uint64_t v;
        std::memcpy(&v, p, 8);
        h_ = mix(h_, v);
        p += 8;
        bytes -= 8;
    }
    std::memcpy(pending_, p, bytes);
}

uint64_t Checksum::value() const {
    uint64_t h = h_;
    if (const size_t have = count_ % 8) {
        uint64_t v = 0;
        std::memcpy(&v, pending_, have);
        h = mix(h, v);
    }
    return mix(h, count_);
}

}  // namespace ll
