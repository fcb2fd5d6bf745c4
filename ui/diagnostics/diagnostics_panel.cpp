#include "diagnostics/diagnostics_panel.h"

#include "diagnostics/attention_panel.h"
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
    attention_ = new AttentionPanel(session->answerer(), this);
    addTab(attention_, tr("Attention"));
    perplexity_ = new PerplexityPanel(session, this);
    addTab(perplexity_, tr("Perplexity"));
    needle_ = new NeedlePanel(session, this);
    addTab(needle_, tr("Needle grid"));
}

}  // namespace ll
