// Decode kernels for the 256-element super-block types: Q2_K, Q3_K, Q4_K, Q5_K, Q6_K and
// IQ4_XS, at AVX2 and at AVX-512 VNNI (plain AVX-512 runs the AVX2 forms; see
// quant_dot.cpp's table).
//
// Every one of them stores its 256 elements as 8 runs of 32 consecutive elements, each
// run lined up with one 32-element int8 activation block, so a run's product is one
// integer dot (8-bit multiplies, 32-bit sums) times the super-block's float scale and
// the activation block's. The types differ in how a run's quants are packed and scaled:
//   Q4_K/Q5_K  one 6-bit scale and minimum per run: d sc sum(q x) - dmin m sum(x)
//   Q2_K       a 4-bit scale and minimum per 16 elements: two scales per run, multiplied
//              in with madd_epi16 (its pair sums are per 16-element half of a run)
//   Q3_K/Q6_K  a signed scale per 16 elements, quants centred by subtraction
//   IQ4_XS     a 6-bit scale per run, nibbles through IQ4_NL's table
// Layouts are in quant.cpp; byte offsets are repeated at each kernel.
//
// Speed: each run's float scale differs (the activation's scale is per 32 elements), so
// runs are summed in float, into four accumulators in turn: one accumulator makes every
// run wait for the previous run's multiply-add (4 cycles), which capped these kernels at
// about half the speed they reach with four. Per-super-block scales and minimums are
// computed eight at a time in vector registers rather than one by one.
#include "quant.h"
#include "quant_dot_impl.h"

namespace ll::qdot {
namespace {

// Q2_K, Q3_K and Q6_K scale each 16 elements. A run's madd_epi16 needs its two scales
// as 16 int16 lanes: lanes 0..7 (the pair sums of elements 0..15, maddubs's order in the
// low 128 bits) the first, lanes 8..15 the second. All 16 scales of a super-block are
// widened once into one register, even-numbered groups' in the low 128 bits and odd ones'
// in the high (their bytes at 2i, 2i + 1), so run r's pair is one in-lane byte shuffle.
LL_AVX2 inline __m256i scales_even_odd(__m128i sc8, bool is_signed) {
    const __m128i even_odd =
        _mm_shuffle_epi8(sc8, _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15));
    return is_signed ? _mm256_cvtepi8_epi16(even_odd) : _mm256_cvtepu8_epi16(even_odd);
}

LL_AVX2 inline __m256i run_scales(__m256i even_odd, int run) {
    return _mm256_shuffle_epi8(
        even_odd, _mm256_set1_epi16(static_cast<int16_t>((2 * run + 1) << 8 | 2 * run)));
}

// Signed quants times signed activations, each 16-element half weighted by its scale.
LL_AVX2 inline __m256i idot32_i8_scaled(__m256i w, __m256i x, __m256i scales) {
    const __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
    return _mm256_madd_epi16(p16, scales);
}

LL_AVX2 inline __m256 sum4(const __m256 acc[4]) {
    return _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
}

// Eight bytes as eight float lanes.
LL_AVX2 inline __m256 u8x8_to_ps(uint64_t bytes) {
    return _mm256_cvtepi32_ps(
        _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(bytes))));
}

// Q4_K/Q5_K: 8 six-bit scales and 8 six-bit minimums in 12 bytes, as words w0..w2:
// scales 0..3 and minimums 0..3 are the low 6 bits of w0 and w1; scales 4..7 are the
// low nibbles of w2 topped with the high 2 bits of w0, minimums 4..7 the high nibbles
// of w2 topped with the high 2 bits of w1. Returns the scales' bytes, sets the minimums'.
uint64_t k4_scales_mins(const uint8_t* s, uint64_t* mins) {
    const uint32_t w0 = load_u32(s), w1 = load_u32(s + 4), w2 = load_u32(s + 8);
    const uint32_t sc_lo = w0 & 0x3F3F3F3Fu, m_lo = w1 & 0x3F3F3F3Fu;
    const uint32_t sc_hi = (w2 & 0x0F0F0F0Fu) | ((w0 >> 2) & 0x30303030u);
    const uint32_t m_hi = ((w2 >> 4) & 0x0F0F0F0Fu) | ((w1 >> 2) & 0x30303030u);
    *mins = m_lo | (static_cast<uint64_t>(m_hi) << 32);
    return sc_lo | (static_cast<uint64_t>(sc_hi) << 32);
}

