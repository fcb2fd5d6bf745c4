#include "citation_calibration.h"

#include <QLocale>

#include "app_error.h"
#include "documents/document.h"
#include "model_service.h"
#include "qa/calibration_file.h"
#include "qa/calibration_run.h"
#include "qa/model_run.h"

namespace ll {

namespace {

QString model_path(const ModelService* service) {
    return service->has_model() ? QString::fromStdString(service->run()->model->path()) : QString();
}

QString layers_text(const AttributionCalibration& c) {
    QStringList layers;
    for (int l : c.layers()) layers << QString::number(l);
    return layers.join(", ");
}

}  // namespace

CitationCalibration::CitationCalibration(ModelService* service, QObject* parent)
    : QObject(parent), dir(default_calibration_dir()), service_(service) {}

bool CitationCalibration::calibrated() const {
    return service_->has_model() &&
           load_model_calibration(model_path(service_), dir).calibration != nullptr;
}

QString CitationCalibration::status() const {
    if (!service_->has_model()) return tr("No model is loaded.");
    const CalibrationLoad load = load_model_calibration(model_path(service_), dir);
    if (!load.calibration) {
        const QString heuristic =
            tr("Not calibrated: citations use the built-in heuristic "
               "(head-averaged attention, the answer's and the question's "
               "words).");
        return load.problem.isEmpty() ? heuristic : load.problem + "\n" + heuristic;
    }
    const AttributionCalibration& c = *load.calibration;
    return tr("Calibrated on %1 (%2): %3 of %4 attention heads weighted, in layers %5. On "
              "held-out examples they predict ablation effects with correlation %6 (the head "
              "average: %7). %8 examples, %9 ablations.")
        .arg(c.documents.join(", "), c.created.left(10))
        .arg(c.heads.size())
        .arg(c.n_layers * c.n_heads)
        .arg(layers_text(c))
        .arg(c.held_out_correlation, 0, 'f', 2)
        .arg(c.head_average_correlation, 0, 'f', 2)
        .arg(c.examples)
        .arg(c.ablations);
}

void CitationCalibration::set_running(bool running) {
    if (running_ == running) return;
    running_ = running;
    emit running_changed(running);
}

void CitationCalibration::start(std::shared_ptr<const Document> document, int examples,
                                int ablations, int context_tokens) {
    if (!document) {
        emit failed(tr("Open a document to calibrate on."));
        return;
    }
    CalibrationOptions options;
    options.examples = examples;
    options.ablations = ablations;
    options.context_tokens = context_tokens;
    const QString folder = dir;
    // A fit that is not kept leaves what was in force: say which.
    const QString kept_instead = calibrated() ? tr("; the calibration in force stays")
                                              : tr("; citations keep the heuristic");
    try {
        service_->run_job([this, document, options, folder,
                           kept_instead](const ModelJobContext& context) -> std::function<void()> {
            try {
                const CalibrationResult r = calibrate_attribution(
                    *context.run, {document.get()}, options,
                    [&](const CalibrationProgress& p) {
                        context.post(
                            [this, p] { emit progress(p.example, p.examples, p.pass, p.passes); });
                    },
                    context.cancel);
                if (r.cancelled)
                    return [this] {
                        set_running(false);
                        emit cancelled();
                    };
                const AttributionCalibration& c = r.calibration;
                if (const QString why = calibration_not_better(c); !why.isEmpty())
                    throw AppError(tr("Not kept"), why + kept_instead,
                                   tr("more examples or another document may do better"));
                save_calibration(
                    calibration_file(folder, QString::fromStdString(context.run->model->path())),
                    c);
                const QString summary =
                    tr("%1 heads weighted; correlation %2 against %3 for the head average")
                        .arg(c.heads.size())
                        .arg(c.held_out_correlation, 0, 'f', 2)
                        .arg(c.head_average_correlation, 0, 'f', 2);
                return [this, summary] {
                    set_running(false);
                    emit finished(summary);
                };
            } catch (const std::exception& e) {
                const QString message = QString::fromStdString(e.what());
                return [this, message] {
                    set_running(false);
                    emit failed(message);
                };
            }
        });
        set_running(true);
    } catch (const AppError& e) {
        emit failed(QString::fromStdString(e.what()));
    }
}

void CitationCalibration::cancel() {
    if (running_) service_->cancel();
}

}  // namespace ll
