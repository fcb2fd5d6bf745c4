// Internal to the decode kernels (quant_dot*.cpp): what every kernel file shares — the
// activation row as kernels see it, the row-dot signature, the SIMD target attributes
// and a few small AVX2 helpers. Not part of the engine's interface; include quant_dot.h.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "quant.h"

// GCC 12's AVX-512 headers seed _mm512_undefined_*() from themselves and then warn about
// it (-W[maybe-]uninitialized, GCC bug 105593); the values are never read. Only the
// kernel files include this header.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace ll::qdot {

// The loops over the runs of a block (2, 4 or 8 of them) carry `#pragma GCC unroll`: at -O2
// GCC keeps them rolled, which rebuilds shift counts and lane indices every time round and
// keeps per-run accumulator arrays in memory; unrolled, Q4_K/Q6_K ran 1.5-1.9x faster.
// Each kernel is compiled for its level with a target attribute, so only it uses AVX2 /
// AVX-512 instructions and nothing leaks into code that runs before dispatch.
#define LL_AVX2 __attribute__((target("avx2,fma,f16c")))
#define LL_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c")))
#define LL_AVX512VNNI \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c")))

constexpr int64_t kBlock = 32;  // elements per activation block (and Q8_0/Q4_0/... block)
// Software prefetch distance. The hardware stream prefetchers stop at each 4 KiB page
// (the mapped weights are page-cache pages, never huge pages), so every kernel asks for
// the bytes 2 KiB ahead itself; one instruction per 32-64 bytes streamed.
constexpr int64_t kPrefetchAhead = 2048;

// One activation row as a kernel sees it. `f` is always the float row; the integer
// kernels read it quantised to 32-element int8 blocks (q, one float scale d per block).
struct Act {
    const float* f = nullptr;
    const int8_t* q = nullptr;
    const float* d = nullptr;
    // Q4_0 only, per pair of blocks (see q4_pair_layout): the quants regrouped as the
    // packed nibbles lie, 8 scales and 8 integer offset corrections.
    const int8_t* q4x = nullptr;
    const float* q4d = nullptr;
    const int32_t* q4c = nullptr;
    // Sum of each 32-element block's int8 quants: for types with a minimum or offset.
    const int32_t* qsum = nullptr;
    // Sum of each 16-element half block (Q2_K: its minimums are per 16 elements).
    const int32_t* qsum16 = nullptr;
};

using RowDot = float (*)(const uint8_t* row, const Act& a, int64_t cols);
// Two rows against one activation row: out[0] = dot(row0, a), out[1] = dot(row1, a), each
// summed in the order the type's RowDot at that level sums it. Decode streams the weights
// two rows at a time through these where a type has one: the activation's loads are
// shared by both rows and two independent streams are in flight.
using RowDot2 = void (*)(const uint8_t* row0, const uint8_t* row1, const Act& a, int64_t cols,
                         float* out);

// IQ4_NL's values plus 128 (1..241): unsigned bytes for vpdpbusd, which multiplies
// unsigned by signed bytes; the kernels take 128 * sum(x) off again.
struct Iq4nlTableU8 {
    alignas(16) uint8_t v[16];
};
inline constexpr Iq4nlTableU8 kIq4nlPlus128 = [] {
    Iq4nlTableU8 t{};
    for (int i = 0; i < 16; ++i) t.v[i] = static_cast<uint8_t>(kIq4nlValues[i] + 128);
    return t;
}();

inline uint16_t load_u16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline uint32_t load_u32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

inline void prefetch(const uint8_t* p) {
    _mm_prefetch(reinterpret_cast<const char*>(p) + kPrefetchAhead, _MM_HINT_T0);
}

LL_AVX2 inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

LL_AVX2 inline __m256i load256(const void* p) {
    return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}

// 32 signed weight bytes times 32 signed activation bytes, as 8 int32 lane sums.
// maddubs multiplies unsigned by signed bytes, so the weight's sign moves onto x:
// |w| * (x * sign(w)). Pairs of products stay within int16 (2 * 128 * 127 < 32767):
// x is quantised to [-127, 127].
LL_AVX2 inline __m256i idot32_i8(__m256i w, __m256i x) {
    const __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
    return _mm256_madd_epi16(p16, _mm256_set1_epi16(1));
}

LL_AVX2 inline __m256 dot32_i8(__m256i w, __m256i x) {
    return _mm256_cvtepi32_ps(idot32_i8(w, x));
}

// 32 unsigned weight bytes (each below 128) times 32 signed activation bytes.
LL_AVX2 inline __m256i idot32_u8(__m256i w, __m256i x) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1));
}

// The 16 packed bytes of a Q4_0-style block as 32 unsigned nibbles in element order:
// the low nibble of byte j is element j, the high nibble element j + 16.
LL_AVX2 inline __m256i nibbles32(const uint8_t* qs) {
    const __m128i raw = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
    const __m128i mask = _mm_set1_epi8(0x0F);
    return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(raw, 4), mask), _mm_and_si128(raw, mask));
}

// Bit j of `bits` as byte j: 0xFF where set, 0x00 where clear (Q5_0/Q5_1's fifth bits).
LL_AVX2 inline __m256i bits_to_bytes(uint32_t bits) {
    const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,  //
                                            2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    const __m256i select = _mm256_set1_epi64x(static_cast<int64_t>(0x8040201008040201ULL));
    const __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)), spread);
    return _mm256_cmpeq_epi8(_mm256_and_si256(v, select), select);
}

// x (cols a multiple of 32) to int8 blocks q with one scale d per block, max|x| / 127,
// at the active level: what every integer kernel reads (quant_gemv and quant_gemm).
void quantize_activation_blocks(const float* x, int64_t cols, int8_t* q, float* d);

// Row kernels by family, defined in quant_dot_*.cpp and picked by quant_dot.cpp.
// Portable: one block (or a few) dequantised to a stack buffer and dotted in float.
float dot_dequant_scalar(uint32_t type, const uint8_t* row, const Act& a, int64_t cols);
// 32-element block types (quant_dot_blocks.cpp).
float dot_q4_1_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q5_0_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q5_1_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_iq4_nl_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q4_1_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_q5_0_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_q5_1_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_iq4_nl_vnni(const uint8_t* row, const Act& a, int64_t cols);
// 256-element super-block types (quant_dot_kquants.cpp).
float dot_q2_k_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q3_k_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q4_k_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q5_k_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q6_k_avx2(const uint8_t* row, const Act& a, int64_t cols);
void dot2_q4_k_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols, float* out);
void dot2_q5_k_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols, float* out);
void dot2_q6_k_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols, float* out);
float dot_iq4_xs_avx2(const uint8_t* row, const Act& a, int64_t cols);
float dot_q2_k_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_q3_k_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_iq4_xs_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_q4_k_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_q5_k_vnni(const uint8_t* row, const Act& a, int64_t cols);
float dot_q6_k_vnni(const uint8_t* row, const Act& a, int64_t cols);

}  // namespace ll::qdot