// Q3_K's 16 scales (6 bits, offset 32) from 12 bytes: the low 4 bits are the nibbles of
// bytes 0..7 (low nibbles: scales 0..7, high: 8..15); the high 2 bits of scale i are bits
// 2 (i / 4) .. +1 of byte 8 + i % 4.
LL_AVX2 inline __m128i q3_k_scales(const uint8_t* s) {
    const __m128i lo8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(s));
    const __m128i m4 = _mm_set1_epi8(0x0F);
    const __m128i low =
        _mm_unpacklo_epi64(_mm_and_si128(lo8, m4), _mm_and_si128(_mm_srli_epi16(lo8, 4), m4));
    // Lane j of the four 32-bit lanes holds bytes 8..11 shifted right by 2 j: its byte b
    // is then scale 4 j + b's high pair in bits 0..1.
    const __m128i high =
        _mm_and_si128(_mm_srlv_epi32(_mm_set1_epi32(static_cast<int>(load_u32(s + 8))),
                                     _mm_setr_epi32(0, 2, 4, 6)),
                      _mm_set1_epi8(3));
    return _mm_sub_epi8(_mm_or_si128(low, _mm_slli_epi16(high, 4)), _mm_set1_epi8(32));
}

}  // namespace

// Q2_K (84 B): scales[16] (low nibble scale, high nibble minimum, per 16 elements),
// qs[64], d, dmin. Each half of 128 elements is 32 bytes of qs read four times, two bits
// at a time (shift 0, 2, 4, 6): bits 2j..2j+1 of byte l are element 32j + l of the half.
LL_AVX2 float dot_q2_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 84;
    const __m256i three = _mm256_set1_epi8(3);
    const __m256i pairs_lo = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3),
                  pairs_hi = _mm256_setr_epi32(4, 4, 5, 5, 6, 6, 7, 7);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    __m256 mins = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const __m256 dx = _mm256_loadu_ps(a.d + sb * 8);
        alignas(32) float ds[8];
        _mm256_store_ps(ds, _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b + 80))), dx));
        // Minimums: sum over the 16 groups of m_g * sum(x_g) * dx, eight groups at a time.
        const __m256 dmin = _mm256_set1_ps(_cvtsh_ss(load_u16(b + 82)));
        const __m256i scales =
            scales_even_odd(_mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b)),
                                          _mm_set1_epi8(0x0F)),
                            false);
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
            const __m128i m8 = _mm_and_si128(
                _mm_srli_epi16(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + 8 * h)), 4),
                _mm_set1_epi8(0x0F));
            const __m256i msum =
                _mm256_mullo_epi32(_mm256_cvtepu8_epi32(m8), load256(a.qsum16 + sb * 16 + 8 * h));
            const __m256 dxg = _mm256_permutevar8x32_ps(dx, h == 0 ? pairs_lo : pairs_hi);
            mins = _mm256_fmadd_ps(_mm256_mul_ps(dmin, dxg), _mm256_cvtepi32_ps(msum), mins);
        }
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
            const __m256i raw = load256(b + 16 + 32 * half);
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const int run = 4 * half + j;  // its 16-element groups: 2 run, 2 run + 1
                const __m256i q = _mm256_and_si256(_mm256_srli_epi16(raw, 2 * j), three);
                const __m256i isum = _mm256_madd_epi16(
                    _mm256_maddubs_epi16(q, load256(a.q + (sb * 8 + run) * kBlock)),
                    run_scales(scales, run));
                acc[j] = _mm256_fmadd_ps(_mm256_set1_ps(ds[run]), _mm256_cvtepi32_ps(isum), acc[j]);
            }
        }
    }
    return hsum256(_mm256_sub_ps(sum4(acc), mins));
}

