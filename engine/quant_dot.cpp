#include "quant_dot.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

#include "error.h"
#include "quant.h"
#include "quant_dot_impl.h"
#include "thread_pool.h"

// Block layouts used here (see quant.cpp for all of them):
//   Q8_0 (32 el, 34 B): fp16 d, int8 qs[32]                      x = d * q
//   Q4_0 (32 el, 18 B): fp16 d, qs[16]; low nibble of byte j is element j, high nibble
//                       element j + 16                            x = d * (nibble - 8)
//
// The SIMD kernels are compiled per function with target attributes, so only they use
// AVX2/AVX-512 instructions and nothing leaks into code that runs before dispatch.

namespace ll {
namespace {

using namespace qdot;

constexpr int64_t kQ8Bytes = 34;
constexpr int64_t kQ4Bytes = 18;

// ---------------------------------------------------------------- portable scalar
// Also the reference the SIMD versions must agree with: the integer block sums are
// identical at every level, only the float accumulation order differs.

float dot_f16_scalar(const uint8_t* row, const Act& a, int64_t cols) {
    float s = 0.0f;
    for (int64_t i = 0; i < cols; ++i) s += fp16_to_f32(load_u16(row + 2 * i)) * a.f[i];
    return s;
}

float dot_bf16_scalar(const uint8_t* row, const Act& a, int64_t cols) {
    float s = 0.0f;
    for (int64_t i = 0; i < cols; ++i) s += bf16_to_f32(load_u16(row + 2 * i)) * a.f[i];
    return s;
}

// noinline: the AVX-512 kernels call these for an odd last block, and inlined there GCC 12
// vectorises the signed x signed byte sum with VNNI's unsigned x signed vpdpbusd, which
// gives wrong sums (seen on a Sapphire Rapids-class CPU; test_quant_dot catches it).
// Kept out of line they are compiled for the baseline target.
__attribute__((noinline)) int32_t q8_0_block_isum(const uint8_t* qs, const int8_t* x) {
    int32_t s = 0;
    for (int j = 0; j < kBlock; ++j) s += static_cast<int8_t>(qs[j]) * x[j];
    return s;
}

__attribute__((noinline)) int32_t q4_0_block_isum(const uint8_t* qs, const int8_t* x) {
    int32_t s = 0;
    for (int j = 0; j < 16; ++j) {
        s += ((qs[j] & 0x0F) - 8) * x[j];
        s += ((qs[j] >> 4) - 8) * x[j + 16];
    }
    return s;
}

float q8_0_block(const uint8_t* b, const Act& a, int64_t i) {
    const float d = fp16_to_f32(load_u16(b)) * a.d[i];
    return d * static_cast<float>(q8_0_block_isum(b + 2, a.q + i * kBlock));
}

float q4_0_block(const uint8_t* b, const Act& a, int64_t i) {
    const float d = fp16_to_f32(load_u16(b)) * a.d[i];
    return d * static_cast<float>(q4_0_block_isum(b + 2, a.q + i * kBlock));
}

float dot_q8_0_scalar(const uint8_t* row, const Act& a, int64_t cols) {
    float s = 0.0f;
    for (int64_t i = 0; i < cols / kBlock; ++i) s += q8_0_block(row + i * kQ8Bytes, a, i);
    return s;
}

float dot_q4_0_scalar(const uint8_t* row, const Act& a, int64_t cols) {
    float s = 0.0f;
    for (int64_t i = 0; i < cols / kBlock; ++i) s += q4_0_block(row + i * kQ4Bytes, a, i);
    return s;
}

// Q4_K (256 el, 144 B): fp16 d, fp16 dmin, 12 bytes of 6-bit scales/mins for 8 groups
// of 32, qs[128]: group g is the low (g even) or high (g odd) nibbles of qs[32*(g/2) ..],
// in element order, and x = d * sc_g * q - dmin * m_g. A group is exactly one 32-element
// activation block, so sum_g (d sc_g dx_g sum(q x) - dmin m_g dx_g sum(x)) needs no
// shuffling and one precomputed sum of x per block.
constexpr int64_t kQ4KBytes = 144;

void q4_k_scale_min(const uint8_t* s, int g, int* sc, int* m) {
    if (g < 4) {
        *sc = s[g] & 63;
        *m = s[g + 4] & 63;
    } else {
        *sc = (s[g + 4] & 0x0F) | ((s[g - 4] >> 6) << 4);
        *m = (s[g + 4] >> 4) | ((s[g] >> 6) << 4);
    }
}

__attribute__((noinline)) int32_t q4_k_group_isum(const uint8_t* qs, int shift, const int8_t* x) {
    int32_t s = 0;
    for (int l = 0; l < kBlock; ++l) s += ((qs[l] >> shift) & 0x0F) * x[l];
    return s;
}

float dot_q4_k_scalar(const uint8_t* row, const Act& a, int64_t cols) {
    float s = 0.0f;
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kQ4KBytes;
        const float d = fp16_to_f32(load_u16(b)), dmin = fp16_to_f32(load_u16(b + 2));
#pragma GCC unroll 8
        for (int g = 0; g < 8; ++g) {
            int sc = 0, m = 0;
            q4_k_scale_min(b + 4, g, &sc, &m);
            const int64_t blk = sb * 8 + g;
            const int32_t isum =
                q4_k_group_isum(b + 16 + 32 * (g / 2), 4 * (g & 1), a.q + blk * kBlock);
            s += a.d[blk] * (d * static_cast<float>(sc) * static_cast<float>(isum) -
                             dmin * static_cast<float>(m) * static_cast<float>(a.qsum[blk]));
        }
    }
    return s;
}

// The portable form of the other types: up to 1024 elements at a time dequantised to a
// stack buffer (exactly dequantize_row's values) and dotted with the float activation.
// Each weight byte is still read once; only CPUs without AVX2 run this.
template <DType kType>
float dot_dequant(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kChunk = 1024;  // a multiple of every block size
    const DTypeInfo info = dtype_info(kType);
    float w[kChunk];
    float s = 0.0f;
    for (int64_t i = 0; i < cols; i += kChunk) {
        const int64_t n = std::min(kChunk, cols - i);
        dequantize_row(kType, row + i / info.block_elems * info.block_bytes, w, n);
        for (int64_t j = 0; j < n; ++j) s += w[j] * a.f[i + j];
    }
    return s;
}

// ---------------------------------------------------------------- AVX2 (x86-64-v3)

LL_AVX2 __m256 load8_f16(const uint8_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

// bf16 is the top half of a float32: widen to 32 bits and shift into place.
LL_AVX2 __m256 load8_bf16(const uint8_t* p) {
    const __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
}

// Four independent accumulators hide the FMA latency; the loop is then bound by the
// loads, i.e. by memory bandwidth for a matrix that does not fit in cache.
template <__m256 (*Load)(const uint8_t*), float (*Conv)(uint16_t)>
LL_AVX2 float dot_half_avx2(const uint8_t* row, const float* x, int64_t cols) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= cols; i += 32) {
        _mm_prefetch(reinterpret_cast<const char*>(row + 2 * i) + kPrefetchAhead, _MM_HINT_T0);
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            acc[k] = _mm256_fmadd_ps(Load(row + 2 * (i + 8 * k)), _mm256_loadu_ps(x + i + 8 * k),
                                     acc[k]);
        }
    }
    for (; i + 8 <= cols; i += 8)
        acc[0] = _mm256_fmadd_ps(Load(row + 2 * i), _mm256_loadu_ps(x + i), acc[0]);
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
    for (; i < cols; ++i) s += Conv(load_u16(row + 2 * i)) * x[i];
    return s;
}

