// Decode kernels for the 256-element super-block types: Q2_K, Q3_K, Q4_K, Q5_K, Q6_K and
// IQ4_XS, at AVX2 (the AVX-512 levels use these too; see quant_dot.cpp's table).
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
#include "quant.h"
#include "quant_dot_impl.h"

namespace ll::qdot {
namespace {

// The two 16-element scales of a run as 16 int16 lanes: lanes 0..7 hold the pair sums
// of elements 0..15 (maddubs's order within the low 128 bits), lanes 8..15 those of 16..31.
LL_AVX2 inline __m256i scales16(int s0, int s1) {
    return _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>(s1)),
                            _mm_set1_epi16(static_cast<int16_t>(s0)));
}

// Signed quants times signed activations, each 16-element half weighted by its scale.
LL_AVX2 inline __m256i idot32_i8_scaled(__m256i w, __m256i x, __m256i scales) {
    const __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
    return _mm256_madd_epi16(p16, scales);
}

// Q4_K/Q5_K: 8 six-bit scales and 8 six-bit minimums in 12 bytes.
void k4_scale_min(const uint8_t* s, int g, int* sc, int* m) {
    if (g < 4) {
        *sc = s[g] & 63;
        *m = s[g + 4] & 63;
    } else {
        *sc = (s[g + 4] & 0x0F) | ((s[g - 4] >> 6) << 4);
        *m = (s[g + 4] >> 4) | ((s[g] >> 6) << 4);
    }
}

// Q3_K scale i (0..15): low 4 bits in the nibbles of bytes 0..7, high 2 bits in bytes 8..11.
int q3_k_scale(const uint8_t* s, int i) {
    const int low = i < 8 ? (s[i] & 0x0F) : (s[i - 8] >> 4);
    const int high = (s[8 + i % 4] >> (2 * (i / 4))) & 3;
    return (low | (high << 4)) - 32;
}

}  // namespace

// Q2_K (84 B): scales[16] (low nibble scale, high nibble minimum, per 16 elements),
// qs[64], d, dmin. Each half of 128 elements is 32 bytes of qs read four times, two bits
// at a time (shift 0, 2, 4, 6): bits 2j..2j+1 of byte l are element 32j + l of the half.
LL_AVX2 float dot_q2_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 84;
    const __m256i three = _mm256_set1_epi8(3);
    __m256 acc = _mm256_setzero_ps();
    float mins = 0.0f;
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const float d = _cvtsh_ss(load_u16(b + 80)), dmin = _cvtsh_ss(load_u16(b + 82));
        for (int half = 0; half < 2; ++half) {
            const __m256i raw = load256(b + 16 + 32 * half);
            for (int j = 0; j < 4; ++j) {
                const int g = 8 * half + 2 * j;  // this run's 16-element groups: g, g + 1
                const int64_t blk = sb * 8 + 4 * half + j;
                const __m256i q = _mm256_and_si256(_mm256_srli_epi16(raw, 2 * j), three);
                const __m256i sc = scales16(b[g] & 0x0F, b[g + 1] & 0x0F);
                const __m256i isum =
                    _mm256_madd_epi16(_mm256_maddubs_epi16(q, load256(a.q + blk * kBlock)), sc);
                acc = _mm256_fmadd_ps(_mm256_set1_ps(d * a.d[blk]), _mm256_cvtepi32_ps(isum), acc);
                const int32_t msum =
                    (b[g] >> 4) * a.qsum16[2 * blk] + (b[g + 1] >> 4) * a.qsum16[2 * blk + 1];
                mins += dmin * a.d[blk] * static_cast<float>(msum);
            }
        }
    }
    return hsum256(acc) - mins;
}

// Q3_K (110 B): hmask[32], qs[64], scales[12] (16 six-bit scales, offset 32), d. The
// two low bits come from qs as in Q2_K; the third is bit 4 * half + j of hmask[l], and
// a clear bit means 4 less: q = (low | hbit << 2) - 4, in -4..3.
LL_AVX2 float dot_q3_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 110;
    const __m256i three = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1),
                  four = _mm256_set1_epi8(4);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const float d = _cvtsh_ss(load_u16(b + 108));
        int sc[16];
        for (int i = 0; i < 16; ++i) sc[i] = q3_k_scale(b + 96, i);
        const __m256i hmask = load256(b);
        for (int half = 0; half < 2; ++half) {
            const __m256i raw = load256(b + 32 + 32 * half);
            for (int j = 0; j < 4; ++j) {
                const int g = 8 * half + 2 * j;
                const int64_t blk = sb * 8 + 4 * half + j;
                const __m256i low = _mm256_and_si256(_mm256_srli_epi16(raw, 2 * j), three);
                const __m256i hbit = _mm256_and_si256(_mm256_srli_epi16(hmask, 4 * half + j), one);
                const __m256i w =
                    _mm256_sub_epi8(_mm256_or_si256(low, _mm256_slli_epi16(hbit, 2)), four);
                const __m256i isum =
                    idot32_i8_scaled(w, load256(a.q + blk * kBlock), scales16(sc[g], sc[g + 1]));
                acc = _mm256_fmadd_ps(_mm256_set1_ps(d * a.d[blk]), _mm256_cvtepi32_ps(isum), acc);
            }
        }
    }
    return hsum256(acc);
}

