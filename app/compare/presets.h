// Ready-made sets of runs for the Compare view's preset menu and the tests: the scaling
// methods for a model and a document, the KV cache types, the attention variants. Each
// preset is a RunConfig on `model_path` differing from the defaults in one setting only,
// so a column's difference is the thing compared.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

#include "model_config.h"
#include "qa/run_config.h"

namespace ll {

// The window the model was trained at (the rope base's, else the config's).
int trained_window(const ModelConfig& model);

// The factor that stretches the trained window over the document: ceil(tokens / window),
// at least 2 (a factor of 1 would be no scaling at all).
int scaling_factor_for(int64_t document_tokens, int trained_window);

// none / linear / ntk / yarn, the last three with scaling_factor_for(document_tokens)
// (ntk calls it alpha)
// and yarn's original window set to the trained one.
std::vector<RunConfig> scaling_presets(const ModelConfig& model, int64_t document_tokens,
                                       const QString& model_path);
// f32 / f16 / q8_0.
std::vector<RunConfig> kv_presets(const QString& model_path);
// full / a sliding window of the trained window / 4 sinks plus the rest of it.
std::vector<RunConfig> attention_presets(const ModelConfig& model, const QString& model_path);

}  // namespace ll