LL_AVX2 float dot_f16_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_half_avx2<load8_f16, fp16_to_f32>(row, a.f, cols);
}

// dot_half_avx2 for two rows at once: each row keeps its own four accumulators, added in
// the same order as the one-row form, so both give the same sums; x is loaded once for both.
template <__m256 (*Load)(const uint8_t*), float (*Conv)(uint16_t)>
LL_AVX2 void dot2_half_avx2(const uint8_t* r0, const uint8_t* r1, const float* x, int64_t cols,
                            float* out) {
    __m256 acc0[4], acc1[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) acc0[k] = acc1[k] = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= cols; i += 32) {
        _mm_prefetch(reinterpret_cast<const char*>(r0 + 2 * i) + kPrefetchAhead, _MM_HINT_T0);
        _mm_prefetch(reinterpret_cast<const char*>(r1 + 2 * i) + kPrefetchAhead, _MM_HINT_T0);
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const __m256 xv = _mm256_loadu_ps(x + i + 8 * k);
            acc0[k] = _mm256_fmadd_ps(Load(r0 + 2 * (i + 8 * k)), xv, acc0[k]);
            acc1[k] = _mm256_fmadd_ps(Load(r1 + 2 * (i + 8 * k)), xv, acc1[k]);
        }
    }
    for (; i + 8 <= cols; i += 8) {
        const __m256 xv = _mm256_loadu_ps(x + i);
        acc0[0] = _mm256_fmadd_ps(Load(r0 + 2 * i), xv, acc0[0]);
        acc1[0] = _mm256_fmadd_ps(Load(r1 + 2 * i), xv, acc1[0]);
    }
    float s0 =
        hsum256(_mm256_add_ps(_mm256_add_ps(acc0[0], acc0[1]), _mm256_add_ps(acc0[2], acc0[3])));
    float s1 =
        hsum256(_mm256_add_ps(_mm256_add_ps(acc1[0], acc1[1]), _mm256_add_ps(acc1[2], acc1[3])));
    for (; i < cols; ++i) {
        s0 += Conv(load_u16(r0 + 2 * i)) * x[i];
        s1 += Conv(load_u16(r1 + 2 * i)) * x[i];
    }
    out[0] = s0;
    out[1] = s1;
}

LL_AVX2 void dot2_f16_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols,
                           float* out) {
    dot2_half_avx2<load8_f16, fp16_to_f32>(r0, r1, a.f, cols, out);
}

LL_AVX2 void dot2_bf16_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols,
                            float* out) {
    dot2_half_avx2<load8_bf16, bf16_to_f32>(r0, r1, a.f, cols, out);
}

LL_AVX2 float dot_bf16_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_half_avx2<load8_bf16, bf16_to_f32>(row, a.f, cols);
}

LL_AVX2 __m256i load_q8_0(const uint8_t* qs) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs));
}

