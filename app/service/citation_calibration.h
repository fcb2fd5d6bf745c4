// Model ▸ Calibrate Citations…: the per-model attribution calibration (issue 18, AT2-style;
// app/qa/calibration_run.h) as a ModelService job on the open document, with progress and
// cancel, saved for the loaded model file where answers find it; and whether the loaded
// model is calibrated, in words, for the dialog.
#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace ll {

class Document;
class ModelService;

class CitationCalibration : public QObject {
    Q_OBJECT
  public:
    explicit CitationCalibration(ModelService* service, QObject* parent = nullptr);

    // Whether the loaded model has a calibration in force, and a sentence saying so (how it
    // was fitted, or why a file there is refused, or that citations use the heuristic).
    bool calibrated() const;
    QString status() const;

    // Calibrates the loaded model on `document`: `examples` stretches of it of about
    // `context_tokens` tokens, each ablated `ablations` times (CalibrationOptions). Emits
    // failed() when no model is loaded or another job runs.
    void start(std::shared_ptr<const Document> document, int examples, int ablations = 32,
               int context_tokens = 384);
    void cancel();
    bool running() const { return running_; }

    // Where calibrations are kept (default_calibration_dir(); tests point it elsewhere).
    QString dir;

  signals:
    void progress(int example, int examples, int pass, int passes);
    void finished(const QString& summary);  // saved; the summary says how the fit went
    void failed(const QString& message);
    void cancelled();
    void running_changed(bool running);

  private:
    void set_running(bool running);

    ModelService* service_;
    bool running_ = false;
};

}  // namespace ll
