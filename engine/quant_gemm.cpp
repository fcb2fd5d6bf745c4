#include "quant_gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "error.h"
#include "quant.h"
#include "quant_dot.h"
#include "quant_dot_impl.h"
#include "thread_pool.h"

// Layouts. Blocks are padded to an even count (a zero block with scale 0), so the AVX-512
// kernel always takes two blocks (64 bytes) per step.
//   activations  row t: q[t * pairs * 64 ...] int8 in element order, d[t * pairs * 2 ...]
//   panel        kRows weight rows, pair-major: bytes of pair p, row r at w[(p * kRows + r) * 64]
//                (block 2p then 2p + 1), their scales at d[(p * kRows + r) * 2]; for AVX2
//                also |w| (maddubs takes one operand unsigned), for VNNI the correction
//                -128 * (sum of each 4 weights) per int32 lane (it takes x + 128 unsigned).
// A panel is packed once per call and reused for every token, so unpacking costs
// 1/n of what dequantising per product would.

namespace ll {
namespace {

using namespace qdot;

constexpr int kRows = 4;  // weight rows per panel; every TinyLlama / Llama matrix is a multiple
constexpr int kMaxTokens = 4;

std::atomic<bool> g_enabled{true};
std::atomic<bool> g_forced{false};

struct Activations {
    const int8_t* q = nullptr;
    const float* d = nullptr;
    int64_t pairs = 0;
};

struct Panel {
    std::vector<int8_t> w;
    std::vector<uint8_t> wabs;
    std::vector<int32_t> corr;
    std::vector<float> d;
    std::vector<float> d8;  // AVX2: per block the 4 rows' scales, twice (the hadd tile's lanes)
    int64_t pairs = 0;

    void resize(int64_t p, bool vnni) {
        pairs = p;
        w.resize(static_cast<size_t>(p * kRows * 64));
        d.resize(static_cast<size_t>(p * kRows * 2));
        if (vnni)
            corr.resize(static_cast<size_t>(p * kRows * 16));
        else
            wabs.resize(w.size()), d8.resize(static_cast<size_t>(p * 2 * 8));
    }
    int8_t* block(int64_t b, int r) {
        return &w[static_cast<size_t>(((b / 2) * kRows + r) * 64 + (b & 1) * 32)];
    }
    float& scale(int64_t b, int r) {
        return d[static_cast<size_t>(((b / 2) * kRows + r) * 2 + (b & 1))];
    }
};

// ---------------------------------------------------------------- packing

void unpack_q8_0(const uint8_t* blk, int8_t* w, float* d) {
    *d = fp16_to_f32(load_u16(blk));
    std::memcpy(w, blk + 2, 32);
}

// Q4_0: the low nibble of byte j is element j, the high nibble element j + 16; value - 8.
void unpack_q4_0(const uint8_t* blk, int8_t* w, float* d) {
    *d = fp16_to_f32(load_u16(blk));
    for (int j = 0; j < 16; ++j) {
        w[j] = static_cast<int8_t>((blk[2 + j] & 0x0F) - 8);
        w[j + 16] = static_cast<int8_t>((blk[2 + j] >> 4) - 8);
    }
}

using UnpackFn = void (*)(const uint8_t*, int8_t*, float*);

// Rows [r0, r0 + rows) of the weight into the panel; missing rows (the last tile) and the
// padding block are zeros with scale 0, so they add nothing.
void pack(Panel& p, const Tensor& w, int64_t r0, int64_t rows, UnpackFn unpack, bool vnni) {
    const int64_t blocks = w.cols() / kBlock;
    const size_t row_bytes = w.bytes / static_cast<size_t>(w.rows());
    const size_t block_bytes = row_bytes / static_cast<size_t>(blocks);
    std::fill(p.w.begin(), p.w.end(), 0);
    std::fill(p.d.begin(), p.d.end(), 0.0f);
    for (int r = 0; r < rows; ++r) {
        const uint8_t* row = w.data + static_cast<size_t>(r0 + r) * row_bytes;
        for (int64_t b = 0; b < blocks; ++b)
            unpack(row + static_cast<size_t>(b) * block_bytes, p.block(b, r), &p.scale(b, r));
    }
    if (vnni) {
        for (size_t lane = 0; lane < p.corr.size(); ++lane) {
            const int8_t* q = &p.w[4 * lane];
            p.corr[lane] = -128 * (q[0] + q[1] + q[2] + q[3]);
        }
    } else {
        for (size_t i = 0; i < p.w.size(); ++i)
            p.wabs[i] = static_cast<uint8_t>(p.w[i] < 0 ? -p.w[i] : p.w[i]);
        for (int64_t b = 0; b < 2 * p.pairs; ++b)
            for (int k = 0; k < 8; ++k)
                p.d8[static_cast<size_t>(b * 8 + k)] = p.scale(b, k % kRows);
    }
}

// ---------------------------------------------------------------- AVX2
// Per block and token, for the panel's four rows: sign + maddubs (|w| times x with w's
// sign, pairs of products in int16), then the four rows' sums are folded into one register
// by horizontal adds (lanes 0-3 rows 0-3 of the low 16 elements, lanes 4-7 of the high 16)
// and take one convert, one scale and one add together. With kNarrow (Q4_0: |w| <= 8, so
// a whole block's sum fits int16) the folding runs on the int16 products and a single
// vpmaddwd widens all four rows. A first form with a convert/scale/add per row (six
// operations per 32 products, four on the multiply pipes) ran at 0.82x of dequantise +
// sgemm; this one ties with it (0.84-1.15x in CPU time, 1 thread, 5632 x 2048 x 512 tokens,
// Zen 4 under load), which is why matmul leaves AVX2 prefill to BLAS (kernels.cpp).
// T = 3 tokens per tile (2 and 4 measured no better).
template <int T, bool kNarrow>
LL_AVX2 void tile_avx2h(const Panel& p, const Activations& a, int64_t t0, float* out) {
    __m256 acc[T];
#pragma GCC unroll 4
    for (int t = 0; t < T; ++t) acc[t] = _mm256_setzero_ps();
    const __m256i ones = _mm256_set1_epi16(1);
    const int64_t stride_q = a.pairs * 64, stride_d = a.pairs * 2;
    const int8_t* xq = a.q + t0 * stride_q;
    const float* xd = a.d + t0 * stride_d;
    for (int64_t b = 0; b < 2 * p.pairs; ++b) {
        const size_t off = static_cast<size_t>(((b / 2) * kRows) * 64 + (b & 1) * 32);
        const __m256 dw = _mm256_loadu_ps(&p.d8[static_cast<size_t>(b * 8)]);
#pragma GCC unroll 4
        for (int t = 0; t < T; ++t) {
            const __m256i x = load256(xq + t * stride_q + b * kBlock);
            __m256i pr[kRows];
#pragma GCC unroll 4
            for (int r = 0; r < kRows; ++r) {
                const __m256i w = load256(&p.w[off + static_cast<size_t>(r) * 64]);
                const __m256i wa = load256(&p.wabs[off + static_cast<size_t>(r) * 64]);
                pr[r] = _mm256_maddubs_epi16(wa, _mm256_sign_epi8(x, w));
            }
            __m256i i32;
            if constexpr (kNarrow) {
                i32 = _mm256_madd_epi16(_mm256_hadd_epi16(_mm256_hadd_epi16(pr[0], pr[1]),
                                                          _mm256_hadd_epi16(pr[2], pr[3])),
                                        ones);
            } else {
#pragma GCC unroll 4
                for (int r = 0; r < kRows; ++r) pr[r] = _mm256_madd_epi16(pr[r], ones);
                i32 = _mm256_hadd_epi32(_mm256_hadd_epi32(pr[0], pr[1]),
                                        _mm256_hadd_epi32(pr[2], pr[3]));
            }
            const __m256 s = _mm256_mul_ps(dw, _mm256_broadcast_ss(xd + t * stride_d + b));
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i32), s, acc[t]);
        }
    }
    alignas(32) float lanes[8];
#pragma GCC unroll 4
    for (int t = 0; t < T; ++t) {
        _mm256_store_ps(lanes, acc[t]);
        for (int r = 0; r < kRows; ++r) out[t * kRows + r] = lanes[r] + lanes[r + 4];
    }
}

