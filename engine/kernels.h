// The numeric building blocks of the forward pass. Matrices are row-major; a weight
// tensor W of shape {out, in} maps x[n x in] to y[n x out] = x W^T.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor.h"

namespace ll {

// y[n x out] = x[n x in] W^T, for any weight type: up to 32 rows of a stored type go through
// the decode kernels (quant_gemv); beyond, Q8_0/Q4_0 at AVX-512 VNNI through quant_gemm;
// the rest (and F32) as tasks on the engine's pool, each dequantising 128 weight rows and
// multiplying them with single-threaded BLAS.
void matmul(float* y, const float* x, int64_t n, const Tensor& w);

// Several products of one input: ys[m][n x out_m] = x W_m^T for count <= 4 weights
// (q/k/v, gate/up). Decode-sized n with weights of one type go to the pool in one
// dispatch (quant_gemv_shared); otherwise each is a matmul.
void matmul_shared(const float* x, int64_t n, float* const* ys, const Tensor* const* ws, int count);

// Row `row` of a {rows, cols} tensor of any type, as floats.
void tensor_row(float* out, const Tensor& t, int64_t row);
// The whole tensor as floats (for small tensors such as norm weights).
std::vector<float> tensor_to_f32(const Tensor& t);

// out = x / rms(x) * w, over n elements, in float as transformers' LlamaRMSNorm does.
void rmsnorm(float* out, const float* x, const float* w, int64_t n, float eps);

// x[i] = exp(x[i] - shift) for n values, in place; returns their sum. With AVX2 a
// polynomial exp (relative error below 3e-7, Cephes' coefficients) eight at a time:
// attention's softmax calls it for every score, n^2/2 per head and layer for an n-token
// prompt, where the C library's scalar expf dominated long prefills.
float exp_shifted(float* x, int64_t n, float shift);

// In-place softmax over n values.
void softmax(float* x, int64_t n);

// gate[i] = silu(gate[i]) * up[i]
void swiglu(float* gate, const float* up, int64_t n);

}  // namespace ll