// Two blocks per iteration into two accumulators (independent FMA chains).
template <int64_t kBytes, __m256i (*Unpack)(const uint8_t*)>
LL_AVX2 float dot_q_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    const int64_t nb = cols / kBlock;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 2 <= nb; i += 2) {
        const uint8_t* b0 = row + i * kBytes;
        const uint8_t* b1 = b0 + kBytes;
        _mm_prefetch(reinterpret_cast<const char*>(b0) + kPrefetchAhead, _MM_HINT_T0);
        const __m256 d0 = _mm256_set1_ps(_cvtsh_ss(load_u16(b0)) * a.d[i]);
        const __m256 d1 = _mm256_set1_ps(_cvtsh_ss(load_u16(b1)) * a.d[i + 1]);
        const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.q + i * kBlock));
        const __m256i x1 =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.q + (i + 1) * kBlock));
        acc0 = _mm256_fmadd_ps(d0, dot32_i8(Unpack(b0 + 2), x0), acc0);
        acc1 = _mm256_fmadd_ps(d1, dot32_i8(Unpack(b1 + 2), x1), acc1);
    }
    if (i < nb) {
        const uint8_t* b0 = row + i * kBytes;
        const __m256 d0 = _mm256_set1_ps(_cvtsh_ss(load_u16(b0)) * a.d[i]);
        const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.q + i * kBlock));
        acc0 = _mm256_fmadd_ps(d0, dot32_i8(Unpack(b0 + 2), x0), acc0);
    }
    return hsum256(_mm256_add_ps(acc0, acc1));
}

LL_AVX2 float dot_q8_0_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_q_avx2<kQ8Bytes, load_q8_0>(row, a, cols);
}

// Q4_0 takes two blocks per step without any byte shuffling: their 16-byte nibble
// arrays fill one register, `& 0x0F` gives both blocks' elements 0..15 and `>> 4` their
// elements 16..31, and the activation was regrouped to match (q4_pair_layout). The
// nibbles stay unsigned (0..15) so maddubs takes them as they are; the "- 8" is one
// integer subtraction of 8 * sum(x) per 4-lane group, precomputed per call. That is
// about half the instructions per weight byte of the per-block form, which matters
// because Q4_0 carries twice the weights per byte that Q8_0 does.
// One pair of blocks of one row (b0 = block 2p) into acc; xl, xh, c and xd are the
// activation's view of that pair (q4_pair_layout), shared by every row.
LL_AVX2 inline __attribute__((always_inline)) __m256 q4_0_pair_step(const uint8_t* b0, __m256i xl,
                                                                    __m256i xh, __m256i c,
                                                                    __m256 xd, __m256 acc) {
    const __m256i mask = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
    const uint8_t* b1 = b0 + kQ4Bytes;
    _mm_prefetch(reinterpret_cast<const char*>(b0) + kPrefetchAhead, _MM_HINT_T0);
    const __m256i raw = _mm256_inserti128_si256(
        _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b0 + 2))),
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(b1 + 2)), 1);
    const __m256i lo = _mm256_and_si256(raw, mask);
    const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), mask);
    const __m256i s16 =
        _mm256_add_epi16(_mm256_maddubs_epi16(lo, xl), _mm256_maddubs_epi16(hi, xh));
    const __m256i s32 = _mm256_sub_epi32(_mm256_madd_epi16(s16, ones), c);
    // Both blocks' scales in one conversion, then spread to lanes 0-3 and 4-7.
    const __m128i h =
        _mm_cvtsi32_si128(static_cast<int>(load_u16(b0) | (uint32_t{load_u16(b1)} << 16)));
    const __m256 dw = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(_mm_cvtph_ps(h)),
                                               _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1));
    return _mm256_fmadd_ps(_mm256_mul_ps(dw, xd), _mm256_cvtepi32_ps(s32), acc);
}

LL_AVX2 float dot_q4_0_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    const int64_t nb = cols / kBlock;
    __m256 acc = _mm256_setzero_ps();
    int64_t p = 0;
    for (; 2 * p + 1 < nb; ++p) {
        const int8_t* x = a.q4x + 64 * p;
        acc = q4_0_pair_step(row + 2 * p * kQ4Bytes, load256(x), load256(x + 32),
                             load256(a.q4c + 8 * p), _mm256_loadu_ps(a.q4d + 8 * p), acc);
    }
    float s = hsum256(acc);
    if (2 * p < nb) s += q4_0_block(row + 2 * p * kQ4Bytes, a, 2 * p);
    return s;
}

// dot_q4_0_avx2 for two rows: the activation's four loads per block pair serve both.
LL_AVX2 void dot2_q4_0_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols,
                            float* out) {
    const int64_t nb = cols / kBlock;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int64_t p = 0;
    for (; 2 * p + 1 < nb; ++p) {
        const int8_t* x = a.q4x + 64 * p;
        const __m256i xl = load256(x), xh = load256(x + 32), c = load256(a.q4c + 8 * p);
        const __m256 xd = _mm256_loadu_ps(a.q4d + 8 * p);
        acc0 = q4_0_pair_step(r0 + 2 * p * kQ4Bytes, xl, xh, c, xd, acc0);
        acc1 = q4_0_pair_step(r1 + 2 * p * kQ4Bytes, xl, xh, c, xd, acc1);
    }
    float s0 = hsum256(acc0), s1 = hsum256(acc1);
    if (2 * p < nb) {
        s0 += q4_0_block(r0 + 2 * p * kQ4Bytes, a, 2 * p);
        s1 += q4_0_block(r1 + 2 * p * kQ4Bytes, a, 2 * p);
    }
    out[0] = s0;
    out[1] = s1;
}

