// What the speed and sweep studies share: engine setup, a timed session, and the
// description of a run (model, threads, SIMD level) every JSON record carries.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <vector>

#include "attention_capture.h"
#include "bench.h"
#include "model.h"
#include "session.h"

namespace llbench {

// Thread count (OpenBLAS and the engine pool), --simd, --no-gemv and --no-gemm.
void configure_engine(const Args& args, int threads);
// --kv (default f32).
ll::KvType kv_type(const Args& args);

// n token ids drawn uniformly from the normal pieces (ids >= 3), reproducibly.
std::vector<int32_t> random_tokens(const ll::Model& model, int64_t n, uint32_t seed);

class Runner {
  public:
    Runner(const ll::Model& model, int64_t max_context, ll::KvType kv);
    // One token through the whole model and back out: pages in the mapped weights and
    // sizes every buffer, so neither is charged to the timed phases.
    void warm_up();
    // Seconds to evaluate `tokens` (chunks of `chunk` tokens, only the last logits computed).
    double prefill(const std::vector<int32_t>& tokens, int64_t chunk = 512);
    // Seconds to generate n tokens greedily, one forward pass each.
    double decode(int64_t n);
    // From now on the forward pass keeps the attention rows of queries at or after
    // `from_position` for `layers` layers spread over the model (the second up to the last,
    // as question answering captures them for attribution); 0 layers turns it off.
    void capture_attention(int layers, int64_t from_position, bool per_head = true);
    // Drops every position from `position` on (to decode the same stretch again).
    void truncate(int64_t position) { session_->truncate(position); }
    // Process CPU seconds the last prefill/decode used: divided by wall time and the
    // thread count, how much of its cores the run actually got (other load lowers it).
    double last_cpu_seconds() const { return last_cpu_s_; }
    int64_t kv_bytes_per_token() const {
        return static_cast<int64_t>(session_->kv_cache().bytes_per_token());
    }

  private:
    std::unique_ptr<ll::Session> session_;
    ll::AttentionCapture capture_;
    double last_cpu_s_ = 0;
};

nlohmann::json describe(const ll::Model& model, const Args& args, int threads);

// Adds weight bytes read per decoded token, the measured read bandwidth and the decode
// speed that bandwidth allows (when --bandwidth is given; it takes a few seconds).
void add_bandwidth_limit(nlohmann::json& j, const ll::Model& model, const Args& args, int threads,
                         int64_t context);

}  // namespace llbench
