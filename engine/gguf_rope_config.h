// Position scaling as GGUF metadata states it (`{arch}.rope.*`, §11), read by
// gguf_model_loader.
#pragma once

#include <optional>
#include <string>

#include "scaling_spec.h"

namespace ll {

// GGUF metadata values (§11), already read from the file (keys without the `{arch}.` prefix).
struct GgufRopeValues {
    std::optional<std::string> type;                // rope.scaling.type: none|linear|yarn|longrope
    std::optional<double> factor;                   // rope.scaling.factor (0 means 1)
    std::optional<double> original_context_length;  // rope.scaling.original_context_length
    std::optional<double> freq_base;                // rope.freq_base
    std::optional<double> attn_factor;              // rope.scaling.attn_factor
    std::optional<double> yarn_beta_fast;           // rope.scaling.yarn_beta_fast (newer files)
    std::optional<double> yarn_beta_slow;           // rope.scaling.yarn_beta_slow
    std::optional<double> scale_linear;             // legacy rope.scale_linear
};
ScalingSpec spec_from_gguf_values(const GgufRopeValues& values);
ScalingSpec spec_from_gguf_values(std::optional<std::string> type, std::optional<double> factor,
                                  std::optional<double> original_context_length,
                                  std::optional<double> freq_base,
                                  std::optional<double> attn_factor);

}  // namespace ll
