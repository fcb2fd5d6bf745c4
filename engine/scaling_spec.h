// A position-scaling method and its parameters as a user types it (`yarn:factor=4`) or a model
// file states it (hf_rope_config.h, gguf_rope_config.h), and the rules that decide which one
// applies. The formulas themselves live in position_encoding.h; the method names, keys and
// defaults follow shared/docs/scaling-methods.md (sections cited as §n).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ll {

// A method and its parameters as the user or the model file gives them.
//   method: none, linear, ntk, dynamic, xverse, yarn, llama3, longrope, alibi, dynamic_alibi.
//   params: canonical keys (see scaling_keys()): factor, alpha, original, beta_fast, beta_slow,
//           attention_factor, mscale, mscale_all_dim, truncate (0/1), low, high, max_bias, and
//           theta (a rope base override, usable with every RoPE method).
struct ScalingSpec {
    std::string method = "none";
    std::map<std::string, double> params;
    std::vector<double> short_factor;  // longrope only (§8), d/2 values each
    std::vector<double> long_factor;
    // GGUF `rope_freqs` tensor (§7, Llama-3 GGUFs): per-pair divisors ff_i, ω_i /= ff_i, applied
    // on top of any RoPE method as ggml does. Always taken from the model file.
    std::vector<double> freq_factors;

    bool operator==(const ScalingSpec&) const = default;
};

// What the model itself says about positions.
struct RopeBase {
    double theta = 10000.0;           // rope base b
    int rotary_dim = 0;               // d: rotary dims per head
    int trained_window = 0;           // L: the window the model was trained at
    int max_position_embeddings = 0;  // M as the config states it
};

// One parameter a method takes.
struct ScalingKey {
    std::string name;                     // canonical CLI name
    bool required = false;                // no default exists
    std::optional<double> default_value;  // absent: no fixed default (see meaning)
    std::string meaning;                  // one line, with the default when it is computed
};

// All method names, in the order the CLI help lists them.
const std::vector<std::string>& scaling_methods();
// One line saying what `method` does and when to choose it (for a reader choosing one, not
// the formula); empty for an unknown method.
std::string scaling_method_summary(std::string_view method);
// The keys `method` accepts; throws EngineError for an unknown method.
std::vector<ScalingKey> scaling_keys(std::string_view method);
// True for the two ALiBi methods (no rotary frequencies, §9).
bool is_alibi_method(std::string_view method);

// Parses `METHOD[:key=value,...]` (the CLI's --scaling). Throws EngineError(where, ...) with a
// precise message for an unknown method, an unknown key, a value that is not a number, a key
// given twice, a missing required key, or a value out of range. Accepted aliases:
// original_max_position_embeddings -> original, low_freq_factor -> low, high_freq_factor ->
// high, attn_factor -> attention_factor, rope_theta -> theta.
ScalingSpec parse_scaling_spec(std::string_view text, const std::string& where = "--scaling");

// The canonical text of a spec (keys in the method's order, shortest round-trip numbers);
// parse_scaling_spec(format_scaling_spec(s)) == s for every spec without factor lists.
std::string format_scaling_spec(const ScalingSpec& spec);

// Checks method, keys and ranges (the same rules as the parser). Throws EngineError(where, ...).
void validate_scaling_spec(const ScalingSpec& spec, const std::string& where);

// The spec with every default filled in for this model: original = trained window, yarn's
// beta_fast 32 / beta_slow 1 / truncate 1 / attention_factor, llama3's low 1 / high 4,
// longrope's factor M/L and attention factor, alibi's max_bias 8, theta = base.theta.
// Throws EngineError(where, ...) when a needed model fact (window, M) is unknown.
ScalingSpec with_defaults(const ScalingSpec& spec, const RopeBase& base,
                          const std::string& where = "position scaling");

// Which setting applies: user override > model file > defaults.
enum class ScalingSource { kDefault, kFile, kUser, kUserOverFile };
const char* to_string(ScalingSource source);

struct ResolvedScaling {
    ScalingSpec spec;  // validated, defaults filled in (with_defaults)
    ScalingSource source = ScalingSource::kDefault;
    std::string file_method;            // the model file's method ("" when no file spec)
    std::vector<std::string> warnings;  // where the user's setting contradicts the file's
};

// When user and file name the same method, the user's keys override the file's (the factor
// lists always come from the file); otherwise the user's spec replaces the file's wholesale.
ResolvedScaling resolve_scaling(const std::optional<ScalingSpec>& user,
                                const std::optional<ScalingSpec>& file, const RopeBase& base);

}  // namespace ll
