// The Diagnostics dock's body: one tab per view — what the positions do (Positions), where
// the last answer looked (Attention), perplexity along the document, the needle grid
// (issue 17).
#pragma once

#include <QTabWidget>

namespace ll {

class AttentionPanel;
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
    AttentionPanel* attention() const { return attention_; }
    // Shows the view named positions, attention, perplexity or needle; false for another name.
    bool show_view(const QString& name);
    NeedlePanel* needle() const { return needle_; }

  private:
    PositionsPanel* positions_;
    PerplexityPanel* perplexity_;
    AttentionPanel* attention_;
    NeedlePanel* needle_;
};

}  // namespace ll
