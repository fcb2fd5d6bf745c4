// Matrix-vector products for decode, computed directly on the stored weight type.
//
// Decode multiplies every weight once per token, so its speed is the rate at which the
// weights stream from memory. Dequantising rows to float32 first (kernels.cpp's general
// path) writes and rereads 2-8x the bytes the file holds; these kernels read each weight
// byte once and keep everything else in registers:
//   F16, BF16   converted in registers (F16C / shifts), fused multiply-add in float.
//   every quantised type (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL, Q2_K..Q6_K, IQ4_XS): the
//               activation is quantised once per call to 32-element int8 blocks with a
//               float scale; every type stores its elements in runs of 32 that line up
//               with those blocks, so each run's product is an integer dot (8-bit
//               multiplies, 32-bit sums) times the scales, minus a minimum times the
//               block's sum where the type has one.
// Runtime dispatch picks AVX-512 VNNI, AVX-512, AVX2 or portable code (integer block sums
// for Q8_0/Q4_0/Q4_K; for the other types a few blocks dequantised to the stack and a
// float dot); the library itself is built for x86-64-v2 and
// runs on any such CPU. Only F32 weights are left to BLAS. Rows are spread over the
// engine's thread pool (thread_pool.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "dtype.h"
#include "tensor.h"

namespace ll {

enum class SimdLevel : int { Scalar = 0, Avx2 = 1, Avx512 = 2, Avx512Vnni = 3 };

// The best level this CPU (and OS) supports.
SimdLevel detected_simd_level();
// The level in use: the detected one unless forced lower.
SimdLevel active_simd_level();
// Forces a level for tests and benchmarks (clamped to the detected one); returns the
// level in force before. Not thread-safe against running kernels.
SimdLevel force_simd_level(SimdLevel level);
std::string_view simd_level_name(SimdLevel level);

// Batches of up to this many activation rows run through quant_gemv: each weight row
// is read from memory once and reused from L1 for every activation row.
constexpr int64_t kMaxGemvBatch = 8;

// Switches quant_gemv off (quant_gemv_supports then says false and matmul dequantises
// as before) or back on; for before/after benchmarks. On by default.
void set_quant_gemv_enabled(bool enabled);

// Whether quant_gemv handles weights of `type` for a batch of n rows.
bool quant_gemv_supports(DType type, int64_t n);

// y[n x out] = x[n x in] W^T for W of shape {out, in}, 1 <= n <= kMaxGemvBatch and a
// supported type; rows of W are split over engine_pool(). Accuracy: F16/BF16 are exact
// products summed in float; the quantised types additionally round x to 8 bits per
// 32-element block (error <= 1/254 of the block's largest |x|, per element).
void quant_gemv(float* y, const float* x, int64_t n, const Tensor& w);

// One output of quant_gemv_shared: y[n x w.rows()].
struct GemvOut {
    float* y;
    const Tensor* w;
};

// quant_gemv for up to 4 matrices of one type and input width that share the input x
// (q/k/v, gate/up): the activation is quantised once and all their rows go to the pool
// in one dispatch.
void quant_gemv_shared(const float* x, int64_t n, const GemvOut* outs, int count);

// One row: dot(dequantize_row(row), x) over `cols` elements, at the active level,
// single-threaded (for tests; quant_gemv is the fast entry point).
float quant_dot_row(DType type, const void* row, const float* x, int64_t cols);

// `rows` rows of `cols` elements of `type`, src_stride bytes apart, to float32 rows
// dst_stride floats apart: the values of quant.h's dequantize_row, with F16C / AVX2 for
// F16 and Q8_0 (the KV cache's types, converted a tile at a time by attention) and Q4_0
// (prefill's weight tiles).
void dequantize_rows(DType type, const void* src, size_t src_stride, float* dst, int64_t dst_stride,
                     int64_t rows, int64_t cols);

}  // namespace ll