// Whole rows to float32 (dequantize_rows): F16 through F16C, Q8_0 as int8 -> float times
// the block scale. Both are exact or one float multiply, so they equal quant.cpp's.
LL_AVX2 void f16_row_avx2(const uint8_t* src, float* dst, int64_t cols) {
    int64_t i = 0;
    for (; i + 8 <= cols; i += 8) _mm256_storeu_ps(dst + i, load8_f16(src + 2 * i));
    for (; i < cols; ++i) dst[i] = fp16_to_f32(load_u16(src + 2 * i));
}

LL_AVX2 void q8_0_row_avx2(const uint8_t* src, float* dst, int64_t cols) {
    for (int64_t b = 0; b < cols / kBlock; ++b) {
        const uint8_t* blk = src + b * kQ8Bytes;
        const __m256 d = _mm256_set1_ps(fp16_to_f32(load_u16(blk)));
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const __m128i q8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(blk + 2 + 8 * k));
            const __m256 q = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q8));
            _mm256_storeu_ps(dst + b * kBlock + 8 * k, _mm256_mul_ps(q, d));
        }
    }
}

// Q4_0 as (nibble - 8) times the block scale, the same float multiply as quant.cpp's: prefill
// dequantises every weight once per chunk, and scalar that was 2-3 % of a Q4_0 prefill's
// CPU time on one thread while the other waited.
LL_AVX2 void q4_0_row_avx2(const uint8_t* src, float* dst, int64_t cols) {
    const __m128i mask = _mm_set1_epi8(0x0F), eight = _mm_set1_epi8(8);
    for (int64_t b = 0; b < cols / kBlock; ++b) {
        const uint8_t* blk = src + b * kQ4Bytes;
        const __m256 d = _mm256_set1_ps(fp16_to_f32(load_u16(blk)));
        const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blk + 2));
        const __m128i q[2] = {_mm_sub_epi8(_mm_and_si128(raw, mask), eight),
                              _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(raw, 4), mask), eight)};
        float* o = dst + b * kBlock;
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
            const __m256 v0 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q[h]));
            const __m256 v1 = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q[h], 8)));
            _mm256_storeu_ps(o + 16 * h, _mm256_mul_ps(v0, d));
            _mm256_storeu_ps(o + 16 * h + 8, _mm256_mul_ps(v1, d));
        }
    }
}

// ---------------------------------------------------------------- AVX-512
// 16 floats or two 32-element blocks per instruction: half the instructions per weight
// byte of AVX2, which leaves more of each core's time for waiting on memory.

LL_AVX512 __m512 load16_f16(const uint8_t* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

LL_AVX512 __m512 load16_bf16(const uint8_t* p) {
    const __m512i w =
        _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
    return _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
}

template <__m512 (*Load)(const uint8_t*), float (*Conv)(uint16_t)>
LL_AVX512 float dot_half_avx512(const uint8_t* row, const float* x, int64_t cols) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= cols; i += 32) {
        _mm_prefetch(reinterpret_cast<const char*>(row + 2 * i) + kPrefetchAhead, _MM_HINT_T0);
        acc0 = _mm512_fmadd_ps(Load(row + 2 * i), _mm512_loadu_ps(x + i), acc0);
        acc1 = _mm512_fmadd_ps(Load(row + 2 * (i + 16)), _mm512_loadu_ps(x + i + 16), acc1);
    }
    for (; i + 16 <= cols; i += 16)
        acc0 = _mm512_fmadd_ps(Load(row + 2 * i), _mm512_loadu_ps(x + i), acc0);
    float s = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
    for (; i < cols; ++i) s += Conv(load_u16(row + 2 * i)) * x[i];
    return s;
}

LL_AVX512 float dot_f16_avx512(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_half_avx512<load16_f16, fp16_to_f32>(row, a.f, cols);
}

LL_AVX512 float dot_bf16_avx512(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_half_avx512<load16_bf16, bf16_to_f32>(row, a.f, cols);
}

// Two consecutive blocks' quants, as signed bytes in element order, in one register.
LL_AVX512 __m512i load2_q8_0(const uint8_t* b) {
    const __m256i q0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 2));
    const __m256i q1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + kQ8Bytes + 2));
    return _mm512_inserti64x4(_mm512_castsi256_si512(q0), q1, 1);
}

// As dot32_i8, for two blocks; AVX-512 has no sign_epi8, so x is negated under a mask.
LL_AVX512 __m512 dot64_i8(__m512i w, __m512i x) {
    const __m512i xs = _mm512_mask_sub_epi8(x, _mm512_movepi8_mask(w), _mm512_setzero_si512(), x);
    const __m512i p16 = _mm512_maddubs_epi16(_mm512_abs_epi8(w), xs);
    return _mm512_cvtepi32_ps(_mm512_madd_epi16(p16, _mm512_set1_epi16(1)));
}

// VNNI sums four u8*s8 products straight into int32 lanes: one instruction for three.
LL_AVX512VNNI __m512 dot64_i8_vnni(__m512i w, __m512i x) {
    const __m512i xs = _mm512_mask_sub_epi8(x, _mm512_movepi8_mask(w), _mm512_setzero_si512(), x);
    return _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_abs_epi8(w), xs));
}

