// The Diagnostics dock's body: one tab per view (Positions, Perplexity, Needle grid).
// Attention over the document joins them when it is built (issue 17).
#pragma once

#include <QTabWidget>

namespace ll {

class NeedlePanel;
class PerplexityPanel;
class PositionsPanel;
class ReadingSession;

class DiagnosticsPanel : public QTabWidget {
    Q_OBJECT
  public:
    explicit DiagnosticsPanel(ReadingSession* session, QWidget* parent = nullptr);

    PositionsPanel* positions() const { return positions_; }
    PerplexityPanel* perplexity() const { return perplexity_; }
    NeedlePanel* needle() const { return needle_; }

  private:
    PositionsPanel* positions_;
    PerplexityPanel* perplexity_;
    NeedlePanel* needle_;
};

}  // namespace ll
