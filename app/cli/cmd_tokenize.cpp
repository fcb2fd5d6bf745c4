// longlens-cli tokenize: the token ids of a text, on one line (no BOS).
#include <QCommandLineParser>

#include <cstdio>

#include "commands.h"
#include "error.h"
#include "model_options.h"

namespace ll::cli {

int run_tokenize(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Token ids of a text, without BOS.");
    add_model_options(parser);
    parser.addOption({"text", "Text to tokenize.", "TEXT"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("text")) throw EngineError("tokenize", "--text is required");
    LoadedModel m = load_model(parser);
    auto ids = m.model->tokenizer().encode(parser.value("text").toStdString());
    for (size_t i = 0; i < ids.size(); ++i) std::printf(i ? " %d" : "%d", ids[i]);
    std::printf("\n");
    return 0;
}

}  // namespace ll::cli
