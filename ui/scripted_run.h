// Drives the window from the command line (--open, --model, --ask, --screenshot,
// --quit-when-done): waits for each step's signal rather than for time, so it works the
// same under Xvfb, offscreen and on a loaded machine.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

namespace ll {

class MainWindow;

struct ScriptOptions {
    QString model;
    QString scaling;
    QString open;
    QString ask;
    QString review;   // --review PARTS: review the paper ("all" or ids), then click a chip
    QString compare;  // --compare FILE: compare the paper with FILE, then click a chip of FILE
    QString screenshot;
    QString prefill_screenshot;                  // taken while the prompt is being read
    qsizetype range_start = -1, range_end = -1;  // --show-range
    int page = 0;                                // --page, 1-based; 0: stay at the top
    double zoom = 0;                             // --zoom; 0: as last time
    QString panel;                               // --panel: side panel to bring forward
    bool quit_when_done = false;
    bool log_progress = false;  // --log-progress: job progress as lines on stdout
    // Set when the window restored (or, on a first start, chose) a document or model
    // itself: --ask then waits for it as it would for --open / --model.
    bool await_document = false, await_model = false;
    int timeout_seconds = 600;
};

class ScriptedRun : public QObject {
    Q_OBJECT
  public:
    ScriptedRun(MainWindow* window, ScriptOptions options);
    void start();
    int exit_code() const { return failures_ > 0 ? 1 : 0; }

  private:
    void step();  // advances when what the current step waits for has happened
    void after_answer();
    void after_review();
    void log_progress();
    void settle_then_finish();
    void finish();
    bool grab(const QString& path);

    MainWindow* window_;
    ScriptOptions options_;
    bool document_done_ = true, model_done_ = true, answer_done_ = true;
    bool reviewed_ = false;
    bool asked_ = false, finishing_ = false, prefill_shot_ = false;
    int failures_ = 0;
    int pieces_shown_ = 0;       // --log-progress: answer text pieces shown so far
    QElapsedTimer since_asked_;  // --log-progress lines say how long after the question
};

}  // namespace ll
