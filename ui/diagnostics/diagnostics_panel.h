// The Diagnostics dock's body: one tab per view. Attention over the
// document and the needle grid join Positions and Perplexity as they are built (issue 17).
#pragma once

#include <QTabWidget>

namespace ll {

class PerplexityPanel;
class PositionsPanel;
class ReadingSession;

class DiagnosticsPanel : public QTabWidget {
    Q_OBJECT
  public:
    explicit DiagnosticsPanel(ReadingSession* session, QWidget* parent = nullptr);

    PositionsPanel* positions() const { return positions_; }
    PerplexityPanel* perplexity() const { return perplexity_; }

  private:
    PositionsPanel* positions_;
    PerplexityPanel* perplexity_;
};

}  // namespace ll
