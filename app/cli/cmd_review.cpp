// longlens-cli review --doc paper.pdf [--parts a,b] [--json] [--export out.md|.html|.pdf]:
// a grounded review of a paper, part after part (summary, contributions, method, evidence,
// strengths, weaknesses, questions, missing related work, reproducibility), each sentence
// with its citations in the paper. `review --compare a.pdf b.pdf` compares two papers
// (problem, method, data, results, agreements and conflicts), each side cited in its own.
#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "documents/importer.h"
#include "option_values.h"
#include "qa_options.h"
#include "review_export.h"
#include "review_runner.h"

namespace ll::cli {

namespace {

void print(const QString& text) {
    std::fputs(text.toUtf8().constData(), stdout);
    std::fflush(stdout);
}

// Text mode: each part's heading as it starts, its text as it streams, then its sources.
ReviewProgress printing_progress(const Review& shape) {
    ReviewProgress progress;
    progress.on_part_start = [&shape](const ReviewPart& p) {
        QString heading = "\n## " + p.title;
        if (shape.comparison())
            heading += QString(" — paper %1: %2")
                           .arg(QChar('A' + p.side))
                           .arg(shape.documents.value(p.side).title);
        print(heading + "\n\n");
    };
    progress.part.on_text = [](const QString& text) { print(text); };
    progress.on_part_done = [](const ReviewPart& p) {
        QString out = "\n\n";
        if (p.status != PartStatus::Done)
            out += QString("(%1%2)\n")
                       .arg(status_name(p.status), p.error.isEmpty() ? "" : ": " + p.error);
        for (qsizetype i = 0; i < p.sentences.size(); ++i) {
            QStringList marks;
            for (int c : p.sentences[i].cites) marks << QString("[%1]").arg(c + 1);
            out += QString("  sentence %1 cites %2\n")
                       .arg(i + 1)
                       .arg(marks.isEmpty() ? "nothing" : marks.join(' '));
        }
        for (qsizetype i = 0; i < p.citations.size(); ++i)
            out += QString("[%1] %2: \"%3\"\n")
                       .arg(i + 1)
                       .arg(p.citations[i].label, p.citations[i].text.simplified().left(200));
        if (!p.context.isEmpty()) out += "read: " + p.context + "\n";
        print(out);
    };
    return progress;
}

// Writes the review to each --export file, by its suffix.
void export_review(const Review& review, const QStringList& files) {
    for (const QString& file : files)
        for (const auto& [path, highlights] : ll::export_review(review, file))
            if (export_format(path) == "pdf")
                std::fprintf(stderr, "longlens-cli review: %s: %d highlights\n", qPrintable(path),
                             highlights);
}

}  // namespace

int run_review(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "A grounded review of a paper, every sentence citing it; or two papers compared.");
    add_qa_options(parser);
    parser.addOption({"parts", "Parts to write, e.g. summary,method (default: all).", "LIST"});
    parser.addOption({{"n", "max-tokens"}, "Longest text of each part in tokens.", "N", "256"});
    parser.addOption(
        {"export", "Write the review to FILE (.md, .html or .pdf); repeatable.", "FILE"});
    parser.addOption({"compare", "Compare the two papers given as arguments."});
    parser.addOption(
        {"prompts", "Folder of prompt overrides (default: the config folder's review/).", "DIR"});
    parser.addOption({"notes",
                      "A paper longer than the window is read in at most N pieces, a note on "
                      "each, then combined (default: 6).",
                      "N", "6"});
    parser.addOption({"cache", "Folder of the document KV cache (default: none).", "DIR"});
    parser.addPositionalArgument("papers", "With --compare: the two papers.", "[A.pdf B.pdf]");
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    const QStringList papers = parser.positionalArguments();
    if (parser.isSet("compare") ? papers.size() != 2 : !papers.isEmpty()) {
        std::fprintf(stderr, "review: --compare takes two papers; a review takes --doc\n");
        return 2;
    }
    if (!parser.isSet("compare") && !parser.isSet("doc")) throw AppError("--doc", "no paper given");
    for (const QString& f : parser.values("export")) export_format(f);  // refuse before the work

    RunConfig config = run_config(parser);
    config.window = qa_window(parser);
    const ModelRun m = load_model(config);
    ReviewOptions options;
    options.max_tokens = static_cast<int>(whole_number(parser, "n", 1, kLongestAnswer));
    options.frame = qa_frame(parser, m);
    options.attention_layers = qa_attention_layers(parser);
    options.max_notes = static_cast<int>(whole_number(parser, "notes", 1, 64));
    if (parser.isSet("prompts")) options.prompt_dir = parser.value("prompts");
    if (parser.isSet("cache")) options.cache_dir = parser.value("cache");
    const bool json = parser.isSet("json");

    Review review;
    if (parser.isSet("compare")) {
        const Document a = import_document(papers[0]), b = import_document(papers[1]);
        review.documents << ReviewDocument{a.path, QFileInfo(a.path).fileName()}
                         << ReviewDocument{b.path, QFileInfo(b.path).fileName()};
        const Review shape = review;
        review =
            write_comparison(m, a, b, options, json ? ReviewProgress{} : printing_progress(shape));
    } else {
        const QList<ReviewPartSpec> parts = parse_parts(parser.value("parts"));
        const Document doc = import_document(parser.value("doc"));
        review = write_review(m, doc, parts, options,
                              json ? ReviewProgress{} : printing_progress(review));
    }
    if (json) print(QJsonDocument(to_json(review)).toJson(QJsonDocument::Indented));
    export_review(review, parser.values("export"));
    for (const ReviewPart& p : review.parts)
        if (p.status == PartStatus::Failed) return 1;
    return 0;
}

}  // namespace ll::cli
