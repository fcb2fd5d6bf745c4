#include "model_service.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "app_error.h"
#include "error.h"
#include "model.h"
#include "qa/model_run.h"
#include "threads.h"

namespace ll {

struct ModelService::LoadResult {
    std::shared_ptr<const ModelRun> run;
    ModelSummary summary;
    QString error;
};

namespace {

// The summary the model panel shows for `run`.
ModelSummary summary_of(const ModelRun& run) {
    ModelSummary s = summarize_model(*run.model, run.scaling);
    describe_attention(s, run.attention, run.config.attention.has_value());
    describe_kv_cache(s, run.kv, run.kv_note);
    return s;
}

}  // namespace

ModelService::ModelService(QObject* parent)
    : QObject(parent), config_(std::make_unique<RunConfig>()) {
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

void ModelService::load(const QString& path) {
    if (busy_) {
        emit load_failed(tr("Another model job is still running; cancel it first."));
        return;
    }
    set_busy(true);
    emit loading(path);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    RunConfig config = *config_;
    config.model_path = path;
    job_.setFuture(QtConcurrent::run([this, config] {
        auto result = std::make_shared<LoadResult>();
        try {
            if (!QFileInfo::exists(config.model_path))
                throw AppError(config.model_path, tr("no such file"));
            std::shared_ptr<const Model> model = Model::load(config.model_path.toStdString());
            // A KV type this model refuses gives way to the default, kept for the next model.
            auto run = std::make_shared<const ModelRun>(
                resolve_run(config, std::move(model), KvFallback::UseDefault));
            result->summary = summary_of(*run);
            result->run = std::move(run);
        } catch (const std::bad_alloc&) {
            result->error = tr("%1: not enough memory to load this model").arg(config.model_path);
        } catch (const std::exception& e) {
            result->error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, result] { finish_load(result); }, Qt::QueuedConnection);
    }));
}

void ModelService::finish_load(const std::shared_ptr<LoadResult>& result) {
    set_busy(false);
    if (!result->error.isEmpty()) {
        emit load_failed(result->error);
        return;
    }
    run_ = result->run;
    *config_ = run_->config;
    summary_ = result->summary;
    emit loaded(summary_);
}

const RunConfig& ModelService::config() const {
    return *config_;
}

QString ModelService::kv_choice() const {
    return kv_name(config_->kv);
}

void ModelService::apply(const RunConfig& config) {
    if (run_) {
        auto run =
            std::make_shared<const ModelRun>(resolve_run(config, run_->model, KvFallback::Refuse));
        summary_ = summary_of(*run);
        run_ = std::move(run);
    } else {
        config.validate();
    }
    *config_ = config;
    if (run_) emit summary_changed(summary_);
}

void ModelService::set_config(const RunConfig& config) {
    RunConfig next = config;
    next.model_path = config_->model_path;
    try {
        apply(next);
    } catch (const AppError&) {
        throw;
    } catch (const EngineError& e) {
        throw AppError::from_engine(e);
    } catch (const std::bad_alloc&) {
        throw AppError(tr("run configuration"), tr("not enough memory to prepare it"));
    }
}

void ModelService::set_scaling(const QString& scaling) {
    RunConfig next = *config_;
    next.set_scaling(scaling, "scaling");
    set_config(next);
}

void ModelService::set_attention(const QString& spec) {
    RunConfig next = *config_;
    next.set_attention(spec, "attention");
    set_config(next);
}

void ModelService::set_kv_type(const QString& name) {
    RunConfig next = *config_;
    next.set_kv(name, "KV cache type");
    set_config(next);
}

void ModelService::set_context_mode(const QString& mode) {
    RunConfig next = *config_;
    next.context = parse_mode(mode);
    // How much of the document is read changes no prepared state: no summary_changed.
    *config_ = next;
    if (run_) {
        auto run = std::make_shared<ModelRun>(*run_);
        run->config.context = next.context;
        run_ = std::move(run);
    }
}

void ModelService::run_job(ModelJob job) {
    if (!run_) throw AppError({}, tr("Load a model first (Model ▸ Open Model…)."));
    if (busy_) throw AppError({}, tr("Another model job is still running; cancel it first."));
    set_busy(true);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    ModelJobContext context{run_, nullptr, {}};
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
}

}  // namespace ll
