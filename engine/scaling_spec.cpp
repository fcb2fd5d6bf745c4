#include "scaling_spec.h"

#include <charconv>
#include <map>

#include "error.h"
#include "scaling_rules.h"

namespace ll {

using namespace scaling_detail;

namespace {

std::string canonical_key(std::string_view key) {
    static const std::map<std::string, std::string, std::less<>> aliases = {
        {"original_max_position_embeddings", "original"},
        {"low_freq_factor", "low"},
        {"high_freq_factor", "high"},
        {"attn_factor", "attention_factor"},
        {"rope_theta", "theta"},
    };
    auto it = aliases.find(key);
    return it == aliases.end() ? std::string(key) : it->second;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

double parse_number(std::string_view key, std::string_view text, const std::string& where) {
    if (key == "truncate") {
        if (text == "true") return 1.0;
        if (text == "false") return 0.0;
    }
    double v = 0.0;
    auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size())
        throw EngineError(where, "'" + std::string(key) + "=" + std::string(text) + "': '" +
                                     std::string(text) + "' is not a number");
    return v;
}

void parse_param(std::string_view item, const MethodRule& rule, ScalingSpec& spec,
                 const std::string& where) {
    item = trim(item);
    if (item.empty())
        throw EngineError(where,
                          "empty parameter in the list; write key=value pairs separated "
                          "by ',', e.g. " +
                              std::string(rule.example));
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos)
        throw EngineError(where, "'" + std::string(item) + "' has no value; write " +
                                     std::string(item) + "=<number>");
    const std::string key = canonical_key(trim(item.substr(0, eq)));
    const std::string_view value = trim(item.substr(eq + 1));
    if (!find_key(rule, key))
        throw EngineError(where, "'" + std::string(rule.name) + "' has no parameter '" + key +
                                     "'; it takes: " + key_list(rule));
    if (spec.params.count(key)) throw EngineError(where, "'" + key + "' is given twice");
    spec.params[key] = parse_number(key, value, where);
}

}  // namespace

const std::vector<std::string>& scaling_methods() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& r : rules()) out.push_back(r.name);
        return out;
    }();
    return names;
}

std::string scaling_method_summary(std::string_view method) {
    static const std::map<std::string, std::string, std::less<>> lines = {
        {"none", "Positions as trained: reliable up to the trained window only."},
        {"linear",
         "Position interpolation: squeezes positions by the factor; best on models fine-tuned "
         "for it."},
        {"ntk",
         "NTK-aware: raises the rope base so long-range rotations slow down while short-range "
         "detail stays; works without fine-tuning."},
        {"dynamic",
         "Dynamic NTK: the base grows only once the text exceeds the trained window, so short "
         "prompts are unchanged."},
        {"xverse", "XVERSE's dynamic base growth, tied to the trained window."},
        {"yarn",
         "YaRN: interpolates low frequencies, keeps high ones, and sharpens attention; the usual "
         "choice for long contexts."},
        {"llama3", "Llama 3.1 scaling: divides only the low frequencies, smooth ramp in between."},
        {"longrope", "LongRoPE (Phi-3): per-dimension factors from the model file."},
        {"alibi", "ALiBi: linear distance penalties instead of rotations."},
        {"dynamic_alibi", "ALiBi with slopes rescaled for contexts longer than training."},
    };
    const auto it = lines.find(method);
    return it == lines.end() ? std::string() : it->second;
}

std::vector<ScalingKey> scaling_keys(std::string_view method) {
    const MethodRule& rule = rule_or_throw(method, "scaling method");
    std::vector<ScalingKey> out;
    for (const auto& k : rule.keys) out.push_back({k.name, k.required, k.def, k.meaning});
    return out;
}

bool is_alibi_method(std::string_view method) {
    return method == "alibi" || method == "dynamic_alibi";
}

ScalingSpec parse_scaling_spec(std::string_view text, const std::string& where) {
    text = trim(text);
    if (text.empty())
        throw EngineError(where,
                          "empty scaling spec; write METHOD[:key=value,...], e.g. "
                          "yarn:factor=4 (methods: " +
                              join(scaling_methods()) + ")");
    const size_t colon = text.find(':');
    ScalingSpec spec;
    spec.method = std::string(trim(text.substr(0, colon)));
    const MethodRule& rule = rule_or_throw(spec.method, where);
    if (colon != std::string_view::npos) {
        std::string_view rest = text.substr(colon + 1);
        if (trim(rest).empty())
            throw EngineError(where, "nothing after ':'; write " + spec.method +
                                         " alone or key=value pairs, e.g. " + rule.example);
        size_t start = 0;
        while (true) {
            const size_t comma = rest.find(',', start);
            parse_param(rest.substr(start, comma - start), rule, spec, where);
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
    }
    validate_scaling_spec(spec, where);
    return spec;
}

std::string format_scaling_spec(const ScalingSpec& spec) {
    std::string out = spec.method;
    const MethodRule* rule = find_rule(spec.method);
    std::vector<std::pair<std::string, double>> ordered;
    if (rule)
        for (const auto& k : rule->keys) {
            auto it = spec.params.find(k.name);
            if (it != spec.params.end()) ordered.emplace_back(it->first, it->second);
        }
    for (const auto& kv : spec.params)  // keys the rule does not know, if any, last
        if (!rule || !find_key(*rule, kv.first)) ordered.push_back(kv);
    char sep = ':';
    for (const auto& [k, v] : ordered) {
        out += sep + k + "=" + num(v);
        sep = ',';
    }
    return out;
}

void validate_scaling_spec(const ScalingSpec& spec, const std::string& where) {
    validate_values(spec, where);
    validate_required(spec, where);
}

}  // namespace ll
