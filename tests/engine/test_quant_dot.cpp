// The decode kernels (quant_dot.h), prefill's integer GEMM (quant_gemm.h) and its pooled BLAS
// GEMM (kernels.h's matmul) against the plain
// path, dequantize_row + a float dot in double, at every SIMD level this machine has (scalar forced
// too), over odd sizes. Also the quantisers (quantize.h): round trips through dequantize_row.
#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "dtype.h"
#include "gguf_reader.h"
#include "kernels.h"
#include "quant.h"
#include "quant_dot.h"
#include "quant_gemm.h"
#include "quantize.h"
#include "tensor.h"
#include "thread_pool.h"

namespace {

using ll::DType;
using ll::SimdLevel;

std::vector<float> random_floats(int64_t n, uint32_t seed, float scale = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, scale);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& f : v) f = dist(rng);
    return v;
}

// Where each block type keeps its fp16 scales (byte offsets in the block), and whether
// the second is a minimum subtracted (Q4_1/Q5_1 add m; a negative m plays that role).
struct ScaleSlots {
    int d = -1, dmin = -1;
};

ScaleSlots scale_slots(DType type) {
    switch (type) {
        case DType::Q4_1:
        case DType::Q5_1:
        case DType::Q4_K:
        case DType::Q5_K:
            return {0, 2};
        case DType::Q2_K:
            return {80, 82};
        case DType::Q3_K:
            return {108, -1};
        case DType::Q6_K:
            return {208, -1};
        default:  // Q5_0, IQ4_NL, IQ4_XS
            return {0, -1};
    }
}

// The types without a quantiser here get random blocks (every bit pattern is a valid
// block) with their fp16 scales set to plausible values, so no NaN or inf scale appears.
std::vector<uint8_t> random_blocks(DType type, size_t elements, uint32_t seed) {
    std::vector<uint8_t> out(*ll::dtype_bytes(type, elements));
    std::mt19937 rng(seed);
    for (uint8_t& b : out) b = static_cast<uint8_t>(rng());
    std::uniform_real_distribution<float> scale(0.0005f, 0.004f);
    const ScaleSlots slots = scale_slots(type);
    const size_t block_bytes = static_cast<size_t>(ll::dtype_info(type).block_bytes);
    for (size_t b = 0; b < out.size(); b += block_bytes) {
        const uint16_t d = ll::f32_to_fp16(scale(rng)), dmin = ll::f32_to_fp16(scale(rng));
        std::memcpy(&out[b + static_cast<size_t>(slots.d)], &d, 2);
        if (slots.dmin >= 0) std::memcpy(&out[b + static_cast<size_t>(slots.dmin)], &dmin, 2);
    }
    return out;
}

bool has_quantiser(DType type) {
    return type == DType::F16 || type == DType::BF16 || type == DType::Q8_0 || type == DType::Q4_0;
}

bool is_half(DType type) {
    return type == DType::F16 || type == DType::BF16;
}

bool super_block(DType type) {
    return ll::dtype_info(type).block_elems == 256;
}

std::vector<uint8_t> quantized(DType type, const std::vector<float>& x) {
    if (!has_quantiser(type))
        return random_blocks(type, x.size(), static_cast<uint32_t>(x.size()) + 17);
    std::vector<uint8_t> out(*ll::dtype_bytes(type, x.size()));
    ll::quantize_row(type, x.data(), out.data(), static_cast<int64_t>(x.size()));
    return out;
}

// A weight tensor of rows x cols viewing the packed bytes `wq`.
ll::Tensor tensor_over(DType type, int64_t rows, int64_t cols, const std::vector<uint8_t>& wq) {
    ll::Tensor t;
    t.name = "w";
    t.type = type;
    t.shape = {rows, cols};
    t.data = wq.data();
    t.bytes = wq.size();
    return t;
}

struct Reference {
    double dot = 0;    // dequantised row . x, in double
    double bound = 0;  // allowed |kernel - dot|
};

