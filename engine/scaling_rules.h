// The table behind every position-scaling method: each method's keys, how each key's value
// is checked, defaults and one-line meanings (scaling-methods.md §1-§9), and the checks built
// on it. Internal to the engine: scaling_spec.cpp (parsing), scaling_resolve.cpp (defaults and
// precedence), hf_rope_config.cpp and gguf_rope_config.cpp (the model files' mappings).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scaling_spec.h"

namespace ll::scaling_detail {

// How a key's value is checked.
enum class Kind {
    kAtLeastOne,   // factor, alpha: a scale below 1 would shrink the window
    kPositive,     // theta, low, high, attention_factor, max_bias, beta_*
    kNonNegative,  // mscale, mscale_all_dim (0 means "not set", as in HF)
    kWindow,       // original: a whole number of tokens
    kBool,         // truncate: 0 or 1
};

struct KeyRule {
    const char* name;
    Kind kind;
    bool required;
    std::optional<double> def;
    const char* meaning;
};

struct MethodRule {
    const char* name;
    bool rope;  // has rotary frequencies (so takes theta)
    std::vector<KeyRule> keys;
    const char* example;
};

// The table every check, default and help text reads from.
const std::vector<MethodRule>& rules();
const MethodRule* find_rule(std::string_view method);
const KeyRule* find_key(const MethodRule& rule, std::string_view key);
// Throws EngineError(where, ...) naming the known methods.
const MethodRule& rule_or_throw(std::string_view method, const std::string& where);

std::string join(const std::vector<std::string>& items);
std::string key_list(const MethodRule& rule);
// Whole numbers in plain digits, others as the shortest text that reads back the same.
std::string num(double v);

// Keys and ranges, without the "required" rule (a model file may omit what HF defaults).
void validate_values(const ScalingSpec& spec, const std::string& where);
void validate_required(const ScalingSpec& spec, const std::string& where);

// YaRN's attention scale 0.1 * mscale * ln(s) + 1 (1 for s <= 1), in HF's order (§6).
double get_mscale(double scale, double mscale);

}  // namespace ll::scaling_detail
