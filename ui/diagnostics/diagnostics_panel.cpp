#include "diagnostics/diagnostics_panel.h"

#include "diagnostics/positions_panel.h"

namespace ll {

DiagnosticsPanel::DiagnosticsPanel(ModelService* service, QWidget* parent)
    : QTabWidget(parent) {
    setDocumentMode(true);
    positions_ = new PositionsPanel(service, this);
    addTab(positions_, tr("Positions"));
}

}  // namespace ll