// Q3_K (110 B): hmask[32], qs[64], scales[12] (16 six-bit scales, offset 32), d. The
// two low bits come from qs as in Q2_K; the third is bit 4 * half + j of hmask[l], and
// a clear bit means 4 less: q = (low | hbit << 2) - 4, in -4..3.
LL_AVX2 float dot_q3_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 110;
    const __m256i three = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1),
                  four = _mm256_set1_epi8(4);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        alignas(32) float ds[8];
        _mm256_store_ps(ds, _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b + 108))),
                                          _mm256_loadu_ps(a.d + sb * 8)));
        const __m256i scales = scales_even_odd(q3_k_scales(b + 96), true);
        const __m256i hmask = load256(b);
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
            const __m256i raw = load256(b + 32 + 32 * half);
#pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                const int run = 4 * half + j;
                const __m256i low = _mm256_and_si256(_mm256_srli_epi16(raw, 2 * j), three);
                const __m256i hbit = _mm256_and_si256(_mm256_srli_epi16(hmask, run), one);
                const __m256i w =
                    _mm256_sub_epi8(_mm256_or_si256(low, _mm256_slli_epi16(hbit, 2)), four);
                const __m256i isum = idot32_i8_scaled(w, load256(a.q + (sb * 8 + run) * kBlock),
                                                      run_scales(scales, run));
                acc[j] = _mm256_fmadd_ps(_mm256_set1_ps(ds[run]), _mm256_cvtepi32_ps(isum), acc[j]);
            }
        }
    }
    return hsum256(sum4(acc));
}

// Q4_K (144 B): d, dmin, scales[12], qs[128]; Q5_K (176 B): d, dmin, scales[12], qh[32],
// qs[128]. 32 bytes of qs give two whole runs (low nibbles: run 2k, high: run 2k + 1);
// Q5_K's fifth bit of run g's element l is bit g of qh[l]. The quants are unsigned
// (0..15 or 0..31), which maddubs takes as they are; the minimums are
// dmin * m_g * dx * sum(x_g), eight runs in one vector multiply-add.
// One super-block (sb) of one row into that row's accumulators.
template <bool kFifthBit>
LL_AVX2 inline __attribute__((always_inline)) void k4_k5_block(const uint8_t* row, const Act& a,
                                                               int64_t sb, __m256* acc,
                                                               __m256& mins) {
    constexpr int64_t kBytes = kFifthBit ? 176 : 144;
    constexpr int64_t kQs = kFifthBit ? 48 : 16;
    const __m256i mask = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1);
    const uint8_t* b = row + sb * kBytes;
    prefetch(b);
    const __m256 dx = _mm256_loadu_ps(a.d + sb * 8);
    uint64_t m8 = 0;
    const uint64_t sc8 = k4_scales_mins(b + 4, &m8);
    alignas(32) float ds[8];
    _mm256_store_ps(
        ds,
        _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b))), u8x8_to_ps(sc8)), dx));
    const __m256 dm = _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b + 2))), u8x8_to_ps(m8));
    mins =
        _mm256_fmadd_ps(_mm256_mul_ps(dm, dx), _mm256_cvtepi32_ps(load256(a.qsum + sb * 8)), mins);
    const __m256i qh = kFifthBit ? load256(b + 16) : _mm256_setzero_si256();
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
        const __m256i raw = load256(b + kQs + 32 * k);
        __m256i q[2] = {_mm256_and_si256(raw, mask),
                        _mm256_and_si256(_mm256_srli_epi16(raw, 4), mask)};
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
            const int g = 2 * k + h;
            if (kFifthBit) {
                const __m256i bit = _mm256_and_si256(_mm256_srli_epi16(qh, g), one);
                q[h] = _mm256_or_si256(q[h], _mm256_slli_epi16(bit, 4));
            }
            const __m256i isum = idot32_u8(q[h], load256(a.q + (sb * 8 + g) * kBlock));
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(ds[g]), _mm256_cvtepi32_ps(isum), acc[k]);
        }
    }
}

