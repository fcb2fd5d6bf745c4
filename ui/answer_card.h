// One answer in the answer panel: the question, the answer as it streams in, which model
// made it, a status line (context, speed, interrupted, not saved) and the citation chips.
// Its context menu copies the answer with its citations (Markdown or JSON).
#pragma once

#include <QFrame>

#include "qa/conversation.h"
#include "question_answerer.h"

class QLabel;

namespace ll {

class CitationChip;
class FlowLayout;

class AnswerCard : public QFrame {
    Q_OBJECT
  public:
    AnswerCard(const AnswerRecord& record, QWidget* parent = nullptr);

    void append_text(const QString& text);
    void set_status(const QString& status);
    // A warning about what the answer rests on (a thin context); empty hides it.
    void set_warning(const QString& warning);
    QString warning() const;
    void set_citations(const QList<AnswerCitation>& citations);
    QString answer_text() const;
    const QList<CitationChip*>& chips() const { return chips_; }

  signals:
    void citation_activated(const ll::AnswerCitation& citation);
    // "Copy with citations" (Markdown) or "Copy as JSON" was chosen.
    void copy_requested(bool json);

  protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

  private:
    QLabel* answer_;
    QLabel* status_;
    QLabel* warning_;
    QWidget* chip_box_;
    FlowLayout* chip_flow_;
    QList<CitationChip*> chips_;
    QString text_;
};

}  // namespace ll
