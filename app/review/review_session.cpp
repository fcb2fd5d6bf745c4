#include "review_session.h"

#include <QFileInfo>

#include "app_error.h"
#include "library_store.h"
#include "paper_reviewer.h"
#include "qa/conversation.h"
#include "review_export.h"
#include "review_runner.h"

namespace ll {

namespace {

QString paper_title(const Document& doc) {
    const QString title = detect_paper_structure(doc).title;
    return title.isEmpty() ? QFileInfo(doc.path).fileName() : title;
}

}  // namespace

ReviewSession::ReviewSession(ModelService* service, LibraryStore* store, QObject* parent)
    : QObject(parent), service_(service), store_(store) {
    // A job that threw (the reviewer catches its own failures; this is the service's).
    connect(service_, &ModelService::job_failed, this, [this](const QString& message) {
        if (running_ < 0) return;
        if (running_ >= review_.parts.size()) {  // a part of an earlier review: nothing to mark
            running_ = -1;
            return next();
        }
        const int index = running_;
        running_ = -1;
        fail_waiting(QList<int>{index} + queue_, message);
        next();
    });
    connect(&import_job_, &QFutureWatcher<ImportOutcome>::finished, this,
            &ReviewSession::paper_imported);
}

ReviewSession::~ReviewSession() {
    import_job_.waitForFinished();
}

std::shared_ptr<const Document> ReviewSession::document(int side) const {
    return side == 0 || side == 1 ? documents_[side] : nullptr;
}

void ReviewSession::start(std::shared_ptr<const Document> document, const QStringList& part_ids) {
    if (!document) {
        clear(nullptr);
        emit reset();
        emit failed(tr("Open a paper first."));
        return;
    }
    begin(std::move(document), {}, parse_parts(part_ids.join(',')), 1);
}

void ReviewSession::start_comparison(std::shared_ptr<const Document> a, const QString& path_b,
                                     const QStringList& aspect_ids) {
    if (!a) {
        clear(nullptr);
        emit reset();
        emit failed(tr("Open a paper first."));
        return;
    }
    QList<ReviewPartSpec> aspects;
    for (const ReviewPartSpec& spec : comparison_aspects())
        if (aspect_ids.isEmpty() || aspect_ids.contains(spec.id)) aspects << spec;
    begin(std::move(a), QFileInfo(path_b).absoluteFilePath(), aspects, 2);
}

// A new review (sides 1) or comparison (2) with `specs` waiting, each on every side in turn.
void ReviewSession::begin(std::shared_ptr<const Document> first, const QString& second_path,
                          const QList<ReviewPartSpec>& specs, int sides) {
    // A part of the last review still being written is cancelled; the new one starts when it
    // has ended (its job or import delivers, then next()).
    const bool busy = running();
    if (busy) cancel();
    clear(std::move(first));
    review_.documents << ReviewDocument{documents_[0]->path, paper_title(*documents_[0])};
    if (sides > 1)
        review_.documents << ReviewDocument{second_path, QFileInfo(second_path).fileName()};
    for (const ReviewPartSpec& spec : specs)
        for (int side = 0; side < sides; ++side) {
            ReviewPart p;
            p.id = spec.id;
            p.title = spec.title;
            p.side = side;
            review_.parts << p;
            queue_ << int(review_.parts.size() - 1);
        }
    emit reset();
    if (!busy) next();
}

// Nothing on show but `document` (as paper A, when given); a job still running delivers
// nothing into what follows.
void ReviewSession::clear(std::shared_ptr<const Document> document) {
    ++generation_;
    review_ = Review{};
    queue_.clear();
    stored_id_ = 0;
    written_ = false;
    documents_ = {std::move(document), nullptr};
    fingerprints_ = {documents_[0] ? document_fingerprint(*documents_[0]) : QString(), QString()};
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
    if (running_ >= 0) service_->cancel();  // the part ends at its next token and is delivered
}

void ReviewSession::next() {
    while (!queue_.isEmpty() && running_ < 0 && importing_ < 0) {
        const int index = queue_.first();
        const int side = review_.parts[index].side;
        if (!documents_[side]) return import_paper(side);  // next() again when it is in
        queue_.removeFirst();
        if (run_part(index)) return;
    }
    if (running()) return;
    keep();
    emit running_changed(false);
}

// Starts part `index` as a job; false when the service refused it (the parts waiting fail).
bool ReviewSession::run_part(int index) {
    ReviewPart& p = review_.parts[index];
    const ReviewPartSpec* spec = find_part(p.id);
    if (!spec) {
        fail_waiting({index}, tr("no part “%1” in this LongLens").arg(p.id));
        return false;
    }
    ReviewOptions options;
    options.max_tokens = max_tokens;
    options.prompt_dir = prompt_dir;
    std::shared_ptr<const Document> doc = documents_[p.side];
    const ReviewPartSpec part_spec = *spec;
    // The agreements aspect reads each paper against the other's results.
    QList<std::pair<QString, QString>> values;
    if (review_.comparison() && part_spec.id == "compare_claims")
        values << std::pair<QString, QString>{"other", other_paper_claims(review_, 1 - p.side)};
    const int generation = generation_;
    try {
        service_->run_job([this, generation, index, doc, part_spec, options,
                           values](const ModelJobContext& context) {
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
            ReviewPart part = reviewer.write(part_spec, callbacks, context.cancel, values);
            const QString model = QString::fromStdString(context.run->model->path());
            return std::function<void()>([this, generation, index, part, model] {
                if (generation == generation_) review_.model = model;  // exports name it
                finish(generation, index, part);
            });
        });
    } catch (const AppError& e) {
        // No model, or the model busy with another job: this part and those waiting say so.
        fail_waiting(QList<int>{index} + queue_, QString::fromUtf8(e.what()));
        return false;
    }
    running_ = index;
    p.status = PartStatus::Running;
    p.text.clear();
    p.sentences.clear();
    p.citations.clear();
    p.error.clear();
    emit part_changed(index);
    emit running_changed(true);
    return true;
}

void ReviewSession::fail_waiting(const QList<int>& parts, const QString& why) {
    for (int i : parts) {
        review_.parts[i].status = PartStatus::Failed;
        review_.parts[i].error = why;
        emit part_changed(i);
    }
    queue_.clear();
    emit failed(why);
}

void ReviewSession::import_paper(int side) {
    importing_ = side;
    import_generation_ = generation_;
    emit stage_changed(tr("Importing %1").arg(QFileInfo(review_.documents[side].path).fileName()));
    emit running_changed(true);
    import_job_.setFuture(import_async(review_.documents[side].path));
}

void ReviewSession::paper_imported() {
    const int side = importing_;
    importing_ = -1;
    const ImportOutcome outcome = import_job_.result();
    if (import_generation_ == generation_) {
        if (!outcome.document) {
            fail_waiting(queue_, outcome.error);
        } else {
            documents_[side] = outcome.document;
            fingerprints_[side] = document_fingerprint(*outcome.document);
            review_.documents[side].title = paper_title(*outcome.document);
            emit reset();  // the heading names the paper now
        }
    }
    next();
}

void ReviewSession::finish(int generation, int index, ReviewPart part) {
    if (generation == generation_ && index < review_.parts.size()) {
        part.side = review_.parts[index].side;
        written_ = written_ || part.status == PartStatus::Done;
        review_.parts[index] = std::move(part);
        emit part_changed(index);
    }
    running_ = -1;
    next();
}

void ReviewSession::keep() {
    if (!store_ || !written_ || review_.documents.isEmpty()) return;
    written_ = false;
    qint64 document_id = 0;
    if (auto d = store_->find_fingerprint(fingerprints_[0]))
        document_id = d->id;
    else if (documents_[0])
        document_id = store_->note_opened(
            fingerprints_[0], documents_[0]->path, QFileInfo(documents_[0]->path).fileName(),
            format_name(documents_[0]->format), describe_document(*documents_[0]));
    StoredReview stored{stored_id_,
                        fingerprints_[0],
                        review_.comparison() ? fingerprints_[1] : QString(),
                        {},
                        to_json(review_)};
    if (!document_id || !store_->save_review(document_id, stored)) {
        emit save_failed(store_->error());
        return;
    }
    stored_id_ = stored.id;
}

bool ReviewSession::show_document(std::shared_ptr<const Document> document) {
    if (!document) return !review_.parts.isEmpty();
    const QString fingerprint = document_fingerprint(*document);
    for (int side = 0; side < review_.documents.size(); ++side)
        if (fingerprints_[side] == fingerprint) {
            if (!documents_[side]) documents_[side] = document;
            return true;
        }
    if (running()) return true;  // the review being written stays until it is done
    const QList<StoredReview> kept = store_ ? store_->reviews(fingerprint) : QList<StoredReview>{};
    clear(nullptr);
    if (!kept.isEmpty()) {
        const StoredReview& newest = kept.first();
        review_ = review_from_json(newest.review);
        stored_id_ = newest.id;
        fingerprints_ = {newest.fingerprint, newest.other_fingerprint};
        documents_[fingerprint == newest.fingerprint ? 0 : 1] = document;
        // A part cut short when it was kept cannot be resumed: it shows as cancelled.
        for (ReviewPart& p : review_.parts)
            if (p.status == PartStatus::Running || p.status == PartStatus::Pending)
                p.status = PartStatus::Cancelled;
    }
    emit reset();
    return !review_.parts.isEmpty();
}

QStringList ReviewSession::export_to(const QString& path) const {
    QStringList files;
    for (const auto& [file, highlights] : export_review(review_, path)) files << file;
    return files;
}

bool ReviewSession::offered(const PaperStructure& paper) const {
    return looks_like_a_paper(paper) || running() || !review_.parts.isEmpty();
}

bool ReviewSession::complete() const {
    if (review_.parts.isEmpty()) return false;
    for (const ReviewPart& p : review_.parts)
        if (p.status != PartStatus::Done) return false;
    return true;
}

QString ReviewSession::outcome() const {
    const bool comparison = review_.comparison();
    if (review_.parts.isEmpty())
        return review_.documents.isEmpty()
                   ? QString()
                   : tr("Nothing to write: no part or aspect of those names.");
    if (complete()) return comparison ? tr("Comparison ready.") : tr("Review ready.");
    int done = 0, failed = 0;
    QString why;
    for (const ReviewPart& p : review_.parts) {
        done += p.status == PartStatus::Done;
        if (p.status == PartStatus::Failed && failed++ == 0) why = p.error;
    }
    const int total = int(review_.parts.size());
    if (failed > 0) return tr("%1 of %2 parts failed: %3").arg(failed).arg(total).arg(why);
    return tr("Stopped: %1 of %2 parts written.").arg(done).arg(total);
}

}  // namespace ll
