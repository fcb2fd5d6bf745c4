// longlens-cli diagnose attention: the command-line twin of the Diagnostics dock's Attention
// view. Answers a question about a document (or feeds a given answer, teacher-forced) and
// prints where the answer's tokens looked along the document: per bin of characters, the
// model's own attention weight and attribution's above-distance mass, the share on the
// document, and the "lost in the middle" curve; for chosen layers and heads.
#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "app_error.h"
#include "commands.h"
#include "diagnostics/attention_chart.h"
#include "diagnostics/chart_svg.h"
#include "documents/importer.h"
#include "option_values.h"
#include "qa/answer.h"
#include "qa/model_run.h"
#include "qa_options.h"
#include "save_file.h"
#include "terminal_text.h"

namespace ll::cli {
namespace {

QJsonArray numbers(const std::vector<double>& v) {
    QJsonArray a;
    for (double x : v) a.append(x);
    return a;
}

std::vector<int> int_list(const QCommandLineParser& parser, const QString& name) {
    std::vector<int> out;
    for (const QString& part : parser.value(name).split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok || v < 0)
            throw AppError("--" + name, "expected numbers from 0 separated by commas, got '" +
                                            parser.value(name) + "'");
        out.push_back(v);
    }
    return out;
}

QJsonObject attention_json(const Answer& a, const std::vector<int>& layers,
                           const std::vector<int>& heads) {
    const AttentionAlong& at = a.attention;
    QJsonArray cited;
    for (const Citation& c : a.citations)
        cited.append(QJsonObject{{"start", c.start}, {"end", c.end}, {"page", c.page}});
    QJsonArray l, h;
    for (int x : layers) l.append(x);
    for (int x : heads) h.append(x);
    QJsonArray rows, passages;
    for (const QString& t : at.tokens.tokens) rows.append(t);
    for (const Passage& p : at.tokens.passages)
        passages.append(QJsonObject{{"start", p.start}, {"end", p.end}});
    const QJsonObject tokens{
        {"rows", rows}, {"passages", passages}, {"weights", numbers(at.tokens.weights)}};
    QJsonObject o{{"answer", a.text},
                  {"layers", l},
                  {"heads", h},
                  {"document_chars", at.document_chars},
                  {"bins", at.bins},
                  {"bin_chars", at.bin_chars()},
                  {"answer_rows", static_cast<double>(at.answer_rows)},
                  {"document_share", at.document_share},
                  {"raw", numbers(at.raw)},
                  {"excess", numbers(at.excess)},
                  {"by_depth", numbers(at.by_depth)},
                  {"tokens", tokens},
                  {"citations", cited}};
    if (!at.by_page.empty()) {
        o["by_page"] = numbers(at.by_page);
        o["excess_by_page"] = numbers(at.excess_by_page);
    }
    return o;
}

void print_text(const Document& doc, const Answer& a) {
    const AttentionAlong& at = a.attention;
    std::printf("answer: %s\n", LL_TEXT(a.text.simplified()));
    std::printf("%lld answer tokens; %.1f %% of their attention on the document\n",
                static_cast<long long>(at.answer_rows), 100.0 * at.document_share);
    std::vector<int> order(at.bins);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int x, int y) { return at.excess[x] > at.excess[y]; });
    std::printf("\nwhere it looked most (above distance's baseline), bins of %lld characters:\n",
                static_cast<long long>(at.bin_chars()));
    for (int i = 0; i < std::min(8, at.bins); ++i) {
        const int b = order[i];
        const qsizetype start = b * at.bin_chars();
        std::printf("  %6.2f %%  raw %6.3f %%  chars %lld-%lld  %s\n", 100.0 * at.excess[b],
                    100.0 * at.raw[b], static_cast<long long>(start),
                    static_cast<long long>(start + at.bin_chars()),
                    LL_TEXT(doc.text.mid(start, 60).simplified()));
    }
    std::printf("\nby depth in the document part of the prompt (lost in the middle):\n");
    for (size_t i = 0; i < at.by_depth.size(); ++i)
        std::printf("  %3zu-%3zu %%  %6.3f %%\n", 10 * i, 10 * i + 10, 100.0 * at.by_depth[i]);
}

}  // namespace

int run_diagnose_attention(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Where an answer looked along the document: its attention per bin of characters, for "
        "chosen layers and heads, and by depth in the prompt.");
    add_qa_options(parser);
    parser.addOption({"question", "The question.", "Q"});
    parser.addOption(
        {"answer", "Feed this answer (teacher-forced) instead of generating one.", "TEXT"});
    parser.addOption({"heads", "Query heads to average (default: all).", "H1,H2"});
    parser.addOption({"bins", "Bins along the document.", "N", "200"});
    parser.addOption({"mode", "Context: auto, full or retrieve.", "MODE", "auto"});
    parser.addOption({{"n", "max-tokens"}, "Longest answer in tokens.", "N", "64"});
    parser.addOption(
        {"plot", "Also write an SVG plot of the attention along the document.", "FILE.svg"});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("doc")) throw AppError("--doc", "no document given");
    if (parser.value("question").trimmed().isEmpty())
        throw AppError("--question", "no question given");
    bool ok = false;
    const int bins = parser.value("bins").toInt(&ok);
    if (!ok || bins < 1 || bins > 100000)
        throw AppError("--bins", "expected 1 to 100000, got '" + parser.value("bins") + "'");

    RunConfig config = run_config(parser);
    config.window = qa_window(parser);
    config.context = parse_mode(parser.value("mode"));
    const ModelRun m = load_model(config);
    const Document doc = import_document(parser.value("doc"));
    AnswerOptions options;
    options.mode = config.context;
    options.frame = qa_frame(parser, m);
    options.max_answer_tokens = static_cast<int>(whole_number(parser, "n", 1, kLongestAnswer));
    options.attention_layers = qa_attention_layers(parser);
    options.attention_heads = int_list(parser, "heads");
    options.attention_bins = bins;
    options.forced_answer = parser.value("answer");
    const int heads = m.model->config().n_heads, layers = m.model->config().n_layers;
    for (int h : options.attention_heads)
        if (h >= heads)
            throw AppError("--heads",
                           QString("the model has %1 heads (0-%2)").arg(heads).arg(heads - 1));
    for (int l : options.attention_layers)
        if (l >= layers)
            throw AppError("--attention-layers",
                           QString("the model has %1 layers (0-%2)").arg(layers).arg(layers - 1));
    const std::unique_ptr<DocumentAnswerer> answerer = m.answerer(doc);
    const Answer a = answerer->ask(parser.value("question"), options);

    if (parser.isSet("plot")) {
        const QByteArray svg = chart_svg(attention_chart(
            a.attention, a.citations, "Where the answer looked: " + parser.value("question")));
        save_file_or_throw(parser.value("plot"), svg);
    }
    if (parser.isSet("json"))
        std::printf("%s\n", QJsonDocument(attention_json(a, options.attention_layers,
                                                         options.attention_heads))
                                .toJson()
                                .constData());
    else
        print_text(doc, a);
    return 0;
}

}  // namespace ll::cli
