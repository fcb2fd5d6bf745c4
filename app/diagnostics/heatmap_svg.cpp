#include "diagnostics/heatmap_svg.h"

#include <QStringList>

#include <algorithm>

namespace ll {

namespace {

constexpr double kCell = 64, kLeft = 90, kTop = 78, kGap = 36;

QString num(double v) { return QString::number(v, 'f', 1); }

QString text(double x, double y, const QString& s, const char* anchor, const QString& extra = {}) {
    return QString("<text x=\"%1\" y=\"%2\" text-anchor=\"%3\" %4>%5</text>")
        .arg(num(x), num(y), anchor, extra, s.toHtmlEscaped());
}

}  // namespace

QByteArray heatmap_svg(const Heatmap& map) {
    const int rows = map.rows(), cols = map.columns();
    qsizetype longest = 0;  // a panel at least as wide as its label (about 8 px a letter)
    for (const HeatmapPanel& p : map.panels) longest = std::max(longest, p.label.size());
    const double panel_w = std::max(cols * kCell, 8.0 * static_cast<double>(longest));
    const double panels = static_cast<double>(std::max<size_t>(1, map.panels.size()));
    const double plot_w = panels * panel_w + (panels - 1) * kGap;
    const double width = std::max(680.0, kLeft + plot_w + 40);
    const double bottom = kTop + rows * kCell;
    const double height = bottom + 100;
    QStringList out;
    out << QString("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" "
                   "viewBox=\"0 0 %1 %2\" font-family=\"sans-serif\" font-size=\"13\">")
               .arg(width)
               .arg(height);
    out << QString("<rect width=\"%1\" height=\"%2\" fill=\"white\"/>").arg(width).arg(height);
    out << text(width / 2, 28, map.title, "middle", "font-size=\"16\"");
    // The y axis: depth labels beside the first panel's rows, the axis name turned.
    for (int r = 0; r < rows; ++r)
        out << text(kLeft - 8, kTop + (r + 0.5) * kCell + 4, map.row_labels[r], "end");
    out << QString("<text x=\"22\" y=\"%1\" text-anchor=\"middle\" transform=\"rotate(-90 22 %1)\">"
                   "%2</text>")
               .arg(num((kTop + bottom) / 2), map.y_label.toHtmlEscaped());
    for (size_t p = 0; p < map.panels.size(); ++p) {
        const double x0 = kLeft + static_cast<double>(p) * (panel_w + kGap);
        out << text(x0 + panel_w / 2, kTop - 10, map.panels[p].label, "middle",
                    "font-weight=\"bold\"");
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                const HeatmapCell& cell = map.at(p, r, c);
                const double x = x0 + c * kCell, y = kTop + r * kCell;
                out << QString("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%3\" fill=\"%4\" "
                               "stroke=\"white\" stroke-width=\"2\"><title>%5</title></rect>")
                           .arg(num(x), num(y), num(kCell), heatmap_colour(cell.outcome),
                                cell.detail.toHtmlEscaped());
                if (!cell.text.isEmpty())
                    out << text(x + kCell / 2, y + kCell / 2 + 6, cell.text, "middle",
                                cell.outcome == CellOutcome::Pending
                                    ? "font-size=\"18\" fill=\"#444\""
                                    : "font-size=\"18\" fill=\"white\"");
            }
        for (int c = 0; c < cols; ++c)
            out << text(x0 + (c + 0.5) * kCell, bottom + 18, map.column_labels[c], "middle");
    }
    out << text(kLeft + plot_w / 2, bottom + 40, map.x_label, "middle");
    // Legend.
    double lx = kLeft;
    const double ly = bottom + 62;
    for (auto [o, label] : {std::pair{CellOutcome::Pass, "found and cited"},
                            std::pair{CellOutcome::Partial, "found or cited, not both"},
                            std::pair{CellOutcome::Fail, "missed"},
                            std::pair{CellOutcome::Pending, "not run"}}) {
        out << QString("<rect x=\"%1\" y=\"%2\" width=\"14\" height=\"14\" fill=\"%3\"/>")
                   .arg(num(lx), num(ly), heatmap_colour(o));
        out << text(lx + 20, ly + 12, label, "start");
        lx += 40 + 7.5 * static_cast<double>(qstrlen(label));
    }
    out << "</svg>";
    return out.join("\n").toUtf8();
}

}  // namespace ll
