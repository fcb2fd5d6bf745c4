// One source under an answer: a small rounded button labelled with its number and place
// ("[1] 第十二条 · p. 5"); hovering shows the quoted passage, clicking shows it in the document.
#pragma once

#include <QPushButton>

#include "question_answerer.h"

namespace ll {

class CitationChip : public QPushButton {
    Q_OBJECT
  public:
    CitationChip(int number, const AnswerCitation& citation, QWidget* parent = nullptr);
    const AnswerCitation& citation() const { return citation_; }
    void set_current(bool current);  // the one F8 / Shift+F8 last moved to

  signals:
    void activated(const ll::AnswerCitation& citation);

  private:
    AnswerCitation citation_;
};

}  // namespace ll
