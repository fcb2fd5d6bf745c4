#include "diagnostics/chart_view.h"

#include <QFileInfo>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "diagnostics/chart_svg.h"
#include "save_file.h"

namespace ll {

namespace {

constexpr double kMargin = 12;
constexpr double kAxisLeft = 64, kAxisBottom = 44, kTitle = 28;

// The first chart colour is black for paper; on screen it is the palette's text colour.
QColor series_colour(size_t index, const QPalette& palette) {
    return index == 0 ? palette.color(QPalette::Text) : QColor(chart_colour(index));
}

bool plotted(const Chart& c, double y) {
    return std::isfinite(y) && (!c.log_y || y > 0);
}

QString tick_label(double t, bool log_y) {
    if (!log_y) return QString::number(t, 'g', 6);
    const double v = std::pow(10.0, t);
    return v >= 1 && v < 1e4 ? QString::number(v, 'f', 0) : QString("1e%1").arg(t);
}

}  // namespace

ChartView::ChartView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ChartView::set_chart(const Chart& chart) {
    chart_ = chart;
    range_ = chart_range(chart_);
    // As wide as the longest label needs, within reason: long specs are cut (the tooltip
    // has them whole).
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    int widest = 80;
    for (const ChartSeries& s : chart_.series)
        widest = std::max(widest, metrics.horizontalAdvance(s.label));
    // One line needs no legend: the title names it.
    legend_ = chart_.series.size() > 1 ? std::min(widest, 340) + 56.0 : 8.0;
    update();
}

QRectF ChartView::plot_rect() const {
    return QRectF(kMargin + kAxisLeft, kMargin + kTitle,
                  width() - 2 * kMargin - kAxisLeft - legend_,
                  height() - 2 * kMargin - kTitle - kAxisBottom);
}

QPointF ChartView::to_screen(double x, double y) const {
    const QRectF p = plot_rect();
    const double u = chart_.log_y ? std::log10(y) : y;
    return {p.left() + p.width() * (x - range_.x_lo) / (range_.x_hi - range_.x_lo),
            p.bottom() - p.height() * (u - range_.y_lo) / (range_.y_hi - range_.y_lo)};
}

void ChartView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    const QRectF p = plot_rect();
    if (p.width() < 40 || p.height() < 40) return;
    const QColor text = pal.color(QPalette::Text);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);

    QFont title_font = font();
    title_font.setBold(true);
    painter.setFont(title_font);
    painter.setPen(text);
    painter.drawText(QRectF(0, kMargin, width(), kTitle), Qt::AlignHCenter | Qt::AlignTop,
                     chart_.title);
    painter.setFont(font());

    // Grid and tick labels.
    for (double t : range_.y_ticks) {
        const double y = to_screen(range_.x_lo, chart_.log_y ? std::pow(10.0, t) : t).y();
        painter.setPen(grid);
        painter.drawLine(QPointF(p.left(), y), QPointF(p.right(), y));
        painter.setPen(text);
        painter.drawText(QRectF(kMargin, y - 9, kAxisLeft - 6, 18),
                         Qt::AlignRight | Qt::AlignVCenter, tick_label(t, chart_.log_y));
    }
    for (double x : range_.x_ticks) {
        const double sx = to_screen(x, chart_.log_y ? 1 : 0).x();
        painter.drawText(QRectF(sx - 40, p.bottom() + 4, 80, 18), Qt::AlignHCenter,
                         QString::number(x, 'g', 6));
    }
    painter.drawText(QRectF(p.left(), p.bottom() + 22, p.width(), 18), Qt::AlignHCenter,
                     chart_.x_label);
    painter.save();
    painter.translate(kMargin + 8, p.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-p.height() / 2, -10, p.height(), 20), Qt::AlignCenter, chart_.y_label);
    painter.restore();
    painter.setPen(QPen(text, 1));
    painter.drawRect(p);

    // Rules: dashed, labelled.
    QColor rule_colour = text;
    rule_colour.setAlpha(150);
    for (const ChartRule& r : chart_.rules) {
        painter.setPen(r.faint ? QPen(grid, 1) : QPen(rule_colour, 1, Qt::DashLine));
        if (r.vertical) {
            const double x = to_screen(r.value, chart_.log_y ? 1 : 0).x();
            painter.drawLine(QPointF(x, p.top()), QPointF(x, p.bottom()));
            if (!r.label.isEmpty()) painter.drawText(QPointF(x + 4, p.top() + 14), r.label);
        } else if (plotted(chart_, r.value)) {
            const double y = to_screen(range_.x_lo, r.value).y();
            painter.drawLine(QPointF(p.left(), y), QPointF(p.right(), y));
            painter.drawText(QPointF(p.left() + 6, y - 4), r.label);
        }
    }

    // Series, the one in force last so nothing covers it.
    painter.setClipRect(p.adjusted(-2, -2, 2, 2));
    for (bool emphasised : {false, true})
        for (size_t i = 0; i < chart_.series.size(); ++i) {
            const ChartSeries& s = chart_.series[i];
            if (s.emphasised != emphasised) continue;
            QPainterPath path;
            bool started = false;
            for (size_t k = 0; k < s.y.size(); ++k) {
                if (!plotted(chart_, s.y[k])) {
                    started = false;
                    continue;
                }
                const QPointF pt = to_screen(series_x(s, k), s.y[k]);
                started ? path.lineTo(pt) : path.moveTo(pt);
                started = true;
            }
            painter.setPen(QPen(series_colour(i, pal), s.emphasised ? 3.5 : 1.5));
            painter.drawPath(path);
        }
    painter.setClipping(false);

    // Legend, right of the plot.
    double y = p.top() + 8;
    for (size_t i = 0; i < chart_.series.size() && chart_.series.size() > 1; ++i, y += 22) {
        const ChartSeries& s = chart_.series[i];
        painter.setPen(QPen(series_colour(i, pal), s.emphasised ? 3.5 : 1.5));
        painter.drawLine(QPointF(p.right() + 12, y), QPointF(p.right() + 40, y));
        QFont f = font();
        f.setBold(s.emphasised);
        painter.setFont(f);
        painter.setPen(text);
        const QString& label = s.label;
        const double room = legend_ - 50;
        painter.drawText(QRectF(p.right() + 46, y - 10, room, 20), Qt::AlignLeft | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(label, Qt::ElideRight, int(room)));
    }
}

