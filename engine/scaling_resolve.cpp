#include <cmath>

#include "error.h"
#include "scaling_rules.h"
#include "scaling_spec.h"

namespace ll {

using namespace scaling_detail;

namespace {

// Model-file value for `original`: the trained window, else M (HF-new's default, §6).
double model_window(const RopeBase& base) {
    if (base.trained_window > 0) return base.trained_window;
    return base.max_position_embeddings;
}

void fill_yarn(ScalingSpec& s, const RopeBase& base, const std::string& where) {
    auto& p = s.params;
    const double L = p.at("original");
    if (!p.count("factor")) {
        // HF-new falls back to M/L when a file omits factor (§6).
        if (base.max_position_embeddings <= 0)
            throw EngineError(where, "'yarn' needs factor=<number>, e.g. yarn:factor=4");
        p["factor"] = base.max_position_embeddings / L;
    }
    const double f = p.at("factor");
    if (!p.count("beta_fast")) p["beta_fast"] = 32.0;
    if (!p.count("beta_slow")) p["beta_slow"] = 1.0;
    if (!p.count("truncate")) p["truncate"] = 1.0;
    if (!p.count("attention_factor")) {
        const double m = p.count("mscale") ? p.at("mscale") : 0.0;
        const double mall = p.count("mscale_all_dim") ? p.at("mscale_all_dim") : 0.0;
        p["attention_factor"] =
            (m != 0.0 && mall != 0.0) ? get_mscale(f, m) / get_mscale(f, mall) : get_mscale(f, 1.0);
    }
}

void fill_longrope(ScalingSpec& s, const RopeBase& base, const std::string& where) {
    auto& p = s.params;
    const double L = p.at("original");
    const size_t half = static_cast<size_t>(base.rotary_dim / 2);
    if (s.short_factor.empty() || s.long_factor.empty())
        throw EngineError(where,
                          "'longrope' needs short_factor and long_factor lists, which "
                          "only a model file provides");
    if (base.rotary_dim > 0 && (s.short_factor.size() != half || s.long_factor.size() != half))
        throw EngineError(where, "longrope factor lists must have d/2 = " + std::to_string(half) +
                                     " values (short_factor has " +
                                     std::to_string(s.short_factor.size()) + ", long_factor has " +
                                     std::to_string(s.long_factor.size()) + ")");
    if (!p.count("factor"))
        p["factor"] = base.max_position_embeddings > 0 ? base.max_position_embeddings / L : 1.0;
    const double f = p.at("factor");
    if (!p.count("attention_factor"))
        p["attention_factor"] = f <= 1.0 ? 1.0 : std::sqrt(1.0 + std::log(f) / std::log(L));
}

void require(const ScalingSpec& s, const char* key, const std::string& where) {
    if (!s.params.count(key)) {
        const MethodRule& rule = rule_or_throw(s.method, where);
        throw EngineError(where,
                          "'" + s.method + "' needs " + key + "=<number>, e.g. " + rule.example);
    }
}

}  // namespace

ScalingSpec with_defaults(const ScalingSpec& spec, const RopeBase& base, const std::string& where) {
    validate_values(spec, where);
    ScalingSpec s = spec;
    auto& p = s.params;
    const MethodRule& rule = *find_rule(s.method);
    if (rule.rope && !p.count("theta")) p["theta"] = base.theta;
    if (find_key(rule, "original") && !p.count("original")) {
        double window = model_window(base);
        if (s.method == "dynamic_alibi" && window <= 0) window = 4096.0;  // the source's T (§9)
        if (window <= 0)
            throw EngineError(where, "'" + s.method +
                                         "' needs original=<tokens>: the model does not state "
                                         "its trained window");
        p["original"] = window;
    }
    if (s.method == "linear" || s.method == "dynamic" || s.method == "llama3")
        require(s, "factor", where);
    if (s.method == "ntk") require(s, "alpha", where);
    if (s.method == "yarn") fill_yarn(s, base, where);
    if (s.method == "longrope") fill_longrope(s, base, where);
    if (s.method == "llama3") {
        if (!p.count("low")) p["low"] = 1.0;
        if (!p.count("high")) p["high"] = 4.0;
    }
    if (s.method == "alibi" && !p.count("max_bias")) p["max_bias"] = 8.0;
    const size_t half = static_cast<size_t>(base.rotary_dim / 2);
    if (!s.freq_factors.empty() && base.rotary_dim > 0 && s.freq_factors.size() != half)
        throw EngineError(where, "rope_freqs must have d/2 = " + std::to_string(half) +
                                     " values (has " + std::to_string(s.freq_factors.size()) + ")");
    validate_values(s, where);
    return s;
}

const char* to_string(ScalingSource source) {
    switch (source) {
        case ScalingSource::kDefault:
            return "default";
        case ScalingSource::kFile:
            return "model file";
        case ScalingSource::kUser:
            return "user";
        case ScalingSource::kUserOverFile:
            return "user over model file";
    }
    return "?";
}

ResolvedScaling resolve_scaling(const std::optional<ScalingSpec>& user,
                                const std::optional<ScalingSpec>& file, const RopeBase& base) {
    ResolvedScaling out;
    if (file) out.file_method = file->method;
    const bool file_scales = file && file->method != "none";
    ScalingSpec merged;
    if (!user) {
        merged = file.value_or(ScalingSpec{});
        out.source = file ? ScalingSource::kFile : ScalingSource::kDefault;
    } else if (!file) {
        merged = *user;
        out.source = ScalingSource::kUser;
    } else {
        out.source = file_scales ? ScalingSource::kUserOverFile : ScalingSource::kUser;
        merged = *user;
        if (user->method == file->method) {
            // Same method: the file's keys stay unless the user sets them.
            for (const auto& [k, v] : file->params) {
                auto it = user->params.find(k);
                if (it == user->params.end()) {
                    merged.params[k] = v;
                } else if (it->second != v) {
                    out.warnings.push_back("--scaling sets " + k + "=" + num(it->second) +
                                           " but the model file says " + k + "=" + num(v) +
                                           "; using " + num(it->second));
                }
            }
            merged.short_factor = file->short_factor;
            merged.long_factor = file->long_factor;
        } else {
            // A different method replaces the file's; its rope base is still the model's.
            auto theta = file->params.find("theta");
            if (theta != file->params.end() && !merged.params.count("theta") &&
                !is_alibi_method(merged.method))
                merged.params["theta"] = theta->second;
            if (theta != file->params.end() && user->params.count("theta") &&
                user->params.at("theta") != theta->second)
                out.warnings.push_back("--scaling sets theta=" + num(user->params.at("theta")) +
                                       " but the model file says theta=" + num(theta->second) +
                                       "; using " + num(user->params.at("theta")));
            if (file_scales)
                out.warnings.push_back("--scaling " + format_scaling_spec(*user) +
                                       " replaces the model file's " + format_scaling_spec(*file) +
                                       "; the model was tuned for the file's setting");
            if (!is_alibi_method(file->method) && is_alibi_method(user->method)) {
                // Replacing a model's rotary embeddings by ALiBi is an experiment that
                // destroys what the model learnt about positions: only when asked for.
                auto on_rope = user->params.find("on_rope");
                if (on_rope == user->params.end() || on_rope->second != 1.0)
                    throw EngineError(
                        "--scaling",
                        user->method +
                            " on a model trained with rotary position "
                            "embeddings removes them; add on_rope=1 to compare anyway");
                out.warnings.push_back("--scaling " + user->method +
                                       " replaces the model's rotary embeddings (comparison only)");
            } else if (!file_scales &&
                       is_alibi_method(file->method) != is_alibi_method(user->method)) {
                out.warnings.push_back("--scaling " + user->method +
                                       " does not match the model's position encoding");
            }
        }
    }
    // ggml applies a file's rope_freqs whatever the scaling type (§7).
    if (file && merged.freq_factors.empty() && !is_alibi_method(merged.method))
        merged.freq_factors = file->freq_factors;
    out.spec = with_defaults(merged, base, user ? "--scaling" : "model file rope scaling");
    return out;
}

}  // namespace ll
