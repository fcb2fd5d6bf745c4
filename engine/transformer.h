// One forward pass of a Llama-family decoder over a chunk of tokens, in the order of
// transformers' LlamaModel: RMSNorm -> q/k/v -> rotary -> causal attention -> output
// projection -> residual -> RMSNorm -> SwiGLU MLP -> residual; final norm -> logits.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "attention_capture.h"
#include "attention_kernel.h"
#include "attention_variant.h"
#include "kv_cache.h"
#include "model.h"
#include "position_encoding.h"

namespace ll {

// Where each chunk's logits go: none (prefill of a prefix), only the last token's
// (generation), or every token's (perplexity, diagnostics).
enum class LogitsMode { None, Last, All };

// The positional input of one pass: rotary frequencies, or ALiBi slopes (one per head)
// for models without rotary embeddings.
struct PassPositions {
    RopeFrequencies rope;
    std::vector<float> alibi_slopes;
};

class Transformer {
  public:
    explicit Transformer(const Model& model);

    // Runs tokens at positions [start, start + n) with the positional input `pp`,
    // writing their keys/values into `cache`. Logits per `mode` go to `logits`
    // (n x vocab for All, vocab for Last).
    // Returns false when `cancel` was raised mid-pass (checked between layers and heads,
    // so a long chunk stops promptly); the cache then holds partial keys past `start`
    // that the caller must not count.
    bool forward(std::span<const int32_t> tokens, int64_t start, const PassPositions& pp,
                 KvCache& cache, LogitsMode mode, std::vector<float>& logits,
                 const std::atomic<bool>* cancel = nullptr);

    const Model& model() const { return model_; }
    // Attention to keep while forwarding (nullptr: none). The caller owns it.
    void set_capture(AttentionCapture* capture) { capture_ = capture; }
    // Every layer through the exact two-pass attention instead of the tiled kernel: the
    // reference the kernel is tested against (no capture needed to select it).
    void set_exact_attention(bool on) { exact_attention_ = on; }
    void set_variant(const AttentionVariant& v) { variant_ = v; }
    const AttentionVariant& variant() const { return variant_; }

  private:
    // Throws EngineError naming the model: NaN or infinity appeared `where`.
    [[noreturn]] void refuse_non_finite(const std::string& where);
    bool attention(int layer, int64_t n, int64_t start, KvCache& cache, const PassPositions& pp);
    bool needs_exact_attention(int layer, int64_t n, int64_t start) const;
    bool captures(int layer, int64_t n, int64_t start) const;
    void capture_weights(int layer, int64_t n, int64_t start, const KvCache& cache,
                         const PassPositions& pp);
    bool attention_tiled(int layer, int64_t n, int64_t start, const KvCache& cache,
                         const PassPositions& pp);
    QueryPack query_pack(int kvh, int64_t p, int64_t n, int64_t start, const PassPositions& pp,
                         float** out);
    bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
    void softmax_row(float* row, int64_t k_lo, int64_t lo, int64_t pos, int head, const float* q,
                     int layer, const PassPositions& pp, const KvCache& cache, float* sink_w);
    // A KV head's keys and values as float32 rows `ld` floats apart, row 0 at position
    // `first`.
    struct KvTile {
        const float* keys;
        const float* values;
        int64_t ld;
        int64_t first;
    };
    KvTile kv_tile(int layer, int kvh, int64_t first, int64_t end, const KvCache& cache);
    void attend_tile(int layer, int h, int64_t q0, int64_t bq, int64_t start, const KvTile& tile,
                     const KvCache& cache, const PassPositions& pp);
    void add_sink_values(float* out, int64_t bq, int64_t first, int layer, int kvh,
                         const KvCache& cache);
    void rotate_by(float* x, int64_t delta, const RopeFrequencies& rope);
    void project_qkv(int layer, int64_t n);
    void apply_rotary(float* vecs, int64_t n, int n_heads);
    void begin_capture(int64_t n, int64_t start);
    bool drop_capture();
    bool averages_head(int head) const;
    KvHeadView kv_view(int layer, const KvCache& cache) const;
    void capture_row(int layer, int head, int64_t pos, const float* weights, int64_t k_lo,
                     int64_t count, int64_t stride = 1);

    const Model& model_;
    const ModelConfig& cfg_;
    bool exact_attention_ = false;
    AttentionCapture* capture_ = nullptr;
    AttentionVariant variant_;
    const std::atomic<bool>* cancel_ = nullptr;
    size_t capture_base_ = 0;    // index in capture_->rows of this chunk's first captured query
    int64_t capture_first_ = 0;  // its position
    std::vector<std::vector<float>> attn_norms_, ffn_norms_;
    // Per layer, empty when the architecture has none: q/k/v biases (qwen2), q/k norms (qwen3).
    std::vector<std::vector<float>> bq_, bk_, bv_, q_norms_, k_norms_;
    std::vector<float> output_norm_;

    // Scratch, sized for the largest chunk seen.
    std::vector<float> x_, xb_, q_, k_, v_, att_out_, gate_, up_, scores_;
    std::vector<float> cos_, sin_;  // [n][rotary_dim/2]
    std::vector<float> sink_key_, sink_w_, sink_values_;
    std::vector<float> capture_w_;        // captured rows' weights, pack by pack
    std::vector<float> k_tile_, v_tile_;  // a KV head's keys/values converted from the cache
    // Decode's key splits: one partial state per task, merged after the pool's run.
    std::vector<PackState> split_states_;
    std::vector<float> split_acc_;
};

}  // namespace ll
