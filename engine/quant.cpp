#include "quant.h"

#include <bit>
#include <cstring>
#include <string>

#include "error.h"

// Block layouts (little-endian, byte offsets). "d"/"m"/"dmin" are fp16 scales.
//   Q4_0  (32 el, 18 B): d, qs[16]            nibble j -> elem j, high nibble -> elem j+16
//   Q4_1  (32 el, 20 B): d, m, qs[16]
//   Q5_0  (32 el, 22 B): d, qh[4] (u32), qs[16]  bit j of qh is the 5th bit of elem j
//   Q5_1  (32 el, 24 B): d, m, qh[4], qs[16]
//   Q8_0  (32 el, 34 B): d, qs[32] int8
//   Q2_K (256 el, 84 B): scales[16] (lo 4 bits scale, hi 4 bits min), qs[64], d, dmin
//   Q3_K (256 el,110 B): hmask[32], qs[64], scales[12] (16 x 6 bit, offset 32), d
//   Q4_K (256 el,144 B): d, dmin, scales[12] (8 scales + 8 mins, 6 bit), qs[128]
//   Q5_K (256 el,176 B): d, dmin, scales[12], qh[32], qs[128]
//   Q6_K (256 el,210 B): ql[128], qh[64], scales[16] int8, d
//   IQ4_NL (32 el, 18 B): d, qs[16] as Q4_0, but each nibble indexes kIq4nlValues
//   IQ4_XS (256 el,136 B): d, scales_h (u16: 2 high bits per group), scales_l[4] (nibbles),
//                       qs[128]: 8 groups of 32 laid out as IQ4_NL's, scale 6 bit - 32
//
// Bit-exactness: every formula below is evaluated in float with the same operation order
// as the reference (e.g. (d*sc)*q - dmin*m for Q4_K); do not "simplify" these
// expressions, and quant.cpp is compiled with -ffp-contract=off so no FMA fuses them.

