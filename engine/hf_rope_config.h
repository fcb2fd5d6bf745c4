// Position scaling as a Hugging Face config.json states it (`rope_scaling` in older files,
// `rope_parameters` in newer ones, §11), read by hf_model_loader. The only engine header that
// needs nlohmann::json.
#pragma once

#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "scaling_spec.h"

namespace ll {

// From an HF config's `rope_scaling` (HF-old) or `rope_parameters` (HF-new) object (§11).
// `rope_type` or legacy `type`; "default" (or a null/absent object) means none; "su" means
// longrope. `rope_theta` becomes the theta param. Keys the method does not use are dropped as
// transformers ignores them (e.g. original_max_position_embeddings for dynamic, §4).
// top_level_original: Phi-3's top-level original_max_position_embeddings, which HF prefers for
// longrope (§8). Throws EngineError for an unsupported rope_type or a non-numeric value.
ScalingSpec spec_from_hf_rope(const nlohmann::json& rope,
                              std::optional<double> top_level_original = std::nullopt);

// The same from a whole config.json object: picks rope_parameters or rope_scaling, and the
// top-level rope_theta when the rope object has none.
ScalingSpec spec_from_hf_config(const nlohmann::json& config);

// The model's own rope facts from a whole config.json: theta, d = head_dim (or hidden_size /
// num_attention_heads) x partial_rotary_factor, M, and the trained window (the rope object's
// or top-level original_max_position_embeddings, else M).
RopeBase rope_base_from_hf_config(const nlohmann::json& config);

}  // namespace ll
