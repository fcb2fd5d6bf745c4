// A RunConfig resolved against a loaded model: what the engine runs. The one place that
// decides the scaling in force (user > file > default), the model's own attention, the KV
// type the model's rows can hold, the usable window, and whether a context fits in memory;
// and the one factory of a prepared DocumentAnswerer, for the CLI, the GUI's service and
// the tests alike.
#pragma once

#include <QString>

#include <memory>

#include "answer.h"
#include "model.h"
#include "position_encoding.h"
#include "run_config.h"
#include "session.h"

namespace ll {

struct ModelRun {
    std::shared_ptr<const Model> model;
    RunConfig config;            // as chosen
    ResolvedScaling scaling;     // in force, with its warnings
    AttentionVariant attention;  // in force: the config's, else the model's own
    KvType kv = kDefaultKvType;  // in force: the config's, unless the model refuses it
    QString kv_note;             // why the config's KV type gave way, or ""
    int64_t window = 0;          // in force: the config's, else the usable window

    PositionEncoding positions() const;
    // Refuses, before any work, a context of `tokens` whose weights + KV cache + scratch do
    // not fit in the memory available: AppError("memory", what is needed and available).
    void check_memory(int64_t tokens, int64_t chunk = 512) const;
    // A session of `max_context` tokens under this run (memory checked first).
    std::unique_ptr<Session> session(int64_t max_context) const;
    // A DocumentAnswerer for `doc` under this run, saving the document prefix under
    // `cache_dir` ("" : no disk cache). The model and `doc` must outlive it.
    std::unique_ptr<DocumentAnswerer> answerer(const Document& doc,
                                               const QString& cache_dir = {}) const;
};

// What preparing questions about a document (DocumentAnswerer: passages, the BM25 index, each
// passage's token count) takes per character of its text, the Document included: the growth
// of peak RSS of `ask --mode retrieve` from 0.73 M to 13.4 M characters of 西游记 (CJK
// bigrams) was 10.7 B/char, from 8.5 M to 33.5 M characters of English 3.5 B/char; 12
// leaves a margin. README "Known limits" quotes both.
constexpr qint64 kIndexBytesPerCharacter = 12;
// The refusal when that could not be allocated, naming the characters and the estimate.
QString not_enough_memory_to_index(const Document& doc);

// What to do when the model's KV rows cannot hold the chosen type (q8_0 needs whole
// 32-value blocks): refuse (the CLI: the user asked for it) or run the default type and
// say so in kv_note (the GUI: the choice is kept for the next model).
enum class KvFallback { Refuse, UseDefault };

// Validates `config` and resolves it against `model`. Throws AppError naming the setting.
ModelRun resolve_run(const RunConfig& config, std::shared_ptr<const Model> model,
                     KvFallback fallback = KvFallback::Refuse);
// Loads config.model_path, sizes the engine's threads, and resolves.
ModelRun load_run(const RunConfig& config, KvFallback fallback = KvFallback::Refuse);

// The attention the model was made for: its sliding window when it has one, else full.
AttentionVariant model_attention(const ModelConfig& config);

// The longest context to plan for under `scaling`: the method's effective window (trained
// window x factor), or the trained window for methods without a fixed one.
int64_t usable_window(const ResolvedScaling& scaling, const RopeBase& base);

}  // namespace ll
