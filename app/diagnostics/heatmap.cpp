#include "diagnostics/heatmap.h"

namespace ll {

const char* to_string(CellOutcome outcome) {
    switch (outcome) {
        case CellOutcome::Pass: return "pass";
        case CellOutcome::Partial: return "partial";
        case CellOutcome::Fail: return "fail";
        case CellOutcome::Pending: break;
    }
    return "pending";
}

const char* heatmap_colour(CellOutcome outcome) {
    switch (outcome) {
        case CellOutcome::Pass: return "#2e9e4f";
        case CellOutcome::Partial: return "#f0a92e";
        case CellOutcome::Fail: return "#d6452f";
        case CellOutcome::Pending: break;
    }
    return "#d9d9d9";
}

int Heatmap::done() const {
    int n = 0;
    for (const HeatmapPanel& p : panels)
        for (const HeatmapCell& c : p.cells) n += c.outcome != CellOutcome::Pending;
    return n;
}

namespace {
QString quoted(QString s) {
    s.replace('"', "\"\"");
    return '"' + s + '"';
}
}  // namespace

QByteArray heatmap_csv(const Heatmap& map) {
    QByteArray out = "panel,row,column,outcome,value,detail\n";
    for (const HeatmapPanel& p : map.panels)
        for (int r = 0; r < map.rows(); ++r)
            for (int c = 0; c < map.columns(); ++c) {
                const HeatmapCell& cell = p.cells[static_cast<size_t>(r * map.columns() + c)];
                out += QString("%1,%2,%3,%4,%5,%6\n")
                           .arg(quoted(p.label), quoted(map.row_labels[r]),
                                quoted(map.column_labels[c]), to_string(cell.outcome),
                                cell.outcome == CellOutcome::Pending
                                    ? QString()
                                    : QString::number(cell.value, 'g', 6),
                                quoted(cell.detail))
                           .toUtf8();
            }
    return out;
}

}  // namespace ll