// The tolerance, stated: float accumulation of `cols` products may be off by about
// cols * 2^-24 of sum |w x| (a generous 4x of the usual bound is allowed); for the 8-bit
// activation types each x also moves by at most half its block's step, max|x_block|/254,
// so the dot moves by at most sum over blocks of sum|w| * step / 2.
Reference reference(DType type, const uint8_t* row, const float* x, int64_t cols) {
    std::vector<float> w(static_cast<size_t>(cols));
    ll::dequantize_row(type, row, w.data(), cols);
    Reference r;
    double abs_sum = 0;
    for (int64_t i = 0; i < cols; ++i) {
        r.dot += static_cast<double>(w[i]) * x[i];
        abs_sum += std::fabs(static_cast<double>(w[i]) * x[i]);
    }
    r.bound = 4.0 * static_cast<double>(cols) * 0x1p-24 * abs_sum + 1e-30;
    if (!is_half(type)) {  // every quantised type reads x as 8-bit blocks
        for (int64_t b = 0; b < cols / 32; ++b) {
            double wsum = 0, xmax = 0;
            for (int j = 0; j < 32; ++j) {
                wsum += std::fabs(w[b * 32 + j]);
                xmax = std::max(xmax, std::fabs(static_cast<double>(x[b * 32 + j])));
            }
            r.bound += 1.0001 * wsum * (xmax / 127.0) / 2.0;
        }
    }
    return r;
}

std::vector<SimdLevel> levels_here() {
    std::vector<SimdLevel> out;
    for (int l = 0; l <= static_cast<int>(ll::detected_simd_level()); ++l)
        out.push_back(static_cast<SimdLevel>(l));
    return out;
}

// Restores the detected level when a test ends, whatever happens in it.
struct LevelGuard {
    SimdLevel before = ll::active_simd_level();
    ~LevelGuard() { ll::force_simd_level(before); }
};

class QuantDot : public ::testing::TestWithParam<DType> {};

std::vector<int64_t> sizes_for(DType type) {
    if (is_half(type)) return {1, 7, 8, 15, 16, 31, 33, 100, 2051};
    if (super_block(type)) return {256, 512, 2304, 5632};
    return {32, 64, 96, 160, 2048, 5632 + 32};
}

TEST_P(QuantDot, RowMatchesDequantisedDotAtEveryLevel) {
    const DType type = GetParam();
    LevelGuard guard;
    for (SimdLevel level : levels_here()) {
        ll::force_simd_level(level);
        ASSERT_EQ(ll::active_simd_level(), level);
        for (int64_t cols : sizes_for(type)) {
            for (uint32_t seed = 1; seed <= 3; ++seed) {
                const auto w = quantized(type, random_floats(cols, seed, 0.05f));
                auto x = random_floats(cols, seed + 100);
                if (seed == 3) x[0] = 0.0f;  // and some all-zero data
                const float got = ll::quant_dot_row(type, w.data(), x.data(), cols);
                const Reference ref = reference(type, w.data(), x.data(), cols);
                EXPECT_LE(std::fabs(got - ref.dot), ref.bound)
                    << ll::dtype_name(type) << " " << ll::simd_level_name(level) << " cols=" << cols
                    << " seed=" << seed << " got=" << got << " want=" << ref.dot;
            }
        }
    }
}

TEST_P(QuantDot, ZeroActivationGivesZero) {
    const DType type = GetParam();
    LevelGuard guard;
    for (SimdLevel level : levels_here()) {
        ll::force_simd_level(level);
        const int64_t cols = super_block(type) ? 256 : 64;
        const auto w = quantized(type, random_floats(cols, 9));
        const std::vector<float> x(static_cast<size_t>(cols), 0.0f);
        EXPECT_EQ(ll::quant_dot_row(type, w.data(), x.data(), cols), 0.0f);
    }
}

