// A conversation with a model: the tokens so far, their KV cache and the position
// encoding in force. Evaluation is chunked so that callers get progress and can cancel
// between chunks; the state stays valid (all whole chunks kept) after a cancel.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kv_cache.h"
#include "model.h"
#include "position_encoding.h"
#include "transformer.h"

namespace ll {

struct EvalProgress {
    int64_t done = 0;   // tokens of this call evaluated so far
    int64_t total = 0;  // tokens of this call
    double seconds = 0; // since the call started
};

struct EvalOptions {
    int64_t chunk = 512;  // tokens per forward pass
    // For length-dependent scaling (dynamic NTK): the length of the whole sequence the
    // caller is about to evaluate, so every chunk uses the frequencies transformers
    // would use for it in one pass. 0: the end of each chunk.
    int64_t rope_length = 0;
    // Called with each chunk's logits (rows x vocab) and the index (within this call)
    // of its first token. When unset, only the last token's logits are computed.
    std::function<void(int64_t first, const float* logits, int64_t rows)> on_logits;
    std::function<void(const EvalProgress&)> on_progress;
    const std::atomic<bool>* cancel = nullptr;
};

class Session {
public:
    // `kv` is the element type of the KV cache (kv_cache.h); throws EngineError when the
    // model's rows cannot be stored in it (q8_0 with kv_dim not a multiple of 32).
    Session(const Model& model, PositionEncoding positions, int64_t max_context,
            KvType kv = KvType::F32);

    // Appends and evaluates tokens. Returns false when cancelled (the chunks completed
    // before the cancel are kept). Throws EngineError past max_context.
    bool eval(std::span<const int32_t> tokens, const EvalOptions& options = {});

    // Logits after the last evaluated token (vocab values).
    std::span<const float> logits() const { return last_logits_; }
    const std::vector<int32_t>& tokens() const { return tokens_; }
    int64_t position() const { return static_cast<int64_t>(tokens_.size()); }
    int64_t max_context() const { return cache_.max_positions(); }
    const PositionEncoding& positions() const { return positions_; }
    KvType kv_type() const { return cache_.type(); }
    const KvCache& kv_cache() const { return cache_; }
    const Model& model() const { return model_; }
    // Attention weights to keep during later evals (nullptr: stop capturing).
    void set_attention_capture(AttentionCapture* capture) { transformer_.set_capture(capture); }
    // The exact two-pass attention for every layer (the tiled kernel's reference; tests).
    void set_exact_attention(bool on) { transformer_.set_exact_attention(on); }
    // Which keys each query sees (default: the model's own, full or its sliding window).
    void set_attention_variant(const AttentionVariant& v) { transformer_.set_variant(v); }
    const AttentionVariant& attention_variant() const { return transformer_.variant(); }
    // Forget everything after the first n tokens (keys beyond are simply overwritten).
    void truncate(int64_t n);

private:
    friend void save_session(const Session&, const std::string&, const std::string&);
    friend void load_session(Session&, const std::string&, const std::string&);
    PassPositions pass_positions(int64_t seq_len) const;

    const Model& model_;
    PositionEncoding positions_;
    Transformer transformer_;
    KvCache cache_;
    std::vector<int32_t> tokens_;
    std::vector<float> chunk_logits_, last_logits_;
};

}  // namespace ll
