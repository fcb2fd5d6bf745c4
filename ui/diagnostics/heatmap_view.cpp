#include "diagnostics/heatmap_view.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace ll {

namespace {
constexpr double kLeft = 64, kTop = 56, kBottom = 84, kRight = 16, kGap = 24;
}

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void HeatmapView::set_heatmap(const Heatmap& map) {
    map_ = map;
    update();
}

QRectF HeatmapView::cell_rect(size_t panel, int row, int column) const {
    const double panels = static_cast<double>(std::max<size_t>(1, map_.panels.size()));
    const double cols = std::max(1, map_.columns()), rows = std::max(1, map_.rows());
    QFont bold = font();
    bold.setBold(true);
    double label_w = 0;  // each panel at least as wide as the widest label, so none is cut
    for (const HeatmapPanel& p : map_.panels)
        label_w = std::max(label_w, QFontMetricsF(bold).horizontalAdvance(p.label) + 8);
    const double avail_w = (width() - kLeft - kRight - (panels - 1) * kGap) / panels;
    const double avail_h = height() - kTop - kBottom;
    const double cell = std::max(8.0, std::min(avail_w / cols, avail_h / rows));
    const double panel_w = std::max(cols * cell, label_w);
    const double x0 = kLeft + static_cast<double>(panel) * (panel_w + kGap);
    return {x0 + column * cell, kTop + row * cell, cell, cell};
}

void HeatmapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Text));
    if (map_.panels.empty() || map_.rows() == 0 || map_.columns() == 0) {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Run the grid: each cell plants the needle at a depth (rows) of the "
                      "document's first N tokens (columns) and asks for it."));
        return;
    }
    QFont title_font = font();
    title_font.setBold(true);
    p.setFont(title_font);
    p.drawText(QRectF(0, 4, width(), 22), Qt::AlignCenter, map_.title);
    const QFont normal = font();
    for (size_t k = 0; k < map_.panels.size(); ++k) {
        const QRectF first = cell_rect(k, 0, 0);
        const QRectF last = cell_rect(k, map_.rows() - 1, map_.columns() - 1);
        p.setFont(title_font);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(first.left(), kTop - 26, last.right() - first.left(), 22),
                   Qt::AlignCenter | Qt::TextDontClip, map_.panels[k].label);
        QFont mark = normal;
        mark.setPixelSize(std::max(9, static_cast<int>(first.height() * 0.35)));
        for (int r = 0; r < map_.rows(); ++r)
            for (int c = 0; c < map_.columns(); ++c) {
                const HeatmapCell& cell = map_.at(k, r, c);
                const QRectF box = cell_rect(k, r, c).adjusted(1, 1, -1, -1);
                const bool pending = cell.outcome == CellOutcome::Pending;
                p.fillRect(box, pending ? pal.color(QPalette::Midlight)
                                        : QColor(heatmap_colour(cell.outcome)));
                p.setFont(mark);
                p.setPen(pending ? pal.color(QPalette::PlaceholderText) : QColor(Qt::white));
                p.drawText(box, Qt::AlignCenter, cell.text);
            }
        p.setFont(normal);
        p.setPen(pal.color(QPalette::Text));
        for (int c = 0; c < map_.columns(); ++c) {
            const QRectF box = cell_rect(k, map_.rows() - 1, c);
            p.drawText(QRectF(box.left() - 20, box.bottom() + 2, box.width() + 40, 18),
                       Qt::AlignHCenter | Qt::AlignTop, map_.column_labels[c]);
        }
    }
    for (int r = 0; r < map_.rows(); ++r) {
        const QRectF box = cell_rect(0, r, 0);
        p.drawText(QRectF(0, box.top(), kLeft - 6, box.height()), Qt::AlignRight | Qt::AlignVCenter,
                   map_.row_labels[r]);
    }
    const QRectF last = cell_rect(map_.panels.size() - 1, map_.rows() - 1, map_.columns() - 1);
    const double bottom = last.bottom();
    p.drawText(QRectF(kLeft, bottom + 20, last.right() - kLeft, 18), Qt::AlignCenter, map_.x_label);
    p.save();
    p.translate(12, (kTop + bottom) / 2);
    p.rotate(-90);
    p.drawText(QRectF(-100, -9, 200, 18), Qt::AlignCenter, map_.y_label);
    p.restore();
    // Legend.
    double x = kLeft;
    const double y = bottom + 46;
    const QFontMetricsF metrics(normal);
    for (auto [o, label] : {std::pair{CellOutcome::Pass, tr("found and cited")},
                            std::pair{CellOutcome::Partial, tr("found or cited, not both")},
                            std::pair{CellOutcome::Fail, tr("missed")},
                            std::pair{CellOutcome::Pending, tr("not run")}}) {
        p.fillRect(QRectF(x, y + 2, 12, 12), o == CellOutcome::Pending
                                                 ? pal.color(QPalette::Midlight)
                                                 : QColor(heatmap_colour(o)));
        p.drawText(QPointF(x + 18, y + 13), label);
        x += 18 + metrics.horizontalAdvance(label) + 18;
    }
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event) {
    const QPointF at = event->position();
    for (size_t k = 0; k < map_.panels.size(); ++k)
        for (int r = 0; r < map_.rows(); ++r)
            for (int c = 0; c < map_.columns(); ++c)
                if (cell_rect(k, r, c).contains(at)) {
                    QToolTip::showText(event->globalPosition().toPoint(),
                                       map_.panels[k].label + "\n" + map_.at(k, r, c).detail, this);
                    return;
                }
    QToolTip::hideText();
}

}  // namespace ll
