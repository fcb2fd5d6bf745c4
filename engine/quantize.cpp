#include "quantize.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "error.h"

namespace ll {
namespace {

constexpr int kBlock = 32;

void store_u16(uint8_t* p, uint16_t v) {
    std::memcpy(p, &v, sizeof v);
}

void quantize_q8_0(const float* x, uint8_t* b) {
    float amax = 0.0f;
    for (int j = 0; j < kBlock; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float inv = d != 0.0f ? 1.0f / d : 0.0f;
    store_u16(b, f32_to_fp16(d));
    for (int j = 0; j < kBlock; ++j) {
        const float q = std::clamp(std::nearbyint(x[j] * inv), -127.0f, 127.0f);
        b[2 + j] = static_cast<uint8_t>(static_cast<int8_t>(q));
    }
}

void quantize_q4_0(const float* x, uint8_t* b) {
    float m = 0.0f;
    for (int j = 0; j < kBlock; ++j)
        if (std::fabs(x[j]) > std::fabs(m)) m = x[j];
    const float d = m / -8.0f;
    const float inv = d != 0.0f ? 1.0f / d : 0.0f;
    store_u16(b, f32_to_fp16(d));
    auto q = [&](float v) {
        return static_cast<uint8_t>(std::clamp(std::nearbyint(v * inv) + 8.0f, 0.0f, 15.0f));
    };
    for (int j = 0; j < 16; ++j) b[2 + j] = static_cast<uint8_t>(q(x[j]) | (q(x[j + 16]) << 4));
}

}  // namespace

uint16_t f32_to_fp16(float f) {
    const uint32_t x = std::bit_cast<uint32_t>(f);
    const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
    const uint32_t abs = x & 0x7FFFFFFFu;
    if (abs > 0x7F800000u) return static_cast<uint16_t>(sign | 0x7E00u | ((abs >> 13) & 0x3FFu));
    if (abs >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // rounds to inf
    if (abs < 0x38800000u) {
        // Result is subnormal (or zero): value / 2^-24, rounded to nearest even; float
        // arithmetic does that rounding exactly here since the quotient is < 2^10.
        const float q = std::nearbyint(std::bit_cast<float>(abs) * 0x1p24f);
        return static_cast<uint16_t>(sign | static_cast<uint16_t>(q));
    }
    // Normal: rebias the exponent, round the 13 dropped mantissa bits to nearest even
    // (a carry into the exponent is the correct result).
    const uint32_t rebased = abs - ((127u - 15u) << 23);
    const uint32_t round = 0xFFFu + ((rebased >> 13) & 1u);
    return static_cast<uint16_t>(sign | ((rebased + round) >> 13));
}

uint16_t f32_to_bf16(float f) {
    const uint32_t x = std::bit_cast<uint32_t>(f);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);
    return static_cast<uint16_t>((x + 0x7FFFu + ((x >> 16) & 1u)) >> 16);
}

void quantize_row(DType type, const float* src, void* dst, int64_t n) {
    auto* out = static_cast<uint8_t*>(dst);
    const DTypeInfo info = dtype_info(type);
    if (n < 0 || info.block_elems <= 0 || n % info.block_elems != 0)
        throw EngineError("quantize_row", std::to_string(n) + " elements do not fill whole " +
                                              std::string(info.name) + " blocks");
    switch (type) {
        case DType::F32:
            if (n > 0) std::memcpy(out, src, static_cast<size_t>(n) * sizeof(float));
            return;
        case DType::F16:
            for (int64_t i = 0; i < n; ++i) store_u16(out + 2 * i, f32_to_fp16(src[i]));
            return;
        case DType::BF16:
            for (int64_t i = 0; i < n; ++i) store_u16(out + 2 * i, f32_to_bf16(src[i]));
            return;
        case DType::Q8_0:
            for (int64_t b = 0; b < n / kBlock; ++b) quantize_q8_0(src + b * kBlock, out + b * 34);
            return;
        case DType::Q4_0:
            for (int64_t b = 0; b < n / kBlock; ++b) quantize_q4_0(src + b * kBlock, out + b * 18);
            return;
        default:
            throw EngineError("quantize_row", "no quantiser for " + std::string(info.name));
    }
}

}  // namespace ll
