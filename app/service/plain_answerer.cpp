#include "plain_answerer.h"

namespace ll {

qsizetype passage_start(const QString& text, qsizetype focus) {
    focus = std::clamp<qsizetype>(focus, 0, text.size());
    const qsizetype blank = text.lastIndexOf(QStringLiteral("\n\n"), focus > 0 ? focus - 1 : 0);
    if (blank >= 0 && focus - blank < 4000) return blank + 2;
    const qsizetype line = text.lastIndexOf(QLatin1Char('\n'), focus > 0 ? focus - 1 : 0);
    return line >= 0 ? line + 1 : 0;
}

PlainAnswerer::PlainAnswerer(ModelService* service, QObject* parent)
    : QuestionAnswerer(parent), service_(service) {}

QString PlainAnswerer::description() const {
    return tr("Plain generation: the model continues the passage in view followed by your "
              "question. Grounded answers with citations arrive with the QA service.");
}

void PlainAnswerer::ask(const QuestionRequest& request) {
    if (!request.document) {
        emit failed(tr("Open a document first."));
        return;
    }
    if (!service_->has_model()) {
        emit failed(tr("Load a model first (Model ▸ Open Model…)."));
        return;
    }
    document_ = request.document;
    const QString& text = document_->text;
    context_start_ = passage_start(text, request.focus);
    // Generous in characters; the service cuts it to whole tokens that fit the window.
    const qsizetype chars = std::min<qsizetype>(text.size() - context_start_,
                                                service_->summary().usable_window() * 4);
    GenerationRequest g;
    g.context = text.mid(context_start_, chars);
    g.tail = QStringLiteral("\n\nQuestion: %1\nAnswer:").arg(request.question.trimmed());
    g.max_new_tokens = max_new_tokens;
    connect_job();
    service_->generate(g);
}

void PlainAnswerer::cancel() { service_->cancel(); }

void PlainAnswerer::connect_job() {
    disconnect_job();
    auto* s = service_;
    job_connections_ << connect(s, &ModelService::prefill_progress, this,
                                &QuestionAnswerer::prefill_progress);
    job_connections_ << connect(s, &ModelService::text_generated, this,
                                &QuestionAnswerer::answer_text);
    job_connections_ << connect(s, &ModelService::decode_progress, this,
                                &QuestionAnswerer::decode_progress);
    job_connections_ << connect(s, &ModelService::generation_failed, this,
                                [this](const QString& message) {
                                    disconnect_job();
                                    emit failed(message);
                                });
    job_connections_ << connect(s, &ModelService::generation_finished, this,
                                [this](const GenerationStats& stats) {
                                    disconnect_job();
                                    const AnswerCitation passage = make_citation(
                                        *document_, context_start_,
                                        context_start_ + stats.context_chars);
                                    emit context_planned(
                                        tr("Passage in view, %1 tokens (plain generation)")
                                            .arg(stats.context_tokens),
                                        {passage});
                                    AnswerTimes t{stats.prompt_tokens, stats.prefill_seconds,
                                                   stats.new_tokens, stats.decode_seconds,
                                                   stats.cancelled};
                                    emit answered({passage}, t);
                                });
}

void PlainAnswerer::disconnect_job() {
    for (const auto& c : job_connections_) disconnect(c);
    job_connections_.clear();
}

}  // namespace ll
