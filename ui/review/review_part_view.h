// One part of a review in the review panel: its title and state, its text as it streams
// (each sentence followed by the numbers of its sources), its citation chips — clicking one
// highlights the span on the page, as an answer's chips do — what it read, and Regenerate.
// Draws a ReviewPart (app/review/review.h).
#pragma once

#include <QWidget>

#include "review.h"

class QLabel;
class QPushButton;

namespace ll {

class CitationChip;
class FlowLayout;

class ReviewPartView : public QWidget {
    Q_OBJECT
  public:
    explicit ReviewPartView(QWidget* parent = nullptr);

    void show_part(const ReviewPart& part);
    // In a comparison: the paper the part reads ("A"), named after its title, with the
    // paper's full title as the tooltip.
    void set_paper(const QString& letter, const QString& title);
    void append_text(const QString& text);  // a streamed piece while the part is written

    QString text() const;
    QString status_text() const;
    QList<CitationChip*> chips() const;
    QPushButton* regenerate_button() const { return regenerate_; }

  signals:
    void citation_activated(const ll::AnswerCitation& citation);
    void regenerate_requested();

  private:
    void show_chips(const ReviewPart& part);

    QString paper_;  // "A" or "B" in a comparison
    QLabel* title_;
    QLabel* status_;
    QLabel* text_;
    QString streamed_;
    QWidget* chips_;
    FlowLayout* chip_layout_;
    QLabel* context_;
    QPushButton* regenerate_;
};

}  // namespace ll
