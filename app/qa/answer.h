// One question about one document, run end to end: plan the context, build the prompt,
// prefill (reusing whatever prefix the session already holds: the document is computed once
// per plan), generate with streaming, stop strings and cancel, then attribute the answer.
// Synchronous; callers run it off the GUI thread and pass a cancel flag.
#pragma once

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "attribution.h"
#include "chat_template.h"
#include "citation.h"
#include "context_plan.h"
#include "diagnostics/attention_along.h"
#include "documents/document.h"
#include "model.h"
#include "passage_index.h"
#include "position_encoding.h"
#include "prefix_cache.h"
#include "prompt_tokens.h"
#include "run_config.h"
#include "sampler.h"
#include "session.h"

namespace ll {

struct AnswerOptions {
    ContextMode mode = ContextMode::Auto;
    // Frame around document and question; the model's own template or Plain when unset.
    std::optional<PromptFrame> frame;
    int max_answer_tokens = 128;
    SamplerOptions sampling{0.0f, 0, 1.0f, 42};  // greedy: the same question, the same answer
    QStringList extra_stops;
    std::vector<int> attention_layers;  // empty: the upper half of the model's layers
    std::vector<int> attention_heads;   // query heads averaged; empty: all (diagnostics)
    int attention_bins = 200;           // Answer::attention's resolution along the document
    AttributionOptions attribution;
    // Tokens per prefill pass: progress comes per chunk (cancel is checked per layer). 512,
    // the engine benchmarks' size: at 2 threads the GEMMs of 256-token chunks ran 17-24 %
    // slower per CPU-second on TinyLlama Q4_0 (`speed --chunk`, alternating), and `ask` took
    // 1.11x the engine alone with 256 (bench/README.md, "app path").
    int64_t prefill_chunk = 512;
    // When set, no sampling: these words are fed as the answer (teacher forcing) and
    // attributed. Re-attributes a stored answer, and tests attribution with models too small
    // to copy.
    QString forced_answer;
};

enum class AnswerEnd { Eos, Stop, Length, Cancelled };
QString end_name(AnswerEnd end);

// What the document KV cache on disk did for one question.
enum class CacheUse {
    Off,       // no cache folder set, or the positions depend on the prompt's length
    InMemory,  // the session already held the document prefix
    Loaded,    // the prefix was read from its file: no document prefill
    Saved,     // no file yet: prefilled, then written
    Rebuilt,   // the file was refused (damaged, foreign): prefilled again and rewritten
};
QString cache_use_name(CacheUse use);

struct AnswerTiming {
    int64_t prefill_tokens = 0;  // evaluated for this question (the reused prefix not counted)
    int64_t reused_tokens = 0;   // prompt tokens already in the session or loaded from disk
    double prefill_s = 0;        // including loading or saving the cache file
    CacheUse cache = CacheUse::Off;
    QString cache_note;  // why a file was refused or could not be written
    int64_t decode_tokens = 0;
    double decode_s = 0;
};

struct Answer {
    QString question;
    QString text;  // the answer; on cancel, what was generated so far
    AnswerEnd end = AnswerEnd::Eos;
    ContextPlan plan;
    int64_t prompt_tokens = 0;
    std::vector<Citation> citations;
    AnswerTiming timing;
    AttentionAlong attention;  // where the answer looked along the document (diagnostics)
    QStringList pieces;        // the text each answer token completed, in order
};

struct AnswerCallbacks {
    std::function<void(const ContextPlan&)> on_plan;
    std::function<void(const EvalProgress&)> on_prefill;
    std::function<void(const QString&)> on_text;  // answer text as it becomes final
    std::function<void(int64_t)> on_token;        // answer tokens generated so far
};

class DocumentAnswerer {
  public:
    // `window`: the longest context to use (the effective window under the scaling in force).
    // The model and the document must outlive the answerer.
    DocumentAnswerer(const Model& model, PositionEncoding positions, int64_t window,
                     const Document& doc, int passage_tokens = 192);

    // The layers attention is captured from by default ("1, 3, 5, 7").
    QString attention_layers_text() const;

    Answer ask(const QString& question, const AnswerOptions& options = {},
               const AnswerCallbacks& callbacks = {}, const std::atomic<bool>* cancel = nullptr);

    // Which keys each query sees (default: the model's own). A change drops the session.
    void set_attention_variant(const AttentionVariant& variant);
    // The KV cache's element type (kDefaultKvType unless set). A change drops the session.
    void set_kv_type(KvType type);
    // Saves the document prefix's KV state under `dir` and loads it for later questions,
    // also in later runs (see PrefixCache). Empty: no disk cache.
    void set_prefix_cache(const QString& dir);

    const PassageIndex& index() const { return index_; }
    int document_tokens() const { return document_tokens_; }
    int64_t window() const { return window_; }
    // The frame the model's file asks for (Plain when it names none).
    PromptFrame default_frame() const;

  private:
    Session& session();
    // Evaluates prompt ids not already in the session, through the disk cache for the
    // document prefix when there is one; false when cancelled.
    bool prefill(const PromptTokens& prompt, const AnswerOptions& options,
                 const AnswerCallbacks& callbacks, const std::atomic<bool>* cancel, Answer& answer);
    // Loads the prefix [0, end) from the cache when the session lacks it; the CacheUse so far.
    CacheUse try_load_prefix(std::span<const int32_t> prefix, QString* why);
    std::vector<int> capture_layers(const AnswerOptions& options) const;
    // Generates (or feeds options.forced_answer) after the prompt; fills a.text and a.end.
    void generate(const PromptFrame& frame, const AnswerOptions& options,
                  const AnswerCallbacks& callbacks, const std::atomic<bool>* cancel, Answer& a);
    void feed_forced(const AnswerOptions& options, const AnswerCallbacks& callbacks, Answer& a);

    const Model& model_;
    PositionEncoding positions_;
    int64_t window_;
    const Document& doc_;
    PassageIndex index_;
    int document_tokens_ = 0;
    std::optional<AttentionVariant> variant_;
    KvType kv_type_ = kDefaultKvType;
    std::unique_ptr<PrefixCache> cache_;
    std::unique_ptr<Session> session_;
};

}  // namespace ll
