// How a model runs for a question, as one value: which model, its position scaling and rope
// base, the attention variant, the KV cache type, how much of the document the model reads,
// the window and the threads. The CLI's options, the model panel and the tests each build
// one; every default is here. It is compared (a changed value drops a prepared document),
// recorded with each answer as JSON, and resolved against the loaded model into a ModelRun
// (model_run.h), which is what the engine runs.
#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <optional>

#include "attention_variant.h"
#include "context_mode.h"
#include "kv_type.h"
#include "scaling_spec.h"

namespace ll {

// The KV cache type when none is chosen, in the CLI and the GUI alike: f16 halves f32's
// memory (so a document twice as long fits), decodes faster at long contexts (attention
// reads half the bytes), and moves perplexity by less than 0.01 % (bench/README.md), as in
// llama.cpp. f32 stays one option away for exact comparisons.
inline constexpr KvType kDefaultKvType = KvType::F16;
// The shortest window a run may ask for: a prompt frame, a question and an answer.
inline constexpr int64_t kMinimumWindow = 16;
// The longest window a run may ask for: 2^24 tokens, far beyond any model's (the memory check
// refuses what does not fit long before); and the most engine threads.
inline constexpr int64_t kLargestWindow = int64_t{1} << 24;
inline constexpr int kMostThreads = 1024;

struct RunConfig {
    QString model_path;                         // GGUF file or Hugging Face directory
    std::optional<ScalingSpec> scaling;         // the user's override; unset: the file's
    std::optional<double> rope_theta;           // rope base override, with any method
    std::optional<AttentionVariant> attention;  // unset: the model's own
    KvType kv = kDefaultKvType;
    ContextMode context = ContextMode::Auto;
    int64_t window = 0;  // tokens; 0: the usable window of the scaling in force
    int threads = 0;     // engine threads; 0: one per core

    bool operator==(const RunConfig&) const = default;

    // Every field; scaling and attention as the specs the CLI takes, unset ones as null.
    QJsonObject to_json() const;
    // The inverse of to_json (missing keys take their defaults). Throws AppError naming the
    // key for a value that does not parse or is out of range.
    static RunConfig from_json(const QJsonObject& json);

    // What can be checked without the model (window, threads, rope base). Throws AppError.
    void validate() const;

    // The override specs as text ("" when unset), and setters from text ("" unsets) that
    // throw AppError(where, ...) with the engine's message for a spec that does not parse.
    QString scaling_text() const;
    QString attention_text() const;
    void set_scaling(const QString& spec, const QString& where = "scaling");
    void set_attention(const QString& spec, const QString& where = "attention");
    void set_kv(const QString& name, const QString& where = "KV cache type");

    // The one-line text form a comparison column shows and `longlens-cli compare --run`
    // takes: `key=value` pairs joined by ';' (model, scaling, rope_theta, attention, kv,
    // context, window, threads), values as the CLI takes them, only the fields away from
    // their defaults, the bundled model left out. "" is every default on the bundled model.
    // (run_config_text.cpp)
    QString to_text() const;
    // The inverse; the model defaults to the bundled one (as `ask` without --model). Throws
    // AppError naming the key for an unknown or repeated key or a value that does not parse.
    static RunConfig from_text(const QString& text);
};

QString kv_name(KvType type);

}  // namespace ll
