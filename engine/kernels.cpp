#include "kernels.h"

#include <cblas.h>
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "quant.h"
#include "quant_dot.h"
#include "quant_gemm.h"
#include "thread_pool.h"

namespace ll {
namespace {

// Weight rows per task of a prefill GEMM: 16 tasks for a 2048-row matrix, 2 for TinyLlama's
// 256-row K and V (both threads busy), a 512 KB float tile for 2048 columns.
constexpr int64_t kTaskRows = 128;
// Up to this many rows (a question after a cached document, a short prompt) go through the
// quantised matrix-vector kernels in batches of kMaxGemvBatch, reading the weights once per
// batch, rather than dequantising every weight to float32 for a GEMM that small. Measured
// on the TinyLlama shape (Q4_0, 2 threads): a 24-token prefill took 0.9 s through
// dequantise + GEMM; batches of 8 cost about 0.18 s each; the two cross near 48 rows.
constexpr int64_t kSmallBatchRows = 32;

// Past kSmallBatchRows, integer GEMM on the stored blocks (quant_gemm.h) or dequantise +
// BLAS sgemm. Measured with `longlens-bench kernels --tokens 512 --threads 1` (5632 x 2048,
// CPU time per call): with AVX2 alone (Zen 4 under KVM) the best integer form ties with
// OpenBLAS (0.84-1.15x over six runs; the integer products need as many multiply-pipe
// operations per block as sgemm's FMAs), so AVX2 stays with BLAS. AVX-512 VNNI does 64
// products in one vpdpbusd and takes the integer kernel; that side is not yet measured
// (no such CPU here): run the same command there and flip this rule if it loses.
bool prefer_quant_gemm(DType type) {
    return (active_simd_level() >= SimdLevel::Avx512Vnni || quant_gemm_forced()) &&
           quant_gemm_supports(type);
}

void gemm_rows(float* y, int64_t ldy, const float* x, int64_t n, const float* w, int64_t rows,
               int64_t in) {
    if (n == 1) {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, rows, in, 1.0f, w, in, x, 1, 0.0f, y, 1);
    } else {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, rows, in, 1.0f, x, in, w, in, 0.0f,
                    y, ldy);
    }
}

#define LL_AVX2 __attribute__((target("avx2,fma")))

// exp(x) for x <= 0 (scores minus their row maximum), 8 lanes: x = n ln2 + r with
// |r| <= ln2/2, exp(r) by a degree-6 polynomial, 2^n through the exponent bits. Below
// -87.3 the result would be subnormal: it is flushed to 0, as a weight it is nothing.
LL_AVX2 __m256 exp8(__m256 x) {
    const __m256 lo = _mm256_set1_ps(-87.3f);
    const __m256 underflow = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
    x = _mm256_max_ps(x, lo);
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // ln2 in two parts, so that n * ln2 is subtracted without rounding error.
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i e =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_andnot_ps(underflow, _mm256_mul_ps(p, _mm256_castsi256_ps(e)));
}

LL_AVX2 float exp_shifted_avx2(float* x, int64_t n, float shift) {
    const __m256 s = _mm256_set1_ps(shift);
    __m256 acc = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), s));
        _mm256_storeu_ps(x + i, v);
        acc = _mm256_add_ps(acc, v);
    }
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, acc);
    float sum = 0.0f;
    for (float l : lanes) sum += l;
    for (; i < n; ++i) sum += (x[i] = std::exp(x[i] - shift));
    return sum;
}

// g * sigmoid(g) * up, 8 lanes: sigmoid from e = exp(-|g|) <= 1 (exp8's domain), as
// 1 / (1 + e) for g >= 0 and e / (1 + e) below, which never overflows. std::exp per element
// was 1 % of decode and prefill alike (5632 per layer and token for TinyLlama), on the calling
// thread while the pool's other threads waited.
LL_AVX2 void swiglu_avx2(float* gate, const float* up, int64_t n) {
    const __m256 one = _mm256_set1_ps(1.0f), minus = _mm256_set1_ps(-0.0f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 e = exp8(_mm256_or_ps(g, minus));
        const __m256 inv = _mm256_div_ps(one, _mm256_add_ps(one, e));
        const __m256 pos = _mm256_cmp_ps(g, _mm256_setzero_ps(), _CMP_GE_OQ);
        const __m256 sig = _mm256_blendv_ps(_mm256_mul_ps(e, inv), inv, pos);
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_mul_ps(g, sig), _mm256_loadu_ps(up + i)));
    }
    for (; i < n; ++i) gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

