#include "hf_rope_config.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "error.h"
#include "scaling_rules.h"

namespace ll {

using namespace scaling_detail;

namespace {

std::optional<double> json_number(const nlohmann::json& obj, const char* key,
                                  const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
    if (!it->is_number())
        throw EngineError(where, std::string(key) + " must be a number (got " + it->dump() + ")");
    return it->get<double>();
}

std::vector<double> json_list(const nlohmann::json& obj, const char* key,
                              const std::string& where) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return {};
    if (!it->is_array()) throw EngineError(where, std::string(key) + " must be a list of numbers");
    std::vector<double> out;
    for (const auto& v : *it) {
        if (!v.is_number())
            throw EngineError(
                where, std::string(key) + " must be a list of numbers (found " + v.dump() + ")");
        out.push_back(v.get<double>());
    }
    return out;
}

std::string hf_method(const nlohmann::json& rope, const std::string& where) {
    std::string type = "default";
    for (const char* key : {"rope_type", "type"}) {
        auto it = rope.find(key);
        if (it != rope.end() && it->is_string()) {
            type = it->get<std::string>();
            break;
        }
    }
    if (type == "default") return "none";
    if (type == "su") return "longrope";  // Phi-3's legacy name (§8)
    for (const char* ok : {"linear", "dynamic", "yarn", "llama3", "longrope", "ntk"})
        if (type == ok) return type;
    throw EngineError(where, "rope_type '" + type +
                                 "' is not supported (supported: default, linear, dynamic, "
                                 "yarn, llama3, longrope)");
}

}  // namespace

ScalingSpec spec_from_hf_rope(const nlohmann::json& rope,
                              std::optional<double> top_level_original) {
    const std::string where = "config.json rope_parameters";
    ScalingSpec spec;
    if (rope.is_null()) return spec;
    if (!rope.is_object()) throw EngineError(where, "must be an object (got " + rope.dump() + ")");
    spec.method = hf_method(rope, where);
    const MethodRule& rule = *find_rule(spec.method);
    static const std::vector<std::pair<const char*, const char*>> keys = {
        {"factor", "factor"},
        {"original_max_position_embeddings", "original"},
        {"low_freq_factor", "low"},
        {"high_freq_factor", "high"},
        {"beta_fast", "beta_fast"},
        {"beta_slow", "beta_slow"},
        {"attention_factor", "attention_factor"},
        {"mscale", "mscale"},
        {"mscale_all_dim", "mscale_all_dim"},
        {"truncate", "truncate"},
        {"rope_theta", "theta"},
    };
    for (const auto& [hf, ours] : keys) {
        std::optional<double> v = json_number(rope, hf, where);
        // HF's `beta_fast or 32`: a falsy beta means the default (§6).
        if (!v || (*v == 0.0 && std::string_view(ours).starts_with("beta_"))) continue;
        std::string key = ours;
        if (spec.method == "ntk" && key == "factor") key = "alpha";  // HF-old's "ntk" type (§3)
        if (find_key(rule, key)) spec.params[key] = *v;  // others are ignored, as HF does
    }
    if (spec.method == "longrope") {
        spec.short_factor = json_list(rope, "short_factor", where);
        spec.long_factor = json_list(rope, "long_factor", where);
        if (top_level_original) spec.params["original"] = *top_level_original;
    }
    validate_values(spec, where);
    return spec;
}

ScalingSpec spec_from_hf_config(const nlohmann::json& config) {
    const std::string where = "config.json";
    nlohmann::json rope;
    if (config.contains("rope_parameters"))
        rope = config["rope_parameters"];
    else if (config.contains("rope_scaling"))
        rope = config["rope_scaling"];
    std::optional<double> top_original =
        json_number(config, "original_max_position_embeddings", where);
    ScalingSpec spec = spec_from_hf_rope(rope, top_original);
    std::optional<double> theta = json_number(config, "rope_theta", where);
    if (theta && !spec.params.count("theta") && !is_alibi_method(spec.method))
        spec.params["theta"] = *theta;
    validate_values(spec, where);
    return spec;
}

RopeBase rope_base_from_hf_config(const nlohmann::json& config) {
    const std::string where = "config.json";
    nlohmann::json rope = nlohmann::json::object();
    if (config.contains("rope_parameters") && config["rope_parameters"].is_object())
        rope = config["rope_parameters"];
    else if (config.contains("rope_scaling") && config["rope_scaling"].is_object())
        rope = config["rope_scaling"];
    RopeBase base;
    base.theta = json_number(rope, "rope_theta", where)
                     .value_or(json_number(config, "rope_theta", where).value_or(10000.0));
    std::optional<double> head_dim = json_number(config, "head_dim", where);
    if (!head_dim) {
        const double hidden = json_number(config, "hidden_size", where).value_or(0.0);
        const double heads = json_number(config, "num_attention_heads", where).value_or(0.0);
        head_dim = heads > 0 ? std::floor(hidden / heads) : 0.0;
    }
    const double partial =
        json_number(rope, "partial_rotary_factor", where)
            .value_or(json_number(config, "partial_rotary_factor", where).value_or(1.0));
    base.rotary_dim = static_cast<int>(*head_dim * partial);  // HF: int(head_dim * factor)
    base.max_position_embeddings =
        static_cast<int>(json_number(config, "max_position_embeddings", where).value_or(0.0));
    std::optional<double> original = json_number(config, "original_max_position_embeddings", where);
    if (!original) original = json_number(rope, "original_max_position_embeddings", where);
    base.trained_window = static_cast<int>(original.value_or(base.max_position_embeddings));
    return base;
}

}  // namespace ll
