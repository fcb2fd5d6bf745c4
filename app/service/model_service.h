// Owns the loaded model and runs it off the GUI thread. Loading, prefill and generation run
// as Qt Concurrent tasks; progress, text and results come back as queued signals on the
// thread that owns the service, so widgets can connect to them directly. One job at a time;
// cancel() is honoured between prefill chunks and between generated tokens.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

#include "model_summary.h"

namespace ll {

class Model;
struct ResolvedScaling;

struct GenerationRequest {
    // The document part of the prompt; cut at the end (whole tokens) to fit `context_limit`.
    QString context;
    QString head;  // text before the context (instructions), never cut
    QString tail;  // text after the context (the question), never cut
    int64_t context_limit = 0;  // prompt tokens in all; 0: the model's usable window
    int max_new_tokens = 128;
    float temperature = 0.0f;  // 0: greedy, so the same question gives the same answer
};

struct GenerationStats {
    int64_t prompt_tokens = 0;
    int64_t context_tokens = 0;  // tokens of the context actually kept
    qsizetype context_chars = 0;  // characters of `context` those tokens cover
    double prefill_seconds = 0;
    int64_t new_tokens = 0;
    double decode_seconds = 0;
    bool cancelled = false;
};

// What a job running on the model gets. Everything in it stays valid until the job returns.
struct ModelJobContext {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const ResolvedScaling> scaling;
    int64_t window = 0;  // the usable window under that scaling
    const std::atomic<bool>* cancel = nullptr;
    // Runs `fn` on the service's thread (queued), e.g. to emit progress.
    std::function<void(std::function<void()>)> post;
};
// A job runs on a worker thread and returns what to deliver on the service's thread once
// the service is idle again (so a handler may start the next job at once).
using ModelJob = std::function<std::function<void()>(const ModelJobContext&)>;

class ModelService : public QObject {
    Q_OBJECT
  public:
    explicit ModelService(QObject* parent = nullptr);
    ~ModelService() override;  // cancels and waits for a running job

    // Loads a GGUF file or HF directory; `scaling` is a user override ("" = the file's).
    void load(const QString& path, const QString& scaling = {});
    // Re-resolves the position scaling for the loaded model ("" = the file's own).
    // Returns false and sets *error when the spec is invalid; the old one stays in force.
    bool set_scaling(const QString& scaling, QString* error);
    void generate(const GenerationRequest& request);
    // Runs `job` on the loaded model off the GUI thread. False (and nothing runs) when no
    // model is loaded or another job is running; *error says which.
    bool run_job(ModelJob job, QString* error = nullptr);
    void cancel();

    bool has_model() const { return model_ != nullptr; }
    bool busy() const { return busy_; }
    const ModelSummary& summary() const { return summary_; }

  signals:
    void loading(const QString& path);
    void loaded(const ll::ModelSummary& summary);
    void load_failed(const QString& message);
    void summary_changed(const ll::ModelSummary& summary);
    // Prefill of the prompt: tokens done of total, seconds since the prefill started.
    void prefill_progress(qint64 done, qint64 total, double seconds);
    void text_generated(const QString& text);
    void decode_progress(qint64 tokens, double seconds);
    void generation_finished(const ll::GenerationStats& stats);
    void generation_failed(const QString& message);
    void busy_changed(bool busy);

  private:
    struct LoadResult;
    void set_busy(bool busy);
    void finish_load(const std::shared_ptr<LoadResult>& result);
    // The generation job of generate(); runs on a worker thread.
    std::function<void()> run_generation(const GenerationRequest& request,
                                         const ModelJobContext& context);

    std::shared_ptr<const Model> model_;
    std::shared_ptr<const ResolvedScaling> scaling_;
    ModelSummary summary_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFutureWatcher<void> job_;
    bool busy_ = false;
};

}  // namespace ll

Q_DECLARE_METATYPE(ll::ModelSummary)
Q_DECLARE_METATYPE(ll::GenerationStats)
