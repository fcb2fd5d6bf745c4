#include "review_session.h"

#include <QFileInfo>

#include "app_error.h"
#include "paper_reviewer.h"
#include "review_export.h"
#include "review_pdf.h"

namespace ll {

ReviewSession::ReviewSession(ModelService* service, QObject* parent)
    : QObject(parent), service_(service) {
    // A job that threw (the reviewer catches its own failures; this is the service's).
    connect(service_, &ModelService::job_failed, this, [this](const QString& message) {
        if (running_ < 0) return;
        if (running_ >= review_.parts.size()) {  // a part of an earlier review: nothing to mark
            running_ = -1;
            return next();
        }
        ReviewPart& p = review_.parts[running_];
        p.status = PartStatus::Failed;
        p.error = message;
        const int index = running_;
        running_ = -1;
        queue_.clear();
        emit part_changed(index);
        emit running_changed(false);
    });
}

void ReviewSession::start(std::shared_ptr<const Document> document, const QStringList& part_ids) {
    // A part of the last review still being written is cancelled; the new one starts when it
    // has ended (its job delivers, then next()).
    const bool busy = running();
    if (busy) cancel();
    ++generation_;
    document_ = std::move(document);
    review_ = Review{};
    queue_.clear();
    if (!document_) {
        emit reset();
        emit failed(tr("Open a paper first."));
        return;
    }
    const QString title = detect_paper_structure(*document_).title;
    review_.documents << ReviewDocument{
        document_->path, title.isEmpty() ? QFileInfo(document_->path).fileName() : title};
    const QList<ReviewPartSpec> specs = parse_parts(part_ids.join(','));
    for (const ReviewPartSpec& spec : specs) {
        ReviewPart p;
        p.id = spec.id;
        p.title = spec.title;
        review_.parts << p;
        queue_ << int(review_.parts.size() - 1);
    }
    emit reset();
    if (!busy) next();
}

void ReviewSession::regenerate(int index) {
    if (index < 0 || index >= review_.parts.size() || queue_.contains(index) || index == running_)
        return;
    queue_ << index;
    if (!running()) next();
}

void ReviewSession::cancel() {
    const QList<int> dropped = queue_;
    queue_.clear();
    for (int i : dropped)
        if (review_.parts[i].status == PartStatus::Pending) {
            review_.parts[i].status = PartStatus::Cancelled;
            emit part_changed(i);
        }
    if (running()) service_->cancel();  // the part ends at its next token and is delivered
}

void ReviewSession::next() {
    if (queue_.isEmpty() || !document_) {
        if (running_ != -1) running_ = -1;
        emit running_changed(false);
        return;
    }
    const int index = queue_.takeFirst();
    const ReviewPartSpec* spec = find_part(review_.parts[index].id);
    ReviewOptions options;
    options.max_tokens = max_tokens;
    options.prompt_dir = prompt_dir;
    std::shared_ptr<const Document> doc = document_;
    const ReviewPartSpec part_spec = *spec;
    try {
        const int generation = generation_;
        service_->run_job(
            [this, generation, index, doc, part_spec, options](const ModelJobContext& context) {
                ReviewCallbacks callbacks;
                callbacks.on_stage = [this, &context](const QString& stage) {
                    context.post([this, stage] { emit stage_changed(stage); });
                };
                callbacks.on_text = [this, generation, index, &context](const QString& text) {
                    context.post([this, generation, index, text] {
                        if (generation != generation_ || index != running_) return;
                        review_.parts[index].text += text;
                        emit part_text(index, text);
                    });
                };
                const PaperReviewer reviewer(*context.run, *doc, options);
                ReviewPart part = reviewer.write(part_spec, callbacks, context.cancel);
                return std::function<void()>(
                    [this, generation, index, part] { finish(generation, index, part); });
            });
    } catch (const AppError& e) {
        // No model, or the model busy with another job: this part and those waiting say so.
        const QString why = QString::fromUtf8(e.what());
        for (int i : QList<int>{index} + queue_) {
            review_.parts[i].status = PartStatus::Failed;
            review_.parts[i].error = why;
            emit part_changed(i);
        }
        queue_.clear();
        emit failed(why);
        emit running_changed(false);
        return;
    }
    running_ = index;
    ReviewPart& p = review_.parts[index];
    p.status = PartStatus::Running;
    p.text.clear();
    p.sentences.clear();
    p.citations.clear();
    p.error.clear();
    emit part_changed(index);
    emit running_changed(true);
}

void ReviewSession::finish(int generation, int index, ReviewPart part) {
    if (generation == generation_ && index < review_.parts.size()) {
        part.side = 0;
        review_.parts[index] = std::move(part);
        emit part_changed(index);
    }
    running_ = -1;
    next();
}

void ReviewSession::export_to(const QString& path) const {
    const QString format = export_format(path);
    if (format == "md") return write_text_file(path, review_markdown(review_));
    if (format == "html") return write_text_file(path, review_html(review_));
    if (!document_ || document_->format != DocumentFormat::Pdf)
        throw AppError(path, "only a PDF paper can be exported with highlights");
    write_annotated_pdf(review_, document_->path, path);
}

}  // namespace ll