LL_AVX512 __m512 scales2(float s0, float s1) {
    return _mm512_insertf32x8(_mm512_set1_ps(s0), _mm256_set1_ps(s1), 1);
}

// The block pair loop shared by the AVX-512 kernels; an odd last block goes scalar.
#define LL_DOT_Q_AVX512(kBytes, LOAD2, DOT64, BLOCK)                                  \
    const int64_t nb = cols / kBlock;                                                 \
    __m512 acc = _mm512_setzero_ps();                                                 \
    int64_t i = 0;                                                                    \
    for (; i + 2 <= nb; i += 2) {                                                     \
        const uint8_t* b = row + i * (kBytes);                                        \
        _mm_prefetch(reinterpret_cast<const char*>(b) + kPrefetchAhead, _MM_HINT_T0); \
        const __m512 d = scales2(_cvtsh_ss(load_u16(b)) * a.d[i],                     \
                                 _cvtsh_ss(load_u16(b + (kBytes))) * a.d[i + 1]);     \
        const __m512i x = _mm512_loadu_si512(a.q + i * kBlock);                       \
        acc = _mm512_fmadd_ps(d, DOT64(LOAD2(b), x), acc);                            \
    }                                                                                 \
    float s = _mm512_reduce_add_ps(acc);                                              \
    if (i < nb) s += BLOCK(row + i * (kBytes), a, i);                                 \
    return s;

LL_AVX512 float dot_q8_0_avx512(const uint8_t* row, const Act& a, int64_t cols){
    LL_DOT_Q_AVX512(kQ8Bytes, load2_q8_0, dot64_i8, q8_0_block)}

LL_AVX512VNNI float dot_q8_0_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    LL_DOT_Q_AVX512(kQ8Bytes, load2_q8_0, dot64_i8_vnni, q8_0_block)
}

#undef LL_DOT_Q_AVX512

// ---------------------------------------------------------------- dispatch

// The kernel for each type at each level: scalar, AVX2, AVX-512, AVX-512 + VNNI.
// Kernels a level has no form of its own for take the level below's (AVX-512 machines
// run AVX2 code well). Q4_0 keeps the AVX2 block-pair kernel at the AVX-512 levels: on a
// Sapphire Rapids-class host it streams 13 GB/s per core against 9 GB/s for a two-block
// AVX-512 form that unpacks nibbles per block (bench: longlens-bench kernels).
struct TypeKernels {
    DType type;
    RowDot level[4];
};

constexpr TypeKernels kKernels[] = {
    {DType::F16, {dot_f16_scalar, dot_f16_avx2, dot_f16_avx512, dot_f16_avx512}},
    {DType::BF16, {dot_bf16_scalar, dot_bf16_avx2, dot_bf16_avx512, dot_bf16_avx512}},
    {DType::Q8_0, {dot_q8_0_scalar, dot_q8_0_avx2, dot_q8_0_avx512, dot_q8_0_vnni}},
    {DType::Q4_0, {dot_q4_0_scalar, dot_q4_0_avx2, dot_q4_0_avx2, dot_q4_0_avx2}},
    {DType::Q4_1, {dot_dequant<DType::Q4_1>, dot_q4_1_avx2, dot_q4_1_avx2, dot_q4_1_vnni}},
    {DType::Q5_0, {dot_dequant<DType::Q5_0>, dot_q5_0_avx2, dot_q5_0_avx2, dot_q5_0_vnni}},
    {DType::Q5_1, {dot_dequant<DType::Q5_1>, dot_q5_1_avx2, dot_q5_1_avx2, dot_q5_1_vnni}},
    {DType::IQ4_NL,
     {dot_dequant<DType::IQ4_NL>, dot_iq4_nl_avx2, dot_iq4_nl_avx2, dot_iq4_nl_vnni}},
    {DType::Q2_K, {dot_dequant<DType::Q2_K>, dot_q2_k_avx2, dot_q2_k_avx2, dot_q2_k_vnni}},
    {DType::Q3_K, {dot_dequant<DType::Q3_K>, dot_q3_k_avx2, dot_q3_k_avx2, dot_q3_k_vnni}},
    {DType::Q4_K, {dot_q4_k_scalar, dot_q4_k_avx2, dot_q4_k_avx2, dot_q4_k_vnni}},
    {DType::Q5_K, {dot_dequant<DType::Q5_K>, dot_q5_k_avx2, dot_q5_k_avx2, dot_q5_k_vnni}},
    {DType::Q6_K, {dot_dequant<DType::Q6_K>, dot_q6_k_avx2, dot_q6_k_avx2, dot_q6_k_vnni}},
    {DType::IQ4_XS,
     {dot_dequant<DType::IQ4_XS>, dot_iq4_xs_avx2, dot_iq4_xs_avx2, dot_iq4_xs_vnni}},
};

// Two-row kernels (RowDot2), where a type has one at a level; nullptr: rows one at a time.
struct TypeKernels2 {
    DType type;
    RowDot2 level[4];
};

