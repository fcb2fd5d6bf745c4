// Decode kernels for the 32-element block types beyond Q8_0/Q4_0: Q4_1, Q5_0, Q5_1 and
// IQ4_NL, at AVX2 (one block per 256-bit register; plain AVX-512 runs these too) and at
// AVX-512 VNNI (two blocks per register).
// Each weight block lines up with one 32-element int8 activation block, so a block's
// product is one integer dot times the two scales.
//
// Layouts (quant.cpp has them all; d and m are fp16):
//   Q4_1   (20 B): d, m, qs[16]            x = d * q + m, q the nibble (0..15)
//   Q5_0   (22 B): d, qh (u32), qs[16]     x = d * (q - 16), q = nibble | bit j of qh << 4
//   Q5_1   (24 B): d, m, qh (u32), qs[16]  x = d * q + m
//   IQ4_NL (18 B): d, qs[16]               x = d * kIq4nlValues[nibble]
// In every one the low nibble of byte j is element j and the high nibble element j + 16.
//
// Blocks alternate between two accumulators: with one, each block waits for the previous
// block's multiply-add to finish (4 cycles), which is longer than the block's other work.
#include "quant.h"
#include "quant_dot_impl.h"

namespace ll::qdot {
namespace {

// One block's contribution added to acc (and, for types with a minimum, to *mins): the
// block-type-specific part of each kernel. i is the block's index in the row.
struct Q4_1Block {
    static constexpr int64_t kBytes = 20;
    // sum (d q + m) x = d sum(q x) + m sum(x); sum(x) per block is precomputed once per
    // activation row (Act::qsum), so the minimum costs one scalar multiply-add.
    LL_AVX2 static __m256 add(const uint8_t* b, const Act& a, int64_t i, __m256 acc, float* mins) {
        const __m256i isum = idot32_u8(nibbles32(b + 4), load256(a.q + i * kBlock));
        *mins += _cvtsh_ss(load_u16(b + 2)) * a.d[i] * static_cast<float>(a.qsum[i]);
        return _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]),
                               _mm256_cvtepi32_ps(isum), acc);
    }
};

// The fifth bits, moved to 0x10 of each element's byte.
LL_AVX2 inline __m256i fifth_bits(const uint8_t* qh) {
    return _mm256_and_si256(bits_to_bytes(load_u32(qh)), _mm256_set1_epi8(0x10));
}

struct Q5_0Block {
    static constexpr int64_t kBytes = 22;
    // The centred quant (-16..15) is signed, so the signed byte dot takes it directly.
    LL_AVX2 static __m256 add(const uint8_t* b, const Act& a, int64_t i, __m256 acc, float*) {
        const __m256i q = _mm256_or_si256(nibbles32(b + 6), fifth_bits(b + 2));
        const __m256 dot =
            dot32_i8(_mm256_sub_epi8(q, _mm256_set1_epi8(16)), load256(a.q + i * kBlock));
        return _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]), dot, acc);
    }
};

struct Q5_1Block {
    static constexpr int64_t kBytes = 24;
    LL_AVX2 static __m256 add(const uint8_t* b, const Act& a, int64_t i, __m256 acc, float* mins) {
        const __m256i q = _mm256_or_si256(nibbles32(b + 8), fifth_bits(b + 4));
        const __m256i isum = idot32_u8(q, load256(a.q + i * kBlock));
        *mins += _cvtsh_ss(load_u16(b + 2)) * a.d[i] * static_cast<float>(a.qsum[i]);
        return _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]),
                               _mm256_cvtepi32_ps(isum), acc);
    }
};

struct Iq4NlBlock {
    static constexpr int64_t kBytes = 18;
    // The 16-entry table fits one register, so a byte shuffle turns 32 nibbles into
    // their signed values (-127..113) in one instruction.
    LL_AVX2 static __m256 add(const uint8_t* b, const Act& a, int64_t i, __m256 acc, float*) {
        const __m256i table = _mm256_broadcastsi128_si256(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(kIq4nlValues)));
        const __m256i w = _mm256_shuffle_epi8(table, nibbles32(b + 2));
        const __m256 dot = dot32_i8(w, load256(a.q + i * kBlock));
        return _mm256_fmadd_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b)) * a.d[i]), dot, acc);
    }
};

