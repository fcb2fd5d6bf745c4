#include "gguf_rope_config.h"

#include "error.h"
#include "scaling_rules.h"

namespace ll {

using namespace scaling_detail;

ScalingSpec spec_from_gguf_values(const GgufRopeValues& v) {
    const std::string where = "GGUF rope.scaling";
    ScalingSpec spec;
    // llama.cpp: factor 0 or absent means 1; legacy rope.scale_linear is the same factor (§11).
    double factor = v.factor.value_or(v.scale_linear.value_or(0.0));
    if (factor == 0.0) factor = 1.0;
    const std::string type = v.type.value_or("linear");  // llama.cpp's default type (§2)
    if (type == "none") {
        spec.method = "none";
    } else if (type == "linear") {
        spec.method = factor == 1.0 ? "none" : "linear";
        if (factor != 1.0) spec.params["factor"] = factor;
    } else if (type == "yarn") {
        spec.method = "yarn";
        spec.params["factor"] = factor;
        if (v.original_context_length) spec.params["original"] = *v.original_context_length;
        if (v.yarn_beta_fast && *v.yarn_beta_fast > 0) spec.params["beta_fast"] = *v.yarn_beta_fast;
        if (v.yarn_beta_slow && *v.yarn_beta_slow > 0) spec.params["beta_slow"] = *v.yarn_beta_slow;
        // The Feb-2025 kernel multiplies the file's attn_factor by its own 0.1*ln(s)+1 (§6).
        if (v.attn_factor && *v.attn_factor != 1.0)
            spec.params["attention_factor"] = *v.attn_factor * get_mscale(factor, 1.0);
    } else if (type == "longrope") {
        spec.method = "longrope";
        if (factor != 1.0) spec.params["factor"] = factor;
        if (v.original_context_length) spec.params["original"] = *v.original_context_length;
        // The converter stores the finished cos/sin factor (§8).
        if (v.attn_factor) spec.params["attention_factor"] = *v.attn_factor;
    } else {
        throw EngineError(where,
                          "rope.scaling.type '" + type +
                              "' is not supported (supported: none, linear, yarn, longrope)");
    }
    if (v.freq_base && *v.freq_base > 0) spec.params["theta"] = *v.freq_base;
    validate_values(spec, where);
    return spec;
}

ScalingSpec spec_from_gguf_values(std::optional<std::string> type, std::optional<double> factor,
                                  std::optional<double> original_context_length,
                                  std::optional<double> freq_base,
                                  std::optional<double> attn_factor) {
    GgufRopeValues v;
    v.type = std::move(type);
    v.factor = factor;
    v.original_context_length = original_context_length;
    v.freq_base = freq_base;
    v.attn_factor = attn_factor;
    return spec_from_gguf_values(v);
}

}  // namespace ll
