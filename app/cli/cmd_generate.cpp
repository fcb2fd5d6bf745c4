// longlens-cli generate: text from a prompt (BOS alone when none is given), streamed
// to stdout as it is produced.
#include <QCommandLineParser>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "model_options.h"
#include "option_values.h"
#include "sampler.h"
#include "session.h"
#include "terminal_text.h"

namespace ll::cli {

int run_generate(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Generate text from a prompt.");
    add_model_options(parser);
    parser.addOption({"prompt", "Prompt text (default: BOS only).", "TEXT"});
    parser.addOption({{"n", "tokens"}, "Tokens to generate.", "N", "128"});
    parser.addOption({"temp", "Sampling temperature; 0 is greedy.", "T", "0.8"});
    parser.addOption({"top-k", "Keep the K most likely tokens (0: all).", "K", "40"});
    parser.addOption({"top-p", "Keep the smallest set with this probability mass.", "P", "0.95"});
    parser.addOption({"seed", "Random seed.", "S", "42"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;

    ModelRun m = load_model(parser);
    const Tokenizer& tok = m.model->tokenizer();
    std::vector<int32_t> prompt;
    if (tok.add_bos()) prompt.push_back(tok.bos());
    const size_t first_text = prompt.size();
    if (parser.isSet("prompt")) {
        auto ids = tok.encode(parser.value("prompt").toStdString());
        prompt.insert(prompt.end(), ids.begin(), ids.end());
    }
    if (prompt.empty())
        throw AppError("generate", "this model's tokenizer adds no BOS: give a --prompt");
    const int64_t n = whole_number(parser, "n", 0, kLargestContext);
    auto session_ptr = m.session(static_cast<int64_t>(prompt.size()) + n);
    Session& session = *session_ptr;
    Sampler sampler({static_cast<float>(real_number(parser, "temp", 0.0, 100.0)),
                     static_cast<int>(whole_number(parser, "top-k", 0, 1 << 24)),
                     static_cast<float>(real_number(parser, "top-p", 0.0, 1.0)),
                     static_cast<uint64_t>(whole_number(parser, "seed", 0, INT64_MAX))});

    TokenStreamDecoder out(tok);
    if (parser.isSet("prompt")) {
        for (size_t i = first_text; i < prompt.size(); ++i)
            std::fputs(LL_TEXT(out.push(prompt[i])), stdout);
    }
    session.eval(prompt);
    for (int64_t i = 0; i < n; ++i) {
        const int32_t next = sampler.sample(session.logits());
        if (next == tok.eos() || next == tok.eot()) break;
        std::fputs(LL_TEXT(out.push(next)), stdout);
        std::fflush(stdout);
        if (i + 1 < n) session.eval(std::span(&next, 1));
    }
    std::fputs(LL_TEXT(out.finish()), stdout);
    std::fputs("\n", stdout);
    return 0;
}

}  // namespace ll::cli
