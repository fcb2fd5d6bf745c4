// The review panel's state: one review of the open paper, or two papers compared, its parts
// written one at a time as jobs on the ModelService (so they share the model, its thread,
// busy state and cancel), each streaming its text, then its sentences' citations. A part can
// be written again on its own (Regenerate); Cancel stops the part in progress and drops the
// ones waiting. A comparison's second paper is imported off the GUI thread when a part needs
// it. A finished review is kept in the library with its paper and shown again when the paper
// is opened again. The panel renders this and sends it intents; tested without a window.
#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QObject>

#include <array>
#include <memory>

#include "document_import.h"
#include "documents/document.h"
#include "model_service.h"
#include "review.h"
#include "review_prompts.h"

namespace ll {

class LibraryStore;
struct ReviewPartSpec;

class ReviewSession : public QObject {
    Q_OBJECT
  public:
    // `store`: where finished reviews are kept (none: they are not kept).
    explicit ReviewSession(ModelService* service, LibraryStore* store = nullptr,
                           QObject* parent = nullptr);
    ~ReviewSession() override;  // waits for a running import

    // A new review of `document`: the parts named (all when empty) pending, then written in
    // order. Emits failed() when no model is loaded or the model is busy.
    void start(std::shared_ptr<const Document> document, const QStringList& part_ids = {});
    // `a` compared with the paper at `path_b` on the aspects named (ids of
    // comparison_aspects(); all when empty), each aspect on A then on B, each side cited in
    // its own paper. B is imported first; a failed import fails the parts with its message.
    void start_comparison(std::shared_ptr<const Document> a, const QString& path_b,
                          const QStringList& aspect_ids = {});
    // Writes part `index` again (after the parts already waiting); the kept review is
    // rewritten with it.
    void regenerate(int index);
    // Stops the part in progress (kept as written so far, marked cancelled) and the queue.
    void cancel();
    // The open document changed. A review in hand that reads it (either paper of a
    // comparison), or one being written, stays; else the newest review or comparison the
    // library keeps for it is shown, or none. Returns whether a review is shown.
    bool show_document(std::shared_ptr<const Document> document);

    // Whether the Review panel is offered with `paper` open: it reads as a paper, or a review
    // is being written or shown.
    bool offered(const PaperStructure& paper) const;

    const Review& review() const { return review_; }
    // The paper of `side`, when imported in this session (a review shown from the library
    // has its papers' paths only, until a part needs them).
    std::shared_ptr<const Document> document(int side = 0) const;
    bool running() const { return running_ >= 0 || importing_ >= 0; }
    // The library id of the review on show (0: not kept, or no library).
    qint64 stored_id() const { return stored_id_; }
    // Writes the review as .md, .html or .pdf (the paper with its highlights; a comparison's
    // as NAME-A.pdf and NAME-B.pdf) and returns the files written. Throws AppError.
    QStringList export_to(const QString& path) const;
    // What the last run came to, for the status line once it is not running: "Review ready."
    // only when every part was written; else which parts failed or were cancelled and why.
    // Empty before any run.
    QString outcome() const;
    bool complete() const;  // every part written

    int max_tokens = 256;
    QString prompt_dir = review_prompt_dir();

  signals:
    void reset();                                    // a new review: the parts were replaced
    void part_changed(int index);                    // status, text or citations of a part changed
    void part_text(int index, const QString& text);  // a streamed piece of its text
    void stage_changed(const QString& stage);
    void running_changed(bool running);
    void failed(const QString& message);
    void save_failed(const QString& message);  // could not be kept; it stays on screen

  private:
    void begin(std::shared_ptr<const Document> first, const QString& second_path,
               const QList<ReviewPartSpec>& specs, int sides);
    void next();  // starts the first waiting part (importing its paper first), if any
    bool run_part(int index);
    void import_paper(int side);
    void paper_imported();
    void fail_waiting(const QList<int>& parts, const QString& why);
    void finish(int generation, int index, ReviewPart part);
    void keep();  // stores the review in the library when a part was written since
    void clear(std::shared_ptr<const Document> document);

    ModelService* service_;
    LibraryStore* store_;
    std::array<std::shared_ptr<const Document>, 2> documents_;
    std::array<QString, 2> fingerprints_;  // of the papers' content (library keys)
    Review review_;
    QList<int> queue_;
    int running_ = -1;
    int generation_ = 0;  // of the review in hand: a job of an earlier one delivers nothing
    QFutureWatcher<ImportOutcome> import_job_;
    int importing_ = -1;  // the side being imported
    int import_generation_ = 0;
    qint64 stored_id_ = 0;
    bool written_ = false;  // a part was written since the review was last kept
};

}  // namespace ll
