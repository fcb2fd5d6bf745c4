#include "diagnostics/token_map_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

constexpr double kRow = 17, kTop = 84, kRight = 56, kBottom = 8;

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// A token as a row label: line breaks and a token of spaces made visible.
QString shown(const QString& token) {
    QString t = token;
    t.replace('\n', "⏎");
    if (t.trimmed().isEmpty() && !t.isEmpty()) t = "␣";
    return t.size() > 18 ? t.left(17) + "…" : t;
}

}  // namespace

TokenMapView::TokenMapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumHeight(160);
}

void TokenMapView::set_map(const TokenMap& map) {
    map_ = map;
    updateGeometry();
    update();
}

QSize TokenMapView::sizeHint() const {
    return {420, int(kTop + kBottom + kRow * std::max(4, map_.row_count()))};
}

double TokenMapView::label_width() const {
    double w = 40;
    const QFontMetricsF m(font());
    for (const QString& r : map_.rows) w = std::max(w, m.horizontalAdvance(shown(r)) + 10);
    return std::min(w, 160.0);
}

QRectF TokenMapView::cell_rect(int row, int column) const {
    const double left = label_width();
    const double w = (width() - left - kRight) / std::max(1, map_.column_count());
    return {left + column * w, kTop + row * kRow, w, kRow};
}

int TokenMapView::column_at(QPointF at) const {
    for (int c = 0; c < map_.column_count(); ++c) {
        const QRectF r = cell_rect(0, c);
        if (at.x() >= r.left() && at.x() < r.right()) return c;
    }
    return -1;
}

int TokenMapView::row_at(QPointF at) const {
    const int r = static_cast<int>(std::floor((at.y() - kTop) / kRow));
    return at.y() >= kTop && r < map_.row_count() ? r : -1;
}

void TokenMapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    p.setPen(pal.color(QPalette::Text));
    if (map_.row_count() == 0 || map_.column_count() == 0) {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Each answer token against the passages it looked at most appears here "
                      "after an answer."));
        return;
    }
    const QColor low = pal.color(QPalette::Base), high = pal.color(QPalette::Highlight);
    const QFontMetricsF metrics(font());
    for (int c = 0; c < map_.column_count(); ++c) {
        const QRectF head = cell_rect(0, c);
        p.save();
        p.translate(head.left() + head.width() / 2 - 4, kTop - 4);
        p.rotate(-45);
        p.drawText(QPointF(0, 0), metrics.elidedText(map_.columns[c], Qt::ElideRight, kTop * 1.3));
        p.restore();
    }
    for (int r = 0; r < map_.row_count(); ++r) {
        const QRectF first = cell_rect(r, 0);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(0, first.top(), label_width() - 6, kRow),
                   Qt::AlignRight | Qt::AlignVCenter, shown(map_.rows[r]));
        for (int c = 0; c < map_.column_count(); ++c) {
            const double v = map_.values[r * map_.column_count() + c];
            // Square root: small shares stay visible beside the largest.
            const double t = map_.max > 0 ? std::sqrt(std::clamp(v / map_.max, 0.0, 1.0)) : 0.0;
            p.fillRect(cell_rect(r, c).adjusted(0.5, 0.5, -0.5, -0.5), mix(low, high, t));
        }
    }
    p.setPen(pal.color(QPalette::Mid));
    const QRectF all =
        cell_rect(0, 0).united(cell_rect(map_.row_count() - 1, map_.column_count() - 1));
    p.drawRect(all);
}

void TokenMapView::mouseMoveEvent(QMouseEvent* event) {
    const int c = column_at(event->position()), r = row_at(event->position());
    if (c < 0 || r < 0) {
        QToolTip::hideText();
        return;
    }
    const double v = map_.values[r * map_.column_count() + c];
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("“%1” → %2: %3 % of its attention\n%4")
                           .arg(map_.rows[r], map_.columns[c])
                           .arg(100.0 * v, 0, 'f', 2)
                           .arg(map_.column_tips[c]),
                       this);
}

void TokenMapView::mousePressEvent(QMouseEvent* event) {
    const int c = column_at(event->position());
    if (c >= 0 && event->button() == Qt::LeftButton) emit passage_clicked(map_.column_starts[c]);
}

}  // namespace ll
