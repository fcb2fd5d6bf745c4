#include "attention_strip.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

const QColor kCited(0xe6, 0x9f, 0x00);  // Okabe-Ito orange, as the charts' citation marks

}  // namespace

AttentionStripView::AttentionStripView(QWidget* parent) : QWidget(parent) {
    setFixedWidth(14);
    setMouseTracking(true);
    setCursor(Qt::PointingHandCursor);
    hide();
}

void AttentionStripView::set_strip(const AttentionStrip& strip) {
    strip_ = strip;
    setVisible(!strip_.empty());
    setToolTip({});
    update();
}

void AttentionStripView::set_reading_at(qsizetype offset) {
    reading_ = offset;
    update();
}

// Text runs down the strip by characters; PDF pages get equal heights, as in the page
// view's scroll bar, whatever their character counts.
double AttentionStripView::y_of(qsizetype offset) const {
    const double chars = double(std::max<qsizetype>(1, strip_.document_chars));
    if (!strip_.pages || strip_.starts.isEmpty())
        return std::clamp(double(offset) / chars, 0.0, 1.0) * height();
    const int i = cell_at(offset);
    const qsizetype begin = strip_.starts[i];
    const qsizetype end =
        i + 1 < strip_.starts.size() ? strip_.starts[i + 1] : strip_.document_chars;
    const double within =
        end > begin ? std::clamp(double(offset - begin) / double(end - begin), 0.0, 1.0) : 0.0;
    return (i + within) / double(strip_.starts.size()) * height();
}

qsizetype AttentionStripView::offset_at(double y) const {
    const double t = std::clamp(y / std::max(1, height()), 0.0, 1.0);
    if (!strip_.pages || strip_.starts.isEmpty())
        return static_cast<qsizetype>(t * double(strip_.document_chars));
    const double at = t * double(strip_.starts.size());
    const int i = std::min(static_cast<int>(strip_.starts.size()) - 1, static_cast<int>(at));
    const qsizetype begin = strip_.starts[i];
    const qsizetype end =
        i + 1 < strip_.starts.size() ? strip_.starts[i + 1] : strip_.document_chars;
    return begin + static_cast<qsizetype>((at - i) * double(end - begin));
}

int AttentionStripView::cell_at(qsizetype offset) const {
    const auto it = std::upper_bound(strip_.starts.begin(), strip_.starts.end(), offset);
    return std::max(0, static_cast<int>(it - strip_.starts.begin()) - 1);
}

void AttentionStripView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QColor low = pal.color(QPalette::Base), high = pal.color(QPalette::Highlight);
    for (qsizetype i = 0; i < strip_.values.size(); ++i) {
        const qsizetype end =
            i + 1 < strip_.starts.size() ? strip_.starts[i + 1] : strip_.document_chars;
        const double y0 = y_of(strip_.starts[i]), y1 = std::max(y0 + 1.0, y_of(end));
        // Square root: a second place half as hot as the first still shows.
        const double t = std::sqrt(std::clamp(strip_.values[i], 0.0, 1.0));
        if (t > 0) p.fillRect(QRectF(0, y0, width(), y1 - y0), mix(low, high, t));
    }
    p.setPen(QPen(kCited, 2));
    for (qsizetype c : strip_.cited) {
        const double y = y_of(c);
        p.drawLine(QPointF(0, y), QPointF(4, y));
        p.drawLine(QPointF(width() - 4, y), QPointF(width(), y));
    }
    if (reading_ >= 0) {
        p.setPen(QPen(pal.color(QPalette::Text), 1));
        const double y = y_of(reading_);
        p.drawRect(QRectF(0.5, std::max(0.5, y - 2), width() - 1, 4));
    }
    p.setPen(pal.color(QPalette::Mid));
    p.drawLine(QPointF(0.5, 0), QPointF(0.5, height()));
}

void AttentionStripView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || strip_.empty()) return;
    const qsizetype at = offset_at(event->position().y());
    // A page's cell goes to the page's start; a bin goes to the character under the pointer.
    emit clicked(strip_.pages ? strip_.starts[cell_at(at)] : at);
}

void AttentionStripView::mouseMoveEvent(QMouseEvent* event) {
    if (strip_.empty()) return;
    const int cell = cell_at(offset_at(event->position().y()));
    const QString where = strip_.pages ? tr("Page %1").arg(cell + 1)
                                       : tr("Characters from %L1").arg(strip_.starts[cell]);
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1: %2 % of the hottest place's attention\nClick to go there")
                           .arg(where)
                           .arg(100.0 * strip_.values[cell], 0, 'f', 0),
                       this);
}

}  // namespace ll
