// longlens-cli compare --doc D --question Q --run SPEC --run SPEC ... [--json]
// [--markdown FILE]: the Compare view's twin. Two to four runs, each a RunConfig in its text
// form (`scaling=yarn:factor=8;kv=f32`; "" is the defaults on the bundled model), answer the
// same question about the same document one after another; the answers, citations and
// numbers are printed (or one JSON object), optionally written as Markdown, and the
// comparison is stored in the library. Progress goes to stderr, one line per step.
#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>

#include "app_error.h"
#include "commands.h"
#include "compare/agreement.h"
#include "compare/compare_runner.h"
#include "compare/comparison.h"
#include "compare/comparison_html.h"
#include "compare/comparison_markdown.h"
#include "document_import.h"
#include "documents/importer.h"
#include "model_options.h"
#include "option_values.h"
#include "qa/prefix_cache.h"
#include "save_file.h"
#include "terminal_text.h"
#include "user_library.h"

namespace ll::cli {
namespace {

void print_progress(const CompareProgress& p) {
    // Prefill and answering report every chunk and token: only the steps are printed.
    if (p.stage == CompareProgress::Stage::Answering) return;
    if (p.stage == CompareProgress::Stage::Prefill && p.done != p.total) return;
    QString detail;
    if (p.stage == CompareProgress::Stage::Prefill) detail = QString(": %1 tokens").arg(p.total);
    if (p.stage == CompareProgress::Stage::Finished) detail = ": " + p.text;
    std::fprintf(stderr, "compare: run %d/%d %s%s\n", p.run + 1, p.runs,
                 LL_TEXT(stage_name(p.stage)), LL_TEXT(detail));
}

void print_text(const Document& doc, const Comparison& c) {
    for (size_t i = 0; i < c.runs.size(); ++i) {
        const RunResult& r = c.results[i];
        const QString spec = c.runs[i].to_text();
        std::printf("== run %zu: %s [%s]\n", i + 1,
                    LL_TEXT(spec.isEmpty() ? QStringLiteral("(defaults)") : spec),
                    LL_TEXT(status_name(r.status)));
        if (!r.error.isEmpty()) std::printf("error: %s\n", LL_TEXT(r.error));
        if (r.status == RunStatus::Failed) continue;
        std::printf("%s\n", LL_TEXT(r.answer));
        std::printf("context: %s\n", LL_TEXT(plan_summary(r.plan)));
        int n = 0;
        for (const Citation& cit : r.citations)
            std::printf(
                "[%d] %s (score %.2f): \"%s\"\n", ++n,
                LL_TEXT(cit.page >= 0 ? QString("p. %1").arg(cit.page + 1)
                                      : QString("line %1").arg(doc.position_of(cit.start).line)),
                cit.score, LL_TEXT(cit.text.simplified().left(200)));
        const RunTiming& t = r.timing;
        std::printf(
            "prefill %.1f tok/s, decode %.1f tok/s, first token %.2f s, document cache: %s, "
            "memory estimate %.1f MiB\n\n",
            t.prefill_tok_s, t.decode_tok_s, t.first_token_s,
            LL_TEXT(cache_use_name(t.answer.cache)), double(t.memory_estimate_bytes) / (1 << 20));
    }
    std::vector<std::vector<Citation>> cited;
    for (const RunResult& r : c.results)
        cited.push_back(r.status == RunStatus::Done ? r.citations : std::vector<Citation>{});
    std::printf("agreement: %s\n", LL_TEXT(agreement_summary(agree(cited))));
}

// Stores the comparison with the document's entry (--library DIR, else the user's). As with
// `ask`, a comparison that cannot be kept fails the command after it was printed.
void save(const QCommandLineParser& parser, const Document& doc, Comparison& c) {
    QStringList notices;
    std::unique_ptr<LibraryStore> store =
        parser.isSet("library")
            ? std::make_unique<LibraryStore>(parser.value("library") + "/library.sqlite")
            : open_user_library(&notices);
    if (!store->open_problem().isEmpty() && parser.isSet("library"))
        notices << store->open_problem();
    for (const QString& n : notices) std::fprintf(stderr, "longlens-cli: %s\n", LL_TEXT(n));
    const QFileInfo file(doc.path);
    const qint64 id = store->note_opened(c.fingerprint, file.absoluteFilePath(), file.fileName(),
                                         format_name(doc.format), describe_document(doc));
    if (!id || !store->save_comparison(id, c))
        throw AppError(store->file(),
                       "the comparison was not saved in the library: " + store->error());
    std::fprintf(stderr, "compare: saved in the library as comparison %lld\n",
                 static_cast<long long>(c.id));
}

void write_export(const QString& path, const QString& text) {
    save_file_or_throw(path, text.toUtf8());
}

}  // namespace

int run_compare(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Answer one question about one document with 2 to 4 runs, one after another, and "
        "compare the answers, citations and numbers.");
    parser.addOption({"doc", "Document to ask about (PDF, text, Markdown, EPUB).", "FILE"});
    parser.addOption({"question", "The question.", "Q"});
    parser.addOption({"run",
                      "A run, as key=value pairs joined by ';' (model, scaling, rope_theta, "
                      "attention, kv, context, window, threads), e.g. "
                      "'scaling=yarn:factor=8,original=512;kv=f32'. '' is the defaults on the "
                      "bundled model. Give it 2 to 4 times.",
                      "SPEC"});
    parser.addOption({{"n", "max-tokens"}, "Longest answer in tokens.", "N", "128"});
    parser.addOption({"json", "Print one JSON object instead of text."});
    parser.addOption({"markdown", "Also write the comparison as Markdown to FILE.", "FILE"});
    parser.addOption({"html", "Also write the comparison as an HTML page to FILE.", "FILE"});
    parser.addOption({"library",
                      "Folder of the library database to store it in (default: the "
                      "user's, which the GUI shows).",
                      "DIR"});
    parser.addOption({"no-library", "Do not store the comparison in the library."});
    parser.addOption(
        {"cache", "Folder of the document KV cache (default: the user's cache folder).", "DIR"});
    parser.addOption({"no-cache", "Prefill the document without the disk cache."});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr,
                     "compare: unexpected argument '%s' (the question goes in --question)\n",
                     LL_TEXT(parser.positionalArguments().first()));
        return 2;
    }
    if (!parser.isSet("doc")) throw AppError("--doc", "no document given");
    if (!parser.isSet("question") || parser.value("question").trimmed().isEmpty())
        throw AppError("--question", "no question given");
    const QStringList specs = parser.values("run");
    if (specs.size() < kMinCompareRuns || specs.size() > kMaxCompareRuns)
        throw AppError("--run", QString("expected %1 to %2 runs, got %3")
                                    .arg(kMinCompareRuns)
                                    .arg(kMaxCompareRuns)
                                    .arg(specs.size()));
    const int max_tokens = static_cast<int>(whole_number(parser, "n", 1, kLongestAnswer));

    Comparison c;
    c.question = parser.value("question");
    c.max_answer_tokens = max_tokens;
    // Every spec is read before any model runs: a typo is reported at once, not minutes in.
    for (int i = 0; i < specs.size(); ++i) {
        try {
            c.runs.push_back(RunConfig::from_text(specs[i]));
        } catch (const AppError& e) {
            throw AppError(QString("--run %1 (%2)").arg(i + 1).arg(e.file()), e.problem(),
                           e.hint());
        }
    }
    const Document doc = import_document(parser.value("doc"));
    c.document_path = QFileInfo(doc.path).absoluteFilePath();
    CompareRunner runner(parser.isSet("no-cache") ? QString()
                         : parser.isSet("cache")  ? parser.value("cache")
                                                  : default_prefix_cache_dir());
    runner.set_progress(print_progress);
    runner.run(c, doc);

    if (parser.isSet("json"))
        std::printf("%s\n", QJsonDocument(to_json(c)).toJson(QJsonDocument::Indented).constData());
    else
        print_text(doc, c);
    std::fflush(stdout);
    if (parser.isSet("markdown")) write_export(parser.value("markdown"), comparison_markdown(c));
    if (parser.isSet("html")) write_export(parser.value("html"), comparison_html(c));
    if (!parser.isSet("no-library")) save(parser, doc, c);
    // Some runs answered: the command did its job, and a failed run's error is in its entry.
    bool any_done = false;
    for (const RunResult& r : c.results) any_done = any_done || r.status == RunStatus::Done;
    return any_done ? 0 : 1;
}

}  // namespace ll::cli
