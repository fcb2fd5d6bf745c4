// longlens-cli calibrate --model M --doc D [--doc D2 ...] [--examples N]: learns the model's
// per-head attribution weights from ablations on the user's documents (issue 18, AT2-style;
// qa/calibration_run.h) and stores them for the model file in the app's data folder (or
// --out FILE), where `ask` and the GUI find them. Progress goes to stderr.
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

#include "app_error.h"
#include "commands.h"
#include "documents/importer.h"
#include "model_options.h"
#include "option_values.h"
#include "qa/calibration_file.h"
#include "qa/calibration_run.h"
#include "terminal_text.h"

namespace ll::cli {

int run_calibrate(const QStringList& args) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Calibrate the model's citations: learn which attention heads point at the sentences "
        "an answer depends on, from ablations on your documents.");
    add_model_options(parser);
    parser.addOption({"doc", "A document to calibrate on (repeat for more).", "FILE"});
    parser.addOption({"examples", "Examples (stretches of a document with a question).", "N", "8"});
    parser.addOption(
        {"ablations", "Ablations per example (random halves of its sentences).", "N", "32"});
    parser.addOption(
        {"context", "Tokens of document per example (at most half the window).", "N", "384"});
    parser.addOption({"answer-tokens", "Longest answer per example.", "N", "24"});
    parser.addOption({"seed", "Random seed of the stretches, questions and ablations.", "N", "1"});
    parser.addOption({"out",
                      "Write the calibration here (default: the model's file in the app's data "
                      "folder, which ask and the GUI read).",
                      "FILE"});
    parser.addOption({"force",
                      "Write the calibration even when it predicts ablations no better than "
                      "the head average (to measure it; ask would then use it)."});
    parser.addOption({"json", "Print the result as JSON."});
    if (!parse_or_explain(parser, args)) return parser.isSet("help") ? 0 : 2;
    if (!parser.isSet("doc")) throw AppError("--doc", "no document given");

    CalibrationOptions options;
    options.examples = int(whole_number(parser, "examples", 1, 1000));
    options.ablations = int(whole_number(parser, "ablations", 2, 1000));
    options.context_tokens = int(whole_number(parser, "context", 32, 1 << 20));
    options.answer_tokens = int(whole_number(parser, "answer-tokens", 1, 1024));
    options.seed = uint64_t(whole_number(parser, "seed", 0, INT64_MAX));
    const ModelRun m = load_model(parser);
    std::vector<Document> docs;
    for (const QString& path : parser.values("doc")) docs.push_back(import_document(path));
    std::vector<const Document*> pointers;
    for (const Document& d : docs) pointers.push_back(&d);

    const CalibrationResult result =
        calibrate_attribution(m, pointers, options, [](const CalibrationProgress& p) {
            std::fprintf(stderr, "\rexample %d/%d: pass %d/%d   ", p.example + 1, p.examples,
                         p.pass, p.passes);
            std::fflush(stderr);
        });
    std::fputs("\n", stderr);
    const AttributionCalibration& c = result.calibration;
    // Kept only where it predicts better than the head average (--force: for measuring).
    if (const QString why = calibration_not_better(c);
        !why.isEmpty() && !(parser.isSet("force") && !c.heads.empty()))
        throw AppError(
            QString::fromStdString(m.model->path()),
            why + (load_model_calibration(QString::fromStdString(m.model->path())).calibration
                       ? "; nothing written, the calibration in force stays"
                       : "; no calibration written, citations keep the heuristic"),
            "more examples or other documents may do better");
    const QString file =
        parser.isSet("out")
            ? parser.value("out")
            : calibration_file(default_calibration_dir(), QString::fromStdString(m.model->path()));
    save_calibration(file, c);
    if (parser.isSet("json")) {
        QJsonArray heads;
        for (const HeadWeight& h : c.heads) heads.append(QJsonArray{h.layer, h.head, h.weight});
        const QJsonObject out{{"file", file},
                              {"examples", c.examples},
                              {"skipped", result.skipped},
                              {"ablations", c.ablations},
                              {"held_out_correlation", c.held_out_correlation},
                              {"head_average_correlation", c.head_average_correlation},
                              {"heads", heads}};
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
        return 0;
    }
    std::printf("%d examples (%d skipped), %d ablations; %d of %d heads weighted, in layers",
                c.examples, result.skipped, c.ablations, int(c.heads.size()),
                c.n_layers * c.n_heads);
    for (int l : c.layers()) std::printf(" %d", l);
    std::printf(
        "\nablation effects predicted (mean correlation): %.3f calibrated, %.3f head "
        "average\nwritten: %s\n",
        c.held_out_correlation, c.head_average_correlation, LL_TEXT(file));
    return 0;
}

}  // namespace ll::cli