template <bool kFifthBit>
LL_AVX2 inline float dot_k4_k5(const uint8_t* row, const Act& a, int64_t cols) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    __m256 mins = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) k4_k5_block<kFifthBit>(row, a, sb, acc, mins);
    return hsum256(_mm256_sub_ps(sum4(acc), mins));
}

// Two rows, super-block by super-block: each row sums exactly as dot_k4_k5 does.
template <bool kFifthBit>
LL_AVX2 inline void dot2_k4_k5(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols,
                               float* out) {
    __m256 acc0[4], acc1[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) acc0[k] = acc1[k] = _mm256_setzero_ps();
    __m256 mins0 = _mm256_setzero_ps(), mins1 = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        k4_k5_block<kFifthBit>(r0, a, sb, acc0, mins0);
        k4_k5_block<kFifthBit>(r1, a, sb, acc1, mins1);
    }
    out[0] = hsum256(_mm256_sub_ps(sum4(acc0), mins0));
    out[1] = hsum256(_mm256_sub_ps(sum4(acc1), mins1));
}

LL_AVX2 float dot_q4_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_k4_k5<false>(row, a, cols);
}

LL_AVX2 float dot_q5_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_k4_k5<true>(row, a, cols);
}

LL_AVX2 void dot2_q4_k_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols,
                            float* out) {
    dot2_k4_k5<false>(r0, r1, a, cols, out);
}

LL_AVX2 void dot2_q5_k_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols,
                            float* out) {
    dot2_k4_k5<true>(r0, r1, a, cols, out);
}

// Q6_K (210 B): ql[128], qh[64], scales[16] int8, d. Per half of 128 elements: 64 bytes
// of ql (low nibbles: runs 0 and 1, high nibbles: runs 2 and 3) and 32 of qh (bit pair
// 2k..2k+1 of qh[l] tops run k's element l); q = (nibble | pair << 4) - 32, in -32..31.
LL_AVX2 inline __attribute__((always_inline)) void q6_k_block(const uint8_t* row, const Act& a,
                                                              int64_t sb, __m256* acc) {
    constexpr int64_t kBytes = 210;
    const __m256i m4 = _mm256_set1_epi8(0x0F), m30 = _mm256_set1_epi8(0x30),
                  bias = _mm256_set1_epi8(32);
    const uint8_t* b = row + sb * kBytes;
    prefetch(b);
    prefetch(b + 64);
    prefetch(b + 128);
    const __m256i scales =
        scales_even_odd(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 192)), true);
    alignas(32) float ds[8];
    _mm256_store_ps(ds, _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b + 208))),
                                      _mm256_loadu_ps(a.d + sb * 8)));
#pragma GCC unroll 2
    for (int half = 0; half < 2; ++half) {
        const __m256i ql0 = load256(b + 64 * half), ql1 = load256(b + 64 * half + 32);
        const __m256i qh = load256(b + 128 + 32 * half);
        // The pair moved to bits 4..5 of each byte (16-bit shifts, then masked per byte).
        const __m256i q[4] = {
            _mm256_or_si256(_mm256_and_si256(ql0, m4),
                            _mm256_and_si256(_mm256_slli_epi16(qh, 4), m30)),
            _mm256_or_si256(_mm256_and_si256(ql1, m4),
                            _mm256_and_si256(_mm256_slli_epi16(qh, 2), m30)),
            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4),
                            _mm256_and_si256(qh, m30)),
            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4),
                            _mm256_and_si256(_mm256_srli_epi16(qh, 2), m30)),
        };
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            const int run = 4 * half + k;
            const __m256i isum =
                idot32_i8_scaled(_mm256_sub_epi8(q[k], bias),
                                 load256(a.q + (sb * 8 + run) * kBlock), run_scales(scales, run));
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(ds[run]), _mm256_cvtepi32_ps(isum), acc[k]);
        }
    }
}

