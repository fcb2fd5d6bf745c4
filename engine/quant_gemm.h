// Matrix-matrix products for prefill on quantised weights, in integers.
//
// kernels.cpp's general path dequantises every weight to float32 and calls BLAS's sgemm:
// that writes and rereads four bytes per weight and multiplies in float. Here the
// activation rows are quantised once per call to 32-element int8 blocks (as the decode
// kernels do, quant_dot.h), a few weight rows at a time are unpacked to int8 blocks in a
// small panel (each weight read once per call, the unpacking shared by every token), and
// the panel is multiplied with several tokens at once in registers: 8-bit multiplies
// with 32-bit sums per block (AVX2 vpmaddubsw + vpmaddwd, AVX-512 VNNI vpdpbusd), then
// one float multiply-add by the weight's and the activation's block scales.
//
// Types: Q8_0 and Q4_0, from AVX2 up. matmul takes it at AVX-512 VNNI only (the rule and
// its numbers: kernels.cpp).
#pragma once

#include <cstdint>

#include "dtype.h"
#include "tensor.h"

namespace ll {

// Whether quant_gemm multiplies weights of `type` at the active SIMD level.
bool quant_gemm_supports(DType type);

// Switches quant_gemm off (quant_gemm_supports then says false) or back on; for
// before/after benchmarks. On by default.
void set_quant_gemm_enabled(bool enabled);
// Makes matmul take quant_gemm wherever it is supported, past its rule (kernels.cpp); for
// measuring the integer path where the rule keeps BLAS. Off by default.
void set_quant_gemm_forced(bool forced);
bool quant_gemm_forced();

// y[n x out] = x[n x in] W^T for W of shape {out, in} and a supported type, any n >= 1;
// row tiles are spread over engine_pool(). Accuracy: as quant_gemv's, x is rounded to 8
// bits per 32-element block (error <= 1/254 of the block's largest |x|, per element) and
// the products are exact integers summed in float per block.
void quant_gemm(float* y, const float* x, int64_t n, const Tensor& w);

}  // namespace ll
