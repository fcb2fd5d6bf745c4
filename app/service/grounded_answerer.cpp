#include "grounded_answerer.h"

#include <QElapsedTimer>

#include "app_error.h"
#include "qa/answer.h"
#include "qa/calibration_file.h"
#include "qa/context_plan.h"
#include "qa/model_run.h"

namespace ll {

namespace {

// What a prepared document depends on: the run without the context mode, which only
// changes what a question plans, not the session that holds the document.
RunConfig preparation_of(const RunConfig& config) {
    RunConfig key = config;
    key.context = ContextMode::Auto;
    return key;
}

}  // namespace

struct GroundedAnswerer::Prepared {
    // The answerer refers to the model and the document: keep both alive with it.
    std::shared_ptr<const ModelRun> run;
    std::shared_ptr<const Document> document;
    std::unique_ptr<DocumentAnswerer> answerer;
    // The depth curves of the answers asked of this document so far (the conversation's
    // "lost in the middle" mean).
    std::vector<std::vector<double>> depth_curves;

    bool matches(const ModelRun& r, const QuestionRequest& q) const {
        return run->model == r.model && document == q.document &&
               preparation_of(run->config) == preparation_of(r.config);
    }
};

namespace {

AnswerCitation to_answer_citation(const Document& doc, const Citation& c) {
    AnswerCitation out = make_citation(doc, c.start, c.end);
    out.score = c.score;
    return out;
}

QString plan_description(const ContextPlan& plan) {
    QString text =
        plan.mode == ContextMode::Full
            ? QObject::tr("Whole document, %L1 tokens").arg(plan.tokens)
            : QObject::tr("%n retrieved passage(s), %L1 tokens", nullptr, int(plan.passages.size()))
                  .arg(plan.tokens);
    // What the question named and what did not fit, as describe_plan says it.
    const QString more = describe_plan(plan);
    const qsizetype rest = more.indexOf(QStringLiteral(" · "));
    return rest < 0 ? text : text + more.mid(rest);
}

}  // namespace

GroundedAnswerer::GroundedAnswerer(ModelService* service, QObject* parent)
    : QuestionAnswerer(parent), calibration_dir(default_calibration_dir()), service_(service) {
    // A new model or scaling makes the prepared document prefix useless; drop it (and its
    // KV cache) when the service is idle, i.e. not inside a job that uses it.
    connect(service_, &ModelService::loaded, this, [this] { prepared_.reset(); });
    connect(service_, &ModelService::summary_changed, this, [this] { prepared_.reset(); });
    connect(service_, &ModelService::job_failed, this, &QuestionAnswerer::failed);
}

GroundedAnswerer::~GroundedAnswerer() = default;

QString GroundedAnswerer::description() const {
    return tr(
        "Answers from the document, with the passages the model attended to as sources. "
        "Click a source (F8 / Shift+F8) to see it highlighted.");
}

void GroundedAnswerer::cancel() {
    service_->cancel();
}

void GroundedAnswerer::ask(const QuestionRequest& request) {
    if (!request.document) {
        emit failed(tr("Open a document first."));
        return;
    }
    // Read here, on the GUI thread; the job gets its own reference.
    std::shared_ptr<Prepared> prepared = prepared_;
    try {
        service_->run_job([this, request, prepared](const ModelJobContext& context) {
            return run(request, prepared, context);
        });
    } catch (const AppError& e) {
        emit failed(QString::fromStdString(e.what()));
    }
}

std::function<void()> GroundedAnswerer::run(const QuestionRequest& request,
                                            std::shared_ptr<Prepared> prepared,
                                            const ModelJobContext& context) {
    const ModelRun& run = *context.run;
    if (!prepared || !prepared->matches(run, request)) {
        context.post([this] { emit stage_changed(tr("Indexing the document")); });
        prepared = std::make_shared<Prepared>();
        prepared->run = context.run;
        prepared->document = request.document;
        prepared->answerer = run.answerer(*request.document, cache_dir);
    }
    const Document& doc = *request.document;
    AnswerOptions options;
    options.mode = run.config.context;
    options.max_answer_tokens = max_answer_tokens;
    // The model's learned head weights when it has been calibrated (a refused file leaves
    // the heuristic; Model ▸ Calibrate Citations… says why).
    options.attribution.calibration =
        load_model_calibration(QString::fromStdString(run.model->path()), calibration_dir)
            .calibration;

    QElapsedTimer decode_clock;

    AnswerCallbacks callbacks;
    callbacks.on_plan = [&](const ContextPlan& plan) {
        QList<AnswerCitation> passages;
        for (const Passage& p : plan.passages) passages << make_citation(doc, p.start, p.end);
        const QString text = plan_description(plan);
        const QString thin = plan.thin;
        context.post([this, text, passages, thin] {
            emit context_planned(text, passages);
            if (!thin.isEmpty()) emit context_warning(tr("Thin context: %1").arg(thin));
        });
    };
    callbacks.on_prefill = [&](const EvalProgress& p) {
        context.post([this, p] { emit prefill_progress(p.done, p.total, p.seconds); });
    };
    callbacks.on_text = [&](const QString& text) {
        context.post([this, text] { emit answer_text(text); });
    };
    callbacks.on_token = [&](int64_t tokens) {
        if (!decode_clock.isValid()) decode_clock.start();
        const double seconds = decode_clock.nsecsElapsed() / 1e9;
        context.post([this, tokens, seconds] { emit decode_progress(tokens, seconds); });
    };
    const Answer answer =
        prepared->answerer->ask(request.question, options, callbacks, context.cancel);

    QList<AnswerCitation> citations;
    for (const Citation& c : answer.citations) citations << to_answer_citation(doc, c);
    distinguish_labels(doc, citations);
    AnswerTimes times;
    times.prompt_tokens = answer.prompt_tokens;
    times.reused_tokens = answer.timing.reused_tokens;
    times.reused_from_disk = answer.timing.cache == CacheUse::Loaded;
    times.prefill_seconds = answer.timing.prefill_s;
    times.answer_tokens = answer.timing.decode_tokens;
    times.decode_seconds = answer.timing.decode_s;
    times.cancelled = answer.end == AnswerEnd::Cancelled;
    std::shared_ptr<const AttentionReport> report;
    if (answer.end != AnswerEnd::Cancelled) {
        prepared->depth_curves.push_back(answer.attention.by_depth);
        std::vector<double> mean(answer.attention.by_depth.size(), 0.0);
        for (const auto& curve : prepared->depth_curves)
            for (size_t i = 0; i < mean.size() && i < curve.size(); ++i)
                mean[i] += curve[i] / double(prepared->depth_curves.size());
        report = std::make_shared<const AttentionReport>(doc, answer, request.question, mean,
                                                         int(prepared->depth_curves.size()));
    }
    return [this, prepared, citations, times, report] {
        prepared_ = prepared;  // kept: the next question reuses the prefilled document
        emit answered(citations, times);
        if (report) emit attention_ready(report);
    };
}

}  // namespace ll
