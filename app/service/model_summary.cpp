#include "model_summary.h"

#include <QObject>

#include "attention_variant.h"
#include "error.h"
#include "kv_cache.h"
#include "model.h"
#include "position_encoding.h"
#include "qa/chat_template.h"

namespace ll {
namespace {

QMap<QString, int> tensor_type_counts(const Model& model) {
    QMap<QString, int> counts;
    const Weights& w = model.weights();
    auto add = [&](const Tensor& t) {
        const std::string_view name = dtype_name(t.type);
        counts[QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()))]++;
    };
    add(w.embedding);
    add(w.output_norm);
    if (w.output.data != w.embedding.data) add(w.output);
    for (const LayerWeights& l : w.layers)
        for (const Tensor* t : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.wo, &l.ffn_norm, &l.w_gate,
                                &l.w_up, &l.w_down})
            add(*t);
    return counts;
}

QString name_of(KvType type) {
    const std::string_view name = kv_type_name(type);
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

QMap<QString, double> kv_bytes_per_type(const ModelConfig& c) {
    QMap<QString, double> bytes;
    for (KvType type : {KvType::F32, KvType::F16, KvType::Q8_0}) {
        try {
            bytes[name_of(type)] = static_cast<double>(kv_bytes_per_token(c, type));
        } catch (const EngineError&) {
            // Rows this type cannot hold: the type is left out, and offered as refused.
        }
    }
    return bytes;
}

void fill_effective(ModelSummary& s, const EffectiveScaling& e) {
    s.method = QString::fromStdString(e.method);
    s.spec_text = QString::fromStdString(e.spec_text);
    s.source = QString::fromUtf8(to_string(e.source));
    for (const auto& [k, v] : e.params) s.params[QString::fromStdString(k)] = v;
    s.theta = e.theta;
    s.effective_window = e.effective_window;
    s.context_len = e.context_len;
    s.attention_factor = e.attention_factor;
    s.logit_factor = e.logit_factor;
    for (const auto& w : e.warnings) s.warnings << QString::fromStdString(w);
}

}  // namespace

ModelSummary summarize_model(const Model& model, const ResolvedScaling& scaling) {
    const ModelConfig& c = model.config();
    const Tokenizer& tok = model.tokenizer();
    ModelSummary s;
    s.path = QString::fromStdString(model.path());
    s.format = QString::fromStdString(model.format());
    s.architecture = QString::fromStdString(c.architecture);
    s.layers = c.n_layers;
    s.dim = c.dim;
    s.ffn_dim = c.ffn_dim;
    s.heads = c.n_heads;
    s.kv_heads = c.n_kv_heads;
    s.head_dim = c.head_dim;
    s.vocab_size = c.vocab_size;
    s.tied_embeddings = c.tied_embeddings;
    s.trained_window = c.trained_window;
    s.rope_theta = c.rope.theta;
    s.rope_layout = c.rope_layout == RopeLayout::HalfSplit ? "half-split" : "adjacent pairs";
    s.file_scaling = QString::fromStdString(format_scaling_spec(c.scaling));
    s.tokenizer = QString("%1, %2 tokens, bos %3, eos %4")
                      .arg(QString::fromStdString(tok.kind()))
                      .arg(tok.vocab_size())
                      .arg(tok.bos())
                      .arg(tok.eos());
    const ChatTemplateChoice chat = choose_chat_template(model.path());
    s.chat_template = template_name(chat.kind) + " (" + chat.source + ")";
    if (!chat.warning.isEmpty()) s.warnings << chat.warning;
    s.tensor_types = tensor_type_counts(model);
    s.weight_bytes = static_cast<double>(model.weight_bytes());
    s.kv_bytes_per_type = kv_bytes_per_type(c);
    describe_kv_cache(s, KvType::F32);  // until the service puts its type in force

    // Like `info` without --ctx: describe the configuration at its own effective window.
    int64_t ctx = effective_scaling(scaling, c.rope, c.trained_window).effective_window;
    if (ctx <= 0) ctx = c.trained_window;
    fill_effective(s, effective_scaling(scaling, c.rope, ctx));
    return s;
}

void describe_attention(ModelSummary& s, const AttentionVariant& variant, bool user) {
    using Kind = AttentionVariant::Kind;
    s.attention = QString::fromStdString(variant.to_string());
    s.attention_source = user                         ? QStringLiteral("user")
                         : variant.kind == Kind::Full ? QStringLiteral("default")
                                                      : QStringLiteral("model file");
    s.attention_note.clear();
    const int64_t context = s.usable_window();
    // A window as long as the context hides nothing: the answers are those of full attention.
    const int64_t reach = variant.kind == Kind::Sinks           ? variant.sinks + variant.window
                          : variant.kind == Kind::SlidingWindow ? variant.window
                          : variant.kind == Kind::ShiftedSparse ? variant.group
                                                                : 0;
    if (reach > 0 && context > 0 && reach >= context)
        s.attention_note =
            QObject::tr("%1 spans the whole %2-token context: same as full attention")
                .arg(s.attention)
                .arg(context);
}

void describe_kv_cache(ModelSummary& s, KvType type, const QString& note) {
    s.kv_type = name_of(type);
    s.kv_bytes_per_token = s.kv_bytes_per_type.value(s.kv_type);
    s.kv_note = note;
}

QString format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        ++u;
    }
    return QString("%1 %2").arg(bytes, 0, 'f', u == 0 ? 0 : 1).arg(units[u]);
}

}  // namespace ll
