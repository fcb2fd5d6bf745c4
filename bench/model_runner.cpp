#include "model_runner.h"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "quant_dot.h"
#include "quant_gemm.h"
#include "threads.h"

namespace llbench {

void configure_engine(const Args& args, int threads) {
    ll::set_thread_count(threads);
    // A benchmark measures the thread count it was given, starved or not.
    ll::set_adaptive_threads(args.flag("adaptive-threads"));
    const std::string simd = args.str("simd", "");
    if (!simd.empty()) {
        bool found = false;
        for (int l = 0; l <= static_cast<int>(ll::SimdLevel::Avx512Vnni); ++l) {
            if (ll::simd_level_name(static_cast<ll::SimdLevel>(l)) == simd) {
                ll::force_simd_level(static_cast<ll::SimdLevel>(l));
                found = true;
            }
        }
        if (!found) throw std::runtime_error("unknown --simd " + simd);
    }
    if (args.flag("no-gemv")) ll::set_quant_gemv_enabled(false);
    if (args.flag("no-gemm")) ll::set_quant_gemm_enabled(false);
    if (args.flag("gemm-always")) ll::set_quant_gemm_forced(true);
}

ll::KvType kv_type(const Args& args) {
    return ll::parse_kv_type(args.str("kv", "f32"));
}

std::vector<int32_t> random_tokens(const ll::Model& model, int64_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int32_t> id(3, model.config().vocab_size - 1);
    std::vector<int32_t> out(static_cast<size_t>(n));
    for (int32_t& t : out) t = id(rng);
    return out;
}

Runner::Runner(const ll::Model& model, int64_t max_context, ll::KvType kv) {
    const ll::ModelConfig& c = model.config();
    session_ = std::make_unique<ll::Session>(model, ll::PositionEncoding(c.scaling, c.rope),
                                             max_context, kv);
}

void Runner::warm_up() {
    const std::vector<int32_t> one{1};
    session_->eval(one);
    session_->truncate(0);
}

void Runner::capture_attention(int layers, int64_t from_position, bool per_head) {
    capture_ = {};
    if (layers <= 0) {
        session_->set_attention_capture(nullptr);
        return;
    }
    const int n = session_->model().config().n_layers;
    const int first = n > 1 ? 1 : 0;
    const int count = std::min(layers, n - first);
    for (int i = 0; i < count; ++i)
        capture_.layers.push_back(first + (count > 1 ? i * (n - 1 - first) / (count - 1) : 0));
    capture_.from_position = from_position;
    capture_.per_head = per_head;  // answers keep them, for the Attention view
    session_->set_attention_capture(&capture_);
}

double Runner::prefill(const std::vector<int32_t>& tokens, int64_t chunk) {
    ll::EvalOptions options;
    options.chunk = chunk;
    const double t0 = now_seconds(), c0 = process_cpu_seconds();
    session_->eval(tokens, options);
    last_cpu_s_ = process_cpu_seconds() - c0;
    return now_seconds() - t0;
}

double Runner::decode(int64_t n) {
    const double t0 = now_seconds(), c0 = process_cpu_seconds();
    for (int64_t i = 0; i < n; ++i) {
        const auto logits = session_->logits();
        const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
        const std::vector<int32_t> next{static_cast<int32_t>(best)};
        session_->eval(next);
    }
    last_cpu_s_ = process_cpu_seconds() - c0;
    return now_seconds() - t0;
}

nlohmann::json describe(const ll::Model& model, const Args& args, int threads) {
    const ll::ModelConfig& c = model.config();
    return nlohmann::json{
        {"model", args.str("model", "")},
        {"weight_type", std::string(ll::dtype_name(model.weights().layers.at(0).wq.type))},
        {"layers", c.n_layers},
        {"dim", c.dim},
        {"weight_mib", static_cast<double>(model.weight_bytes()) / (1 << 20)},
        {"threads", threads},
        {"simd", std::string(ll::simd_level_name(ll::active_simd_level()))},
        {"decode_kernels", !args.flag("no-gemv")},
        {"prefill_kernels", args.flag("no-gemm")       ? "off"
                            : args.flag("gemm-always") ? "always"
                                                       : "auto"},
        {"kv_type", std::string(ll::kv_type_name(kv_type(args)))},
    };
}

void add_bandwidth_limit(nlohmann::json& j, const ll::Model& model, const Args& args, int threads,
                         int64_t context) {
    // Per decoded token every weight matrix is read once (the embedding only one row),
    // plus the KV cache up to the current position.
    const ll::Weights& w = model.weights();
    double bytes = static_cast<double>(model.weight_bytes());
    if (w.output.data != w.embedding.data) bytes -= static_cast<double>(w.embedding.bytes);
    const ll::ModelConfig& c = model.config();
    bytes += static_cast<double>(context) *
             static_cast<double>(ll::kv_bytes_per_token(c, kv_type(args)));
    j["bytes_per_decoded_token_mib"] = bytes / (1 << 20);
    if (!args.flag("bandwidth")) return;
    const double bw = measure_read_bandwidth(threads);
    j["read_bandwidth_gb_s"] = bw / 1e9;
    j["decode_limit_tok_s"] = bw / bytes;
    if (j.contains("decode_tok_s"))
        j["decode_share_of_limit"] = j["decode_tok_s"].get<double>() / (bw / bytes);
}

}  // namespace llbench
