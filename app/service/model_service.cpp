#include "model_service.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <optional>

#include "attention_variant.h"
#include "error.h"
#include "kv_cache.h"
#include "model.h"
#include "position_encoding.h"
#include "threads.h"

namespace ll {

struct ModelService::LoadResult {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const ResolvedScaling> scaling;
    ModelSummary summary;
    QString error;
};

namespace {

// The app's KV type unless the user picks another, as in llama.cpp: half f32's memory,
// faster decoding at long contexts, and perplexity within 0.01 % of f32 (bench/README).
constexpr KvType kDefaultKv = KvType::F16;

QString kv_name(KvType type) {
    return QString::fromStdString(std::string(kv_type_name(type)));
}

std::optional<ScalingSpec> user_spec(const QString& text) {
    if (text.trimmed().isEmpty()) return std::nullopt;
    return parse_scaling_spec(text.trimmed().toStdString(), "scaling");
}

}  // namespace

ModelService::ModelService(QObject* parent)
    : QObject(parent), kv_choice_(kDefaultKv), kv_type_(kDefaultKv) {
    qRegisterMetaType<ModelSummary>();
    // One engine thread per core; the GUI thread only draws, so it needs none reserved.
    set_thread_count(0);
}

ModelService::~ModelService() {
    cancel();
    job_.waitForFinished();
}

void ModelService::set_busy(bool busy) {
    if (busy_ == busy) return;
    busy_ = busy;
    emit busy_changed(busy);
}

void ModelService::cancel() {
    if (cancel_) cancel_->store(true);
}

void ModelService::load(const QString& path, const QString& scaling) {
    if (busy_) {
        emit load_failed(tr("Another model job is still running; cancel it first."));
        return;
    }
    set_busy(true);
    emit loading(path);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    job_.setFuture(QtConcurrent::run([this, path, scaling] {
        auto result = std::make_shared<LoadResult>();
        try {
            if (!QFileInfo::exists(path)) throw EngineError(path.toStdString(), "no such file");
            std::shared_ptr<const Model> model = Model::load(path.toStdString());
            const ModelConfig& c = model->config();
            auto resolved = std::make_shared<ResolvedScaling>(
                resolve_scaling(user_spec(scaling), c.scaling, c.rope));
            result->summary = summarize_model(*model, *resolved);
            result->model = std::move(model);
            result->scaling = std::move(resolved);
        } catch (const std::bad_alloc&) {
            result->error = tr("%1: not enough memory to load this model").arg(path);
        } catch (const std::exception& e) {
            result->error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, result] { finish_load(result); },
                                  Qt::QueuedConnection);
    }));
}

void ModelService::finish_load(const std::shared_ptr<LoadResult>& result) {
    set_busy(false);
    if (!result->error.isEmpty()) {
        emit load_failed(result->error);
        return;
    }
    model_ = result->model;
    scaling_ = result->scaling;
    summary_ = result->summary;
    resolve_attention();
    resolve_kv_type();
    emit loaded(summary_);
}

bool ModelService::set_scaling(const QString& scaling, QString* error) {
    if (!model_) {
        if (error) *error = tr("No model is loaded.");
        return false;
    }
    try {
        const ModelConfig& c = model_->config();
        auto resolved = std::make_shared<ResolvedScaling>(
            resolve_scaling(user_spec(scaling), c.scaling, c.rope));
        // Building the encoding validates what resolve_scaling does not (needed model facts).
        PositionEncoding check(resolved->spec, c.rope);
        summary_ = summarize_model(*model_, *resolved);
        scaling_ = std::move(resolved);
        resolve_attention();
        resolve_kv_type();
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    emit summary_changed(summary_);
    return true;
}

bool ModelService::set_attention(const QString& spec, QString* error) {
    std::shared_ptr<const AttentionVariant> chosen;
    try {
        if (!spec.trimmed().isEmpty())
            chosen = std::make_shared<const AttentionVariant>(
                AttentionVariant::parse(spec.trimmed().toStdString(), "attention"));
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    attention_override_ = std::move(chosen);
    if (!model_) return true;  // applied when a model loads
    resolve_attention();
    emit summary_changed(summary_);
    return true;
}

void ModelService::resolve_attention() {
    // The model's own: what the engine's Transformer uses when a session sets nothing.
    AttentionVariant own;
    if (const int w = model_->config().sliding_window; w > 0) {
        own.kind = AttentionVariant::Kind::SlidingWindow;
        own.window = w;
    }
    attention_ =
        attention_override_ ? attention_override_ : std::make_shared<const AttentionVariant>(own);
    describe_attention(summary_, *attention_, attention_override_ != nullptr);
}

bool ModelService::set_kv_type(const QString& name, QString* error) {
    KvType chosen;
    try {
        chosen = parse_kv_type(name.trimmed().toStdString(), "KV cache type");
        // Throws, naming the type and the model's row size, when the rows do not fit it.
        if (model_) (void)kv_bytes_per_token(model_->config(), chosen);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    kv_choice_ = chosen;
    if (!model_) return true;  // checked when a model loads
    resolve_kv_type();
    emit summary_changed(summary_);
    return true;
}

void ModelService::resolve_kv_type() {
    // The choice is kept for the next model even when this one refuses it.
    kv_type_ = kv_choice_;
    QString note;
    try {
        (void)kv_bytes_per_token(model_->config(), kv_choice_);
    } catch (const std::exception& e) {
        kv_type_ = kDefaultKv;
        note = tr("%1 — using %2 for this model")
                   .arg(QString::fromStdString(e.what()), kv_name(kDefaultKv));
    }
    describe_kv_cache(summary_, kv_type_, note);
}

bool ModelService::run_job(ModelJob job, QString* error) {
    if (!model_ || busy_) {
        if (error)
            *error = !model_ ? tr("Load a model first (Model ▸ Open Model…).")
                             : tr("Another model job is still running; cancel it first.");
        return false;
    }
    set_busy(true);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    ModelJobContext context{model_,  scaling_, attention_, kv_type_, summary_.usable_window(),
                            nullptr, {}};
    auto cancel = cancel_;
    job_.setFuture(QtConcurrent::run([this, job = std::move(job), context, cancel]() mutable {
        context.cancel = cancel.get();
        context.post = [this](std::function<void()> fn) {
            QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
        };
        std::function<void()> deliver;
        try {
            deliver = job(context);
        } catch (const std::bad_alloc&) {
            deliver = [this] { emit job_failed(tr("Not enough memory for this context.")); };
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            deliver = [this, message] { emit job_failed(message); };
        }
        QMetaObject::invokeMethod(
            this,
            [this, deliver] {
                set_busy(false);
                if (deliver) deliver();
            },
            Qt::QueuedConnection);
    }));
    return true;
}

}  // namespace ll
