#include "presets.h"

#include <algorithm>

namespace ll {
namespace {

RunConfig on(const QString& model_path) {
    RunConfig c;
    c.model_path = model_path;
    return c;
}

// Attention sinks kept at the start: StreamingLLM's choice.
constexpr int kSinks = 4;

}  // namespace

int trained_window(const ModelConfig& model) {
    return model.rope.trained_window > 0 ? model.rope.trained_window : model.trained_window;
}

int scaling_factor_for(int64_t document_tokens, int trained_window) {
    if (trained_window <= 0) return 2;
    const int64_t factor = (document_tokens + trained_window - 1) / trained_window;
    return static_cast<int>(std::clamp<int64_t>(factor, 2, 1 << 20));
}

std::vector<RunConfig> scaling_presets(const ModelConfig& model, int64_t document_tokens,
                                       const QString& model_path) {
    const int window = trained_window(model);
    const QString factor = QString::number(scaling_factor_for(document_tokens, window));
    std::vector<RunConfig> out;
    for (const QString& spec : {QStringLiteral("none"), "linear:factor=" + factor,
                                "ntk:alpha=" + factor,  // NTK names its factor alpha
                                "yarn:factor=" + factor + ",original=" + QString::number(window)}) {
        RunConfig c = on(model_path);
        c.set_scaling(spec);
        out.push_back(c);
    }
    return out;
}

std::vector<RunConfig> kv_presets(const QString& model_path) {
    std::vector<RunConfig> out;
    for (KvType kv : {KvType::F32, KvType::F16, KvType::Q8_0}) {
        RunConfig c = on(model_path);
        c.kv = kv;
        out.push_back(c);
    }
    return out;
}

std::vector<RunConfig> attention_presets(const ModelConfig& model, const QString& model_path) {
    const int window = std::max(trained_window(model), 2 * kSinks);
    std::vector<RunConfig> out;
    for (const QString& spec :
         {QStringLiteral("full"), QStringLiteral("window:size=%1").arg(window),
          QStringLiteral("sinks:sinks=%1,window=%2").arg(kSinks).arg(window - kSinks)}) {
        RunConfig c = on(model_path);
        c.set_attention(spec);
        out.push_back(c);
    }
    return out;
}

}  // namespace ll
