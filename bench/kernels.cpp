// kernels: one decode-sized matrix-vector product per weight type and SIMD level, in
// weight bytes streamed per second, next to the dequantise-then-BLAS path it replaces.
// The matrix (default 5632 x 2048, TinyLlama's FFN) is several times larger than the
// caches, so this is what one layer's FFN costs per decoded token. Every stored type but
// F32 (BLAS's own) is measured, or those named by --types.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

#include "bench.h"
#include "kernels.h"
#include "quant_dot.h"
#include "quant_gemm.h"
#include "quantize.h"
#include "threads.h"

namespace llbench {
namespace {

struct Timing {
    double best_s;     // seconds per call, best of the reps (the least disturbed by other load)
    double cpu_share;  // process CPU time / (wall time x threads) over all reps
    double cpu_s;      // process CPU seconds per call, mean over the reps: with 1 thread, the
                       // time on a core whatever else runs (cache sharing aside)
};

template <typename F>
Timing best_seconds(int reps, int threads, F&& f) {
    double best = 1e30;
    const double w0 = now_seconds(), c0 = process_cpu_seconds();
    for (int i = 0; i < reps; ++i) {
        const double t0 = now_seconds();
        f();
        best = std::min(best, now_seconds() - t0);
    }
    const double wall = now_seconds() - w0, cpu = process_cpu_seconds() - c0;
    return {best, cpu / (wall * threads), cpu / reps};
}

// Byte offsets of each block type's fp16 scales (d, and dmin or m where it has one).
struct ScaleSlots {
    int d = 0, dmin = -1;
};

ScaleSlots scale_slots(ll::DType type) {
    switch (type) {
        case ll::DType::Q4_1:
        case ll::DType::Q5_1:
        case ll::DType::Q4_K:
        case ll::DType::Q5_K:
            return {0, 2};
        case ll::DType::Q2_K:
            return {80, 82};
        case ll::DType::Q3_K:
            return {108, -1};
        case ll::DType::Q6_K:
            return {208, -1};
        default:
            return {0, -1};
    }
}

// The types without a quantiser here: random blocks (every bit pattern is a valid block;
// the kernels' speed does not depend on the values) with plausible fp16 scales.
void random_blocks(ll::DType type, std::vector<uint8_t>& blocks, std::mt19937& rng) {
    for (uint8_t& b : blocks) b = static_cast<uint8_t>(rng());
    const uint16_t d = ll::f32_to_fp16(0.002f), dmin = ll::f32_to_fp16(0.001f);
    const ScaleSlots s = scale_slots(type);
    const size_t block_bytes = static_cast<size_t>(ll::dtype_info(type).block_bytes);
    for (size_t b = 0; b + block_bytes <= blocks.size(); b += block_bytes) {
        std::memcpy(&blocks[b + static_cast<size_t>(s.d)], &d, 2);
        if (s.dmin >= 0) std::memcpy(&blocks[b + static_cast<size_t>(s.dmin)], &dmin, 2);
    }
}

bool has_quantiser(ll::DType type) {
    return type == ll::DType::F16 || type == ll::DType::BF16 || type == ll::DType::Q8_0 ||
           type == ll::DType::Q4_0;
}

// --types q4_0,q6_k,... (names as dtype_name prints them, any case); default: all but F32.
std::vector<ll::DType> types_to_run(const Args& args) {
    std::string list = args.str("types", "");
    for (char& c : list) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::vector<ll::DType> out;
    for (uint32_t id = 1; id < 64; ++id) {
        const auto info = ll::dtype_info(id);
        if (!info) continue;
        std::string name(info->name);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (list.empty() || ("," + list + ",").find("," + name + ",") != std::string::npos)
            out.push_back(static_cast<ll::DType>(id));
    }
    if (out.empty()) throw std::runtime_error("--types names no known type: " + list);
    return out;
}

// --tokens N > 1: one prefill-sized product, N activation rows, every way matmul can take
// it: dequantise + sgemm (BLAS), batches of quant_gemv, and quant_gemm at each level it
// runs at; in GFLOP/s (2 x rows x cols x N per call). The rule in kernels.cpp that picks
// a path per type and size was set from these.
void prefill_paths(const Args& args, ll::DType type, const ll::Tensor& t, int64_t tokens) {
    const int64_t rows = t.rows(), cols = t.cols();
    const int threads = static_cast<int>(args.count("threads", 2));
    const int reps = std::max(2, static_cast<int>(args.count("reps", 20)) / 5);
    std::mt19937 rng(2);
    std::normal_distribution<float> dist(0.0f, 1.0f);
    std::vector<float> x(static_cast<size_t>(tokens * cols)), y(static_cast<size_t>(tokens * rows));
    for (float& v : x) v = dist(rng);
    auto report = [&](const std::string& path, Timing timing) {
        const double flop = 2.0 * static_cast<double>(rows * cols * tokens);
        emit(nlohmann::json{{"study", "kernels"},
                            {"type", std::string(ll::dtype_name(type))},
                            {"path", path},
                            {"rows", rows},
                            {"cols", cols},
                            {"tokens", tokens},
                            {"threads", threads},
                            {"ms_per_call", timing.best_s * 1e3},
                            {"gflop_s", flop / timing.best_s / 1e9},
                            {"gflop_per_cpu_s", flop / timing.cpu_s / 1e9},
                            {"cpu_share", timing.cpu_share}},
             args.flag("json"), "kernels");
    };
    ll::set_quant_gemv_enabled(false);
    ll::set_quant_gemm_enabled(false);
    report("dequantise+sgemm",
           best_seconds(reps, threads, [&] { ll::matmul(y.data(), x.data(), tokens, t); }));
    ll::set_quant_gemv_enabled(true);
    ll::set_quant_gemm_enabled(true);
    if (ll::quant_gemv_supports(type, 1)) {
        report("gemv-batches", best_seconds(reps, threads, [&] {
                   for (int64_t j = 0; j < tokens; j += ll::kMaxGemvBatch)
                       ll::quant_gemv(y.data() + j * rows, x.data() + j * cols,
                                      std::min(ll::kMaxGemvBatch, tokens - j), t);
               }));
    }
    for (int l = 0; l <= static_cast<int>(ll::detected_simd_level()); ++l) {
        ll::force_simd_level(static_cast<ll::SimdLevel>(l));
        if (!ll::quant_gemm_supports(type)) continue;
        report("gemm-" + std::string(ll::simd_level_name(static_cast<ll::SimdLevel>(l))),
               best_seconds(reps, threads, [&] { ll::quant_gemm(y.data(), x.data(), tokens, t); }));
    }
    ll::force_simd_level(ll::detected_simd_level());
}

}  // namespace

int run_kernels(const Args& args) {
    const int64_t rows = args.count("rows", 5632), cols = args.count("cols", 2048);
    const int threads = static_cast<int>(args.count("threads", 2));
    const int reps = static_cast<int>(args.count("reps", 20));
    ll::set_thread_count(threads);
    std::mt19937 rng(1);
    std::normal_distribution<float> dist(0.0f, 0.02f);
    std::vector<float> wf(static_cast<size_t>(rows * cols)), x(static_cast<size_t>(cols));
    for (float& v : wf) v = dist(rng);
    for (float& v : x) v = dist(rng) * 50.0f;
    std::vector<float> y(static_cast<size_t>(rows));

    for (ll::DType type : types_to_run(args)) {
        std::vector<uint8_t> wq(*ll::dtype_bytes(type, wf.size()));
        if (!has_quantiser(type)) {
            random_blocks(type, wq, rng);
        } else {
            ll::quantize_row(type, wf.data(), wq.data(), static_cast<int64_t>(wf.size()));
        }
        ll::Tensor t{"w", type, {rows, cols}, wq.data(), wq.size()};
        if (const int64_t tokens = args.count("tokens", 1); tokens > 1) {
            prefill_paths(args, type, t, tokens);
            continue;
        }
        auto report = [&](const std::string& path, Timing timing) {
            const double s = timing.best_s;
            nlohmann::json j{{"study", "kernels"},
                             {"type", std::string(ll::dtype_name(type))},
                             {"path", path},
                             {"rows", rows},
                             {"cols", cols},
                             {"threads", threads},
                             {"us_per_call", s * 1e6},
                             {"weight_gb_s", static_cast<double>(wq.size()) / s / 1e9},
                             {"cpu_share", timing.cpu_share}};
            emit(j, args.flag("json"), "kernels");
        };
        ll::set_quant_gemv_enabled(false);
        report("dequantise+sgemv", best_seconds(std::max(2, reps / 5), threads,
                                                [&] { ll::matmul(y.data(), x.data(), 1, t); }));
        ll::set_quant_gemv_enabled(true);
        for (int l = 0; l <= static_cast<int>(ll::detected_simd_level()); ++l) {
            ll::force_simd_level(static_cast<ll::SimdLevel>(l));
            report(std::string(ll::simd_level_name(static_cast<ll::SimdLevel>(l))),
                   best_seconds(reps, threads, [&] { ll::quant_gemv(y.data(), x.data(), 1, t); }));
        }
        ll::force_simd_level(ll::detected_simd_level());
    }
    return 0;
}

}  // namespace llbench
