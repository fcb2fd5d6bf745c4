// A grid of outcomes as data: what the needle grid (needle_grid.h) shows, written by the CLI
// as SVG (heatmap_svg.h) or CSV and drawn by the GUI with QPainter (ui/diagnostics/
// heatmap_view.h) from the same value. Rows run top to bottom (the needle's depth), columns
// left to right (the context length); one panel per run (scaling method, attention variant).
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace ll {

// Green: found and cited; amber: found (or cited) but not both; red: missed; pending: not run
// yet (or cancelled before it finished).
enum class CellOutcome { Pending, Pass, Partial, Fail };
const char* to_string(CellOutcome outcome);  // "pending", "pass", "partial", "fail"
// Background colours in the classic layout (colour-blind-distinguishable by lightness too).
const char* heatmap_colour(CellOutcome outcome);

struct HeatmapCell {
    CellOutcome outcome = CellOutcome::Pending;
    double value = 0;  // 0..1: 1 found and cited, 0.5 one of the two, 0 neither
    QString text;      // short text in the cell (e.g. "✓", "½", "✗")
    QString detail;    // tooltip / CSV: the answer, where the citation fell
};

struct HeatmapPanel {
    QString label;                   // e.g. "yarn (model file)"
    std::vector<HeatmapCell> cells;  // rows × columns, row-major
};

struct Heatmap {
    QString title, x_label, y_label;
    QStringList row_labels;     // top to bottom
    QStringList column_labels;  // left to right
    std::vector<HeatmapPanel> panels;

    int rows() const { return static_cast<int>(row_labels.size()); }
    int columns() const { return static_cast<int>(column_labels.size()); }
    const HeatmapCell& at(size_t panel, int row, int column) const {
        return panels[panel].cells[static_cast<size_t>(row * columns() + column)];
    }
    // Cells of every panel that are no longer pending.
    int done() const;
};

// "panel,row,column,outcome,value,detail" rows, for a spreadsheet.
QByteArray heatmap_csv(const Heatmap& map);

}  // namespace ll
