// Decode kernels for the 32-element block types beyond Q8_0/Q4_0: Q4_1, Q5_0, Q5_1 and
// IQ4_NL, at AVX2 (the AVX-512 levels use these too: one block is one 256-bit register).
// Each weight block lines up with one 32-element int8 activation block, so a block's
// product is one integer dot times the two scales.
//
// Layouts (quant.cpp has them all; d and m are fp16):
//   Q4_1   (20 B): d, m, qs[16]            x = d * q + m, q the nibble (0..15)
//   Q5_0   (22 B): d, qh (u32), qs[16]     x = d * (q - 16), q = nibble | bit j of qh << 4
//   Q5_1   (24 B): d, m, qh (u32), qs[16]  x = d * q + m
//   IQ4_NL (18 B): d, qs[16]               x = d * kIq4nlValues[nibble]
// In every one the low nibble of byte j is element j and the high nibble element j + 16.
#include "quant.h"
#include "quant_dot_impl.h"

namespace ll::qdot {

// Q4_1 and Q5_1: sum (d q + m) x = d sum(q x) + m sum(x); sum(x) per block is precomputed
// once per activation row (Act::qsum), so the minimum costs one scalar multiply-add.
LL_AVX2 float dot_q4_1_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 20;
    __m256 acc = _mm256_setzero_ps();
    float mins = 0.0f;
    for (int64_t i = 0; i < cols / kBlock; ++i) {
        const uint8_t* b = row + i * kBytes;
        prefetch(b);
        const __m256i isum = idot32_u8(nibbles32(b + 4), load256(a.q + i * kBlock));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]),
                              _mm256_cvtepi32_ps(isum), acc);
        mins += _cvtsh_ss(load_u16(b + 2)) * a.d[i] * static_cast<float>(a.qsum[i]);
    }
    return hsum256(acc) + mins;
}

// The fifth bits, moved to 0x10 of each element's byte.
LL_AVX2 inline __m256i fifth_bits(const uint8_t* qh) {
    return _mm256_and_si256(bits_to_bytes(load_u32(qh)), _mm256_set1_epi8(0x10));
}

// Q5_0: the centred quant (-16..15) is signed, so the signed byte dot takes it directly.
LL_AVX2 float dot_q5_0_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 22;
    const __m256i sixteen = _mm256_set1_epi8(16);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t i = 0; i < cols / kBlock; ++i) {
        const uint8_t* b = row + i * kBytes;
        prefetch(b);
        const __m256i q = _mm256_or_si256(nibbles32(b + 6), fifth_bits(b + 2));
        const __m256 dot = dot32_i8(_mm256_sub_epi8(q, sixteen), load256(a.q + i * kBlock));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]), dot, acc);
    }
    return hsum256(acc);
}

LL_AVX2 float dot_q5_1_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 24;
    __m256 acc = _mm256_setzero_ps();
    float mins = 0.0f;
    for (int64_t i = 0; i < cols / kBlock; ++i) {
        const uint8_t* b = row + i * kBytes;
        prefetch(b);
        const __m256i q = _mm256_or_si256(nibbles32(b + 8), fifth_bits(b + 4));
        const __m256i isum = idot32_u8(q, load256(a.q + i * kBlock));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]),
                              _mm256_cvtepi32_ps(isum), acc);
        mins += _cvtsh_ss(load_u16(b + 2)) * a.d[i] * static_cast<float>(a.qsum[i]);
    }
    return hsum256(acc) + mins;
}

// IQ4_NL: the 16-entry table fits one register, so a byte shuffle turns 32 nibbles into
// their signed values (-127..113) in one instruction.
LL_AVX2 float dot_iq4_nl_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 18;
    const __m256i table = _mm256_broadcastsi128_si256(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(kIq4nlValues)));
    __m256 acc = _mm256_setzero_ps();
    for (int64_t i = 0; i < cols / kBlock; ++i) {
        const uint8_t* b = row + i * kBytes;
        prefetch(b);
        const __m256i w = _mm256_shuffle_epi8(table, nibbles32(b + 2));
        const __m256 dot = dot32_i8(w, load256(a.q + i * kBlock));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]), dot, acc);
    }
    return hsum256(acc);
}

}  // namespace ll::qdot
