#include "diagnostics/diagnostics_panel.h"

#include "diagnostics/attention_panel.h"
#include "diagnostics/needle_panel.h"
#include "diagnostics/perplexity_panel.h"
#include "diagnostics/positions_panel.h"
#include "reading_session.h"

namespace ll {

DiagnosticsPanel::DiagnosticsPanel(ReadingSession* session, QWidget* parent) : QTabWidget(parent) {
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

bool DiagnosticsPanel::show_view(const QString& name) {
    QWidget* view = name == "positions"    ? static_cast<QWidget*>(positions_)
                    : name == "attention"  ? static_cast<QWidget*>(attention_)
                    : name == "perplexity" ? static_cast<QWidget*>(perplexity_)
                    : name == "needle"     ? static_cast<QWidget*>(needle_)
                                           : nullptr;
    if (view) setCurrentWidget(view);
    return view != nullptr;
}

}  // namespace ll