// The row loop shared by all four: two blocks per step into two accumulators.
template <typename Block>
LL_AVX2 inline float dot_blocks(const uint8_t* row, const Act& a, int64_t cols) {
    const int64_t nb = cols / kBlock;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    float mins0 = 0.0f, mins1 = 0.0f;
    int64_t i = 0;
    for (; i + 2 <= nb; i += 2) {
        const uint8_t* b = row + i * Block::kBytes;
        prefetch(b);
        acc0 = Block::add(b, a, i, acc0, &mins0);
        acc1 = Block::add(b + Block::kBytes, a, i + 1, acc1, &mins1);
    }
    if (i < nb) acc0 = Block::add(row + i * Block::kBytes, a, i, acc0, &mins0);
    return hsum256(_mm256_add_ps(acc0, acc1)) + (mins0 + mins1);
}

}  // namespace

LL_AVX2 float dot_q4_1_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_blocks<Q4_1Block>(row, a, cols);
}

LL_AVX2 float dot_q5_0_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_blocks<Q5_0Block>(row, a, cols);
}

LL_AVX2 float dot_q5_1_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_blocks<Q5_1Block>(row, a, cols);
}

LL_AVX2 float dot_iq4_nl_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_blocks<Iq4NlBlock>(row, a, cols);
}

// ---------------------------------------------------------------- AVX-512 VNNI
// Two blocks (64 elements) per 512-bit register and vpdpbusd (four u8 x s8 products
// summed into each int32 lane). The quants stay unsigned; a centred type subtracts its
// offset times sum(x) with a second vpdpbusd of the offset bytes against x.

namespace {

// Two blocks' 16 packed bytes as 64 nibbles in element order: the 128-bit lanes hold
// block 0's low nibbles, its high nibbles, block 1's low and block 1's high nibbles.
LL_AVX512VNNI inline __m512i nibbles64(const uint8_t* qs0, const uint8_t* qs1) {
    const __m512i two = _mm512_castsi256_si512(
        _mm256_set_m128i(_mm_loadu_si128(reinterpret_cast<const __m128i*>(qs1)),
                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs0))));
    const __m512i dup = _mm512_shuffle_i64x2(two, two, _MM_SHUFFLE(1, 1, 0, 0));
    return _mm512_and_si512(_mm512_srlv_epi64(dup, _mm512_setr_epi64(0, 0, 4, 4, 0, 0, 4, 4)),
                            _mm512_set1_epi8(0x0F));
}

// Q5_0/Q5_1: byte i of nibbles64 is element i of the pair, so the two blocks' 32-bit
// masks of fifth bits side by side are a byte mask for it.
LL_AVX512VNNI inline __m512i with_fifth_bits(__m512i q, const uint8_t* qh0, const uint8_t* qh1) {
    const __mmask64 bits = load_u32(qh0) | (static_cast<uint64_t>(load_u32(qh1)) << 32);
    return _mm512_or_si512(q, _mm512_maskz_mov_epi8(bits, _mm512_set1_epi8(0x10)));
}

LL_AVX512VNNI inline __m512i idot64(__m512i w, __m512i x) {
    return _mm512_dpbusd_epi32(_mm512_setzero_si512(), w, x);
}

// Lanes 0..7 (block 0's sums) scaled by s0, lanes 8..15 by s1.
LL_AVX512VNNI inline __m512 scales2(float s0, float s1) {
    return _mm512_insertf32x8(_mm512_set1_ps(s0), _mm256_set1_ps(s1), 1);
}

LL_AVX512VNNI inline float fp16_at(const uint8_t* p) {
    return _cvtsh_ss(load_u16(p));
}

struct Q4_1Pair {
    using Single = Q4_1Block;
    LL_AVX512VNNI static __m512 add(const uint8_t* b, const Act& a, int64_t i, __m512 acc,
                                    float* mins) {
        const uint8_t* c = b + Single::kBytes;
        const __m512i isum = idot64(nibbles64(b + 4, c + 4), _mm512_loadu_si512(a.q + i * kBlock));
        *mins += fp16_at(b + 2) * a.d[i] * static_cast<float>(a.qsum[i]) +
                 fp16_at(c + 2) * a.d[i + 1] * static_cast<float>(a.qsum[i + 1]);
        return _mm512_fmadd_ps(scales2(fp16_at(b) * a.d[i], fp16_at(c) * a.d[i + 1]),
                               _mm512_cvtepi32_ps(isum), acc);
    }
};

