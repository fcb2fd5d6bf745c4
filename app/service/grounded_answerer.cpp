#include "grounded_answerer.h"

#include <QElapsedTimer>

#include "qa/answer.h"
#include "qa/context_plan.h"

namespace ll {

struct GroundedAnswerer::Prepared {
    // The answerer refers to the model and the document: keep both alive with it.
    std::shared_ptr<const Model> model;
    std::shared_ptr<const Document> document;
    std::string scaling;
    std::string attention;
    KvType kv_type = KvType::F32;
    int64_t window = 0;
    std::unique_ptr<DocumentAnswerer> answerer;

    bool matches(const ModelJobContext& c, const QuestionRequest& r) const {
        return model == c.model && document == r.document && window == c.window &&
               scaling == format_scaling_spec(c.scaling->spec) &&
               attention == c.attention->to_string() && kv_type == c.kv_type;
    }
};

namespace {

AnswerCitation to_answer_citation(const Document& doc, const Citation& c) {
    AnswerCitation out = make_citation(doc, c.start, c.end);
    out.score = c.score;
    return out;
}

QString plan_description(const ContextPlan& plan) {
    if (plan.mode == ContextMode::Full)
        return QObject::tr("Whole document, %L1 tokens").arg(plan.tokens);
    return QObject::tr("%n retrieved passage(s), %L1 tokens", nullptr, int(plan.passages.size()))
        .arg(plan.tokens);
}

ContextMode mode_of(const QString& name) {
    try {
        return parse_mode(name);
    } catch (const std::exception&) {
        return ContextMode::Auto;  // an old or hand-edited setting
    }
}

}  // namespace

GroundedAnswerer::GroundedAnswerer(ModelService* service, QObject* parent)
    : QuestionAnswerer(parent), service_(service) {
    // A new model or scaling makes the prepared document prefix useless; drop it (and its
    // KV cache) when the service is idle, i.e. not inside a job that uses it.
    connect(service_, &ModelService::loaded, this, [this] { prepared_.reset(); });
    connect(service_, &ModelService::summary_changed, this, [this] { prepared_.reset(); });
    connect(service_, &ModelService::job_failed, this, &QuestionAnswerer::failed);
}

GroundedAnswerer::~GroundedAnswerer() = default;

QString GroundedAnswerer::description() const {
    return tr("Answers from the document, with the passages the model attended to as sources. "
              "Click a source (F8 / Shift+F8) to see it highlighted.");
}

void GroundedAnswerer::cancel() { service_->cancel(); }

void GroundedAnswerer::ask(const QuestionRequest& request) {
    if (!request.document) {
        emit failed(tr("Open a document first."));
        return;
    }
    QString error;
    // Read here, on the GUI thread; the job gets its own reference.
    std::shared_ptr<Prepared> prepared = prepared_;
    const bool started = service_->run_job(
        [this, request, prepared](const ModelJobContext& context) {
            return run(request, prepared, context);
        },
        &error);
    if (!started) emit failed(error);
}

std::function<void()> GroundedAnswerer::run(const QuestionRequest& request,
                                            std::shared_ptr<Prepared> prepared,
                                            const ModelJobContext& context) {
    if (!prepared || !prepared->matches(context, request)) {
        context.post([this] { emit stage_changed(tr("Indexing the document")); });
        prepared = std::make_shared<Prepared>();
        prepared->model = context.model;
        prepared->document = request.document;
        prepared->scaling = format_scaling_spec(context.scaling->spec);
        prepared->window = context.window;
        prepared->answerer = std::make_unique<DocumentAnswerer>(
            *context.model, PositionEncoding(context.scaling->spec, context.model->config().rope),
            context.window, *request.document);
        prepared->attention = context.attention->to_string();
        prepared->answerer->set_attention_variant(*context.attention);
        prepared->kv_type = context.kv_type;
        prepared->answerer->set_kv_type(context.kv_type);
        prepared->answerer->set_prefix_cache(cache_dir);
    }
    const Document& doc = *request.document;
    AnswerOptions options;
    options.mode = mode_of(request.context_mode);
    options.max_answer_tokens = max_answer_tokens;

    QElapsedTimer decode_clock;
    int64_t pieces = 0;
    AnswerCallbacks callbacks;
    callbacks.on_plan = [&](const ContextPlan& plan) {
        QList<AnswerCitation> passages;
        for (const Passage& p : plan.passages) passages << make_citation(doc, p.start, p.end);
        const QString text = plan_description(plan);
        context.post([this, text, passages] { emit context_planned(text, passages); });
    };
    callbacks.on_prefill = [&](const EvalProgress& p) {
        context.post([this, p] { emit prefill_progress(p.done, p.total, p.seconds); });
    };
    callbacks.on_text = [&](const QString& text) {
        if (!decode_clock.isValid()) decode_clock.start();
        const int64_t n = ++pieces;
        const double seconds = decode_clock.nsecsElapsed() / 1e9;
        context.post([this, text, n, seconds] {
            emit answer_text(text);
            emit decode_progress(n, seconds);
        });
    };
    const Answer answer =
        prepared->answerer->ask(request.question, options, callbacks, context.cancel);

    QList<AnswerCitation> citations;
    for (const Citation& c : answer.citations) citations << to_answer_citation(doc, c);
    AnswerTimes times;
    times.prompt_tokens = answer.prompt_tokens;
    times.reused_tokens = answer.timing.reused_tokens;
    times.reused_from_disk = answer.timing.cache == CacheUse::Loaded;
    times.prefill_seconds = answer.timing.prefill_s;
    times.answer_tokens = answer.timing.decode_tokens;
    times.decode_seconds = answer.timing.decode_s;
    times.cancelled = answer.end == AnswerEnd::Cancelled;
    return [this, prepared, citations, times] {
        prepared_ = prepared;  // kept: the next question reuses the prefilled document
        emit answered(citations, times);
    };
}

}  // namespace ll
