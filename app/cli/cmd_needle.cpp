// longlens-cli needle --model M --doc FILE --needle TEXT --depth D --ctx N
// [--probe question|continue] --json: plants a sentence in the document and checks that the
// answer holds it and that the top citation points inside it.
#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "documents/importer.h"
#include "option_values.h"
#include "qa/answer_json.h"
#include "qa/needle_probe.h"
#include "qa_options.h"
#include "terminal_text.h"

namespace ll::cli {

int run_needle(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Plant a sentence at a depth of a document, ask for it, check answer and citation.");
    add_qa_options(parser);
    parser.addOption({"needle", "The sentence to plant.", "TEXT"});
    parser.addOption({"depth", "Where to plant it, 0 (start) to 1 (end).", "D", "0.5"});
    parser.addOption({"probe",
                      "question (chat models), continue (base models) or forced (the second "
                      "half is fed as the answer: attribution alone, for models that cannot "
                      "copy).",
                      "P", "continue"});
    parser.addOption({"probe-text",
                      "continue/forced: the text after the document (default: the needle's "
                      "first half).",
                      "TEXT"});
    parser.addOption({"intro", "Text before the document (a task instruction).", "TEXT"});
    parser.addOption(
        {"expect", "What the answer must contain (default: the needle's second half).", "TEXT"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("doc")) throw AppError("--doc", "no document given");
    if (!parser.isSet("needle")) throw AppError("--needle", "no needle given");
    if (!parser.isSet("ctx")) throw AppError("--ctx", "give the haystack size in tokens");
    const QString probe = parser.value("probe");
    if (probe != "question" && probe != "continue" && probe != "forced")
        throw AppError("--probe", "expected question, continue or forced");

    ModelRun m = load_model(parser);
    const Document doc = import_document(parser.value("doc"));
    NeedleSpec spec;
    spec.needle = parser.value("needle");
    spec.depth = real_number(parser, "depth", 0.0, 1.0);
    spec.context_tokens = static_cast<int>(whole_number(parser, "ctx", 16, kLargestContext));
    spec.probe_text = parser.value("probe-text");
    spec.intro = parser.value("intro").replace("\\n", "\n");
    spec.expected = parser.value("expect");
    spec.probe = probe == "question" ? NeedleProbe::Question
                 : probe == "forced" ? NeedleProbe::Forced
                                     : NeedleProbe::Continue;
    spec.attention = m.attention;
    spec.kv = m.kv;
    // The window must hold the haystack, the probe and the answer.
    const int64_t window = std::max<int64_t>(m.window, spec.context_tokens + 96);
    AnswerOptions options;
    options.attention_layers = qa_attention_layers(parser);
    const NeedleResult r = run_needle(*m.model, m.positions(), window, doc, spec, options);

    const QJsonObject out{
        {"answer", r.answer.text},
        {"answer_contains_needle", r.answer_contains_needle},
        {"top_citation_covers_needle", r.top_citation_covers_needle},
        {"needle", QJsonObject{{"start", r.planted.start}, {"end", r.planted.end}}},
        {"citations", to_json(r.answer.citations)},
        {"timing", to_json(r.answer.timing)},
    };
    if (parser.isSet("json")) {
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    } else {
        std::printf("answer: %s\nanswer contains needle: %s\ntop citation inside needle: %s\n",
                    LL_TEXT(r.answer.text), r.answer_contains_needle ? "yes" : "no",
                    r.top_citation_covers_needle ? "yes" : "no");
    }
    return 0;
}

}  // namespace ll::cli
