// One exchange in the answer panel: the question, the answer as it streams in, a status
// line (context, speed, interrupted) and the citation chips.
#pragma once

#include <QFrame>

#include "conversation_store.h"

class QLabel;

namespace ll {

class CitationChip;
class FlowLayout;

class AnswerCard : public QFrame {
    Q_OBJECT
  public:
    AnswerCard(const Exchange& exchange, QWidget* parent = nullptr);

    void append_text(const QString& text);
    void set_status(const QString& status);
    void set_citations(const QList<AnswerCitation>& citations);
    QString answer_text() const;
    const QList<CitationChip*>& chips() const { return chips_; }

  signals:
    void citation_activated(const ll::AnswerCitation& citation);

  private:
    QLabel* answer_;
    QLabel* status_;
    QWidget* chip_box_;
    FlowLayout* chip_flow_;
    QList<CitationChip*> chips_;
    QString text_;
};

}  // namespace ll
