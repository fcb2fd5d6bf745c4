#include "diagnostics/positions.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace ll {

namespace {

// Frequencies are float32: a ratio this close to 1 (or to the full factor) is that value.
constexpr double kSame = 1e-5;

bool near(double a, double b) {
    return std::abs(a / b - 1.0) < kSame;
}

std::vector<double> wavelengths(const std::vector<float>& inv_freq) {
    std::vector<double> out;
    out.reserve(inv_freq.size());
    for (float w : inv_freq) out.push_back(2 * std::numbers::pi / static_cast<double>(w));
    return out;
}

DimClass classify(double ratio, double full_factor, double original_wavelength,
                  int trained_window) {
    if (near(ratio, 1.0))
        return original_wavelength < trained_window ? DimClass::Extrapolated : DimClass::Unseen;
    if (full_factor > 1.0 + kSame && near(ratio, full_factor)) return DimClass::Interpolated;
    return DimClass::Ramp;
}

std::vector<RotaryDim> rotary_dims(const PositionEncoding& positions, const RopeBase& base,
                                   int64_t context_len, double& full_factor) {
    const std::vector<float> inv = positions.frequencies(context_len).inv_freq;
    // The model's own, unscaled wavelengths: method none at the file's base.
    const std::vector<double> original =
        wavelengths(PositionEncoding(ScalingSpec{}, base).frequencies(context_len).inv_freq);
    const std::vector<double> scaled = wavelengths(inv);
    full_factor = 1.0;
    for (size_t i = 0; i < scaled.size(); ++i)
        full_factor = std::max(full_factor, scaled[i] / original[i]);
    std::vector<RotaryDim> dims(inv.size());
    for (size_t i = 0; i < inv.size(); ++i) {
        RotaryDim& d = dims[i];
        d.pair = static_cast<int>(i);
        d.inv_freq = inv[i];
        d.wavelength = scaled[i];
        d.original_wavelength = original[i];
        d.ratio = scaled[i] / original[i];
        d.cls = classify(d.ratio, full_factor, original[i], base.trained_window);
        d.exceeds_context = d.wavelength > static_cast<double>(context_len);
    }
    return dims;
}

// The window a length-dependent method grows from: M for the dynamic NTK kinds (HF takes
// max_position_embeddings, §4), the trained window otherwise.
int64_t growth_window(const PositionEncoding& positions, const RopeBase& base) {
    const std::string& m = positions.spec().method;
    const bool from_m = m == "dynamic" || m == "xverse" || m == "dynamic_alibi";
    if (from_m && base.max_position_embeddings > 0) return base.max_position_embeddings;
    return base.trained_window;
}

std::vector<LengthSample> samples_by_length(const PositionEncoding& positions, const RopeBase& base,
                                            int n_heads) {
    std::vector<LengthSample> out;
    const int64_t window = growth_window(positions, base);
    if (!positions.depends_on_length() || window <= 0) return out;
    for (int64_t times : {1, 2, 4, 8}) {
        LengthSample s;
        s.length = window * times;
        if (positions.is_alibi()) {
            for (float m : positions.alibi_slopes(n_heads, s.length)) s.alibi_slopes.push_back(m);
        } else {
            s.theta = positions.effective_theta(s.length);
            s.attention_factor = positions.attention_factor(s.length);
            s.wavelength = wavelengths(positions.frequencies(s.length).inv_freq);
        }
        out.push_back(std::move(s));
    }
    return out;
}

ScalingSpec standard_spec(const std::string& method, double factor, double theta) {
    ScalingSpec spec;
    spec.method = method;
    if (method == "ntk")
        spec.params["alpha"] = factor;
    else if (method != "none")
        spec.params["factor"] = factor;
    spec.params["theta"] = theta;
    return spec;
}

// Marks the overlay curve that is the configuration in force, or adds it when none is.
void mark_effective(std::vector<MethodCurve>& overlay, const PositionEncoding& positions,
                    int64_t context_len) {
    // Whole specs, not their text: the text leaves out a file's rope_freqs divisors.
    for (MethodCurve& c : overlay)
        if (c.spec == positions.spec()) {
            c.effective = true;
            return;
        }
    MethodCurve c;
    c.label = "effective";
    c.spec_text = format_scaling_spec(positions.spec());
    if (!positions.spec().freq_factors.empty()) c.spec_text += " + the file's rope_freqs";
    c.spec = positions.spec();
    c.wavelength = wavelengths(positions.frequencies(context_len).inv_freq);
    c.attention_factor = positions.attention_factor(context_len);
    c.effective = true;
    overlay.insert(overlay.begin(), std::move(c));
}

}  // namespace

const char* to_string(DimClass c) {
    switch (c) {
        case DimClass::Extrapolated:
            return "extrapolated";
        case DimClass::Unseen:
            return "unseen";
        case DimClass::Ramp:
            return "ramp";
        case DimClass::Interpolated:
            return "interpolated";
    }
    return "?";
}

std::vector<MethodCurve> overlay_curves(const RopeBase& base, double theta, int64_t context_len) {
    const double factor =
        base.trained_window > 0
            ? std::max(1.0, static_cast<double>(context_len) / base.trained_window)
            : 1.0;
    std::vector<MethodCurve> out;
    for (const char* method : {"none", "linear", "ntk", "dynamic", "yarn", "llama3"}) {
        const PositionEncoding positions(standard_spec(method, factor, theta), base);
        MethodCurve c;
        c.label = method;
        c.spec_text = format_scaling_spec(positions.spec());
        c.spec = positions.spec();
        c.wavelength = wavelengths(positions.frequencies(context_len).inv_freq);
        c.attention_factor = positions.attention_factor(context_len);
        out.push_back(std::move(c));
    }
    return out;
}

PositionsReport analyse_positions(const ResolvedScaling& resolved, const RopeBase& base,
                                  int n_heads, int64_t context_len) {
    const PositionEncoding positions(resolved.spec, base);
    const EffectiveScaling e = effective_scaling(resolved, base, context_len);
    PositionsReport r;
    r.method = e.method;
    r.spec_text = e.spec_text;
    r.source = e.source;
    r.file_freq_factors = e.file_freq_factors;
    r.model_theta = base.theta;
    r.theta = e.theta;
    r.rotary_dim = base.rotary_dim;
    r.trained_window = base.trained_window;
    r.max_position_embeddings = base.max_position_embeddings;
    r.context_len = context_len;
    r.attention_factor = e.attention_factor;
    r.logit_factor = e.logit_factor;
    r.warnings = e.warnings;
    r.by_length = samples_by_length(positions, base, n_heads);
    if (positions.is_alibi()) {
        for (float m : positions.alibi_slopes(n_heads, context_len)) r.alibi_slopes.push_back(m);
        return r;
    }
    r.dims = rotary_dims(positions, base, context_len, r.full_factor);
    const double theta =
        positions.spec().params.count("theta") ? positions.spec().params.at("theta") : base.theta;
    r.overlay = overlay_curves(base, theta, context_len);
    mark_effective(r.overlay, positions, context_len);
    // transformers grows dynamic NTK's base from M, not from the trained window (§4).
    if (base.max_position_embeddings > 0 && context_len <= base.max_position_embeddings)
        r.notes.push_back("dynamic NTK grows its base only past max_position_embeddings (" +
                          std::to_string(base.max_position_embeddings) +
                          ", as transformers does), so at this context it equals none");
    return r;
}

}  // namespace ll