LL_AVX2 float dot_q6_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    for (int64_t sb = 0; sb < cols / 256; ++sb) q6_k_block(row, a, sb, acc);
    return hsum256(sum4(acc));
}

LL_AVX2 void dot2_q6_k_avx2(const uint8_t* r0, const uint8_t* r1, const Act& a, int64_t cols,
                            float* out) {
    __m256 acc0[4], acc1[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) acc0[k] = acc1[k] = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        q6_k_block(r0, a, sb, acc0);
        q6_k_block(r1, a, sb, acc1);
    }
    out[0] = hsum256(sum4(acc0));
    out[1] = hsum256(sum4(acc1));
}

// IQ4_XS (136 B): d, scales_h (u16), scales_l[4], qs[128]: 8 runs of IQ4_NL nibbles
// (16 bytes each), run g scaled by d * (6-bit scale - 32).
LL_AVX2 float dot_iq4_xs_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 136;
    const __m256i table = _mm256_broadcastsi128_si256(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(kIq4nlValues)));
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(),
                     _mm256_setzero_ps()};
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        // The 8 run scales: low nibbles from scales_l, high pairs from scales_h.
        const uint32_t lo = load_u32(b + 4), hi = load_u16(b + 2);
        uint64_t ls = 0;
#pragma GCC unroll 8
        for (int g = 0; g < 8; ++g) {
            const uint64_t v = ((lo >> (4 * g)) & 0x0F) | (((hi >> (2 * g)) & 3) << 4);
            ls |= v << (8 * g);
        }
        alignas(32) float ds[8];
        const __m256 scales = _mm256_sub_ps(u8x8_to_ps(ls), _mm256_set1_ps(32.0f));
        _mm256_store_ps(ds,
                        _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b))), scales),
                                      _mm256_loadu_ps(a.d + sb * 8)));
#pragma GCC unroll 8
        for (int g = 0; g < 8; ++g) {
            const __m256i w = _mm256_shuffle_epi8(table, nibbles32(b + 8 + 16 * g));
            const __m256 dot = dot32_i8(w, load256(a.q + (sb * 8 + g) * kBlock));
            acc[g & 3] = _mm256_fmadd_ps(_mm256_set1_ps(ds[g]), dot, acc[g & 3]);
        }
    }
    return hsum256(sum4(acc));
}

// ---------------------------------------------------------------- AVX-512 VNNI
// Two runs (64 elements) per 512-bit register, and vpdpbusd sums four u8 x s8 products
// straight into int32 lanes (one instruction for maddubs + madd). Each pair of runs'
// float scales is one lane permutation of the super-block's scales.

namespace {

// Unsigned weight bytes times signed activation bytes, 16 int32 lane sums.
LL_AVX512VNNI inline __m512i idot64(__m512i w, __m512i x) {
    return _mm512_dpbusd_epi32(_mm512_setzero_si512(), w, x);
}

// The 8 run scales of a super-block (a 256-bit vector) spread so that lanes 0..7 hold
// run r's and lanes 8..15 run r + 1's: the layout of idot64's sums for that pair.
LL_AVX512VNNI inline __m512 pair_scales(__m512 scales8, int r) {
    const __m512i idx = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi32(r)),
                                           _mm256_set1_epi32(r + 1), 1);
    return _mm512_permutexvar_ps(idx, scales8);
}

// A 256-bit vector in both halves of a 512-bit one.
LL_AVX512VNNI inline __m512i both_halves(__m256i v) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(v), v, 1);
}

// Shift counts for the 16-bit lanes of the low and the high half.
LL_AVX512VNNI inline __m512i half_counts(int lo, int hi) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi16(static_cast<int16_t>(lo))),
                              _mm256_set1_epi16(static_cast<int16_t>(hi)), 1);
}

