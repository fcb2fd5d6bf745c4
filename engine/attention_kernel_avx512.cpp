// The attention kernel at AVX-512 (F, BW, VL, DQ): 16 floats per register for the key and
// value rows; the per-row softmax statistics stay 8 lanes (one per pack row).
#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <vector>

#include "attention_kernel_impl.h"

// GCC 12's AVX-512 headers seed _mm512_undefined_*() from themselves and then warn about
// it (GCC bug 105593); the values are never read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

#define LL_ATTN_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,fma,f16c")))

namespace ll::attn {
namespace avx512 {

struct Vec {
    using V = __m512;
    static constexpr int kWidth = 16;
    LL_ATTN_TARGET static V zero() { return _mm512_setzero_ps(); }
    LL_ATTN_TARGET static V set1(float x) { return _mm512_set1_ps(x); }
    LL_ATTN_TARGET static V load_q(const float* p) { return _mm512_loadu_ps(p); }
    LL_ATTN_TARGET static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
    LL_ATTN_TARGET static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
    LL_ATTN_TARGET static V fmadd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
    // The two halves added: 8 lanes whose sum is the register's.
    LL_ATTN_TARGET static __m256 fold(V v) {
        return _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
    }
};

struct F32Rows {
    LL_ATTN_TARGET static __m512 load(const uint8_t* row, int64_t e) {
        return _mm512_loadu_ps(reinterpret_cast<const float*>(row) + e);
    }
};

struct F16Rows {
    LL_ATTN_TARGET static __m512 load(const uint8_t* row, int64_t e) {
        return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 2 * e)));
    }
};

// q8_0: 34-byte blocks of an fp16 scale and 32 int8; 16 elements never cross a block.
struct Q8Rows {
    LL_ATTN_TARGET static __m512 load(const uint8_t* row, int64_t e) {
        const uint8_t* b = row + (e / 32) * 34;
        uint16_t d;
        std::memcpy(&d, b, 2);
        const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 2 + e % 32));
        return _mm512_mul_ps(_mm512_set1_ps(_cvtsh_ss(d)),
                             _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)));
    }
};

#include "attention_kernel_simd.inc"

}  // namespace avx512

void attend_pack_avx512(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                        PackState& state) {
    avx512::attend(kv, pack, k0, k1, state);
}

void pack_weights_avx512(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                         float* w) {
    avx512::weights(kv, pack, k0, k1, w);
}

}  // namespace ll::attn
