// Owns the loaded model and runs work on it off the GUI thread. Loading and jobs (a question:
// prefill and generation) run as Qt Concurrent tasks; progress and results come back queued
// on the thread that owns the service, so widgets can connect to them directly. One job at a
// time; cancel() sets the flag the engine checks between prefill chunks and tokens.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "model_summary.h"

namespace ll {

struct ModelRun;
struct RunConfig;

// What a job running on the model gets. Everything in it stays valid until the job returns.
struct ModelJobContext {
    // The run configuration in force, resolved against the loaded model; never null.
    std::shared_ptr<const ModelRun> run;
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

    // Loads a GGUF file or HF directory under the run configuration in force.
    void load(const QString& path);
    // The run configuration in force: the model's path and what the reader chose. Its
    // scaling, attention, KV type and context mode are kept across model loads.
    const RunConfig& config() const;
    // Puts `config` in force (its model path is ignored: load() changes the model). With a
    // model loaded it is resolved against it first. Every setter here throws AppError naming
    // the setting when it cannot take the value; the old configuration stays in force.
    void set_config(const RunConfig& config);
    // The KV type of the run configuration ("f16" unless chosen otherwise: RunConfig's default).
    QString kv_choice() const;
    // How much of the document the model reads: "auto", "full" or "retrieve".
    void set_context_mode(const QString& mode);
    // The position scaling override ("" = the file's own), re-resolved for the loaded model.
    // Kept across model loads.
    void set_scaling(const QString& scaling);
    // Which keys each query sees: "" = the model's own (full, or its sliding window), else
    // full, window:size=W, sinks:sinks=S,window=W or s2:group=G. Kept across model loads.
    void set_attention(const QString& spec);
    // The KV cache's element type: f16 (the default), f32 or q8_0. Kept across model loads
    // and checked against each model: one whose rows q8_0 cannot hold (not whole 32-value
    // blocks) is refused here, and at a later load gives way to f16 with a note in the
    // summary.
    void set_kv_type(const QString& name);
    // Runs `job` on the loaded model off the GUI thread. Throws AppError (and nothing runs)
    // when no model is loaded or another job is running.
    void run_job(ModelJob job);
    void cancel();

    bool has_model() const { return run_ != nullptr; }
    std::shared_ptr<const ModelRun> run() const { return run_; }
    bool busy() const { return busy_; }
    const ModelSummary& summary() const { return summary_; }

  signals:
    void loading(const QString& path);
    void loaded(const ll::ModelSummary& summary);
    void load_failed(const QString& message);
    void summary_changed(const ll::ModelSummary& summary);
    // A job threw: the message names what went wrong.
    void job_failed(const QString& message);
    void busy_changed(bool busy);

  private:
    struct LoadResult;
    void set_busy(bool busy);
    void finish_load(const std::shared_ptr<LoadResult>& result);
    // Resolves `config` against the loaded model and puts both in force with their summary.
    void apply(const RunConfig& config);

    std::unique_ptr<RunConfig> config_;    // never null
    std::shared_ptr<const ModelRun> run_;  // null until a model is loaded
    ModelSummary summary_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFutureWatcher<void> job_;
    bool busy_ = false;
};

}  // namespace ll

Q_DECLARE_METATYPE(ll::ModelSummary)
