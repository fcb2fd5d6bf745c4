// longlens-cli ask --model M --doc FILE [--mode auto|full|retrieve] [--json] "QUESTION":
// answers a question about a document, streaming the answer, then its citations. The
// document's prefix is kept in the disk cache (--cache DIR, --no-cache), so a second
// question about it, also in a later run, skips the document prefill. The question and its
// answer are added to the document's conversation in the library the GUI shows too.
#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "answer_records.h"
#include "app_error.h"
#include "commands.h"
#include "document_import.h"
#include "documents/importer.h"
#include "option_values.h"
#include "qa/answer.h"
#include "qa/answer_json.h"
#include "qa/calibration_file.h"
#include "qa/prefix_cache.h"
#include "qa_options.h"
#include "session_file.h"
#include "terminal_text.h"
#include "user_library.h"

namespace ll::cli {

namespace {

void print_citations(const Document& doc, const Answer& a) {
    std::printf("\n\ncontext: %s\n", LL_TEXT(describe_plan(a.plan)));
    if (!a.plan.thin.isEmpty()) std::printf("thin context: %s\n", LL_TEXT(a.plan.thin));
    QList<AnswerCitation> chips;  // labelled as the GUI's chips
    for (const Citation& c : a.citations) chips << make_citation(doc, c.start, c.end);
    distinguish_labels(doc, chips);
    for (qsizetype i = 0; i < chips.size(); ++i) {
        const Citation& c = a.citations[size_t(i)];
        std::printf("[%d] %s (score %.2f): \"%s\"\n", int(i + 1), LL_TEXT(chips[i].label), c.score,
                    LL_TEXT(c.text.simplified().left(300)));
    }
}

void print_timing(const AnswerTiming& t) {
    std::printf("prefill: %lld tokens in %.2f s (%lld reused; document cache: %s%s%s)\n",
                static_cast<long long>(t.prefill_tokens), t.prefill_s,
                static_cast<long long>(t.reused_tokens), LL_TEXT(cache_use_name(t.cache)),
                t.cache_note.isEmpty() ? "" : ", ", LL_TEXT(t.cache_note));
}

// How this answer was made, as the library records it with the answer: the RunConfig as
// chosen, what was in force where the model decided (scaling, attention, KV type, window),
// the model file's fingerprint and the answer length.
QJsonObject run_record(const QCommandLineParser& parser, const ModelRun& m) {
    QJsonObject o = m.config.to_json();
    o["model"] = QString::fromStdString(m.model->path());
    o["model_fingerprint"] = QString::fromStdString(model_fingerprint(*m.model));
    o["scaling_in_force"] = QString::fromStdString(format_scaling_spec(m.scaling.spec));
    o["attention_in_force"] = QString::fromStdString(m.attention.to_string());
    o["kv_in_force"] = kv_name(m.kv);
    o["window_in_force"] = qint64(m.window);
    o["max_tokens"] = static_cast<qint64>(whole_number(parser, "n", 1, kLongestAnswer));
    return o;
}

// Appends the answer to the document's conversation in the library (--library DIR, else
// the user's). A failure to store it fails the command: the answer was printed, but the
// user must know it is not kept.
void save_answer(const QCommandLineParser& parser, const Document& doc, const Answer& a,
                 const QJsonObject& config) {
    QStringList notices;
    std::unique_ptr<LibraryStore> store =
        parser.isSet("library")
            ? std::make_unique<LibraryStore>(parser.value("library") + "/library.sqlite")
            : open_user_library(&notices);
    if (!store->open_problem().isEmpty() && parser.isSet("library"))
        notices << store->open_problem();
    for (const QString& n : notices) std::fprintf(stderr, "longlens-cli: %s\n", LL_TEXT(n));
    const QFileInfo file(doc.path);
    const qint64 id =
        store->note_opened(document_fingerprint(doc), file.absoluteFilePath(), file.fileName(),
                           format_name(doc.format), describe_document(doc));
    AnswerRecord record = record_of(a, doc, config);
    if (!id || !store->add_answer(id, record))
        throw AppError(store->file(), "the answer was not saved in the library: " + store->error());
}

}  // namespace

int run_ask(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription("Answer a question about a document, with citations.");
    add_qa_options(parser);
    parser.addOption({"mode", "Context: auto, full or retrieve.", "MODE", "auto"});
    parser.addOption({{"n", "max-tokens"}, "Longest answer in tokens.", "N", "128"});
    parser.addOption({"library",
                      "Folder of the library database to add the answer to (default: the "
                      "user's, which the GUI shows).",
                      "DIR"});
    parser.addOption({"no-library", "Do not add the question and answer to the library."});
    parser.addOption(
        {"cache", "Folder of the document KV cache (default: the user's cache folder).", "DIR"});
    parser.addOption({"no-cache", "Prefill the document without the disk cache."});
    parser.addOption({"cache-limit",
                      "Keep the document cache under this many MiB for this run (default: "
                      "$LONGLENS_CACHE_LIMIT_MIB, else the limit set in the GUI's Document "
                      "Cache dialog, else 4096).",
                      "MIB"});
    parser.addOption({"calibration",
                      "Attribution calibration file to use (default: the model's, written by "
                      "calibrate, when there is one).",
                      "FILE"});
    parser.addOption(
        {"no-calibration", "Cite by the heuristic even when the model is calibrated."});
    parser.addPositionalArgument("question", "The question.");
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "ask: give exactly one question\n");
        return 2;
    }
    if (!parser.isSet("doc")) throw AppError("--doc", "no document given");

    if (parser.isSet("cache-limit")) {
        const int64_t mib = whole_number(parser, "cache-limit", 1, kLargestCacheLimit >> 20);
        qputenv("LONGLENS_CACHE_LIMIT_MIB", QByteArray::number(mib));
    }
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
    options.max_answer_tokens = static_cast<int>(whole_number(parser, "n", 1, kLongestAnswer));
    options.attention_layers = qa_attention_layers(parser);
    if (!parser.isSet("no-calibration")) {
        const QString model_path = QString::fromStdString(m.model->path());
        const CalibrationLoad load = parser.isSet("calibration")
                                         ? load_calibration(parser.value("calibration"), model_path)
                                         : load_model_calibration(model_path);
        if (!load.problem.isEmpty())
            std::fprintf(stderr, "longlens-cli: %s\n", LL_TEXT(load.problem));
        if (parser.isSet("calibration") && !load.calibration)
            throw AppError(parser.value("calibration"),
                           load.problem.isEmpty() ? "no such file" : "not used");
        options.attribution.calibration = load.calibration;
    }
    const bool json = parser.isSet("json");
    AnswerCallbacks callbacks;
    if (!json)
        callbacks.on_text = [](const QString& text) {
            std::fputs(LL_TEXT(text), stdout);
            std::fflush(stdout);
        };

    const Answer a = answerer->ask(parser.positionalArguments().first(), options, callbacks);
    if (!json) {
        print_citations(doc, a);
        print_timing(a.timing);
    } else {
        const QJsonObject out{
            {"answer", a.text},
            {"end", end_name(a.end)},
            {"citations", to_json(a.citations)},
            {"context", to_json(a.plan)},
            {"timing", to_json(a.timing)},
            {"attribution", options.attribution.calibration ? "calibrated" : "heuristic"},
        };
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    }
    std::fflush(stdout);
    // Stored after printing, so an answer that cannot be kept is still seen.
    if (!parser.isSet("no-library")) save_answer(parser, doc, a, run_record(parser, m));
    return 0;
}

}  // namespace ll::cli