// The threaded matrix product, batches of 1..kMaxGemvBatch, odd row counts, all levels.
// The last shape (over 64 KiB of weights per task) makes quant_gemv split rows over the
// pool's threads; the small ones run on the caller.
TEST_P(QuantDot, GemvMatchesRowByRow) {
    const DType type = GetParam();
    const bool half = is_half(type);
    const int64_t small = half ? 67 : super_block(type) ? 256 : 96;
    const int64_t large = half ? 2051 : super_block(type) ? 2048 : 2080;
    LevelGuard guard;
    const std::pair<int64_t, int64_t> shapes[] = {
        {1, small}, {3, small}, {17, small}, {257, small}, {1001, large}};
    for (const auto& [rows, cols] : shapes) {
        const auto wq = quantized(type, random_floats(rows * cols, 7, 0.05f));
        const ll::Tensor t = tensor_over(type, rows, cols, wq);
        const size_t row_bytes = wq.size() / static_cast<size_t>(rows);
        for (SimdLevel level : levels_here()) {
            ll::force_simd_level(level);
            for (int64_t n = 1; n <= ll::kMaxGemvBatch; ++n) {
                ASSERT_TRUE(ll::quant_gemv_supports(type, n));
                const auto x = random_floats(n * cols, static_cast<uint32_t>(n));
                std::vector<float> y(static_cast<size_t>(n * rows), -1.0f);
                ll::quant_gemv(y.data(), x.data(), n, t);
                for (int64_t j = 0; j < n; ++j) {
                    for (int64_t r = 0; r < rows; ++r) {
                        const Reference ref =
                            reference(type, wq.data() + r * row_bytes, &x[j * cols], cols);
                        EXPECT_LE(std::fabs(y[j * rows + r] - ref.dot), ref.bound)
                            << ll::dtype_name(type) << " " << ll::simd_level_name(level)
                            << " rows=" << rows << " n=" << n << " j=" << j << " r=" << r;
                    }
                }
            }
        }
    }
}

