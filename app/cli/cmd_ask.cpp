// longlens-cli ask --model M --doc FILE [--mode auto|full|retrieve] [--json] "QUESTION":
// answers a question about a document, streaming the answer, then its citations. The
// document's prefix is kept in the disk cache (--cache DIR, --no-cache), so a second
// question about it, also in a later run, skips the document prefill.
#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "documents/importer.h"
#include "qa/answer.h"
#include "qa/answer_json.h"
#include "qa/conversation.h"
#include "qa_options.h"

namespace ll::cli {

namespace {

void print_citations(const Document& doc, const Answer& a) {
    std::printf("\n\ncontext: %s, %d tokens, %zu passage(s)\n", qPrintable(mode_name(a.plan.mode)),
                a.plan.tokens, a.plan.passages.size());
    int i = 0;
    for (const Citation& c : a.citations) {
        const QString where = c.page >= 0 ? QString("p. %1").arg(c.page + 1)
                                          : QString("line %1").arg(doc.position_of(c.start).line);
        std::printf("[%d] %s (score %.2f): \"%s\"\n", ++i, qPrintable(where), c.score,
                    qPrintable(c.text.simplified().left(300)));
    }
}

void print_timing(const AnswerTiming& t) {
    std::printf("prefill: %lld tokens in %.2f s (%lld reused; document cache: %s%s%s)\n",
                static_cast<long long>(t.prefill_tokens), t.prefill_s,
                static_cast<long long>(t.reused_tokens), qPrintable(cache_use_name(t.cache)),
                t.cache_note.isEmpty() ? "" : ", ", qPrintable(t.cache_note));
}

// Appends the turn to the document's conversation in the library.
void save_turn(const QString& library, const Document& doc, const Answer& a, const ModelRun& m) {
    const QString file = conversation_file(library, doc);
    Conversation conv = Conversation::load(file);
    conv.document_path = doc.path;
    conv.document_hash = document_hash(doc);
    conv.turns.push_back(
        turn_from_answer(a, QString::fromStdString(m.model->path()),
                         QString::fromStdString(format_scaling_spec(m.scaling.spec))));
    conv.save(file);
}

}  // namespace

int run_ask(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Answer a question about a document, with citations.");
    add_qa_options(parser);
    parser.addOption({"mode", "Context: auto, full or retrieve.", "MODE", "auto"});
    parser.addOption({{"n", "max-tokens"}, "Longest answer in tokens.", "N", "128"});
    parser.addOption({"library",
                      "Library directory: append the question and answer to the document's "
                      "conversation there.",
                      "DIR"});
    parser.addOption({"cache",
                      "Folder of the document KV cache (default: the user's cache folder).",
                      "DIR"});
    parser.addOption({"no-cache", "Prefill the document without the disk cache."});
    parser.addPositionalArgument("question", "The question.");
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "ask: give exactly one question\n");
        return 2;
    }
    if (!parser.isSet("doc")) throw AppError("--doc", "no document given");

    RunConfig config = run_config(parser);
    config.window = qa_window(parser);
    config.context = parse_mode(parser.value("mode"));
    const ModelRun m = load_model(config);
    const Document doc = import_document(parser.value("doc"));
    const QString cache = parser.isSet("no-cache") ? QString()
                          : parser.isSet("cache")  ? parser.value("cache")
                                                   : default_prefix_cache_dir();
    const std::unique_ptr<DocumentAnswerer> answerer = m.answerer(doc, cache);
    AnswerOptions options;
    options.mode = config.context;
    options.frame = qa_frame(parser, m);
    options.max_answer_tokens = parser.value("n").toInt();
    options.attention_layers = qa_attention_layers(parser);
    const bool json = parser.isSet("json");
    AnswerCallbacks callbacks;
    if (!json)
        callbacks.on_text = [](const QString& text) {
            std::fputs(text.toUtf8().constData(), stdout);
            std::fflush(stdout);
        };

    const Answer a = answerer->ask(parser.positionalArguments().first(), options, callbacks);
    if (parser.isSet("library")) save_turn(parser.value("library"), doc, a, m);
    if (!json) {
        print_citations(doc, a);
        print_timing(a.timing);
        return 0;
    }
    const QJsonObject out{
        {"answer", a.text},
        {"end", end_name(a.end)},
        {"citations", to_json(a.citations)},
        {"context", to_json(a.plan)},
        {"timing", to_json(a.timing)},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    return 0;
}

}  // namespace ll::cli