// y = x W^T on the engine's pool, BLAS inside each task. Each task takes kTaskRows weight
// rows, dequantises them (F32 is used in place) into its own float tile and multiplies them
// with every token on its own thread; OpenBLAS itself is set single-threaded here, once.
// Letting OpenBLAS thread each GEMM instead, with the rows dequantised between calls on one
// thread, was measured on 2 idle cores (TinyLlama shape, 512-token prefill, two runs each,
// cpu share 0.96-0.99): F16 51.7/51.7 tok/s against 67.7/67.8 this way, Q4_0 50.5/50.2
// against 68.0/73.1, Q8_0 62.0/50.7 against 67.5/66.6. OpenBLAS's idle threads spin and
// yield for the cores our pool needs, and the dequantising ran on one core. An AVX2
// micro-kernel of our own (3 x 4 register tile over packed panels, no BLAS) came to 61-65:
// OpenBLAS's sgemm kernel is the faster one on this CPU.
void pooled_gemm(float* y, const float* x, int64_t n, const Tensor& w) {
    static std::once_flag single_threaded_blas;
    std::call_once(single_threaded_blas, [] { openblas_set_num_threads(1); });
    const int64_t out = w.rows(), in = w.cols();
    const size_t row_bytes = w.bytes / static_cast<size_t>(out);
    const int tasks = static_cast<int>((out + kTaskRows - 1) / kTaskRows);
    engine_pool().run(tasks, [&](int task) {
        const int64_t r0 = task * kTaskRows, rows = std::min(kTaskRows, out - r0);
        const float* tile = reinterpret_cast<const float*>(w.data) + r0 * in;
        if (w.type != DType::F32) {
            thread_local std::vector<float> scratch;
            scratch.resize(static_cast<size_t>(rows * in));
            dequantize_rows(w.type, w.data + r0 * row_bytes, row_bytes, scratch.data(), in, rows,
                            in);
            tile = scratch.data();
        }
        gemm_rows(y + r0, out, x, n, tile, rows, in);
    });
}

}  // namespace

float exp_shifted(float* x, int64_t n, float shift) {
    if (active_simd_level() >= SimdLevel::Avx2) return exp_shifted_avx2(x, n, shift);
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += (x[i] = std::exp(x[i] - shift));
    return sum;
}

void matmul(float* y, const float* x, int64_t n, const Tensor& w) {
    if (w.rows() == 0 || n <= 0) return;
    if (w.type != DType::F32 && n <= kSmallBatchRows && quant_gemv_supports(w.type, 1)) {
        // Decode and short prompts: stream the stored weights once per batch.
        for (int64_t j = 0; j < n; j += kMaxGemvBatch)
            quant_gemv(y + j * w.rows(), x + j * w.cols(), std::min(kMaxGemvBatch, n - j), w);
        return;
    }
    if (prefer_quant_gemm(w.type)) {
        quant_gemm(y, x, n, w);
        return;
    }
    pooled_gemm(y, x, n, w);
}

void matmul_shared(const float* x, int64_t n, float* const* ys, const Tensor* const* ws,
                   int count) {
    bool shared = count <= 4 && n <= kMaxGemvBatch && quant_gemv_supports(ws[0]->type, n);
    for (int m = 1; m < count; ++m)
        shared = shared && ws[m]->type == ws[0]->type && ws[m]->cols() == ws[0]->cols();
    if (!shared) {
        for (int m = 0; m < count; ++m) matmul(ys[m], x, n, *ws[m]);
        return;
    }
    GemvOut outs[4];
    for (int m = 0; m < count; ++m) outs[m] = {ys[m], ws[m]};
    quant_gemv_shared(x, n, outs, count);
}

void tensor_row(float* out, const Tensor& t, int64_t row) {
    const size_t row_bytes = t.bytes / static_cast<size_t>(t.rows());
    dequantize_row(t.type, t.data + row * row_bytes, out, t.cols());
}

std::vector<float> tensor_to_f32(const Tensor& t) {
    std::vector<float> out(static_cast<size_t>(t.elements()));
    for (int64_t r = 0; r < t.rows(); ++r) tensor_row(out.data() + r * t.cols(), t, r);
    return out;
}

void rmsnorm(float* out, const float* x, const float* w, int64_t n, float eps) {
    float ss = 0.0f;
    for (int64_t i = 0; i < n; ++i) ss += x[i] * x[i];
    const float scale = 1.0f / std::sqrt(ss / static_cast<float>(n) + eps);
    for (int64_t i = 0; i < n; ++i) out[i] = w[i] * (x[i] * scale);
}

void softmax(float* x, int64_t n) {
    float max = x[0];
    for (int64_t i = 1; i < n; ++i) max = std::max(max, x[i]);
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        x[i] = std::exp(x[i] - max);
        sum += x[i];
    }
    const float inv = 1.0f / sum;
    for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

void swiglu(float* gate, const float* up, int64_t n) {
    if (active_simd_level() >= SimdLevel::Avx2) {
        swiglu_avx2(gate, up, n);
        return;
    }
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        gate[i] = g / (1.0f + std::exp(-g)) * up[i];
    }
}

}  // namespace ll
