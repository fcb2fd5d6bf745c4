// The Diagnostics dock's body: one tab per view — where the last answer looked (Attention),
// what the positions do (Positions), perplexity along the document (issue 17).
#pragma once

#include <QTabWidget>

namespace ll {

class AttentionPanel;
class PerplexityPanel;
class PositionsPanel;
class ReadingSession;

class DiagnosticsPanel : public QTabWidget {
    Q_OBJECT
  public:
    explicit DiagnosticsPanel(ReadingSession* session, QWidget* parent = nullptr);

    PositionsPanel* positions() const { return positions_; }
    PerplexityPanel* perplexity() const { return perplexity_; }
    AttentionPanel* attention() const { return attention_; }

  private:
    PositionsPanel* positions_;
    PerplexityPanel* perplexity_;
    AttentionPanel* attention_;
};

}  // namespace ll