// Q4_K (144 B): d, dmin, scales[12], qs[128]: 32 bytes of qs give two whole runs (low
// nibbles, high nibbles); maddubs takes the unsigned nibbles as they are.
LL_AVX2 float dot_q4_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 144;
    const __m256i mask = _mm256_set1_epi8(0x0F);
    __m256 acc = _mm256_setzero_ps();
    float mins = 0.0f;
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const float d = _cvtsh_ss(load_u16(b)), dmin = _cvtsh_ss(load_u16(b + 2));
        for (int k = 0; k < 4; ++k) {
            const __m256i raw = load256(b + 16 + 32 * k);
            const __m256i nib[2] = {_mm256_and_si256(raw, mask),
                                    _mm256_and_si256(_mm256_srli_epi16(raw, 4), mask)};
            for (int h = 0; h < 2; ++h) {
                const int g = 2 * k + h;
                int sc = 0, m = 0;
                k4_scale_min(b + 4, g, &sc, &m);
                const int64_t blk = sb * 8 + g;
                const __m256i isum = idot32_u8(nib[h], load256(a.q + blk * kBlock));
                acc = _mm256_fmadd_ps(_mm256_set1_ps(d * static_cast<float>(sc) * a.d[blk]),
                                      _mm256_cvtepi32_ps(isum), acc);
                mins += dmin * static_cast<float>(m) * a.d[blk] * static_cast<float>(a.qsum[blk]);
            }
        }
    }
    return hsum256(acc) - mins;
}

// Q5_K (176 B): d, dmin, scales[12], qh[32], qs[128]: Q4_K plus a fifth bit, bit g of
// qh[l] for element l of run g.
LL_AVX2 float dot_q5_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 176;
    const __m256i mask = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1);
    __m256 acc = _mm256_setzero_ps();
    float mins = 0.0f;
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const float d = _cvtsh_ss(load_u16(b)), dmin = _cvtsh_ss(load_u16(b + 2));
        const __m256i qh = load256(b + 16);
        for (int k = 0; k < 4; ++k) {
            const __m256i raw = load256(b + 48 + 32 * k);
            const __m256i nib[2] = {_mm256_and_si256(raw, mask),
                                    _mm256_and_si256(_mm256_srli_epi16(raw, 4), mask)};
            for (int h = 0; h < 2; ++h) {
                const int g = 2 * k + h;
                int sc = 0, m = 0;
                k4_scale_min(b + 4, g, &sc, &m);
                const int64_t blk = sb * 8 + g;
                const __m256i high =
                    _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, g), one), 4);
                const __m256i q = _mm256_or_si256(nib[h], high);
                const __m256i isum = idot32_u8(q, load256(a.q + blk * kBlock));
                acc = _mm256_fmadd_ps(_mm256_set1_ps(d * static_cast<float>(sc) * a.d[blk]),
                                      _mm256_cvtepi32_ps(isum), acc);
                mins += dmin * static_cast<float>(m) * a.d[blk] * static_cast<float>(a.qsum[blk]);
            }
        }
    }
    return hsum256(acc) - mins;
}

// Q6_K (210 B): ql[128], qh[64], scales[16] int8, d. Per half of 128 elements: 64 bytes
// of ql (low nibbles: runs 0 and 1, high nibbles: runs 2 and 3) and 32 of qh (bit pair
// 2k..2k+1 of qh[l] tops run k's element l); q = (nibble | pair << 4) - 32, in -32..31.
LL_AVX2 float dot_q6_k_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 210;
    const __m256i m4 = _mm256_set1_epi8(0x0F), m30 = _mm256_set1_epi8(0x30),
                  bias = _mm256_set1_epi8(32);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        prefetch(b + 64);
        const auto* sc = reinterpret_cast<const int8_t*>(b + 192);
        const float d = _cvtsh_ss(load_u16(b + 208));
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
            for (int k = 0; k < 4; ++k) {
                const int g = 8 * half + 2 * k;
                const int64_t blk = sb * 8 + 4 * half + k;
                const __m256i isum =
                    idot32_i8_scaled(_mm256_sub_epi8(q[k], bias), load256(a.q + blk * kBlock),
                                     scales16(sc[g], sc[g + 1]));
                acc = _mm256_fmadd_ps(_mm256_set1_ps(d * a.d[blk]), _mm256_cvtepi32_ps(isum), acc);
            }
        }
    }
    return hsum256(acc);
}

// IQ4_XS (136 B): d, scales_h (u16), scales_l[4], qs[128]: 8 runs of IQ4_NL nibbles
// (16 bytes each), run g scaled by d * (6-bit scale - 32).
LL_AVX2 float dot_iq4_xs_avx2(const uint8_t* row, const Act& a, int64_t cols) {
    constexpr int64_t kBytes = 136;
    const __m256i table = _mm256_broadcastsi128_si256(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(kIq4nlValues)));
    __m256 acc = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < cols / 256; ++sb) {
        const uint8_t* b = row + sb * kBytes;
        prefetch(b);
        const float d = _cvtsh_ss(load_u16(b));
        const uint16_t scales_h = load_u16(b + 2);
        for (int g = 0; g < 8; ++g) {
            const int64_t blk = sb * 8 + g;
            const int low = (b[4 + g / 2] >> (4 * (g % 2))) & 0x0F;
            const int ls = (low | (((scales_h >> (2 * g)) & 3) << 4)) - 32;
            const __m256i w = _mm256_shuffle_epi8(table, nibbles32(b + 8 + 16 * g));
            const __m256 dot = dot32_i8(w, load256(a.q + blk * kBlock));
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d * static_cast<float>(ls) * a.d[blk]), dot, acc);
        }
    }
    return hsum256(acc);
}

}  // namespace ll::qdot
