// Runs a Comparison's runs one after another (two cores: running them at once is slower),
// each with its own model loaded and released in turn — the previous run's model is kept
// only when the next run names the same file, so two large models never sit in memory
// together. Every run goes through the same document prefix cache on disk, so a run whose
// positions, attention and KV type match an earlier one's loads the document instead of
// reading it again. A run that fails (bad file, memory refusal, bad scaling) records its
// error and the next one still runs; a cancel keeps the runs before it.
//
// A plain class with a callback and an atomic flag, no Qt objects: the GUI calls run() on a
// QtConcurrent worker, gets progress on that thread, and cancels from any thread.
#pragma once

#include <QString>

#include <atomic>
#include <functional>

#include "comparison.h"
#include "documents/document.h"

namespace ll {

struct CompareProgress {
    enum class Stage { Loading, Prefill, Answering, Finished };
    int run = 0;   // 0-based index into Comparison::runs
    int runs = 0;  // how many there are
    Stage stage = Stage::Loading;
    int64_t done = 0;   // Prefill: prompt tokens evaluated; Answering: answer tokens
    int64_t total = 0;  // Prefill: tokens to evaluate; Answering: the answer's limit
    QString text;       // Answering: the answer's new text; Finished: the run's status name
};
QString stage_name(CompareProgress::Stage stage);

class CompareRunner {
  public:
    using ProgressFn = std::function<void(const CompareProgress&)>;

    // `cache_dir`: the document prefix cache shared by the runs ("" : none); the GUI's and
    // the CLI's default is default_prefix_cache_dir().
    explicit CompareRunner(QString cache_dir);

    // Called on the thread that calls run(), for every step of every run.
    void set_progress(ProgressFn progress) { progress_ = std::move(progress); }

    // Stops the run in progress at its next token or prefill chunk; it and every later run
    // end Cancelled, the earlier ones keep their results. Any thread; also from the
    // progress callback.
    void cancel() { cancel_.store(true); }
    bool cancelled() const { return cancel_.load(); }
    // The flag itself, for a caller that owns the cancel button's state.
    std::atomic<bool>& cancel_flag() { return cancel_; }

    // Fills c.results (one per c.runs entry, resized) for the question about `doc`; sets
    // c.fingerprint, c.document_path (when empty) and c.created. Never throws for a run's
    // failure: that is the run's error.
    void run(Comparison& c, const Document& doc);

  private:
    QString cache_dir_;
    ProgressFn progress_;
    std::atomic<bool> cancel_{false};
};

}  // namespace ll
