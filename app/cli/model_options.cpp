#include "model_options.h"

#include <cstdio>

#include "bundled.h"
#include "error.h"
#include "memory_estimate.h"
#include "threads.h"

namespace ll::cli {

void add_model_options(QCommandLineParser& parser) {
    parser.addOption({"model",
                      "GGUF file or Hugging Face model directory (default: the bundled model).",
                      "PATH"});
    parser.addOption({"scaling",
                      "Position scaling METHOD[:key=value,...], e.g. yarn:factor=4 or none. "
                      "Overrides the model file's setting.",
                      "SPEC"});
    parser.addOption({"rope-theta", "Override the rope base.", "THETA"});
    parser.addOption({"attention",
                      "Attention variant: full, window:size=W, sinks:sinks=S,window=W or "
                      "s2:group=G (default: the model's own).",
                      "VARIANT"});
    parser.addOption({"kv",
                      "KV cache element type: f32, f16 (half the memory) or q8_0 (about a "
                      "quarter; needs KV rows of whole 32-value blocks).",
                      "TYPE", "f32"});
    parser.addOption({"threads", "Worker threads (default: all cores).", "N", "0"});
}

bool parse_or_explain(QCommandLineParser& parser, const QStringList& args) {
    parser.addHelpOption();
    if (!parser.parse(args)) {
        std::fprintf(stderr, "%s\n\n%s", qPrintable(parser.errorText()), qPrintable(parser.helpText()));
        return false;
    }
    if (parser.isSet("help")) {
        std::printf("%s", qPrintable(parser.helpText()));
        return false;
    }
    return true;
}

LoadedModel load_model(const QCommandLineParser& parser) {
    QString path = parser.value("model");
    if (path.isEmpty()) path = bundled::model_dir();
    if (path.isEmpty())
        throw EngineError("--model", "no model given, and the bundled model (resources/model) "
                                     "was not found; set LONGLENS_RESOURCES or pass --model");
    ll::set_thread_count(parser.value("threads").toInt());
    LoadedModel m;
    m.model = ll::Model::load(path.toStdString());
    const ModelConfig& cfg = m.model->config();

    std::optional<ScalingSpec> user;
    if (parser.isSet("scaling")) user = parse_scaling_spec(parser.value("scaling").toStdString());
    if (parser.isSet("rope-theta")) {
        bool ok = false;
        double theta = parser.value("rope-theta").toDouble(&ok);
        if (!ok || theta <= 1.0)
            throw EngineError("--rope-theta", "expected a number above 1, got '" +
                                                  parser.value("rope-theta").toStdString() + "'");
        if (!user) user = cfg.scaling;
        user->params["theta"] = theta;
    }
    m.scaling = resolve_scaling(user, cfg.scaling, cfg.rope);
    if (parser.isSet("attention"))
        m.attention = AttentionVariant::parse(parser.value("attention").toStdString());
    m.kv = parse_kv_type(parser.value("kv").toStdString(), "--kv");
    (void)kv_bytes_per_token(cfg, m.kv);  // refuses q8_0 for this model now, not at the first run
    return m;
}

PositionEncoding LoadedModel::positions() const {
    return PositionEncoding(scaling.spec, model->config().rope);
}

}  // namespace ll::cli

namespace ll::cli {

std::unique_ptr<Session> LoadedModel::session(int64_t max_context) const {
    check_memory(estimate_memory(*model, max_context, 512, kv), max_context);
    auto s = std::make_unique<Session>(*model, positions(), max_context, kv);
    if (attention) s->set_attention_variant(*attention);
    return s;
}

}  // namespace ll::cli
