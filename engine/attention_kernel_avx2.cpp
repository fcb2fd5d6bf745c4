// The attention kernel at AVX2 + FMA + F16C: 8 floats per register.
#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <vector>

#include "attention_kernel_impl.h"

#define LL_ATTN_TARGET __attribute__((target("avx2,fma,f16c")))

namespace ll::attn {
namespace avx2 {

struct Vec {
    using V = __m256;
    static constexpr int kWidth = 8;
    LL_ATTN_TARGET static V zero() { return _mm256_setzero_ps(); }
    LL_ATTN_TARGET static V set1(float x) { return _mm256_set1_ps(x); }
    LL_ATTN_TARGET static V load_q(const float* p) { return _mm256_loadu_ps(p); }
    LL_ATTN_TARGET static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
    LL_ATTN_TARGET static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
    LL_ATTN_TARGET static V fmadd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
    LL_ATTN_TARGET static __m256 fold(V v) { return v; }
};

struct F32Rows {
    LL_ATTN_TARGET static __m256 load(const uint8_t* row, int64_t e) {
        return _mm256_loadu_ps(reinterpret_cast<const float*>(row) + e);
    }
};

struct F16Rows {
    LL_ATTN_TARGET static __m256 load(const uint8_t* row, int64_t e) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * e)));
    }
};

// q8_0: 34-byte blocks of an fp16 scale and 32 int8; 8 elements never cross a block.
struct Q8Rows {
    LL_ATTN_TARGET static __m256 load(const uint8_t* row, int64_t e) {
        const uint8_t* b = row + (e / 32) * 34;
        uint16_t d;
        std::memcpy(&d, b, 2);
        const __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(b + 2 + e % 32));
        return _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(d)),
                             _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)));
    }
};

#include "attention_kernel_simd.inc"

}  // namespace avx2

void attend_pack_avx2(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                      PackState& state) {
    avx2::attend(kv, pack, k0, k1, state);
}

void pack_weights_avx2(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                       float* w) {
    avx2::weights(kv, pack, k0, k1, w);
}

}  // namespace ll::attn