// ---------------------------------------------------------------- AVX-512 VNNI
// Two blocks per register. vpdpbusd multiplies unsigned by signed bytes with exact 32-bit
// sums, so x goes in as x + 128 (one xor) and the panel's correction, -128 * sum(w) per
// lane, is the sum's starting value: one instruction per 64 products.

LL_AVX512 __m512 scales2_gemm(const float* d) {
    return _mm512_insertf32x8(_mm512_set1_ps(d[0]), _mm256_set1_ps(d[1]), 1);
}

template <int T>
LL_AVX512VNNI void tile_vnni(const Panel& p, const Activations& a, int64_t t0, float* out) {
    __m512 acc[T][kRows];
#pragma GCC unroll 4
    for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
        for (int r = 0; r < kRows; ++r) acc[t][r] = _mm512_setzero_ps();
    const __m512i bias = _mm512_set1_epi8(static_cast<char>(0x80));
    const int64_t stride_q = a.pairs * 64, stride_d = a.pairs * 2;
    for (int64_t pr = 0; pr < p.pairs; ++pr) {
        __m512i w[kRows], c[kRows];
        __m512 dw[kRows];
#pragma GCC unroll 4
        for (int r = 0; r < kRows; ++r) {
            const size_t i = static_cast<size_t>(pr * kRows + r);
            w[r] = _mm512_loadu_si512(&p.w[i * 64]);
            c[r] = _mm512_loadu_si512(&p.corr[i * 16]);
            dw[r] = scales2_gemm(&p.d[i * 2]);
        }
#pragma GCC unroll 4
        for (int t = 0; t < T; ++t) {
            const __m512i xu =
                _mm512_xor_si512(_mm512_loadu_si512(a.q + (t0 + t) * stride_q + pr * 64), bias);
            const __m512 dx = scales2_gemm(a.d + (t0 + t) * stride_d + 2 * pr);
#pragma GCC unroll 4
            for (int r = 0; r < kRows; ++r) {
                const __m512i i32 = _mm512_dpbusd_epi32(c[r], xu, w[r]);
                acc[t][r] =
                    _mm512_fmadd_ps(_mm512_cvtepi32_ps(i32), _mm512_mul_ps(dw[r], dx), acc[t][r]);
            }
        }
    }
#pragma GCC unroll 4
    for (int t = 0; t < T; ++t)
#pragma GCC unroll 4
        for (int r = 0; r < kRows; ++r) out[t * kRows + r] = _mm512_reduce_add_ps(acc[t][r]);
}