// matmul (kernels.h) picks batches of quant_gemv for short prompts and dequantise + GEMM for
// long ones: every batch size on both sides of the switch gives the plain path's products.
TEST_P(QuantDot, MatmulMatchesRowByRowAtEveryBatchSize) {
    const DType type = GetParam();
    const int64_t rows = 40, cols = super_block(type) ? 512 : 256;
    const auto wq = quantized(type, random_floats(rows * cols, 11, 0.05f));
    const ll::Tensor t = tensor_over(type, rows, cols, wq);
    const size_t row_bytes = wq.size() / static_cast<size_t>(rows);
    for (int64_t n : {1, 7, 8, 9, 24, 31, 32, 33, 40, 64}) {
        const auto x = random_floats(n * cols, static_cast<uint32_t>(100 + n));
        std::vector<float> y(static_cast<size_t>(n * rows), -1.0f);
        ll::matmul(y.data(), x.data(), n, t);
        for (int64_t j = 0; j < n; ++j) {
            for (int64_t r = 0; r < rows; ++r) {
                const Reference ref =
                    reference(type, wq.data() + r * row_bytes, &x[j * cols], cols);
                ASSERT_LE(std::fabs(y[j * rows + r] - ref.dot), ref.bound)
                    << ll::dtype_name(type) << " n=" << n << " j=" << j << " r=" << r;
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Types, QuantDot,
                         ::testing::Values(DType::F16, DType::BF16, DType::Q8_0, DType::Q4_0,
                                           DType::Q4_1, DType::Q5_0, DType::Q5_1, DType::IQ4_NL,
                                           DType::Q2_K, DType::Q3_K, DType::Q4_K, DType::Q5_K,
                                           DType::Q6_K, DType::IQ4_XS),
                         [](const auto& info) { return std::string(ll::dtype_name(info.param)); });

// The same checks on blocks llama.cpp's llama-quantize wrote (test_quant.cpp's fixture:
// every block type real files use, rows of 256 and 704 elements), at every level.
TEST(QuantDotRealBlocks, LlamaQuantizeBlocksMatchDequantisedDot) {
    const ll::GgufFile file(std::string(LONGLENS_SOURCE_DIR) +
                            "/tests/engine/data/quant_blocks/quant_blocks.gguf");
    LevelGuard guard;
    int checked = 0;
    for (const ll::Tensor& t : file.tensors()) {
        if (t.type == DType::F32) continue;  // the references
        const int64_t cols = t.cols();
        const size_t row_bytes = t.bytes / static_cast<size_t>(t.rows());
        const auto x = random_floats(cols, static_cast<uint32_t>(cols));
        for (SimdLevel level : levels_here()) {
            ll::force_simd_level(level);
            for (int64_t r = 0; r < t.rows(); ++r) {
                const uint8_t* row = t.data + r * row_bytes;
                const float got = ll::quant_dot_row(t.type, row, x.data(), cols);
                const Reference ref = reference(t.type, row, x.data(), cols);
                EXPECT_LE(std::fabs(got - ref.dot), ref.bound)
                    << t.name << " " << ll::simd_level_name(level) << " row " << r;
                ++checked;
            }
        }
    }
    EXPECT_GE(checked, 12 * 4);
}

// quant_gemm (prefill's integer GEMM) against the plain path at every level it runs at:
// row counts that leave a partial 4-row panel, an odd number of blocks (the AVX-512 kernel
// pads to pairs), token counts that leave partial register tiles, and extreme quants
// (Q8_0's -128, an all-zero activation block). Same tolerance as the row kernels.
TEST(QuantGemm, MatchesDequantisedDotAtEveryLevel) {
    LevelGuard guard;
    for (int l = static_cast<int>(ll::detected_simd_level()) + 1;
         l <= static_cast<int>(SimdLevel::Avx512Vnni); ++l) {
        std::printf("[ SKIPPED  ] quant_gemm at %s: this CPU lacks it\n",
                    std::string(ll::simd_level_name(static_cast<SimdLevel>(l))).c_str());
    }
    int checked = 0;
    for (DType type : {DType::Q8_0, DType::Q4_0}) {
        for (SimdLevel level : levels_here()) {
            ll::force_simd_level(level);
            if (!ll::quant_gemm_supports(type)) continue;
            for (const auto& [rows, cols] :
                 {std::pair<int64_t, int64_t>{5, 96}, {8, 256}, {3, 32}}) {
                auto wq =
                    quantized(type, random_floats(rows * cols, static_cast<uint32_t>(cols), 0.05f));
                if (type == DType::Q8_0) wq[2] = 0x80;  // -128, the one value |q| can't hold
                const ll::Tensor t = tensor_over(type, rows, cols, wq);
                const size_t row_bytes = wq.size() / static_cast<size_t>(rows);
                for (int64_t n : {1, 2, 3, 4, 5, 9}) {
                    auto x = random_floats(n * cols, static_cast<uint32_t>(7 * n + cols));
                    for (int j = 0; j < 32; ++j) x[static_cast<size_t>(j)] = 0.0f;
                    std::vector<float> y(static_cast<size_t>(n * rows), -1.0f);
                    ll::quant_gemm(y.data(), x.data(), n, t);
                    for (int64_t j = 0; j < n; ++j) {
                        for (int64_t r = 0; r < rows; ++r) {
                            const Reference ref =
                                reference(type, wq.data() + r * row_bytes, &x[j * cols], cols);
                            ASSERT_LE(std::fabs(y[j * rows + r] - ref.dot), ref.bound)
                                << ll::dtype_name(type) << " " << ll::simd_level_name(level)
                                << " rows=" << rows << " cols=" << cols << " n=" << n << " j=" << j
                                << " r=" << r;
                            ++checked;
                        }
                    }
                }
            }
        }
    }
    if (ll::detected_simd_level() >= SimdLevel::Avx2) {
        EXPECT_GT(checked, 0);
    }
}

TEST(QuantGemm, LlamaQuantizeBlocksMatchDequantisedDot) {
    const ll::GgufFile file(std::string(LONGLENS_SOURCE_DIR) +
                            "/tests/engine/data/quant_blocks/quant_blocks.gguf");
    LevelGuard guard;
    for (const ll::Tensor& t : file.tensors()) {
        for (SimdLevel level : levels_here()) {
            ll::force_simd_level(level);
            if (!ll::quant_gemm_supports(t.type)) continue;
            const int64_t n = 6, cols = t.cols();
            const size_t row_bytes = t.bytes / static_cast<size_t>(t.rows());
            const auto x = random_floats(n * cols, static_cast<uint32_t>(cols));
            std::vector<float> y(static_cast<size_t>(n * t.rows()));
            ll::quant_gemm(y.data(), x.data(), n, t);
            for (int64_t j = 0; j < n; ++j) {
                for (int64_t r = 0; r < t.rows(); ++r) {
                    const Reference ref =
                        reference(t.type, t.data + r * row_bytes, &x[j * cols], cols);
                    EXPECT_LE(std::fabs(y[j * t.rows() + r] - ref.dot), ref.bound)
                        << t.name << " " << ll::simd_level_name(level) << " j=" << j << " r=" << r;
                }
            }
        }
    }
}

// matmul past the decode kernels' 32 rows (prefill's GEMM: 128-row tasks on the pool, each
// dequantised and multiplied by single-threaded BLAS) against dequantize_row + a double dot,
// for every stored type and F32: row counts that leave a partial task, token counts past 32.
// x stays float32 on this path, so the bound is the float-accumulation one alone. Every
// output is written (y starts as NaN).
TEST(PooledGemm, MatmulMatchesDequantisedDotForEveryType) {
    LevelGuard guard;
    ll::set_quant_gemm_enabled(false);  // at AVX-512 VNNI Q8_0/Q4_0 would take quant_gemm
    int checked = 0;
    for (DType type : {DType::F32, DType::F16, DType::BF16, DType::Q8_0, DType::Q4_0, DType::Q4_1,
                       DType::Q5_0, DType::Q5_1, DType::IQ4_NL, DType::Q2_K, DType::Q3_K,
                       DType::Q4_K, DType::Q5_K, DType::Q6_K, DType::IQ4_XS}) {
        const int64_t cols = super_block(type) ? 512 : 96;
        for (int64_t rows : {3, 131}) {
            const auto wf = random_floats(rows * cols, static_cast<uint32_t>(cols + rows), 0.05f);
            std::vector<uint8_t> wq;
            if (type == DType::F32) {
                wq.resize(wf.size() * sizeof(float));
                std::memcpy(wq.data(), wf.data(), wq.size());
            } else {
                wq = quantized(type, wf);
            }
            const ll::Tensor t = tensor_over(type, rows, cols, wq);
            const size_t row_bytes = wq.size() / static_cast<size_t>(rows);
            std::vector<float> w(static_cast<size_t>(rows * cols));
            for (int64_t r = 0; r < rows; ++r)
                ll::dequantize_row(type, wq.data() + r * row_bytes, &w[r * cols], cols);
            const int64_t n = 37;
            const auto x = random_floats(n * cols, static_cast<uint32_t>(3 * rows + cols));
            std::vector<float> y(static_cast<size_t>(n * rows), std::nanf(""));
            ll::matmul(y.data(), x.data(), n, t);
            for (int64_t j = 0; j < n; ++j) {
                for (int64_t r = 0; r < rows; ++r) {
                    double dot = 0, abs_sum = 0;
                    for (int64_t i = 0; i < cols; ++i) {
                        const double p = static_cast<double>(w[r * cols + i]) * x[j * cols + i];
                        dot += p;
                        abs_sum += std::fabs(p);
                    }
                    const double bound = 4.0 * static_cast<double>(cols) * 0x1p-24 * abs_sum;
                    ASSERT_LE(std::fabs(y[j * rows + r] - dot), bound + 1e-30)
                        << ll::dtype_name(type) << " rows=" << rows << " j=" << j << " r=" << r;
                    ++checked;
                }
            }
        }
    }
    ll::set_quant_gemm_enabled(true);
    EXPECT_EQ(checked, 15 * (3 + 131) * 37);
}

TEST(QuantGemm, SupportedTypes) {
    LevelGuard guard;
    ll::force_simd_level(SimdLevel::Scalar);
    EXPECT_FALSE(ll::quant_gemm_supports(DType::Q8_0));  // below AVX2, BLAS
    ll::force_simd_level(ll::detected_simd_level());
    EXPECT_FALSE(ll::quant_gemm_supports(DType::Q6_K));
    EXPECT_FALSE(ll::quant_gemm_supports(DType::F16));
    EXPECT_EQ(ll::quant_gemm_supports(DType::Q4_0), ll::detected_simd_level() >= SimdLevel::Avx2);
}

// q/k/v in one dispatch (quant_gemv_shared) gives exactly what one quant_gemv per matrix
// gives: the same kernels on the same quantised activation, rows split differently.
TEST(QuantGemvShared, EqualsOneCallPerMatrix) {
    LevelGuard guard;
    for (SimdLevel level : levels_here()) {
        ll::force_simd_level(level);
        for (DType type : {DType::Q4_0, DType::Q4_K, DType::F16}) {
            const int64_t cols = 512;
            const int64_t rows[] = {72, 8, 8};
            std::vector<std::vector<uint8_t>> wq;
            std::vector<ll::Tensor> ts;
            for (int m = 0; m < 3; ++m)
                wq.push_back(quantized(type, random_floats(rows[m] * cols, 40 + m, 0.05f)));
            for (int m = 0; m < 3; ++m) ts.push_back(tensor_over(type, rows[m], cols, wq[m]));
            for (int64_t n : {1, 3, 8}) {
                const auto x = random_floats(n * cols, static_cast<uint32_t>(n));
                std::vector<std::vector<float>> shared(3), single(3);
                ll::GemvOut outs[3];
                for (int m = 0; m < 3; ++m) {
                    shared[m].assign(static_cast<size_t>(n * rows[m]), -1.0f);
                    single[m].assign(static_cast<size_t>(n * rows[m]), -2.0f);
                    outs[m] = {shared[m].data(), &ts[m]};
                    ll::quant_gemv(single[m].data(), x.data(), n, ts[m]);
                }
                ll::quant_gemv_shared(x.data(), n, outs, 3);
                for (int m = 0; m < 3; ++m)
                    EXPECT_EQ(shared[m], single[m])
                        << ll::dtype_name(type) << " matrix " << m << " n=" << n << " "
                        << ll::simd_level_name(level);
            }
        }
    }
}

TEST(QuantDotSupport, TypesAndBatches) {
    EXPECT_FALSE(ll::quant_gemv_supports(DType::F32, 1));  // F32 stays with BLAS
    EXPECT_FALSE(ll::quant_gemv_supports(DType::Q4_0, 0));
    EXPECT_FALSE(ll::quant_gemv_supports(DType::Q4_0, ll::kMaxGemvBatch + 1));
    EXPECT_TRUE(ll::quant_gemv_supports(DType::BF16, 1));
    EXPECT_TRUE(ll::quant_gemv_supports(DType::Q4_K, 1));
}

// No type a model file can hold is left to the dequantise + sgemv path: every type in
// dtype.h but F32 (which BLAS multiplies directly) has kernels, for every batch size.
TEST(QuantDotSupport, EveryStoredTypeHasKernels) {
    for (uint32_t id = 0; id < 64; ++id) {
        if (!ll::dtype_info(id) || id == static_cast<uint32_t>(DType::F32)) continue;
        for (int64_t n = 1; n <= ll::kMaxGemvBatch; ++n)
            EXPECT_TRUE(ll::quant_gemv_supports(static_cast<DType>(id), n))
                << ll::dtype_info(id)->name << " n=" << n;
    }
}

TEST(ThreadPool, RunsEveryTaskOnceAcrossManyRuns) {
    ll::ThreadPool pool(3);
    std::vector<int> hits(1000, 0);
    for (int round = 0; round < 200; ++round) {
        const int tasks = 1 + round % 37;
        std::vector<std::atomic<int>> seen(static_cast<size_t>(tasks));
        pool.run(tasks, [&](int i) { seen[static_cast<size_t>(i)].fetch_add(1); });
        for (auto& s : seen) ASSERT_EQ(s.load(), 1);
    }
    ll::ThreadPool single(1);
    int count = 0;
    single.run(5, [&](int) { ++count; });
    EXPECT_EQ(count, 5);
}

// ---- quantisers (quantize.h)

TEST(Quantize, Fp16RoundsToNearestEven) {
    EXPECT_EQ(ll::f32_to_fp16(1.0f), 0x3C00);
    EXPECT_EQ(ll::f32_to_fp16(-2.0f), 0xC000);
    EXPECT_EQ(ll::f32_to_fp16(65504.0f), 0x7BFF);
    EXPECT_EQ(ll::f32_to_fp16(65520.0f), 0x7C00);             // halfway to 65536: even is inf
    EXPECT_EQ(ll::f32_to_fp16(0x1p-24f), 0x0001);             // smallest subnormal
    EXPECT_EQ(ll::f32_to_fp16(0x1p-25f), 0x0000);             // halfway to zero: even is zero
    EXPECT_EQ(ll::f32_to_fp16(1.0f + 0x1p-11f), 0x3C00);      // tie, down to even
    EXPECT_EQ(ll::f32_to_fp16(1.0f + 3 * 0x1p-11f), 0x3C02);  // tie, up to even
    EXPECT_TRUE(std::isnan(ll::fp16_to_f32(ll::f32_to_fp16(NAN))));
    // Every fp16 value survives fp16 -> f32 -> fp16.
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const float f = ll::fp16_to_f32(static_cast<uint16_t>(h));
        if (std::isnan(f)) continue;
        ASSERT_EQ(ll::f32_to_fp16(f), h) << std::hex << h;
    }
    // And a random float lands on a nearest neighbour.
    for (float f : random_floats(10000, 5, 100.0f)) {
        const float back = ll::fp16_to_f32(ll::f32_to_fp16(f));
        const float ulp = std::ldexp(1.0f, std::ilogb(back) - 10);
        EXPECT_LE(std::fabs(back - f), 0.5f * ulp) << f;
    }
}

TEST(Quantize, Bf16RoundsToNearestEven) {
    EXPECT_EQ(ll::f32_to_bf16(1.0f), 0x3F80);
    EXPECT_EQ(ll::f32_to_bf16(std::bit_cast<float>(0x3F808000u)), 0x3F80);  // tie to even
    EXPECT_EQ(ll::f32_to_bf16(std::bit_cast<float>(0x3F818000u)), 0x3F82);
    EXPECT_TRUE(std::isnan(ll::bf16_to_f32(ll::f32_to_bf16(NAN))));
}

float block_d(const uint8_t* block) {
    uint16_t h;
    std::memcpy(&h, block, 2);
    return std::fabs(ll::fp16_to_f32(h));
}

TEST(Quantize, RoundTripWithinHalfAStep) {
    for (DType type : {DType::Q8_0, DType::Q4_0}) {
        const int block_bytes = ll::dtype_info(type).block_bytes;
        const auto x = random_floats(32 * 200, 11, 0.02f);
        const auto q = quantized(type, x);
        std::vector<float> back(x.size());
        ll::dequantize_row(type, q.data(), back.data(), static_cast<int64_t>(x.size()));
        for (size_t b = 0; b < x.size() / 32; ++b) {
            const float d = block_d(q.data() + b * block_bytes);
            for (size_t j = b * 32; j < b * 32 + 32; ++j) {
                // Half a step, plus the fp16 rounding of d times the largest quant (<= 127
                // steps * 2^-11); Q4_0's -max element may clamp a whole step.
                const float tol = (type == DType::Q4_0 ? 1.0f : 0.5f) * d + 128 * d * 0x1p-11f;
                EXPECT_LE(std::fabs(back[j] - x[j]), tol) << ll::dtype_name(type) << " " << j;
            }
        }
    }
}

TEST(Quantize, Q4_0ExtremeMapsToZeroAndZerosStayZero) {
    std::vector<float> x(32, 0.0f);
    x[5] = -3.0f;
    x[6] = 3.0f;
    const auto q = quantized(DType::Q4_0, x);
    std::vector<float> back(32);
    ll::dequantize_row(DType::Q4_0, q.data(), back.data(), 32);
    EXPECT_FLOAT_EQ(back[5], -3.0f);           // the extreme is exact
    EXPECT_NEAR(back[6], 3.0f * 7 / 8, 1e-6);  // its opposite clamps to 7 steps
    EXPECT_EQ(back[0], 0.0f);
    const auto z = quantized(DType::Q8_0, std::vector<float>(32, 0.0f));
    ll::dequantize_row(DType::Q8_0, z.data(), back.data(), 32);
    for (float v : back) EXPECT_EQ(v, 0.0f);
}

// The KV cache's tile conversion (and prefill's Q4_0 weight tiles): strided rows, at every
// level, equal to dequantize_row bit for bit (both conversions are exact or a single float
// multiply).
TEST(QuantDequantizeRows, MatchDequantizeRowAtEveryLevel) {
    LevelGuard guard;
    const int64_t rows = 5, cols = 96, stride = 2 * 96 + 10;  // padded rows, as a slice
    const std::vector<float> x = random_floats(rows * cols, 11, 3.0f);
    for (DType type : {DType::F16, DType::Q8_0, DType::Q4_0}) {
        std::vector<uint8_t> packed(static_cast<size_t>(rows * stride));
        for (int64_t r = 0; r < rows; ++r)
            ll::quantize_row(type, &x[r * cols], &packed[r * stride], cols);
        std::vector<float> want(static_cast<size_t>(rows * cols));
        for (int64_t r = 0; r < rows; ++r)
            ll::dequantize_row(type, &packed[r * stride], &want[r * cols], cols);
        for (SimdLevel level : levels_here()) {
            ll::force_simd_level(level);
            std::vector<float> got(static_cast<size_t>(rows * (cols + 4)), -1.0f);
            ll::dequantize_rows(type, packed.data(), stride, got.data(), cols + 4, rows, cols);
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t i = 0; i < cols; ++i)
                    ASSERT_EQ(std::bit_cast<uint32_t>(got[r * (cols + 4) + i]),
                              std::bit_cast<uint32_t>(want[r * cols + i]))
                        << ll::dtype_name(type) << " " << ll::simd_level_name(level) << " " << r
                        << " " << i;
        }
    }
}

}  // namespace