constexpr TypeKernels2 kKernels2[] = {
    {DType::F16, {nullptr, dot2_f16_avx2, nullptr, nullptr}},
    {DType::BF16, {nullptr, dot2_bf16_avx2, nullptr, nullptr}},
    {DType::Q4_0, {nullptr, dot2_q4_0_avx2, dot2_q4_0_avx2, dot2_q4_0_avx2}},
    {DType::Q4_K, {nullptr, dot2_q4_k_avx2, dot2_q4_k_avx2, nullptr}},
    {DType::Q5_K, {nullptr, dot2_q5_k_avx2, dot2_q5_k_avx2, nullptr}},
    {DType::Q6_K, {nullptr, dot2_q6_k_avx2, dot2_q6_k_avx2, nullptr}},
};

SimdLevel detect() {
    __builtin_cpu_init();
    // __builtin_cpu_supports also checks that the OS saves the wide registers (XCR0).
#if defined(__clang__) && __clang_major__ < 16
    // clang before 16 (Debian 12's clang-14 builds the fuzzers) does not know "f16c" here;
    // every processor with AVX2 has F16C.
    const bool f16c = true;
#else
    const bool f16c = __builtin_cpu_supports("f16c");
#endif
    const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && f16c;
    if (!avx2) return SimdLevel::Scalar;
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    if (!avx512) return SimdLevel::Avx2;
    return __builtin_cpu_supports("avx512vnni") ? SimdLevel::Avx512Vnni : SimdLevel::Avx512;
}

std::atomic<int> g_forced{-1};
std::atomic<bool> g_enabled{true};

RowDot row_kernel(DType type) {
    for (const TypeKernels& k : kKernels) {
        if (k.type == type) return k.level[static_cast<int>(active_simd_level())];
    }
    return nullptr;  // F32 (BLAS does it well) and types without kernels
}

RowDot2 row_kernel2(DType type) {
    for (const TypeKernels2& k : kKernels2) {
        if (k.type == type) return k.level[static_cast<int>(active_simd_level())];
    }
    return nullptr;
}

// Every quantised type's SIMD kernels read the activation as int8 blocks.
bool int8_activation(DType type) {
    return type != DType::F16 && type != DType::BF16;
}

// Types whose kernels need the per-block sums of the activation quants.
bool needs_qsum(DType type) {
    return type == DType::Q4_1 || type == DType::Q5_1 || type == DType::Q4_K || type == DType::Q5_K;
}

// x to 32-element int8 blocks, scale = max|x| / 127 so that every quant fits [-127, 127]
// (the integer kernels rely on that range; see dot32_i8).
void quantize_activation_scalar(const float* x, int64_t cols, int8_t* q, float* d) {
    for (int64_t b = 0; b < cols / kBlock; ++b) {
        const float* xb = x + b * kBlock;
        float amax = 0.0f;
        for (int j = 0; j < kBlock; ++j) amax = std::max(amax, std::fabs(xb[j]));
        const float scale = amax / 127.0f;
        const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
        for (int j = 0; j < kBlock; ++j) {
            const float v = std::clamp(std::nearbyint(xb[j] * inv), -127.0f, 127.0f);
            q[b * kBlock + j] = static_cast<int8_t>(v);
        }
        d[b] = scale;
    }
}

// The same with AVX2, equal bit for bit: the same float multiply, and cvtps_epi32 rounds
// to nearest even as nearbyint does in the default rounding mode. Decode quantises each
// matrix's input once per token (about 0.4 M values for TinyLlama); scalar, that was a
// few per cent of a token's time.
LL_AVX2 void quantize_activation_avx2(const float* x, int64_t cols, int8_t* q, float* d) {
    const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256i lo = _mm256_set1_epi32(-127), hi = _mm256_set1_epi32(127);
    // packs works within 128-bit lanes; this puts the four quarters back in order.
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int64_t b = 0; b < cols / kBlock; ++b) {
        const float* xb = x + b * kBlock;
        __m256 v[4];
        __m256 m = _mm256_setzero_ps();
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            v[k] = _mm256_loadu_ps(xb + 8 * k);
            m = _mm256_max_ps(m, _mm256_and_ps(v[k], abs_mask));
        }
        __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        const float amax = _mm_cvtss_f32(m4);
        const __m256 inv = _mm256_set1_ps(amax > 0.0f ? 127.0f / amax : 0.0f);
        __m256i r[4];
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            r[k] = _mm256_cvtps_epi32(_mm256_mul_ps(v[k], inv));
            r[k] = _mm256_max_epi32(lo, _mm256_min_epi32(hi, r[k]));
        }
        const __m256i packed =
            _mm256_packs_epi16(_mm256_packs_epi32(r[0], r[1]), _mm256_packs_epi32(r[2], r[3]));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + b * kBlock),
                            _mm256_permutevar8x32_epi32(packed, order));
        d[b] = amax / 127.0f;
    }
}

void quantize_activation(const float* x, int64_t cols, int8_t* q, float* d) {
    if (active_simd_level() >= SimdLevel::Avx2)
        quantize_activation_avx2(x, cols, q, d);
    else
        quantize_activation_scalar(x, cols, q, d);
}

