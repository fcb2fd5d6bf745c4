#include "model_run.h"

#include <QObject>

#include <new>

#include "app_error.h"
#include "error.h"
#include "memory_estimate.h"
#include "threads.h"

namespace ll {
namespace {

// The user's scaling with the rope base override folded in: alone, it applies to the
// file's own method.
std::optional<ScalingSpec> user_scaling(const RunConfig& config, const ModelConfig& model) {
    std::optional<ScalingSpec> user = config.scaling;
    if (config.rope_theta) {
        if (!user) user = model.scaling;
        user->params["theta"] = *config.rope_theta;
    }
    return user;
}

// The KV type in force, or the default with a note when the rows refuse the chosen one.
void resolve_kv(ModelRun& run, KvFallback fallback) {
    run.kv = run.config.kv;
    try {
        (void)kv_bytes_per_token(run.model->config(), run.kv);
    } catch (const EngineError& e) {
        if (fallback == KvFallback::Refuse) throw AppError::from_engine(e);
        run.kv = kDefaultKvType;
        run.kv_note = QObject::tr("%1 — using %2 for this model")
                          .arg(QString::fromStdString(e.what()), kv_name(kDefaultKvType));
    }
}

}  // namespace

AttentionVariant model_attention(const ModelConfig& config) {
    AttentionVariant own;  // what the engine's Transformer uses when a session sets nothing
    if (config.sliding_window > 0) {
        own.kind = AttentionVariant::Kind::SlidingWindow;
        own.window = config.sliding_window;
    }
    return own;
}

int64_t usable_window(const ResolvedScaling& scaling, const RopeBase& base) {
    const EffectiveScaling e = effective_scaling(scaling, base, base.trained_window);
    return e.effective_window > 0 ? e.effective_window : base.trained_window;
}

ModelRun resolve_run(const RunConfig& config, std::shared_ptr<const Model> model,
                     KvFallback fallback) {
    config.validate();
    ModelRun run;
    run.model = std::move(model);
    run.config = config;
    const ModelConfig& c = run.model->config();
    try {
        run.scaling = resolve_scaling(user_scaling(config, c), c.scaling, c.rope);
        // Building the encoding checks what resolving does not (the model facts it needs).
        (void)run.positions();
    } catch (const EngineError& e) {
        throw AppError::from_engine(e);
    }
    run.attention = config.attention.value_or(model_attention(c));
    resolve_kv(run, fallback);
    run.window = config.window > 0 ? config.window : usable_window(run.scaling, c.rope);
    return run;
}

ModelRun load_run(const RunConfig& config, KvFallback fallback) {
    config.validate();
    if (config.model_path.isEmpty())
        throw AppError(QStringLiteral("model"), QStringLiteral("no model given"));
    set_thread_count(config.threads);
    std::shared_ptr<const Model> model;
    try {
        model = Model::load(config.model_path.toStdString());
    } catch (const EngineError& e) {
        throw AppError::from_engine(e);
    }
    return resolve_run(config, std::move(model), fallback);
}

PositionEncoding ModelRun::positions() const {
    return PositionEncoding(scaling.spec, model->config().rope);
}

void ModelRun::check_memory(int64_t tokens, int64_t chunk) const {
    try {
        ll::check_memory(estimate_memory(*model, tokens, chunk, kv), tokens);
    } catch (const EngineError& e) {
        throw AppError::from_engine(
            e, QObject::tr("a shorter window, or an f16 or q8_0 KV cache, needs less"));
    }
}

std::unique_ptr<Session> ModelRun::session(int64_t max_context) const {
    check_memory(max_context);
    auto s = std::make_unique<Session>(*model, positions(), max_context, kv);
    s->set_attention_variant(attention);
    return s;
}

std::unique_ptr<DocumentAnswerer> ModelRun::answerer(const Document& doc,
                                                     const QString& cache_dir) const {
    try {
        auto a = std::make_unique<DocumentAnswerer>(*model, positions(), window, doc);
        a->set_attention_variant(attention);
        a->set_kv_type(kv);
        a->set_prefix_cache(cache_dir);
        return a;
    } catch (const std::bad_alloc&) {
        throw AppError(doc.path, not_enough_memory_to_index(doc));
    }
}

QString not_enough_memory_to_index(const Document& doc) {
    const qint64 chars = doc.text.size();
    const qint64 mib = (chars * kIndexBytesPerCharacter) >> 20;
    return QObject::tr(
               "not enough memory to prepare questions about its %L1 characters: "
               "LongLens needs up to about %2 bytes per character for them (Chinese or "
               "Japanese text; about 3.5 for English), about %L3 MB here, besides the "
               "model")
        .arg(chars)
        .arg(kIndexBytesPerCharacter)
        .arg(mib);
}

}  // namespace ll