struct Q5_0Pair {
    using Single = Q5_0Block;
    LL_AVX512VNNI static __m512 add(const uint8_t* b, const Act& a, int64_t i, __m512 acc, float*) {
        const uint8_t* c = b + Single::kBytes;
        const __m512i q = with_fifth_bits(nibbles64(b + 6, c + 6), b + 2, c + 2);
        const __m512i x = _mm512_loadu_si512(a.q + i * kBlock);
        const __m512i isum = _mm512_sub_epi32(idot64(q, x), idot64(_mm512_set1_epi8(16), x));
        return _mm512_fmadd_ps(scales2(fp16_at(b) * a.d[i], fp16_at(c) * a.d[i + 1]),
                               _mm512_cvtepi32_ps(isum), acc);
    }
};

struct Q5_1Pair {
    using Single = Q5_1Block;
    LL_AVX512VNNI static __m512 add(const uint8_t* b, const Act& a, int64_t i, __m512 acc,
                                    float* mins) {
        const uint8_t* c = b + Single::kBytes;
        const __m512i q = with_fifth_bits(nibbles64(b + 8, c + 8), b + 4, c + 4);
        const __m512i isum = idot64(q, _mm512_loadu_si512(a.q + i * kBlock));
        *mins += fp16_at(b + 2) * a.d[i] * static_cast<float>(a.qsum[i]) +
                 fp16_at(c + 2) * a.d[i + 1] * static_cast<float>(a.qsum[i + 1]);
        return _mm512_fmadd_ps(scales2(fp16_at(b) * a.d[i], fp16_at(c) * a.d[i + 1]),
                               _mm512_cvtepi32_ps(isum), acc);
    }
};

struct Iq4NlPair {
    using Single = Iq4NlBlock;
    LL_AVX512VNNI static __m512 add(const uint8_t* b, const Act& a, int64_t i, __m512 acc, float*) {
        const uint8_t* c = b + Single::kBytes;
        const __m512i table = _mm512_broadcast_i32x4(
            _mm_load_si128(reinterpret_cast<const __m128i*>(kIq4nlPlus128.v)));
        const __m512i w = _mm512_shuffle_epi8(table, nibbles64(b + 2, c + 2));
        const __m512i x = _mm512_loadu_si512(a.q + i * kBlock);
        const __m512i isum =
            _mm512_sub_epi32(idot64(w, x), idot64(_mm512_set1_epi8(static_cast<char>(128)), x));
        return _mm512_fmadd_ps(scales2(fp16_at(b) * a.d[i], fp16_at(c) * a.d[i + 1]),
                               _mm512_cvtepi32_ps(isum), acc);
    }
};

// Pairs of blocks alternate between two accumulators; an odd last block takes the AVX2 form.
template <typename Pair>
LL_AVX512VNNI inline float dot_pairs(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = Pair::Single::kBytes;
    const int64_t nb = cols / kBlock;
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    float mins = 0.0f;
    int64_t i = 0;
    for (; i + 4 <= nb; i += 4) {
        const uint8_t* b = row + i * kBytes;
        prefetch(b);
        prefetch(b + 64);
        acc0 = Pair::add(b, a, i, acc0, &mins);
        acc1 = Pair::add(b + 2 * kBytes, a, i + 2, acc1, &mins);
    }
    if (i + 2 <= nb) {
        acc0 = Pair::add(row + i * kBytes, a, i, acc0, &mins);
        i += 2;
    }
    float s = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1)) + mins;
    if (i < nb) {
        float last_mins = 0.0f;
        const __m256 last =
            Pair::Single::add(row + i * kBytes, a, i, _mm256_setzero_ps(), &last_mins);
        s += hsum256(last) + last_mins;
    }
    return s;
}

}  // namespace

LL_AVX512VNNI float dot_q4_1_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_pairs<Q4_1Pair>(row, a, cols);
}

LL_AVX512VNNI float dot_q5_0_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_pairs<Q5_0Pair>(row, a, cols);
}

LL_AVX512VNNI float dot_q5_1_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_pairs<Q5_1Pair>(row, a, cols);
}

LL_AVX512VNNI float dot_iq4_nl_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_pairs<Iq4NlPair>(row, a, cols);
}

}  // namespace ll::qdot
