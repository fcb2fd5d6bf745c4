// The review panel's state: one review of the open paper, its parts written one at a time as
// jobs on the ModelService (so they share the model, its thread, busy state and cancel), each
// streaming its text, then its sentences' citations. A part can be written again on its own
// (Regenerate); Cancel stops the part in progress and drops the ones waiting. The panel
// renders this and sends it intents; tested without a window.
#pragma once

#include <QList>
#include <QObject>

#include <memory>

#include "documents/document.h"
#include "model_service.h"
#include "review.h"
#include "review_prompts.h"

namespace ll {

class ReviewSession : public QObject {
    Q_OBJECT
  public:
    explicit ReviewSession(ModelService* service, QObject* parent = nullptr);

    // A new review of `document`: the parts named (all when empty) pending, then written in
    // order. Emits failed() when no model is loaded or the model is busy.
    void start(std::shared_ptr<const Document> document, const QStringList& part_ids = {});
    // Writes part `index` again (after the parts already waiting).
    void regenerate(int index);
    // Stops the part in progress (kept as written so far, marked cancelled) and the queue.
    void cancel();

    const Review& review() const { return review_; }
    std::shared_ptr<const Document> document() const { return document_; }
    bool running() const { return running_ >= 0; }
    // Writes the review as .md, .html or .pdf (the paper with its highlights). Throws AppError.
    void export_to(const QString& path) const;

    int max_tokens = 256;
    QString prompt_dir = review_prompt_dir();

  signals:
    void reset();                                    // a new review: the parts were replaced
    void part_changed(int index);                    // status, text or citations of a part changed
    void part_text(int index, const QString& text);  // a streamed piece of its text
    void stage_changed(const QString& stage);
    void running_changed(bool running);
    void failed(const QString& message);

  private:
    void next();  // starts the first waiting part, if any
    void finish(int generation, int index, ReviewPart part);

    ModelService* service_;
    std::shared_ptr<const Document> document_;
    Review review_;
    QList<int> queue_;
    int running_ = -1;
    int generation_ = 0;  // of the review in hand: a job of an earlier one delivers nothing
};

}  // namespace ll
