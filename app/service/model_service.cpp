#include "model_service.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <optional>

#include "error.h"
#include "model.h"
#include "position_encoding.h"
#include "sampler.h"
#include "session.h"
#include "threads.h"

namespace ll {

struct ModelService::LoadResult {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const ResolvedScaling> scaling;
    ModelSummary summary;
    QString error;
};

namespace {

std::optional<ScalingSpec> user_spec(const QString& text) {
    if (text.trimmed().isEmpty()) return std::nullopt;
    return parse_scaling_spec(text.trimmed().toStdString(), "scaling");
}

// Prefill chunk: small enough that progress moves and cancel is quick, large enough that
// the GEMMs stay efficient.
constexpr int64_t kPrefillChunk = 128;

}  // namespace

ModelService::ModelService(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ModelSummary>();
    qRegisterMetaType<GenerationStats>();
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
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    emit summary_changed(summary_);
    return true;
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
    ModelJobContext context{model_, scaling_, summary_.usable_window(), nullptr, {}};
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
            deliver = [this] { emit generation_failed(tr("Not enough memory for this context.")); };
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            deliver = [this, message] { emit generation_failed(message); };
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

void ModelService::generate(const GenerationRequest& request) {
    QString error;
    const bool started = run_job(
        [this, request](const ModelJobContext& context) { return run_generation(request, context); },
        &error);
    if (!started) emit generation_failed(error);
}

std::function<void()> ModelService::run_generation(const GenerationRequest& request,
                                                   const ModelJobContext& context) {
    const Model& model = *context.model;
    const Tokenizer& tok = model.tokenizer();
    GenerationStats stats;
    const int64_t window = context.window;
    const int64_t limit = request.context_limit > 0 ? std::min(request.context_limit, window) : window;
    std::vector<int32_t> prompt{tok.bos()};
    auto head = tok.encode(request.head.toStdString());
    auto tail = tok.encode(request.tail.toStdString());
    auto document = tok.encode(request.context.toStdString());
    const int64_t room =
        limit - request.max_new_tokens - 1 - static_cast<int64_t>(head.size() + tail.size());
    if (room <= 0)
        throw EngineError("question", "too long for the model's window of " +
                                          std::to_string(window) + " tokens");
    if (static_cast<int64_t>(document.size()) > room) {
        document.resize(static_cast<size_t>(room));
        stats.context_chars = std::min<qsizetype>(
            request.context.size(), QString::fromStdString(tok.decode(document)).size());
    } else {
        stats.context_chars = request.context.size();
    }
    stats.context_tokens = static_cast<int64_t>(document.size());
    prompt.insert(prompt.end(), head.begin(), head.end());
    prompt.insert(prompt.end(), document.begin(), document.end());
    prompt.insert(prompt.end(), tail.begin(), tail.end());
    stats.prompt_tokens = static_cast<int64_t>(prompt.size());

    Session session(model, PositionEncoding(context.scaling->spec, model.config().rope),
                    stats.prompt_tokens + request.max_new_tokens);
    EvalOptions options;
    options.chunk = kPrefillChunk;
    options.rope_length = stats.prompt_tokens + request.max_new_tokens;
    options.cancel = context.cancel;
    options.on_progress = [&](const EvalProgress& p) {
        context.post([this, p] { emit prefill_progress(p.done, p.total, p.seconds); });
    };
    QElapsedTimer clock;
    clock.start();
    stats.cancelled = !session.eval(prompt, options);
    stats.prefill_seconds = clock.nsecsElapsed() / 1e9;
    clock.restart();
    Sampler sampler({request.temperature, 40, 0.95f, 42});
    TokenStreamDecoder decoder(tok);
    for (int i = 0; i < request.max_new_tokens && !stats.cancelled; ++i) {
        if (context.cancel->load()) {
            stats.cancelled = true;
            break;
        }
        const int32_t next = sampler.sample(session.logits());
        if (next == tok.eos()) break;
        const QString piece = QString::fromStdString(decoder.push(next));
        const int64_t n = ++stats.new_tokens;
        const double seconds = clock.nsecsElapsed() / 1e9;
        context.post([this, piece, n, seconds] {
            if (!piece.isEmpty()) emit text_generated(piece);
            emit decode_progress(n, seconds);
        });
        if (i + 1 < request.max_new_tokens) session.eval(std::span(&next, 1));
    }
    const QString rest = QString::fromStdString(decoder.finish());
    stats.decode_seconds = clock.nsecsElapsed() / 1e9;
    return [this, rest, stats] {
        if (!rest.isEmpty()) emit text_generated(rest);
        emit generation_finished(stats);
    };
}

}  // namespace ll
