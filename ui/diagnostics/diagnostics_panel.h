// The Diagnostics dock's body: one tab per view. Positions today; attention over the
// document, perplexity along it and the needle grid join it as they are built (issue 17).
#pragma once

#include <QTabWidget>

namespace ll {

class ModelService;
class PositionsPanel;

class DiagnosticsPanel : public QTabWidget {
    Q_OBJECT
  public:
    explicit DiagnosticsPanel(ModelService* service, QWidget* parent = nullptr);

    PositionsPanel* positions() const { return positions_; }

  private:
    PositionsPanel* positions_;
};

}  // namespace ll
