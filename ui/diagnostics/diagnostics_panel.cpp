#include "diagnostics/diagnostics_panel.h"

#include "diagnostics/needle_panel.h"
#include "diagnostics/perplexity_panel.h"
#include "diagnostics/positions_panel.h"
#include "reading_session.h"

namespace ll {

DiagnosticsPanel::DiagnosticsPanel(ReadingSession* session, QWidget* parent)
    : QTabWidget(parent) {
    setDocumentMode(true);
    positions_ = new PositionsPanel(session->model_service(), this);
    addTab(positions_, tr("Positions"));
    perplexity_ = new PerplexityPanel(session, this);
    addTab(perplexity_, tr("Perplexity"));
    needle_ = new NeedlePanel(session, this);
    addTab(needle_, tr("Needle grid"));
}

}  // namespace ll
