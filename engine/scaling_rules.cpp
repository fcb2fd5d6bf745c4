#include "scaling_rules.h"

#include <charconv>
#include <cmath>

#include "error.h"

namespace ll::scaling_detail {

const KeyRule kTheta{"theta", Kind::kPositive, false, std::nullopt,
                     "rope base override (default: the model's rope_theta / freq_base)"};
const KeyRule kOriginal{"original", Kind::kWindow, false, std::nullopt,
                        "original (pre-training) context L (default: the trained window)"};

const KeyRule kOnRope{
    "on_rope", Kind::kBool, false, 0.0,
    "1: use on a model trained with rotary embeddings (drops them; comparison only)"};

const std::vector<MethodRule>& rules() {
    static const std::vector<MethodRule> table = {
        {"none", true, {kTheta}, "none"},
        {"linear",
         true,
         {{"factor", Kind::kAtLeastOne, true, std::nullopt, "interpolation factor s (§2)"}, kTheta},
         "linear:factor=4"},
        {"ntk",
         true,
         {{"alpha", Kind::kAtLeastOne, true, std::nullopt,
           "NTK alpha: b' = b*alpha^(d/(d-2)) (§3)"},
          kTheta},
         "ntk:alpha=4"},
        {"dynamic",
         true,
         {{"factor", Kind::kAtLeastOne, true, std::nullopt,
           "dynamic NTK factor s, base grows past max_position_embeddings (§4)"},
          kTheta},
         "dynamic:factor=4"},
        {"xverse", true, {kTheta}, "xverse"},
        {"yarn",
         true,
         {{"factor", Kind::kAtLeastOne, true, std::nullopt, "scale factor s (§6)"},
          kOriginal,
          {"beta_fast", Kind::kPositive, false, 32.0, "ramp boundary, fast rotations"},
          {"beta_slow", Kind::kPositive, false, 1.0, "ramp boundary, slow rotations"},
          {"attention_factor", Kind::kPositive, false, std::nullopt,
           "cos/sin factor (default 0.1*ln(s)+1, or the mscale ratio)"},
          {"mscale", Kind::kNonNegative, false, std::nullopt, "DeepSeek mscale numerator"},
          {"mscale_all_dim", Kind::kNonNegative, false, std::nullopt,
           "DeepSeek mscale denominator"},
          {"truncate", Kind::kBool, false, 1.0, "floor/ceil the correction range (1) or not (0)"},
          kTheta},
         "yarn:factor=4"},
        {"llama3",
         true,
         {{"factor", Kind::kAtLeastOne, true, std::nullopt, "low-frequency divisor s (§7)"},
          {"low", Kind::kPositive, false, 1.0, "low_freq_factor"},
          {"high", Kind::kPositive, false, 4.0, "high_freq_factor"},
          kOriginal,
          kTheta},
         "llama3:factor=8,low=1,high=4"},
        {"longrope",
         true,
         {{"factor", Kind::kAtLeastOne, false, std::nullopt,
           "scale s for the attention factor (default M/L) (§8)"},
          kOriginal,
          {"attention_factor", Kind::kPositive, false, std::nullopt,
           "cos/sin factor (default sqrt(1+ln s/ln L))"},
          kTheta},
         "longrope"},
        {"alibi",
         false,
         {{"max_bias", Kind::kPositive, false, 8.0, "slope exponent range; 8 is Press et al. (§9)"},
          kOnRope},
         "alibi"},
        {"dynamic_alibi",
         false,
         {{"original", Kind::kWindow, false, std::nullopt,
           "training length T (default: the trained window, else 4096) (§9)"},
          kOnRope},
         "dynamic_alibi"},
    };
    return table;
}

const MethodRule* find_rule(std::string_view method) {
    for (const auto& r : rules())
        if (method == r.name) return &r;
    return nullptr;
}

const KeyRule* find_key(const MethodRule& rule, std::string_view key) {
    for (const auto& k : rule.keys)
        if (key == k.name) return &k;
    return nullptr;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string key_list(const MethodRule& rule) {
    std::vector<std::string> names;
    for (const auto& k : rule.keys) names.push_back(k.name);
    return join(names);
}

// Whole numbers in plain digits (theta=500000, not 5e+05), others as the shortest text that
// reads back to the same double, so format -> parse round-trips exactly.
std::string num(double v) {
    char buf[64];
    const bool whole = std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15;
    auto res = whole ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                     : std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

const MethodRule& rule_or_throw(std::string_view method, const std::string& where) {
    const MethodRule* rule = find_rule(method);
    if (!rule)
        throw EngineError(where, "unknown scaling method '" + std::string(method) +
                                     "'; known methods: " + join(scaling_methods()));
    return *rule;
}

namespace {

void check_value(const KeyRule& key, double v, const std::string& where) {
    const std::string name = key.name;
    if (!std::isfinite(v))
        throw EngineError(where, name + " must be a finite number (got " + num(v) + ")");
    switch (key.kind) {
        case Kind::kAtLeastOne:
            if (v < 1.0)
                throw EngineError(where, name + " must be at least 1 (got " + num(v) + ")");
            break;
        case Kind::kPositive:
            if (v < 0.0)
                throw EngineError(where, name + " must not be negative (got " + num(v) + ")");
            if (v == 0.0) throw EngineError(where, name + " must be greater than 0 (got 0)");
            break;
        case Kind::kNonNegative:
            if (v < 0.0)
                throw EngineError(where, name + " must not be negative (got " + num(v) + ")");
            break;
        case Kind::kWindow:
            if (v < 0.0)
                throw EngineError(where, name + " must not be negative (got " + num(v) + ")");
            if (v < 1.0 || v != std::floor(v))
                throw EngineError(
                    where, name + " must be a whole number of tokens >= 1 (got " + num(v) + ")");
            break;
        case Kind::kBool:
            if (v != 0.0 && v != 1.0)
                throw EngineError(where, name + " must be 0 or 1 (got " + num(v) + ")");
            break;
    }
}

}  // namespace

void validate_values(const ScalingSpec& spec, const std::string& where) {
    const MethodRule& rule = rule_or_throw(spec.method, where);
    for (const auto& [name, value] : spec.params) {
        const KeyRule* key = find_key(rule, name);
        if (!key)
            throw EngineError(where, "'" + std::string(rule.name) + "' has no parameter '" + name +
                                         "'; it takes: " + key_list(rule));
        check_value(*key, value, where);
    }
    if (!spec.freq_factors.empty() && is_alibi_method(spec.method))
        throw EngineError(
            where, "rope_freqs divisors apply to RoPE methods, not to '" + spec.method + "'");
    for (double ff : spec.freq_factors)
        if (!(ff > 0.0) || !std::isfinite(ff))
            throw EngineError(where,
                              "rope_freqs divisors must be positive (found " + num(ff) + ")");
    const bool lists = !spec.short_factor.empty() || !spec.long_factor.empty();
    if (lists && spec.method != "longrope")
        throw EngineError(
            where, "short_factor/long_factor apply to longrope only, not to '" + spec.method + "'");
    auto low = spec.params.find("low"), high = spec.params.find("high");
    if (low != spec.params.end() && high != spec.params.end() && high->second <= low->second)
        throw EngineError(where, "high (" + num(high->second) + ") must be greater than low (" +
                                     num(low->second) + ")");
}

void validate_required(const ScalingSpec& spec, const std::string& where) {
    const MethodRule& rule = rule_or_throw(spec.method, where);
    for (const auto& key : rule.keys)
        if (key.required && !spec.params.count(key.name))
            throw EngineError(where, "'" + std::string(rule.name) + "' needs " + key.name +
                                         "=<number>, e.g. " + rule.example);
}

double get_mscale(double scale, double mscale) {
    if (scale <= 1.0) return 1.0;
    return 0.1 * mscale * std::log(scale) + 1.0;  // HF's order of operations, §6
}

}  // namespace ll::scaling_detail
