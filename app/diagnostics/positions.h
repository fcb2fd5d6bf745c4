// The Positions diagnostic (issue 17 §2): what the position configuration in force does to
// each rotary dimension at a context length, against the trained window, beside every other
// scaling method on the same axes. Every number comes from the engine's PositionEncoding, so
// the view shows exactly what a run applies (shared/docs/scaling-methods.md has the formulas).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "position_encoding.h"
#include "scaling_spec.h"

namespace ll {

// What the method does to one rotary pair, judged by ratio = scaled / original wavelength.
enum class DimClass {
    Extrapolated,  // unchanged and shorter than the trained window: seen whole in training
    Unseen,        // unchanged but at least the trained window long: never a full turn in training
    Ramp,          // partly scaled (YaRN/llama3 ramp, NTK's smooth base change)
    Interpolated,  // scaled by the method's full factor
};
const char* to_string(DimClass c);

struct RotaryDim {
    int pair = 0;                    // i: rotates elements (i, i + d/2)
    double inv_freq = 0;             // ω_i in force
    double wavelength = 0;           // 2π/ω_i, in tokens
    double original_wavelength = 0;  // 2π/ω⁰_i with the model's own base, unscaled
    double ratio = 1;                // wavelength / original_wavelength
    DimClass cls = DimClass::Extrapolated;
    bool exceeds_context = false;  // wavelength > the context length
};

// One method's wavelengths at the context, for the overlay.
struct MethodCurve {
    std::string label;      // the method name, or "effective" for a setting no standard one is
    std::string spec_text;  // canonical METHOD:key=value
    ScalingSpec spec;       // with defaults filled in (and the file's rope_freqs, if any)
    std::vector<double> wavelength;  // per pair
    double attention_factor = 1;
    bool effective = false;  // the configuration in force
};

// A length-dependent method at one length (dynamic NTK, XVERSE, dynamic NTK-ALiBi, LongRoPE).
struct LengthSample {
    int64_t length = 0;
    double theta = 0;  // rope base in force (0 for ALiBi)
    double attention_factor = 1;
    std::vector<double> wavelength;    // per pair (RoPE)
    std::vector<double> alibi_slopes;  // per head (ALiBi)
};

struct PositionsReport {
    std::string method;     // effective method
    std::string spec_text;  // its canonical spec
    ScalingSource source = ScalingSource::kDefault;
    bool file_freq_factors = false;  // the file's per-pair rope_freqs divisors are applied
    double model_theta = 0;          // the model's own rope base
    double theta = 0;                // base in force at the context (0 for ALiBi)
    int rotary_dim = 0;
    int trained_window = 0;
    int max_position_embeddings = 0;
    int64_t context_len = 0;
    double attention_factor = 1;          // on cos and sin
    double logit_factor = 1;              // its square, on the logits
    double full_factor = 1;               // the largest wavelength ratio: what "interpolated" means
    std::vector<RotaryDim> dims;          // empty for ALiBi
    std::vector<double> alibi_slopes;     // per head, empty for RoPE
    std::vector<LengthSample> by_length;  // trained window x1, x2, x4, x8 for dynamic methods
    std::vector<MethodCurve> overlay;     // none, linear, ntk, dynamic, yarn, llama3 (RoPE only)
    std::vector<std::string> warnings;    // the engine's, from effective_scaling
    std::vector<std::string> notes;       // how to read the overlay (e.g. dynamic equal to none)
};

// The report for `resolved` (resolve_scaling's result for the model) at context_len tokens.
// n_heads: attention heads, for ALiBi slopes. Throws EngineError as PositionEncoding does.
PositionsReport analyse_positions(const ResolvedScaling& resolved, const RopeBase& base,
                                  int n_heads, int64_t context_len);

// The overlay alone: each standard RoPE method with its factor set to context_len / trained
// window (at least 1), the rope base of `theta`, evaluated at context_len.
std::vector<MethodCurve> overlay_curves(const RopeBase& base, double theta, int64_t context_len);

}  // namespace ll
