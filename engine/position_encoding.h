// Where every position-scaling method lives: (method, parameters, sequence length) ->
// rotary inverse frequencies and attention factor, or ALiBi slopes. The formulas follow
// shared/docs/scaling-methods.md (§n below); the diagnostics plot the same numbers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scaling_spec.h"  // ScalingSpec, RopeBase, parsing and precedence

namespace ll {

struct RopeFrequencies {
    std::vector<float> inv_freq;    // d/2 values, ω_i (empty for ALiBi)
    float attention_factor = 1.0f;  // multiplies cos and sin (so logits get its square)
};

// Methods: none, linear, ntk, dynamic, xverse, yarn, llama3, longrope (RoPE, half-split pairs
// (i, i+d/2) as HF), alibi, dynamic_alibi. A `theta` param overrides the rope base for every
// RoPE method. Frequencies reproduce transformers' float32 arithmetic (same operations, same
// order), so they match its inv_freq to about 1 ulp.
class PositionEncoding {
  public:
    // Validates the spec and fills its defaults (with_defaults); throws EngineError when the
    // spec is invalid or needs a model fact `base` lacks (e.g. the trained window for yarn).
    PositionEncoding(ScalingSpec spec, RopeBase base);

    // ω and attention factor for a forward pass whose largest position is seq_len - 1
    // (length-dependent methods such as dynamic NTK recompute from it).
    RopeFrequencies frequencies(int64_t seq_len) const;
    bool depends_on_length() const;

    // The cos/sin factor as transformers computes it (Python float), before rounding to float.
    double attention_factor(int64_t seq_len) const;
    // The rope base in force at seq_len (ntk, dynamic and xverse change it, §3-§5).
    double effective_theta(int64_t seq_len) const;

    // transformers keeps grown dynamic-NTK frequencies between forwards (dynamic_rope_update,
    // §4): it recomputes only when seq_len exceeds the length cached so far, and restores the
    // original only when seq_len < M. Given the length in force before this forward (start a
    // fresh model at max_position_embeddings), returns the length whose frequencies() HF uses
    // for this forward and keeps afterwards. Other methods return seq_len (no history).
    int64_t hf_dynamic_length(int64_t seq_len, int64_t cached_len) const;

    bool is_alibi() const;
    // Per-head ALiBi slopes (§9); dynamic_alibi scales them for a cache of max(seq_len, M)
    // tokens. Empty for RoPE methods.
    std::vector<float> alibi_slopes(int n_heads, int64_t seq_len) const;

    const ScalingSpec& spec() const { return spec_; }  // with defaults filled in
    const RopeBase& base() const { return base_; }

  private:
    double p(const char* key) const { return spec_.params.at(key); }
    int64_t dynamic_window() const;  // M for dynamic/xverse (trained window if M unknown)
    std::vector<float> rope_inv_freq(int64_t seq_len) const;

    ScalingSpec spec_;
    RopeBase base_;
};

// What is applied, for `longlens-cli info` and the GUI.
struct EffectiveScaling {
    std::string method;
    std::map<std::string, double> params;  // defaults filled in
    std::string spec_text;                 // canonical METHOD:key=value,...
    ScalingSource source = ScalingSource::kDefault;
    double theta = 0.0;             // rope base in force at context_len (0 for ALiBi)
    int trained_window = 0;         // L
    int64_t effective_window = 0;   // window the method targets (L x factor); 0: no fixed limit
    int64_t context_len = 0;        // the context the description is for
    double attention_factor = 1.0;  // cos/sin factor at context_len
    double logit_factor = 1.0;      // its square: what the attention logits get
    bool depends_on_length = false;
    bool file_freq_factors = false;  // per-pair rope_freqs divisors from the file are applied
    // longrope: which list is in force at context_len ("short" up to the original window,
    // "long" beyond, as transformers picks by sequence length) and its values; else empty.
    std::string longrope_list;
    std::vector<double> longrope_factors;
    std::vector<std::string> warnings;
};

// Describes `resolved` (see resolve_scaling) for a context of context_len tokens, adding
// warnings: context beyond the trained window without scaling, context beyond the method's
// effective window, linear interpolation chosen without the model being tuned for it.
EffectiveScaling effective_scaling(const ResolvedScaling& resolved, const RopeBase& base,
                                   int64_t context_len);
// Multi-line human-readable text of `e` (one "key: value" per line, then "warning: ..." lines).
std::string describe(const EffectiveScaling& e);

}  // namespace ll