// ---------------------------------------------------------------- driver

using TileFn = void (*)(const Panel&, const Activations&, int64_t, float*);

struct Kernels {
    int tokens;               // tokens per full tile
    TileFn tile[kMaxTokens];  // tile[k - 1] takes k tokens
};

Kernels kernels_for(SimdLevel level, DType type) {
    if (level >= SimdLevel::Avx512Vnni)
        return {4, {tile_vnni<1>, tile_vnni<2>, tile_vnni<3>, tile_vnni<4>}};
    if (type == DType::Q4_0)
        return {3, {tile_avx2h<1, true>, tile_avx2h<2, true>, tile_avx2h<3, true>, nullptr}};
    return {3, {tile_avx2h<1, false>, tile_avx2h<2, false>, tile_avx2h<3, false>, nullptr}};
}

UnpackFn unpack_for(DType type) {
    switch (type) {
        case DType::Q8_0:
            return unpack_q8_0;
        case DType::Q4_0:
            return unpack_q4_0;
        default:
            return nullptr;
    }
}

// The n rows of x to int8 blocks, spread over the pool by rows.
Activations quantize_rows(const float* x, int64_t n, int64_t in, ThreadPool& pool) {
    thread_local std::vector<int8_t> q;
    thread_local std::vector<float> d;
    const int64_t blocks = in / kBlock, pairs = (blocks + 1) / 2;
    q.assign(static_cast<size_t>(n * pairs * 64), 0);
    d.assign(static_cast<size_t>(n * pairs * 2), 0.0f);
    int8_t* qp = q.data();
    float* dp = d.data();
    const int64_t per_task = std::max<int64_t>(1, n / (4 * pool.size()));
    const int tasks = static_cast<int>((n + per_task - 1) / per_task);
    pool.run(tasks, [&](int task) {
        const int64_t t1 = std::min(n, (task + 1) * per_task);
        for (int64_t t = task * per_task; t < t1; ++t)
            quantize_activation_blocks(x + t * in, in, qp + t * pairs * 64, dp + t * pairs * 2);
    });
    return {qp, dp, pairs};
}

}  // namespace

bool quant_gemm_supports(DType type) {
    return g_enabled.load(std::memory_order_relaxed) && unpack_for(type) != nullptr &&
           active_simd_level() >= SimdLevel::Avx2;
}

void set_quant_gemm_enabled(bool enabled) {
    g_enabled.store(enabled);
}

void set_quant_gemm_forced(bool forced) {
    g_forced.store(forced);
}

bool quant_gemm_forced() {
    return g_forced.load(std::memory_order_relaxed);
}

void quant_gemm(float* y, const float* x, int64_t n, const Tensor& w) {
    const UnpackFn unpack = unpack_for(w.type);
    const int64_t out = w.rows(), in = w.cols();
    if (!unpack || active_simd_level() < SimdLevel::Avx2 || in % kBlock != 0)
        throw EngineError("quant_gemm", "unsupported weight type or shape for " + w.name);
    if (out == 0 || n <= 0) return;
    const SimdLevel level = active_simd_level();
    const bool vnni = level >= SimdLevel::Avx512Vnni;
    const Kernels k = kernels_for(level, w.type);
    ThreadPool& pool = engine_pool();
    const Activations a = quantize_rows(x, n, in, pool);

    const int64_t tiles = (out + kRows - 1) / kRows;
    const int64_t per_task = std::max<int64_t>(1, tiles / (4 * pool.size()));
    const int tasks = static_cast<int>((tiles + per_task - 1) / per_task);
    pool.run(tasks, [&](int task) {
        thread_local Panel panel;
        panel.resize(a.pairs, vnni);
        float res[kMaxTokens * kRows];
        const int64_t tile1 = std::min(tiles, (task + 1) * per_task);
        for (int64_t tile = task * per_task; tile < tile1; ++tile) {
            const int64_t r0 = tile * kRows, rows = std::min<int64_t>(kRows, out - r0);
            pack(panel, w, r0, rows, unpack, vnni);
            for (int64_t t0 = 0; t0 < n; t0 += k.tokens) {
                const int64_t tn = std::min<int64_t>(k.tokens, n - t0);
                k.tile[tn - 1](panel, a, t0, res);
                for (int64_t t = 0; t < tn; ++t)
                    for (int64_t r = 0; r < rows; ++r)
                        y[(t0 + t) * out + r0 + r] = res[t * kRows + r];
            }
        }
    });
}

}  // namespace ll
