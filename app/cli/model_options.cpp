#include "model_options.h"

#include <cstdio>

#include "app_error.h"
#include "bundled.h"
#include "option_values.h"
#include "terminal_text.h"

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
                      QStringLiteral("KV cache element type: f16 (the default), f32 (exact, "
                                     "twice the memory) or q8_0 (about a quarter of f32's; "
                                     "needs KV rows of whole 32-value blocks)."),
                      "TYPE", kv_name(kDefaultKvType)});
    parser.addOption({"threads", "Worker threads (default: all cores).", "N", "0"});
}

bool parse_or_explain(QCommandLineParser& parser, const QStringList& args) {
    parser.addHelpOption();
    if (!parser.parse(args)) {
        std::fprintf(stderr, "%s\n\n%s", LL_TEXT(parser.errorText()), LL_TEXT(parser.helpText()));
        return false;
    }
    if (parser.isSet("help")) {
        std::printf("%s", LL_TEXT(parser.helpText()));
        return false;
    }
    return true;
}

RunConfig run_config(const QCommandLineParser& parser) {
    RunConfig config;
    config.model_path = parser.value("model");
    if (config.model_path.isEmpty()) config.model_path = bundled::model_dir();
    if (config.model_path.isEmpty())
        throw AppError("--model",
                       "no model given, and the bundled model (resources/model) was "
                       "not found",
                       "set LONGLENS_RESOURCES or pass --model");
    if (parser.isSet("scaling")) config.set_scaling(parser.value("scaling"), "--scaling");
    if (parser.isSet("rope-theta")) {
        config.rope_theta = real_number(parser, "rope-theta", 1.000001, 1e12);
    }
    if (parser.isSet("attention")) config.set_attention(parser.value("attention"), "--attention");
    config.set_kv(parser.value("kv"), "--kv");
    config.threads = static_cast<int>(whole_number(parser, "threads", 0, 1024));
    return config;
}

ModelRun load_model(const RunConfig& config) {
    return load_run(config, KvFallback::Refuse);
}

ModelRun load_model(const QCommandLineParser& parser) {
    return load_model(run_config(parser));
}

}  // namespace ll::cli
