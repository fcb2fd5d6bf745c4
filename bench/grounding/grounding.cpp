// longlens-bench grounding: the grounding benchmark (issue 18). Each set (grounding_sets.h)
// is answered question by question with the run configuration the CLI would use for the
// model, and the citations are scored against the gold spans (grounding_eval.h).
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <memory>

#include "../bench.h"
#include "app_error.h"
#include "bundled.h"
#include "grounding_eval.h"
#include "grounding_sets.h"
#include "qa/model_run.h"

namespace llbench {

int run_grounding(const Args& args) {
    int argc = 1;
    char name[] = "longlens-bench";
    char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);

    ll::RunConfig config;
    config.model_path = QString::fromStdString(args.str("model", ""));
    if (config.model_path.isEmpty()) config.model_path = ll::bundled::model_dir();
    if (args.flag("scaling")) config.set_scaling(QString::fromStdString(args.required("scaling")));
    if (args.flag("kv")) config.set_kv(QString::fromStdString(args.required("kv")));
    config.window = args.integer("window", 0);
    config.threads = static_cast<int>(args.integer("threads", 2));
    config.context = ll::parse_mode(QString::fromStdString(args.str("mode", "auto")));
    const ll::ModelRun run = ll::load_run(config);

    grounding::SetOptions sets;
    sets.shared_dir = QString::fromStdString(args.str("shared", LONGLENS_SHARED_DIR));
    sets.papers_file = QString::fromStdString(
        args.str("questions", std::string(LONGLENS_SOURCE_DIR) + "/bench/grounding/papers.json"));
    sets.limit = static_cast<int>(args.integer("n", 20));
    sets.seed = static_cast<uint64_t>(args.integer("seed", 1));
    grounding::EvalOptions eval;
    eval.max_answer_tokens = static_cast<int>(args.integer("max-tokens", 64));
    eval.mode = config.context;
    const QString model_path = QString::fromStdString(run.model->path());
    if (args.flag("attribution"))
        eval.attribution = grounding::parse_attribution(
            QString::fromStdString(args.str("attribution", "")), model_path);
    // --calibration FILE: the generated run's citations use the model's learned head weights.
    if (args.flag("calibration"))
        eval.attribution.calibration = grounding::load_calibration_or_throw(
            QString::fromStdString(args.required("calibration")), model_path);
    // --variants "a:qw=0.5;b:bins=10": each variant's citations on the same answers.
    std::vector<std::pair<QString, ll::AttributionOptions>> variants;
    for (const QString& v :
         QString::fromStdString(args.str("variants", "")).split(';', Qt::SkipEmptyParts))
        variants.emplace_back(v.section(':', 0, 0),
                              grounding::parse_attribution(v.section(':', 1), model_path));
    eval.ks.clear();
    for (int64_t k : args.integers("k", {1, 3, 5})) eval.ks.push_back(int(k));

    QStringList names = QString::fromStdString(args.required("set")).split(',');
    if (names == QStringList{"all"}) names = grounding::set_names();
    const bool json = args.flag("json");
    const bool verbose = args.flag("verbose");
    const QString model_name = ll::bundled::model_name(config.model_path);
    for (const QString& set : names) {
        const std::vector<grounding::Case> cases = grounding::build_set(set, sets);
        std::vector<grounding::Outcome> outcomes;
        std::vector<std::vector<grounding::Outcome>> varied(variants.size());
        // One answerer per document: the index is built once, a repeated plan is kept.
        // Documents come in runs: one answerer (one model session) at a time.
        const ll::Document* current = nullptr;
        std::unique_ptr<ll::DocumentAnswerer> answerer;
        for (const grounding::Case& c : cases) {
            if (c.doc.get() != current) {
                answerer.reset();
                answerer = run.answerer(*c.doc);
                current = c.doc.get();
            }
            outcomes.push_back(grounding::evaluate(*answerer, c, eval));
            for (size_t v = 0; v < variants.size(); ++v) {
                grounding::EvalOptions forced = eval;
                forced.attribution = variants[v].second;
                forced.forced_answer = outcomes.back().answer;
                if (forced.forced_answer.isEmpty()) forced.forced_answer = QStringLiteral(" ");
                varied[v].push_back(grounding::evaluate(*answerer, c, forced));
            }
            if (verbose) {
                const grounding::Outcome& o = outcomes.back();
                std::fprintf(stderr, "%s top1=%d top3=%d in_context=%d %.1fs | %s | %s\n",
                             qPrintable(o.id), o.top1, o.top3, o.in_context, o.seconds,
                             qPrintable(o.answer.simplified().left(60)), qPrintable(o.top_label));
            }
        }
        const grounding::Summary summary = grounding::summarise(outcomes);
        for (size_t v = 0; v < variants.size(); ++v) {
            const grounding::Summary vs = grounding::summarise(varied[v]);
            if (json)
                std::printf(
                    "%s\n",
                    QJsonDocument(QJsonObject{{"study", "grounding-variant"},
                                              {"set", set},
                                              {"model", ll::bundled::model_name(config.model_path)},
                                              {"variant", variants[v].first},
                                              {"summary", grounding::to_json(vs)}})
                        .toJson(QJsonDocument::Compact)
                        .constData());
            else
                std::printf("%s\n", qPrintable(grounding::table(
                                        QStringLiteral("variant %1 · %2 (forced answers)")
                                            .arg(variants[v].first, set),
                                        vs)));
        }
        if (json) {
            QJsonArray questions;
            for (const grounding::Outcome& o : outcomes) questions.append(grounding::to_json(o));
            const QJsonObject out{
                {"study", "grounding"},         {"set", set},
                {"model", model_name},          {"model_path", config.model_path},
                {"window", qint64(run.window)}, {"max_answer_tokens", eval.max_answer_tokens},
                {"seed", qint64(sets.seed)},    {"summary", grounding::to_json(summary)},
                {"questions", questions}};
            std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        } else {
            std::printf("%s\n",
                        qPrintable(grounding::table(QStringLiteral("grounding %1 · %2 (window %3)")
                                                        .arg(set, model_name)
                                                        .arg(run.window),
                                                    summary)));
        }
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace llbench
