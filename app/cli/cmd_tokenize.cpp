// longlens-cli tokenize: the token ids of a text, on one line (no BOS). Special tokens
// written in the text stay text unless --parse-special is given.
#include <QCommandLineParser>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "model_options.h"

namespace ll::cli {

int run_tokenize(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Token ids of a text, without BOS.");
    add_model_options(parser);
    parser.addOption({"text", "Text to tokenize.", "TEXT"});
    parser.addOption(
        {"parse-special", "Read special tokens written in the text (\"<|im_start|>\") as tokens."});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("text")) throw AppError("tokenize", "--text is required");
    ModelRun m = load_model(parser);
    const SpecialTokens special =
        parser.isSet("parse-special") ? SpecialTokens::Parse : SpecialTokens::AsText;
    auto ids = m.model->tokenizer().encode(parser.value("text").toStdString(), special);
    for (size_t i = 0; i < ids.size(); ++i) std::printf(i ? " %d" : "%d", ids[i]);
    std::printf("\n");
    return 0;
}

}  // namespace ll::cli