// The AVX2 Q4_0 kernel's view of blocks 2p and 2p+1 (x0, x1 their int8 quants):
//   q4x[64p ..]     x0[0..15] x1[0..15]  x0[16..31] x1[16..31]  (the nibble order)
//   q4d[8p ..]      d0 x4, d1 x4                                 (one per int32 lane)
//   q4c[8p + 4h + k] 8 * (sum of x_h[4k..4k+3] + x_h[16+4k..16+4k+3])
// Lane k of block h in the kernel's 32-bit sums covers exactly those eight elements.
void q4_pair_layout(const int8_t* q, const float* d, int64_t blocks, int8_t* q4x, float* q4d,
                    int32_t* q4c) {
    for (int64_t p = 0; 2 * p + 1 < blocks; ++p) {
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
            const int8_t* xb = q + (2 * p + h) * kBlock;
            std::memcpy(q4x + 64 * p + 16 * h, xb, 16);
            std::memcpy(q4x + 64 * p + 32 + 16 * h, xb + 16, 16);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                int32_t sum = 0;
                for (int e = 0; e < 4; ++e) sum += xb[4 * k + e] + xb[16 + 4 * k + e];
                q4c[8 * p + 4 * h + k] = 8 * sum;
                q4d[8 * p + 4 * h + k] = d[2 * p + h];
            }
        }
    }
}

// Activation rows in the form the kernels for `type` read; buffers are per thread so
// concurrent sessions do not share them.
void prepare_activations(DType type, const float* x, int64_t n, int64_t cols, Act* acts) {
    thread_local std::vector<int8_t> q, q4x;
    thread_local std::vector<float> d, q4d;
    thread_local std::vector<int32_t> q4c, qsum;
    for (int64_t j = 0; j < n; ++j) acts[j].f = x + j * cols;
    if (!int8_activation(type)) return;
    const int64_t blocks = cols / kBlock;
    q.resize(static_cast<size_t>(n * cols));
    d.resize(static_cast<size_t>(n * blocks));
    for (int64_t j = 0; j < n; ++j) {
        quantize_activation(x + j * cols, cols, &q[j * cols], &d[j * blocks]);
        acts[j].q = &q[j * cols];
        acts[j].d = &d[j * blocks];
    }
    if (needs_qsum(type) || type == DType::Q2_K) {
        // Sums per 16 elements (Q2_K's minimums) and per block of 32 (the others').
        const int64_t halves = 2 * blocks;
        qsum.resize(static_cast<size_t>(n * 3 * blocks));
        int32_t* sum16 = qsum.data() + n * blocks;
        for (int64_t i = 0; i < n * halves; ++i) {
            int32_t t = 0;
            for (int e = 0; e < 16; ++e) t += q[static_cast<size_t>(i * 16 + e)];
            sum16[i] = t;
        }
        for (int64_t i = 0; i < n * blocks; ++i)
            qsum[static_cast<size_t>(i)] = sum16[2 * i] + sum16[2 * i + 1];
        for (int64_t j = 0; j < n; ++j) {
            acts[j].qsum = qsum.data() + j * blocks;
            acts[j].qsum16 = sum16 + j * halves;
        }
    }
    if (type != DType::Q4_0) return;
    const int64_t pairs = blocks / 2;
    q4x.resize(static_cast<size_t>(n * pairs * 64));
    q4d.resize(static_cast<size_t>(n * pairs * 8));
    q4c.resize(static_cast<size_t>(n * pairs * 8));
    for (int64_t j = 0; j < n; ++j) {
        acts[j].q4x = q4x.data() + j * pairs * 64;
        acts[j].q4d = q4d.data() + j * pairs * 8;
        acts[j].q4c = q4c.data() + j * pairs * 8;
        q4_pair_layout(acts[j].q, acts[j].d, blocks, q4x.data() + j * pairs * 64,
                       q4d.data() + j * pairs * 8, q4c.data() + j * pairs * 8);
    }
}

// Rows per task: a few tasks per thread so a core slowed by other work can hand rows to
// the other, but at least 64 KiB of weights per task. Waking a worker costs microseconds
// on an idle machine and milliseconds on a busy one (it waits for a core), so a small
// matrix (a few microseconds of work) runs on the caller alone.
int64_t rows_per_task(int64_t rows, size_t row_bytes, int threads) {
    constexpr size_t kMinTaskBytes = size_t{64} << 10;
    const int64_t min_rows =
        static_cast<int64_t>((kMinTaskBytes + row_bytes - 1) / std::max<size_t>(row_bytes, 1));
    const int64_t tasks = static_cast<int64_t>(threads) * 4;
    return std::max<int64_t>(min_rows, (rows + tasks - 1) / tasks);
}

}  // namespace

void qdot::quantize_activation_blocks(const float* x, int64_t cols, int8_t* q, float* d) {
    quantize_activation(x, cols, q, d);
}

SimdLevel detected_simd_level() {
    static const SimdLevel level = detect();
    return level;
}

SimdLevel active_simd_level() {
    const int forced = g_forced.load(std::memory_order_relaxed);
    return forced < 0 ? detected_simd_level() : static_cast<SimdLevel>(forced);
}

SimdLevel force_simd_level(SimdLevel level) {
    const SimdLevel before = active_simd_level();
    const int clamped = std::min(static_cast<int>(level), static_cast<int>(detected_simd_level()));
    g_forced.store(clamped, std::memory_order_relaxed);
    return before;
}