void ChartView::mousePressEvent(QMouseEvent* event) {
    const QRectF p = plot_rect();
    if (chart_.series.empty() || !p.contains(event->position())) return;
    emit clicked_at(range_.x_lo +
                    (range_.x_hi - range_.x_lo) * (event->position().x() - p.left()) / p.width());
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
    // The nearest point of any series, within a few pixels: its series and value.
    const QPointF at = event->position();
    double best = 12;
    QString tip;
    for (const ChartSeries& s : chart_.series)
        for (size_t k = 0; k < s.y.size(); ++k) {
            if (!plotted(chart_, s.y[k])) continue;
            const QPointF pt = to_screen(series_x(s, k), s.y[k]);
            const double d = std::hypot(pt.x() - at.x(), pt.y() - at.y());
            if (d < best) {
                best = d;
                tip = QString("%1\n%2 = %3, %4 = %5")
                          .arg(s.detail.isEmpty() ? s.label : s.label + ": " + s.detail,
                               chart_.x_label.section(' ', 0, 1),
                               QString::number(series_x(s, k), 'g', 6),
                               chart_.y_label.section(' ', 0, 0), QString::number(s.y[k], 'g', 6));
            }
        }
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

bool ChartView::export_to(const QString& path, QString* error) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == "svg") {
        bytes = chart_svg(chart_);
    } else if (suffix == "csv") {
        bytes = chart_csv(chart_);
    } else if (suffix == "png") {
        if (const_cast<ChartView*>(this)->grab().save(path, "PNG")) return true;
        if (error) *error = tr("%1: could not write the PNG image").arg(path);
        return false;
    } else {
        if (error) *error = tr("%1: choose a name ending in .svg, .png or .csv").arg(path);
        return false;
    }
    const QString problem = save_file(path, bytes);
    if (problem.isEmpty()) return true;
    if (error) *error = problem;
    return false;
}

}  // namespace ll