namespace ll {

namespace {

static_assert(std::endian::native == std::endian::little, "GGUF blocks are little-endian");

uint16_t load_u16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

uint32_t load_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

float load_fp16(const uint8_t* p) {
    return fp16_to_f32(load_u16(p));
}

void dequant_q4_0(const uint8_t* b, float* y) {
    const float d = load_fp16(b);
    const uint8_t* qs = b + 2;
    for (int j = 0; j < 16; ++j) {
        y[j] = static_cast<float>((qs[j] & 0x0F) - 8) * d;
        y[j + 16] = static_cast<float>((qs[j] >> 4) - 8) * d;
    }
}

void dequant_q4_1(const uint8_t* b, float* y) {
    const float d = load_fp16(b);
    const float m = load_fp16(b + 2);
    const uint8_t* qs = b + 4;
    for (int j = 0; j < 16; ++j) {
        y[j] = static_cast<float>(qs[j] & 0x0F) * d + m;
        y[j + 16] = static_cast<float>(qs[j] >> 4) * d + m;
    }
}

// The 5-bit quant of element j (0..31) of a Q5_0/Q5_1 block, before any offset.
int q5_value(uint32_t qh, const uint8_t* qs, int j) {
    const int low = j < 16 ? (qs[j] & 0x0F) : (qs[j - 16] >> 4);
    const int high = static_cast<int>((qh >> j) & 1u) << 4;
    return low | high;
}

void dequant_q5_0(const uint8_t* b, float* y) {
    const float d = load_fp16(b);
    const uint32_t qh = load_u32(b + 2);
    const uint8_t* qs = b + 6;
    for (int j = 0; j < 32; ++j) y[j] = static_cast<float>(q5_value(qh, qs, j) - 16) * d;
}

void dequant_q5_1(const uint8_t* b, float* y) {
    const float d = load_fp16(b);
    const float m = load_fp16(b + 2);
    const uint32_t qh = load_u32(b + 4);
    const uint8_t* qs = b + 8;
    for (int j = 0; j < 32; ++j) y[j] = static_cast<float>(q5_value(qh, qs, j)) * d + m;
}

void dequant_q8_0(const uint8_t* b, float* y) {
    const float d = load_fp16(b);
    for (int j = 0; j < 32; ++j) y[j] = static_cast<float>(static_cast<int8_t>(b[2 + j])) * d;
}

// Q2_K: 16 groups of 16; each 128-element half uses 32 bytes of qs, four 2-bit planes.
void dequant_q2_k(const uint8_t* b, float* y) {
    const uint8_t* scales = b;
    const uint8_t* qs = b + 16;
    const float d = load_fp16(b + 80);
    const float dmin = load_fp16(b + 82);
    int group = 0;
    for (int half = 0; half < 2; ++half, qs += 32) {
        for (int shift = 0; shift < 8; shift += 2) {
            for (int part = 0; part < 2; ++part, ++group) {
                const float dl = d * static_cast<float>(scales[group] & 0x0F);
                const float ml = dmin * static_cast<float>(scales[group] >> 4);
                const uint8_t* q = qs + 16 * part;
                for (int l = 0; l < 16; ++l) {
                    *y++ = dl * static_cast<float>((q[l] >> shift) & 3) - ml;
                }
            }
        }
    }
}

// Q3_K scale i (0..15): low 4 bits in nibbles of bytes 0..7, high 2 bits in bytes 8..11.
int q3_k_scale(const uint8_t* s, int i) {
    const int low = i < 8 ? (s[i] & 0x0F) : (s[i - 8] >> 4);
    const int high = (s[8 + i % 4] >> (2 * (i / 4))) & 3;
    return (low | (high << 4)) - 32;
}

// Q3_K: 2 low bits from qs (as Q2_K), the third bit from hmask; a clear hmask bit means
// the value is 4 lower.
void dequant_q3_k(const uint8_t* b, float* y) {
    const uint8_t* hmask = b;
    const uint8_t* qs = b + 32;
    const uint8_t* scales = b + 96;
    const float d = load_fp16(b + 108);
    int group = 0;
    uint8_t hbit = 1;
    for (int half = 0; half < 2; ++half, qs += 32) {
        for (int shift = 0; shift < 8; shift += 2, hbit = static_cast<uint8_t>(hbit << 1)) {
            for (int part = 0; part < 2; ++part, ++group) {
                const float dl = d * static_cast<float>(q3_k_scale(scales, group));
                const uint8_t* q = qs + 16 * part;
                const uint8_t* h = hmask + 16 * part;
                for (int l = 0; l < 16; ++l) {
                    const int v = ((q[l] >> shift) & 3) - ((h[l] & hbit) ? 0 : 4);
                    *y++ = dl * static_cast<float>(v);
                }
            }
        }
    }
}

// Q4_K/Q5_K: 8 six-bit scales and 8 six-bit mins packed into 12 bytes.
void k4_scale_min(const uint8_t* s, int j, int* sc, int* m) {
    if (j < 4) {
        *sc = s[j] & 63;
        *m = s[j + 4] & 63;
    } else {
        *sc = (s[j + 4] & 0x0F) | ((s[j - 4] >> 6) << 4);
        *m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
}

// Q4_K and Q5_K share everything but the optional fifth bit (qh == nullptr for Q4_K).
void dequant_k4_k5(const uint8_t* b, const uint8_t* qh, const uint8_t* qs, float* y) {
    const float d = load_fp16(b);
    const float dmin = load_fp16(b + 2);
    const uint8_t* scales = b + 4;
    for (int group = 0; group < 8; ++group) {
        int sc = 0, m = 0;
        k4_scale_min(scales, group, &sc, &m);
        const float dl = d * static_cast<float>(sc);
        const float ml = dmin * static_cast<float>(m);
        const int shift = (group & 1) * 4;
        const uint8_t* q = qs + 32 * (group / 2);
        for (int l = 0; l < 32; ++l) {
            int v = (q[l] >> shift) & 0x0F;
            if (qh && (qh[l] >> group) & 1) v += 16;
            *y++ = dl * static_cast<float>(v) - ml;
        }
    }
}

void dequant_q4_k(const uint8_t* b, float* y) {
    dequant_k4_k5(b, nullptr, b + 16, y);
}
void dequant_q5_k(const uint8_t* b, float* y) {
    dequant_k4_k5(b, b + 16, b + 48, y);
}

// Q6_K: each 128-element half uses 64 bytes of ql (low nibbles), 32 of qh (2 bits each)
// and 8 int8 scales, one per 16 elements.
void dequant_q6_k(const uint8_t* b, float* y) {
    const uint8_t* ql = b;
    const uint8_t* qh = b + 128;
    const auto* sc = reinterpret_cast<const int8_t*>(b + 192);
    const float d = load_fp16(b + 208);
    for (int half = 0; half < 2; ++half, ql += 64, qh += 32, sc += 8, y += 128) {
        for (int l = 0; l < 32; ++l) {
            const int is = l / 16;
            const int q1 = ((ql[l] & 0x0F) | (((qh[l] >> 0) & 3) << 4)) - 32;
            const int q2 = ((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            y[l] = d * static_cast<float>(sc[is]) * static_cast<float>(q1);
            y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
            y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
            y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
        }
    }
}

// IQ4_NL / IQ4_XS: a nibble indexes this table (the values are ggml's kvalues_iq4nl).
void dequant_iq4_nl(const uint8_t* b, float* y) {
    const float d = load_fp16(b);
    const uint8_t* qs = b + 2;
    for (int j = 0; j < 16; ++j) {
        y[j] = d * static_cast<float>(kIq4nlValues[qs[j] & 0x0F]);
        y[j + 16] = d * static_cast<float>(kIq4nlValues[qs[j] >> 4]);
    }
}

void dequant_iq4_xs(const uint8_t* b, float* y) {
    const float d = load_fp16(b);
    const uint16_t scales_h = load_u16(b + 2);
    const uint8_t* scales_l = b + 4;
    const uint8_t* qs = b + 8;
    for (int group = 0; group < 8; ++group, qs += 16, y += 32) {
        const int low = (scales_l[group / 2] >> (4 * (group % 2))) & 0x0F;
        const int high = (scales_h >> (2 * group)) & 3;
        const float dl = d * static_cast<float>((low | (high << 4)) - 32);
        for (int j = 0; j < 16; ++j) {
            y[j] = dl * static_cast<float>(kIq4nlValues[qs[j] & 0x0F]);
            y[j + 16] = dl * static_cast<float>(kIq4nlValues[qs[j] >> 4]);
        }
    }
}

using BlockFn = void (*)(const uint8_t*, float*);

BlockFn block_dequantizer(DType type) {
    switch (type) {
        case DType::Q4_0:
            return dequant_q4_0;
        case DType::Q4_1:
            return dequant_q4_1;
        case DType::Q5_0:
            return dequant_q5_0;
        case DType::Q5_1:
            return dequant_q5_1;
        case DType::Q8_0:
            return dequant_q8_0;
        case DType::Q2_K:
            return dequant_q2_k;
        case DType::Q3_K:
            return dequant_q3_k;
        case DType::Q4_K:
            return dequant_q4_k;
        case DType::Q5_K:
            return dequant_q5_k;
        case DType::Q6_K:
            return dequant_q6_k;
        case DType::IQ4_NL:
            return dequant_iq4_nl;
        case DType::IQ4_XS:
            return dequant_iq4_xs;
        default:
            return nullptr;
    }
}

}  // namespace

float fp16_to_f32(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1Fu;
    const uint32_t mant = h & 0x3FFu;
    if (exp == 0) {
        // Zero or subnormal: mant * 2^-24 is exact in float32.
        const float mag = static_cast<float>(mant) * 0x1p-24f;
        return sign ? -mag : mag;
    }
    uint32_t bits;
    if (exp == 0x1F) {
        bits = sign | 0x7F800000u | (mant << 13);  // inf, or NaN with its payload kept
    } else {
        bits = sign | ((exp + (127 - 15)) << 23) | (mant << 13);
    }
    return std::bit_cast<float>(bits);
}

float bf16_to_f32(uint16_t h) {
    return std::bit_cast<float>(static_cast<uint32_t>(h) << 16);
}

void dequantize_row(DType type, const void* src, float* dst, int64_t n) {
    const DTypeInfo info = dtype_info(type);
    if (info.block_elems <= 0) {
        throw EngineError("dequantize_row",
                          "unsupported tensor type " + std::to_string(static_cast<uint32_t>(type)));
    }
    if (n < 0 || n % info.block_elems != 0) {
        throw EngineError("dequantize_row", std::to_string(n) +
                                                " elements is not a whole number of " +
                                                std::string(info.name) + " blocks of " +
                                                std::to_string(info.block_elems));
    }
    const auto* p = static_cast<const uint8_t*>(src);
    switch (type) {
        case DType::F32:
            if (n > 0) std::memcpy(dst, p, static_cast<size_t>(n) * sizeof(float));
            return;
        case DType::F16:
            for (int64_t i = 0; i < n; ++i) dst[i] = fp16_to_f32(load_u16(p + 2 * i));
            return;
        case DType::BF16:
            for (int64_t i = 0; i < n; ++i) dst[i] = bf16_to_f32(load_u16(p + 2 * i));
            return;
        default:
            break;
    }
    const BlockFn fn = block_dequantizer(type);
    const int64_t blocks = n / info.block_elems;
    for (int64_t i = 0; i < blocks; ++i) {
        fn(p + i * info.block_bytes, dst + i * info.block_elems);
    }
}

}  // namespace ll