namespace {

// Attention's exp (kernels.h): every value within 3e-7 relative of the C library's, zero far
// below the shift, and the sum returned; at every SIMD level (the scalar path included).
TEST(ExpShifted, MatchesTheLibraryExpAtEveryLevel) {
    LevelGuard guard;
    std::vector<float> x;
    for (float v = -90.0f; v <= 0.0f; v += 0.0137f) x.push_back(v);
    x.push_back(0.0f);
    x.push_back(-1e-7f);
    x.push_back(-200.0f);
    for (SimdLevel level : levels_here()) {
        ll::force_simd_level(level);
        for (float shift : {0.0f, 3.5f, -12.25f}) {
            std::vector<float> y(x.size());
            for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] + shift;
            const std::vector<float> in = y;
            const float sum = ll::exp_shifted(y.data(), static_cast<int64_t>(y.size()), shift);
            double want_sum = 0;
            for (size_t i = 0; i < x.size(); ++i) {
                const float arg = in[i] - shift;  // what the kernel exponentiates
                const double want = std::exp(static_cast<double>(arg));
                want_sum += want;
                if (arg < -87.3f) {
                    EXPECT_LT(y[i], 1e-37f) << arg;
                    continue;
                }
                ASSERT_NEAR(y[i], want, 3e-7 * want + 1e-38)
                    << ll::simd_level_name(level) << " x=" << arg << " shift=" << shift;
            }
            EXPECT_NEAR(sum, want_sum, 1e-5 * want_sum);
        }
    }
}

}  // namespace

namespace {

// SwiGLU (kernels.h): g * sigmoid(g) * up within 1e-6 relative (plus a tiny absolute floor)
// of a double-precision reference, for g from -100 to 100 (the vector form's sigmoid comes
// from exp(-|g|), so both signs and both tails are checked), at every SIMD level.
TEST(Swiglu, MatchesDoubleReferenceAtEveryLevel) {
    LevelGuard guard;
    std::vector<float> g, up;
    for (float v = -100.0f; v <= 100.0f; v += 0.0917f) {
        g.push_back(v);
        up.push_back(0.5f + 0.001f * static_cast<float>(g.size() % 997));
    }
    g.push_back(0.0f);
    up.push_back(1.0f);
    for (SimdLevel level : levels_here()) {
        ll::force_simd_level(level);
        std::vector<float> y = g;
        ll::swiglu(y.data(), up.data(), static_cast<int64_t>(y.size()));
        for (size_t i = 0; i < g.size(); ++i) {
            const double x = g[i];
            const double want = x / (1.0 + std::exp(-x)) * up[i];
            ASSERT_NEAR(y[i], want, 1e-6 * std::fabs(want) + 1e-30)
                << ll::simd_level_name(level) << " g=" << g[i];
        }
    }
}

}  // namespace