// For the types with a scale per 16 elements (Q2_K, Q3_K, Q6_K): `s16` holds all 16
// group scales of the super-block (times d and the activation scale of their run); a
// pair of runs starting at `run` has groups 2 run .. 2 run + 3 in lanes 4j .. 4j + 3.
LL_AVX512VNNI inline __m512 group_scales(__m512 s16, int run) {
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512i idx = _mm512_add_epi32(_mm512_set1_epi32(2 * run), _mm512_srli_epi32(lane, 2));
    return _mm512_permutexvar_ps(idx, s16);
}

// d * scale_g * dx_(g / 2) for the 16 groups g, from their integer scales.
// The activation scale of each of the 16 groups' run (group g is in run g / 2).
LL_AVX512VNNI inline __m512 dx_by_group(const float* dx8) {
    const __m512i run_of_group = _mm512_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    return _mm512_permutexvar_ps(run_of_group, _mm512_castps256_ps512(_mm256_loadu_ps(dx8)));
}

LL_AVX512VNNI inline __m512 scales_by_group(float d, __m512i sc16, const float* dx8) {
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(d), _mm512_cvtepi32_ps(sc16)),
                         dx_by_group(dx8));
}

LL_AVX512VNNI inline float sum4_512(const __m512 acc[4]) {
    return _mm512_reduce_add_ps(
        _mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3])));
}

}  // namespace

// Q4_K/Q5_K: the 32 bytes of qs holding runs 2k (low nibbles) and 2k + 1 (high nibbles)
// go into both halves, shifted by 0 and 4; the fifth bits likewise by 2k and 2k + 1.
template <bool kFifthBit>
LL_AVX512VNNI inline float dot_k4_k5_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = kFifthBit ? 176 : 144;
    constexpr int64_t kQs = kFifthBit ? 48 : 16;
    const __m512i mask = _mm512_set1_epi8(0x0F), one = _mm512_set1_epi8(1);
    const __m512i nibble_shift = half_counts(0, 4);
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
    __m256 mins = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const __m256 dx = _mm256_loadu_ps(a.d + sb * 8);
        uint64_t m8 = 0;
        const uint64_t sc8 = k4_scales_mins(b + 4, &m8);
        const __m256 ds = _mm256_mul_ps(
            _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b))), u8x8_to_ps(sc8)), dx);
        const __m512 ds512 = _mm512_castps256_ps512(ds);
        const __m256 dm = _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b + 2))), u8x8_to_ps(m8));
        mins = _mm256_fmadd_ps(_mm256_mul_ps(dm, dx), _mm256_cvtepi32_ps(load256(a.qsum + sb * 8)),
                               mins);
        const __m512i qh = kFifthBit ? both_halves(load256(b + 16)) : _mm512_setzero_si512();
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
            __m512i q = _mm512_and_si512(
                _mm512_srlv_epi16(both_halves(load256(b + kQs + 32 * k)), nibble_shift), mask);
            if (kFifthBit) {
                const __m512i bit =
                    _mm512_and_si512(_mm512_srlv_epi16(qh, half_counts(2 * k, 2 * k + 1)), one);
                q = _mm512_or_si512(q, _mm512_slli_epi16(bit, 4));
            }
            const __m512i isum = idot64(q, _mm512_loadu_si512(a.q + (sb * 8 + 2 * k) * kBlock));
            acc[k] = _mm512_fmadd_ps(pair_scales(ds512, 2 * k), _mm512_cvtepi32_ps(isum), acc[k]);
        }
    }
    return sum4_512(acc) - hsum256(mins);
}

LL_AVX512VNNI float dot_q4_k_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_k4_k5_vnni<false>(row, a, cols);
}

LL_AVX512VNNI float dot_q5_k_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    return dot_k4_k5_vnni<true>(row, a, cols);
}