std::string_view simd_level_name(SimdLevel level) {
    switch (level) {
        case SimdLevel::Scalar:
            return "scalar";
        case SimdLevel::Avx2:
            return "avx2";
        case SimdLevel::Avx512:
            return "avx512";
        case SimdLevel::Avx512Vnni:
            return "avx512-vnni";
    }
    return "?";
}

void set_quant_gemv_enabled(bool enabled) {
    g_enabled.store(enabled);
}

bool quant_gemv_supports(DType type, int64_t n) {
    return g_enabled.load(std::memory_order_relaxed) && n >= 1 && n <= kMaxGemvBatch &&
           row_kernel(type) != nullptr;
}

void quant_gemv(float* y, const float* x, int64_t n, const Tensor& w) {
    const GemvOut one{y, &w};
    quant_gemv_shared(x, n, &one, 1);
}

void quant_gemv_shared(const float* x, int64_t n, const GemvOut* outs, int count) {
    if (count <= 0) return;
    const DType type = outs[0].w->type;
    const int64_t in = outs[0].w->cols();
    const RowDot dot = row_kernel(type);
    const RowDot2 dot2 = row_kernel2(type);
    for (int m = 0; m < count; ++m) {
        if (!dot || n < 1 || n > kMaxGemvBatch || outs[m].w->type != type ||
            outs[m].w->cols() != in)
            throw EngineError("quant_gemv",
                              "unsupported weight type or batch for " + outs[m].w->name);
    }
    Act acts[kMaxGemvBatch];
    prepare_activations(type, x, n, in, acts);

    // The matrices' row chunks as one list of tasks: one hand-off to the pool for all of
    // them, where a call per matrix leaves a worker idle at each matrix's end.
    constexpr int kMaxShared = 4;
    if (count > kMaxShared) throw EngineError("quant_gemv", "too many matrices in one call");
    int64_t chunk[kMaxShared];
    int first_task[kMaxShared + 1] = {0};
    ThreadPool& pool = engine_pool();
    for (int m = 0; m < count; ++m) {
        const Tensor& w = *outs[m].w;
        const int64_t out = w.rows();
        chunk[m] =
            out == 0 ? 1 : rows_per_task(out, w.bytes / static_cast<size_t>(out), pool.size());
        first_task[m + 1] = first_task[m] + static_cast<int>((out + chunk[m] - 1) / chunk[m]);
    }
    // Each weight row is read from memory once and used for all n activation rows
    // while it is still in L1.
    pool.run(first_task[count], [&](int task) {
        int m = 0;
        while (task >= first_task[m + 1]) ++m;
        const Tensor& w = *outs[m].w;
        const int64_t out = w.rows(), t = task - first_task[m];
        const size_t row_bytes = w.bytes / static_cast<size_t>(out);
        const int64_t r1 = std::min(out, (t + 1) * chunk[m]);
        float* const y = outs[m].y;
        int64_t r = t * chunk[m];
        if (dot2) {
            // Rows r + i and r + half + i together: two long linear streams through the
            // task's rows, which the hardware prefetchers follow (adjacent rows in pairs
            // made a new short stream every two rows, and ran 40 % slower).
            const int64_t half = (r1 - r) / 2;
            for (int64_t i = 0; i < half; ++i) {
                const int64_t ra = r + i, rb = r + half + i;
                const uint8_t* a = w.data + static_cast<size_t>(ra) * row_bytes;
                const uint8_t* b = w.data + static_cast<size_t>(rb) * row_bytes;
                float two[2];
                for (int64_t j = 0; j < n; ++j) {
                    dot2(a, b, acts[j], in, two);
                    y[j * out + ra] = two[0];
                    y[j * out + rb] = two[1];
                }
            }
            r += 2 * half;
        }
        for (; r < r1; ++r) {
            const uint8_t* row = w.data + static_cast<size_t>(r) * row_bytes;
            for (int64_t j = 0; j < n; ++j) y[j * out + r] = dot(row, acts[j], in);
        }
    });
}

float quant_dot_row(DType type, const void* row, const float* x, int64_t cols) {
    const RowDot dot = row_kernel(type);
    if (!dot) throw EngineError("quant_dot_row", "unsupported weight type");
    const int64_t block = dtype_info(type).block_elems;
    if (cols % block != 0)
        throw EngineError("quant_dot_row", "cols is not a whole number of blocks");
    Act act;
    prepare_activations(type, x, 1, cols, &act);
    return dot(static_cast<const uint8_t*>(row), act, cols);
}

void dequantize_rows(DType type, const void* src, size_t src_stride, float* dst, int64_t dst_stride,
                     int64_t rows, int64_t cols) {
    using RowFn = void (*)(const uint8_t*, float*, int64_t);
    const bool avx2 = active_simd_level() >= SimdLevel::Avx2;
    RowFn fn = nullptr;
    if (avx2 && type == DType::F16) fn = f16_row_avx2;
    if (avx2 && type == DType::Q8_0 && cols % kBlock == 0) fn = q8_0_row_avx2;
    if (avx2 && type == DType::Q4_0 && cols % kBlock == 0) fn = q4_0_row_avx2;
    const auto* p = static_cast<const uint8_t*>(src);
    for (int64_t r = 0; r < rows; ++r) {
        if (fn)
            fn(p + r * src_stride, dst + r * dst_stride, cols);
        else
            dequantize_row(type, p + r * src_stride, dst + r * dst_stride, cols);
    }
}

}  // namespace ll
