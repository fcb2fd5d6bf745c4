// The review panel (issue 19): Review Paper writes a grounded review of the open paper, its
// parts streaming in one after another, each with its citation chips (clicking one lights
// the span up on the page), a Regenerate button per part, Cancel and Export… (Markdown,
// HTML, or the PDF with a highlight per cited span). Compare… sets the open paper against
// another: each aspect for paper A, then B, each side's chips citing its own paper. The
// review kept in the library for the open paper is shown again. The state is
// ReviewSession's (app/).
#pragma once

#include <QList>
#include <QWidget>

#include <memory>

#include "documents/document.h"
#include "review.h"

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace ll {

class LibraryStore;
class ModelService;
class ReviewPartView;
class ReviewSession;

class ReviewPanel : public QWidget {
    Q_OBJECT
  public:
    ReviewPanel(ModelService* service, LibraryStore* store, QWidget* parent = nullptr);

    ReviewSession* session() const { return session_; }
    QPushButton* review_button() const { return review_; }
    QPushButton* cancel_button() const { return cancel_; }
    QPushButton* export_button() const { return export_; }
    QPushButton* compare_button() const { return compare_; }
    ReviewPartView* part_view(int index) const { return views_.value(index); }
    int part_count() const { return int(views_.size()); }
    QString message_text() const;

    // The paper Review Paper reviews (the open document).
    void set_document(std::shared_ptr<const Document> document);
    // Starts a review of the open paper (all parts, or those named).
    void review(const QStringList& part_ids = {});
    // Compares the open paper with the paper at `path` (all aspects, or those named).
    void compare_with(const QString& path, const QStringList& aspect_ids = {});
    // Writes the review to `path` (.md, .html, .pdf); false with the reason shown.
    bool export_to(const QString& path);

  signals:
    // A chip was clicked: `side` is the paper it cites (0; 1 for a comparison's paper B).
    void citation_activated(const ll::AnswerCitation& citation, int side);
    void compare_requested();  // Compare…: the window asks which paper
    void finished();           // the last waiting part ended

  private:
    void rebuild();
    void show_message(const QString& text, bool error = false);
    QString intro() const;  // what the panel is for, shown while it is empty
    void choose_export();

    ReviewSession* session_;
    std::shared_ptr<const Document> document_;
    QLabel* heading_;
    QLabel* message_;
    QPushButton* review_;
    QPushButton* cancel_;
    QPushButton* export_;
    QPushButton* compare_;
    QWidget* parts_;
    QVBoxLayout* parts_layout_;
    QList<ReviewPartView*> views_;
    bool not_kept_ = false;  // the last keeping in the library failed
};

}  // namespace ll