// Q6_K: per half, the 64 bytes of ql are runs 0 | 1 (low nibbles) and 2 | 3 (high
// nibbles) as they lie; qh in both halves gives each run its bit pair. The quants stay
// unsigned (0..63) and the -32 is one more vpdpbusd of 32s with x. The 16-element
// scales: all 16 of the super-block times d and their run's activation scale in one
// float vector, and lanes 4g..4g+3 of a pair's sums are group 4p + g's.
LL_AVX512VNNI float dot_q6_k_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 210;
    const __m512i m4 = _mm512_set1_epi8(0x0F), m30 = _mm512_set1_epi8(0x30),
                  bias = _mm512_set1_epi8(32);
    const __m512i pair_a = half_counts(4, 2);  // runs 0 | 1: qh << 4, qh << 2
    const __m512i pair_b = half_counts(0, 2);  // runs 2 | 3: qh, qh >> 2
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        prefetch(b + 64);
        prefetch(b + 128);
        const __m512 s16 = scales_by_group(
            _cvtsh_ss(load_u16(b + 208)),
            _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 192))),
            a.d + sb * 8);
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
            const __m512i ql = _mm512_loadu_si512(b + 64 * half);
            const __m512i qh = both_halves(load256(b + 128 + 32 * half));
            const __m512i q[2] = {
                _mm512_or_si512(_mm512_and_si512(ql, m4),
                                _mm512_and_si512(_mm512_sllv_epi16(qh, pair_a), m30)),
                _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql, 4), m4),
                                _mm512_and_si512(_mm512_srlv_epi16(qh, pair_b), m30)),
            };
#pragma GCC unroll 2
            for (int p = 0; p < 2; ++p) {
                const int run = 4 * half + 2 * p;
                const __m512i x = _mm512_loadu_si512(a.q + (sb * 8 + run) * kBlock);
                const __m512i isum = _mm512_sub_epi32(idot64(q[p], x), idot64(bias, x));
                acc[2 * half + p] = _mm512_fmadd_ps(group_scales(s16, run),
                                                    _mm512_cvtepi32_ps(isum), acc[2 * half + p]);
            }
        }
    }
    return sum4_512(acc);
}

// Q2_K / Q3_K: per half, the 32 bytes of qs in both halves of a register shifted by 2j
// for runs j and j + 1; Q3_K adds its hmask bits (bit `run` of hmask[l]) as bit 2 and
// subtracts 4 with a second vpdpbusd, as Q6_K does.
LL_AVX512VNNI float dot_q2_k_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 84;
    const __m512i three = _mm512_set1_epi8(3);
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
    __m512 mins = _mm512_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const __m128i scale_bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
        const __m128i m4 = _mm_set1_epi8(0x0F);
        const __m512 dx16 = dx_by_group(a.d + sb * 8);
        const __m512 s16 = _mm512_mul_ps(
            _mm512_mul_ps(_mm512_set1_ps(_cvtsh_ss(load_u16(b + 80))),
                          _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_and_si128(scale_bytes, m4)))),
            dx16);
        // Minimums: dmin * m_g * dx * sum(x_g) for all 16 groups in one multiply-add.
        const __m512 m16 = _mm512_cvtepi32_ps(
            _mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(scale_bytes, 4), m4)));
        const __m512 dm16 =
            _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(_cvtsh_ss(load_u16(b + 82))), m16), dx16);
        mins =
            _mm512_fmadd_ps(dm16, _mm512_cvtepi32_ps(_mm512_loadu_si512(a.qsum16 + sb * 16)), mins);
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
            const __m512i raw = both_halves(load256(b + 16 + 32 * half));
#pragma GCC unroll 2
            for (int p = 0; p < 2; ++p) {
                const int run = 4 * half + 2 * p;
                const __m512i q =
                    _mm512_and_si512(_mm512_srlv_epi16(raw, half_counts(4 * p, 4 * p + 2)), three);
                const __m512i isum = idot64(q, _mm512_loadu_si512(a.q + (sb * 8 + run) * kBlock));
                acc[2 * half + p] = _mm512_fmadd_ps(group_scales(s16, run),
                                                    _mm512_cvtepi32_ps(isum), acc[2 * half + p]);
            }
        }
    }
    return sum4_512(acc) - _mm512_reduce_add_ps(mins);
}

