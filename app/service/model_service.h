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

class Model;
struct ResolvedScaling;
struct AttentionVariant;
enum class KvType : uint32_t;

// What a job running on the model gets. Everything in it stays valid until the job returns.
struct ModelJobContext {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const ResolvedScaling> scaling;
    std::shared_ptr<const AttentionVariant> attention;  // the variant in force, never null
    KvType kv_type{};    // the KV cache's element type in force (one the model's rows fit)
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
    // Which keys each query sees: "" = the model's own (full, or its sliding window), else
    // full, window:size=W, sinks:sinks=S,window=W or s2:group=G. Kept across model loads.
    // Returns false and sets *error when the spec is invalid; the old one stays in force.
    bool set_attention(const QString& spec, QString* error);
    // The KV cache's element type: f16 (the default), f32 or q8_0. Kept across model loads
    // and checked against each model: one whose rows q8_0 cannot hold (not whole 32-value
    // blocks) is refused here, and at a later load gives way to f16 with a note in the
    // summary. Returns false and sets *error when refused; the old type stays in force.
    bool set_kv_type(const QString& name, QString* error);
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
    // A job threw: the message names what went wrong.
    void job_failed(const QString& message);
    void busy_changed(bool busy);

  private:
    struct LoadResult;
    void set_busy(bool busy);
    void finish_load(const std::shared_ptr<LoadResult>& result);
    // Resolves the attention override against the loaded model into attention_ and the summary.
    void resolve_attention();
    // Puts the chosen KV type, or f16 where the loaded model's rows refuse it, in force.
    void resolve_kv_type();

    std::shared_ptr<const Model> model_;
    std::shared_ptr<const ResolvedScaling> scaling_;
    std::shared_ptr<const AttentionVariant> attention_override_;  // null: the model's own
    std::shared_ptr<const AttentionVariant> attention_;
    KvType kv_choice_;  // what the user chose; set in the constructor (KvType is opaque here)
    KvType kv_type_;    // what runs: kv_choice_, or f16 when the model refuses it
    ModelSummary summary_;
    std::shared_ptr<std::atomic<bool>> cancel_;
    QFutureWatcher<void> job_;
    bool busy_ = false;
};

}  // namespace ll

Q_DECLARE_METATYPE(ll::ModelSummary)
