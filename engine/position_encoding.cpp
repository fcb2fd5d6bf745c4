#include "position_encoding.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "alibi.h"
#include "error.h"

namespace ll {

// Every formula below repeats the float32 torch operations of transformers'
// modeling_rope_utils.py in the same order, because the fixtures were made with them. Two
// torch facts matter: a Python scalar in a float32 op is first rounded to float32, and
// `x / t` with a Python x on the left is evaluated as reciprocal(t) * x.

namespace {

const char* const kWhere = "position scaling";

// b^(2i/d), i = 0..d/2-1, as `base ** (arange(0, d, 2).float() / d)` in float32 (§1).
std::vector<float> pos_freqs(float theta, int d) {
    std::vector<float> out(d / 2);
    for (int i = 0; i < d / 2; ++i) {
        const float expo = static_cast<float>(2 * i) / static_cast<float>(d);
        out[i] = std::pow(theta, expo);
    }
    return out;
}

std::vector<float> reciprocal(std::vector<float> v) {
    for (float& x : v) x = 1.0f / x;
    return v;
}

std::vector<float> default_inv_freq(double theta, int d) {
    return reciprocal(pos_freqs(static_cast<float>(theta), d));
}

// b' = b * alpha^(d/(d-2)): static NTK (§3), XVERSE (§5), in Python floats.
double ntk_base(double theta, double alpha, int d) {
    return theta * std::pow(alpha, static_cast<double>(d) / (d - 2));
}

// HF dynamic NTK past M (§4). seq_len arrives as an int64 tensor, so the bracket and the new
// base are float32 tensor arithmetic, not Python floats.
float dynamic_base_f32(double theta, double factor, int64_t len, int64_t M, int d) {
    float t = static_cast<float>(factor) * static_cast<float>(len);
    t = t / static_cast<float>(M);
    t = t - static_cast<float>(factor - 1.0);
    t = std::pow(t, static_cast<float>(static_cast<double>(d) / (d - 2)));
    return static_cast<float>(theta) * t;
}

// YaRN correction dims (§6): dim(n) = d ln(L / (2 pi n)) / (2 ln b).
double yarn_dim(double rotations, int d, double theta, double L) {
    return (d * std::log(L / (rotations * 2 * std::numbers::pi))) / (2 * std::log(theta));
}

struct Range {
    double low, high;
};

Range yarn_range(double beta_fast, double beta_slow, int d, double theta, double L, bool trunc) {
    double low = yarn_dim(beta_fast, d, theta, L);
    double high = yarn_dim(beta_slow, d, theta, L);
    if (trunc) {
        low = std::floor(low);
        high = std::ceil(high);
    }
    return {std::max(low, 0.0), std::min(high, static_cast<double>(d - 1))};
}

}  // namespace

PositionEncoding::PositionEncoding(ScalingSpec spec, RopeBase base)
    : spec_(with_defaults(spec, base, kWhere)), base_(base) {
    const int d = base_.rotary_dim;
    if (is_alibi()) return;
    if (d < 0 || d % 2 != 0)
        throw EngineError(kWhere,
                          "rotary dim must be an even number >= 0 (got " + std::to_string(d) + ")");
    const std::string& m = spec_.method;
    if ((m == "ntk" || m == "dynamic" || m == "xverse") && d <= 2 && d != 0)
        throw EngineError(kWhere,
                          "'" + m + "' needs a rotary dim above 2 (got " + std::to_string(d) + ")");
    if ((m == "dynamic" || m == "xverse") && dynamic_window() <= 0)
        throw EngineError(kWhere, "'" + m +
                                      "' needs max_position_embeddings, which the model does not "
                                      "state");
}

bool PositionEncoding::is_alibi() const {
    return is_alibi_method(spec_.method);
}

bool PositionEncoding::depends_on_length() const {
    const std::string& m = spec_.method;
    return m == "dynamic" || m == "xverse" || m == "longrope" || m == "dynamic_alibi";
}

int64_t PositionEncoding::dynamic_window() const {
    return base_.max_position_embeddings > 0 ? base_.max_position_embeddings : base_.trained_window;
}

int64_t PositionEncoding::hf_dynamic_length(int64_t seq_len, int64_t cached_len) const {
    if (spec_.method != "dynamic") return seq_len;
    const int64_t M = dynamic_window();
    if (seq_len > cached_len) return seq_len;     // growth
    if (seq_len < M && cached_len > M) return M;  // reset to the original frequencies
    return cached_len;                            // keep what is cached (even at seq_len = M)
}

double PositionEncoding::attention_factor(int64_t /*seq_len*/) const {
    // Both factors are static: longrope applies its factor to short sequences too (§8).
    if (spec_.method == "yarn" || spec_.method == "longrope") return p("attention_factor");
    return 1.0;
}

double PositionEncoding::effective_theta(int64_t seq_len) const {
    const std::string& m = spec_.method;
    if (is_alibi()) return 0.0;
    const double theta = p("theta");
    const int d = base_.rotary_dim;
    const int64_t M = dynamic_window();
    if (m == "ntk") return ntk_base(theta, p("alpha"), d);
    if (m == "dynamic" && seq_len > M) return dynamic_base_f32(theta, p("factor"), seq_len, M, d);
    if (m == "xverse" && seq_len > M)
        return ntk_base(theta, static_cast<double>(seq_len) / (M / 2.0) - 1.0, d);
    return theta;
}

std::vector<float> PositionEncoding::rope_inv_freq(int64_t seq_len) const {
    const std::string& m = spec_.method;
    const int d = base_.rotary_dim;
    const double theta = p("theta");
    if (m == "ntk" || m == "xverse") return default_inv_freq(effective_theta(seq_len), d);
    if (m == "dynamic") {
        if (seq_len <= dynamic_window()) return default_inv_freq(theta, d);
        return reciprocal(pos_freqs(static_cast<float>(effective_theta(seq_len)), d));
    }
    if (m == "linear") {
        std::vector<float> inv = default_inv_freq(theta, d);
        for (float& w : inv) w = w / static_cast<float>(p("factor"));  // §2, HF-new divides ω
        return inv;
    }
    if (m == "longrope") {
        // Long factors once the sequence passes L (§8): ω_i = 1 / (e_i b^(2i/d)).
        const auto& e = seq_len > p("original") ? spec_.long_factor : spec_.short_factor;
        std::vector<float> pf = pos_freqs(static_cast<float>(theta), d);
        for (size_t i = 0; i < pf.size(); ++i) pf[i] = static_cast<float>(e[i]) * pf[i];
        return reciprocal(pf);
    }
    if (m == "yarn") {
        const Range r = yarn_range(p("beta_fast"), p("beta_slow"), d, theta, p("original"),
                                   p("truncate") != 0.0);
        const double span = r.low == r.high ? 0.001 : r.high - r.low;  // HF's singularity guard
        const std::vector<float> pf = pos_freqs(static_cast<float>(theta), d);
        const float s = static_cast<float>(p("factor"));
        std::vector<float> inv(pf.size());
        for (size_t i = 0; i < pf.size(); ++i) {
            const float extrap = 1.0f / pf[i];
            const float interp = 1.0f / (s * pf[i]);
            float ramp =
                (static_cast<float>(i) - static_cast<float>(r.low)) / static_cast<float>(span);
            ramp = std::clamp(ramp, 0.0f, 1.0f);
            const float w = 1.0f - ramp;  // extrapolation weight w_i (§6)
            inv[i] = interp * (1.0f - w) + extrap * w;
        }
        return inv;
    }
    if (m == "llama3") {
        std::vector<float> inv = default_inv_freq(theta, d);
        const float s = static_cast<float>(p("factor"));
        const double L = p("original"), lf = p("low"), hf = p("high");
        const float low_wavelen = static_cast<float>(L / lf);
        const float high_wavelen = static_cast<float>(L / hf);
        const float two_pi = static_cast<float>(2 * std::numbers::pi);
        for (float& w : inv) {
            const float wavelen = (1.0f / w) * two_pi;
            const float scaled = wavelen > low_wavelen ? w / s : w;
            const float g = ((1.0f / wavelen) * static_cast<float>(L) - static_cast<float>(lf)) /
                            static_cast<float>(hf - lf);
            const float smoothed = (1.0f - g) * scaled / s + g * scaled;
            const bool medium = !(wavelen < high_wavelen) && !(wavelen > low_wavelen);  // §7
            w = medium ? smoothed : scaled;
        }
        return inv;
    }
    return default_inv_freq(theta, d);  // none (with or without a theta override)
}

RopeFrequencies PositionEncoding::frequencies(int64_t seq_len) const {
    RopeFrequencies f;
    if (is_alibi()) return f;
    f.inv_freq = rope_inv_freq(seq_len);
    const auto& ff = spec_.freq_factors;  // GGUF rope_freqs: ggml divides θ by ff_i (§7)
    for (size_t i = 0; i < ff.size() && i < f.inv_freq.size(); ++i)
        f.inv_freq[i] = f.inv_freq[i] / static_cast<float>(ff[i]);
    f.attention_factor = static_cast<float>(attention_factor(seq_len));
    return f;
}

std::vector<float> PositionEncoding::alibi_slopes(int n_heads, int64_t seq_len) const {
    if (spec_.method == "alibi") return ll::alibi_slopes(n_heads, p("max_bias"));
    if (spec_.method != "dynamic_alibi") return {};
    // The cache capacity starts at model_max_length and grows with the sequence (§9).
    const double max_pos = static_cast<double>(std::max<int64_t>(seq_len, dynamic_window()));
    return dynamic_alibi_slopes(n_heads, max_pos, p("original"));
}

namespace {

int64_t effective_window_of(const PositionEncoding& pe) {
    const ScalingSpec& s = pe.spec();
    const RopeBase& b = pe.base();
    const auto& p = s.params;
    const int64_t L = b.trained_window > 0 ? b.trained_window : b.max_position_embeddings;
    const int64_t M = b.max_position_embeddings > 0 ? b.max_position_embeddings : L;
    auto times = [](double a, double f) { return static_cast<int64_t>(std::llround(a * f)); };
    if (s.method == "linear") return times(L, p.at("factor"));
    if (s.method == "ntk") return times(L, p.at("alpha"));
    if (s.method == "dynamic") return times(M, p.at("factor"));  // HF scales from M (§4)
    if (s.method == "yarn" || s.method == "llama3" || s.method == "longrope")
        return times(p.at("original"), p.at("factor"));
    if (s.method == "none") return L;
    return 0;  // xverse, alibi, dynamic_alibi: no fixed limit
}

std::string fmt(double v) {
    std::ostringstream os;
    os.precision(7);
    os << v;
    return os.str();
}

void add_window_warnings(EffectiveScaling& e, double base_theta) {
    const int64_t L = e.trained_window;
    if (e.method == "none" && e.file_freq_factors && L > 0 && e.context_len > L) {
        // A GGUF that carries rope_freqs has its scaling (llama3, longrope) baked into those
        // divisors and its window already extended: no method is named, yet one is applied.
        e.warnings.push_back("context of " + std::to_string(e.context_len) +
                             " tokens exceeds the model's window of " + std::to_string(L) +
                             " tokens (its rope_freqs already extend the trained positions); "
                             "expect quality to drop past " +
                             std::to_string(L) + " tokens");
    } else if (e.method == "none" && L > 0 && e.context_len > L) {
        const int64_t k = (e.context_len + L - 1) / L;
        std::string w = "context of " + std::to_string(e.context_len) +
                        " tokens exceeds the trained window of " + std::to_string(L) +
                        " tokens and no position scaling is applied";
        if (e.theta != base_theta) w += " (only the rope base is changed, to " + fmt(e.theta) + ")";
        e.warnings.push_back(w + "; expect quality to collapse past " + std::to_string(L) +
                             " tokens (try --scaling yarn:factor=" + std::to_string(k) +
                             " or dynamic:factor=" + std::to_string(k) + ")");
    } else if (e.method != "none" && e.effective_window > 0 && e.context_len > e.effective_window) {
        e.warnings.push_back("context of " + std::to_string(e.context_len) +
                             " tokens exceeds the effective window of " +
                             std::to_string(e.effective_window) + " tokens of " + e.spec_text);
    }
}

}  // namespace

EffectiveScaling effective_scaling(const ResolvedScaling& resolved, const RopeBase& base,
                                   int64_t context_len) {
    const PositionEncoding pe(resolved.spec, base);
    EffectiveScaling e;
    e.method = pe.spec().method;
    e.params = pe.spec().params;
    e.spec_text = format_scaling_spec(pe.spec());
    e.source = resolved.source;
    e.theta = pe.effective_theta(context_len);
    e.trained_window = base.trained_window > 0 ? base.trained_window : base.max_position_embeddings;
    e.effective_window = effective_window_of(pe);
    e.context_len = context_len;
    e.attention_factor = pe.attention_factor(context_len);
    e.logit_factor = e.attention_factor * e.attention_factor;
    e.depends_on_length = pe.depends_on_length();
    e.file_freq_factors = !pe.spec().freq_factors.empty();
    if (e.method == "longrope") {
        const bool long_list = static_cast<double>(context_len) > pe.spec().params.at("original");
        e.longrope_list = long_list ? "long" : "short";
        e.longrope_factors = long_list ? pe.spec().long_factor : pe.spec().short_factor;
    }
    e.warnings = resolved.warnings;
    add_window_warnings(e, base.theta);
    if (e.method == "linear" && resolved.file_method != "linear")
        e.warnings.push_back(
            "linear interpolation on a model not fine-tuned for it is lossy: it blurs nearby "
            "positions at every length (Chen et al. fine-tune after interpolating; §2); "
            "yarn or dynamic keep short-range positions intact");
    return e;
}

std::string describe(const EffectiveScaling& e) {
    std::ostringstream os;
    os << "position scaling: " << e.method << " (" << to_string(e.source) << ")\n";
    os << "spec: " << e.spec_text << "\n";
    if (e.theta > 0) os << "rope base: " << fmt(e.theta) << "\n";
    os << "trained window: " << e.trained_window << "\n";
    os << "effective window: "
       << (e.effective_window > 0 ? std::to_string(e.effective_window) : "no fixed limit") << "\n";
    os << "context: " << e.context_len << "\n";
    os << "attention factor: " << fmt(e.attention_factor) << " (logits x" << fmt(e.logit_factor)
       << ")\n";
    os << "length-dependent: " << (e.depends_on_length ? "yes" : "no") << "\n";
    if (e.file_freq_factors) os << "per-pair divisors: rope_freqs from the model file\n";
    if (!e.longrope_list.empty()) {
        os << "longrope factors in use: " << e.longrope_list << " (";
        for (size_t i = 0; i < e.longrope_factors.size(); ++i)
            os << (i ? ", " : "") << fmt(e.longrope_factors[i]);
        os << ")\n";
    }
    for (const auto& w : e.warnings) os << "warning: " << w << "\n";
    return os.str();
}

}  // namespace ll