LL_AVX512VNNI float dot_q3_k_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 110;
    const __m512i three = _mm512_set1_epi8(3), four = _mm512_set1_epi8(4);
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const __m512 s16 = scales_by_group(_cvtsh_ss(load_u16(b + 108)),
                                           _mm512_cvtepi8_epi32(q3_k_scales(b + 96)), a.d + sb * 8);
        const __m512i hmask = both_halves(load256(b));
#pragma GCC unroll 2
        for (int half = 0; half < 2; ++half) {
            const __m512i raw = both_halves(load256(b + 32 + 32 * half));
#pragma GCC unroll 2
            for (int p = 0; p < 2; ++p) {
                const int run = 4 * half + 2 * p;
                const __m512i low =
                    _mm512_and_si512(_mm512_srlv_epi16(raw, half_counts(4 * p, 4 * p + 2)), three);
                // Bit `run` (low half) and `run + 1` (high half) of hmask, as a byte mask.
                const __m512i bit =
                    _mm512_inserti64x4(_mm512_set1_epi8(static_cast<char>(1 << run)),
                                       _mm256_set1_epi8(static_cast<char>(1 << (run + 1))), 1);
                const __m512i q =
                    _mm512_mask_add_epi8(low, _mm512_test_epi8_mask(hmask, bit), low, four);
                const __m512i x = _mm512_loadu_si512(a.q + (sb * 8 + run) * kBlock);
                const __m512i isum = _mm512_sub_epi32(idot64(q, x), idot64(four, x));
                acc[2 * half + p] = _mm512_fmadd_ps(group_scales(s16, run),
                                                    _mm512_cvtepi32_ps(isum), acc[2 * half + p]);
            }
        }
    }
    return sum4_512(acc);
}

// IQ4_XS: runs g and g + 1 are 32 consecutive bytes; each 128-bit lane gets one run's low
// or high nibbles, looked up in IQ4_NL's table moved up by 128 (unsigned: 1..241), and
// the 128 comes off with a second vpdpbusd.
LL_AVX512VNNI float dot_iq4_xs_vnni(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 136;
    const __m512i table =
        _mm512_broadcast_i32x4(_mm_load_si128(reinterpret_cast<const __m128i*>(kIq4nlPlus128.v)));
    const __m512i mask = _mm512_set1_epi8(0x0F), c128 = _mm512_set1_epi8(static_cast<char>(128));
    const __m512i shifts = _mm512_setr_epi64(0, 0, 4, 4, 0, 0, 4, 4);
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(),
                     _mm512_setzero_ps()};
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const uint32_t lo = load_u32(b + 4), hi = load_u16(b + 2);
        uint64_t ls = 0;
#pragma GCC unroll 8
        for (int g = 0; g < 8; ++g) {
            const uint64_t v = ((lo >> (4 * g)) & 0x0F) | (((hi >> (2 * g)) & 3) << 4);
            ls |= v << (8 * g);
        }
        const __m256 scales = _mm256_sub_ps(u8x8_to_ps(ls), _mm256_set1_ps(32.0f));
        const __m512 ds = _mm512_castps256_ps512(
            _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b))), scales),
                          _mm256_loadu_ps(a.d + sb * 8)));
#pragma GCC unroll 4
        for (int p = 0; p < 4; ++p) {
            const __m512i two = _mm512_castsi256_si512(load256(b + 8 + 32 * p));
            const __m512i dup = _mm512_shuffle_i64x2(two, two, _MM_SHUFFLE(1, 1, 0, 0));
            const __m512i nib = _mm512_and_si512(_mm512_srlv_epi64(dup, shifts), mask);
            const __m512i w = _mm512_shuffle_epi8(table, nib);
            const __m512i x = _mm512_loadu_si512(a.q + (sb * 8 + 2 * p) * kBlock);
            const __m512i isum = _mm512_sub_epi32(idot64(w, x), idot64(c128, x));
            acc[p] = _mm512_fmadd_ps(pair_scales(ds, 2 * p), _mm512_cvtepi32_ps(isum), acc[p]);
        }
    }
    return sum4_512(acc);
}

}  // namespace ll::qdot
