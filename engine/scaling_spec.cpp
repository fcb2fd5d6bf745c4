#include "scaling_spec.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "error.h"

namespace ll {

namespace {

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

const KeyRule kTheta{"theta", Kind::kPositive, false, std::nullopt,
                     "rope base override (default: the model's rope_theta / freq_base)"};
const KeyRule kOriginal{"original", Kind::kWindow, false, std::nullopt,
                        "original (pre-training) context L (default: the trained window)"};

const KeyRule kOnRope{"on_rope", Kind::kBool, false, 0.0,
                      "1: use on a model trained with rotary embeddings (drops them; comparison only)"};

// The table every check, default and help text reads from (§1-§9).
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
         {{"max_bias", Kind::kPositive, false, 8.0,
           "slope exponent range; 8 is Press et al. (§9)"},
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

// Keys and ranges, without the "required" rule (a model file may omit what HF defaults).
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

// Model-file value for `original`: the trained window, else M (HF-new's default, §6).
double model_window(const RopeBase& base) {
    if (base.trained_window > 0) return base.trained_window;
    return base.max_position_embeddings;
}

double get_mscale(double scale, double mscale) {
    if (scale <= 1.0) return 1.0;
    return 0.1 * mscale * std::log(scale) + 1.0;  // HF's order of operations, §6
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

const std::vector<std::string>& scaling_methods() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& r : rules()) out.push_back(r.name);
        return out;
    }();
    return names;
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
                    throw EngineError("--scaling",
                                      user->method + " on a model trained with rotary position "
                                      "embeddings removes them; add on_rope=1 to compare anyway");
                out.warnings.push_back("--scaling " + user->method +
                                       " replaces the model's rotary embeddings (comparison only)");
            } else if (!file_scales && is_alibi_method(file->method) != is_alibi_method(user->method)) {
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
