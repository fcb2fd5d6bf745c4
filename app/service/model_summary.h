// What the model panel shows about a loaded model: the facts `longlens-cli info` reports
// (architecture, sizes, trained window, tokenizer, memory) and the effective position
// configuration. Plain Qt values, so the GUI never touches engine types.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace ll {

class Model;
struct ResolvedScaling;
struct AttentionVariant;
enum class KvType : uint32_t;

struct ModelSummary {
    QString path;
    QString format;  // "gguf" or "safetensors"
    QString architecture;
    int layers = 0, dim = 0, ffn_dim = 0, heads = 0, kv_heads = 0, head_dim = 0;
    int vocab_size = 0;
    bool tied_embeddings = false;
    int trained_window = 0;
    double rope_theta = 0;
    QString rope_layout;
    QString file_scaling;  // what the file asks for, as METHOD:key=value
    QString tokenizer;     // "sentencepiece, 32000 tokens, bos 1, eos 2"
    QString chat_template;  // "llama3 (tokenizer_config.json)"; a fallback's warning is in warnings
    QMap<QString, int> tensor_types;
    double weight_bytes = 0;
    double kv_bytes_per_token = 0;  // of the KV type in force
    // Bytes per token of each KV type (f32, f16, q8_0) this model's rows fit; q8_0 is absent
    // when they are not whole 32-value blocks.
    QMap<QString, double> kv_bytes_per_type;
    QString kv_type;  // the one in force
    QString kv_note;  // why the chosen type gave way to another on this model, or ""

    // The effective configuration at `context_len` tokens.
    QString method;
    QString spec_text;
    QString source;  // default, file, user, user over file
    QMap<QString, double> params;
    double theta = 0;
    int64_t effective_window = 0;  // 0: no fixed limit
    int64_t context_len = 0;
    double attention_factor = 1;
    double logit_factor = 1;
    QStringList warnings;

    // The attention variant in force: its spec text (full, window:size=W, ...), where it
    // comes from ("model file", "default" or "user") and a note when it cannot work as meant.
    QString attention;
    QString attention_source;
    QString attention_note;

    double total_bytes() const { return weight_bytes + kv_bytes_per_token * context_len; }
    // The longest context the service will run: the effective window, else the trained one.
    int64_t usable_window() const { return effective_window > 0 ? effective_window : trained_window; }
};

// Builds the summary for `model` under `scaling`, described at its effective window
// (as `longlens-cli info` does without --ctx).
ModelSummary summarize_model(const Model& model, const ResolvedScaling& scaling);

// Fills the attention fields of `s` (whose usable window must be set) for `variant`.
void describe_attention(ModelSummary& s, const AttentionVariant& variant, bool user);

// Puts `type` (one of s.kv_bytes_per_type) in force in `s`, with `note` saying why when it is
// not the type the user chose.
void describe_kv_cache(ModelSummary& s, KvType type, const QString& note = {});

// "12.3 MiB" style sizes for the panel and status bar.
QString format_bytes(double bytes);

}  // namespace ll
