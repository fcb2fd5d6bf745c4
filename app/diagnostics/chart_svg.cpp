#include "diagnostics/chart_svg.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

// Plot frame in pixels: the legend sits right of the plot, as wide as its longest label.
constexpr double kHeight = 520;
constexpr double kLeft = 90, kRight = 700, kTop = 50, kBottom = 450;

QString num(double v) {
    return QString::number(v, 'f', 1);
}

// Powers of ten as numbers up to 1000, then "1e4"; the shortest exact form on a linear axis.
QString tick_label(double t, bool log_y) {
    if (!log_y) return QString::number(t, 'g', 6);
    const double v = std::pow(10.0, t);
    return v >= 1 && v < 1e4 ? QString::number(v, 'f', 0) : QString("1e%1").arg(t);
}

class Svg {
  public:
    explicit Svg(const Chart& c) : chart_(c), range_(chart_range(c)) {
        qsizetype longest = 12;
        for (const ChartSeries& s : c.series) longest = std::max(longest, s.label.size() + 11);
        kWidth = std::max(960.0, kRight + 64 + 7 * static_cast<double>(longest));
    }

    QByteArray render() {
        out_ << QString(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" "
                    "viewBox=\"0 0 %1 %2\" font-family=\"sans-serif\" font-size=\"13\">")
                    .arg(kWidth)
                    .arg(kHeight);
        out_ << QString("<rect width=\"%1\" height=\"%2\" fill=\"white\"/>")
                    .arg(kWidth)
                    .arg(kHeight);
        out_ << text(kWidth / 2, 28, chart_.title.toHtmlEscaped(), "middle", "font-size=\"16\"");
        axes();
        for (const ChartRule& r : chart_.rules) rule(r);
        // The setting in force last, so no other line covers it.
        for (bool emphasised : {false, true})
            for (size_t i = 0; i < chart_.series.size(); ++i)
                if (chart_.series[i].emphasised == emphasised) line(chart_.series[i], i);
        legend();
        out_ << "</svg>";
        return out_.join("\n").toUtf8();
    }

  private:
    double x_at(double x) const {
        return kLeft + (kRight - kLeft) * (x - range_.x_lo) / (range_.x_hi - range_.x_lo);
    }
    double y_at(double v) const {
        const double u = chart_.log_y ? std::log10(v) : v;
        const double t = (u - range_.y_lo) / (range_.y_hi - range_.y_lo);
        return kBottom - t * (kBottom - kTop);
    }
    double y_of_tick(double t) const { return y_at(chart_.log_y ? std::pow(10.0, t) : t); }

    static QString text(double x, double y, const QString& s, const char* anchor,
                        const QString& extra = {}) {
        return QString("<text x=\"%1\" y=\"%2\" text-anchor=\"%3\" %4>%5</text>")
            .arg(num(x), num(y), anchor, extra, s);
    }

    void axes() {
        out_ << QString(
                    "<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"none\" "
                    "stroke=\"#444\"/>")
                    .arg(kLeft)
                    .arg(kTop)
                    .arg(kRight - kLeft)
                    .arg(kBottom - kTop);
        for (double t : range_.y_ticks) {
            const double y = y_of_tick(t);
            out_ << QString("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#ddd\"/>")
                        .arg(kLeft)
                        .arg(num(y))
                        .arg(kRight);
            out_ << text(kLeft - 8, y + 4, tick_label(t, chart_.log_y), "end");
        }
        for (double x : range_.x_ticks)
            out_ << text(x_at(x), kBottom + 18, QString::number(x, 'g', 6), "middle");
        out_ << text((kLeft + kRight) / 2, kBottom + 42, chart_.x_label.toHtmlEscaped(), "middle");
        out_ << QString(
                    "<text transform=\"translate(24 %1) rotate(-90)\" text-anchor=\"middle\">"
                    "%2</text>")
                    .arg(num((kTop + kBottom) / 2), chart_.y_label.toHtmlEscaped());
    }

    void rule(const ChartRule& r) {
        const QString dashed =
            r.faint ? "stroke=\"#ccc\"" : "stroke=\"#888\" stroke-dasharray=\"6 4\"";
        if (r.vertical) {
            const double x = x_at(r.value);
            out_ << QString("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" %4/>")
                        .arg(num(x))
                        .arg(kTop)
                        .arg(kBottom)
                        .arg(dashed);
            if (!r.label.isEmpty())
                out_ << text(x + 5, kTop + 14, r.label.toHtmlEscaped(), "start",
                             "fill=\"#555\"");
            return;
        }
        const double y = y_at(r.value);
        out_ << QString("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" %4/>")
                    .arg(kLeft)
                    .arg(num(y))
                    .arg(kRight)
                    .arg(dashed);
        out_ << text(kLeft + 6, y - 5, r.label.toHtmlEscaped(), "start", "fill=\"#555\"");
    }

    // One path per series; a value that cannot be drawn starts a new stroke.
    void line(const ChartSeries& s, size_t index) {
        QStringList d;
        bool drawing = false;
        for (size_t i = 0; i < s.y.size(); ++i) {
            if (!std::isfinite(s.y[i]) || (chart_.log_y && s.y[i] <= 0)) {
                drawing = false;
                continue;
            }
            d << QString("%1%2 %3").arg(drawing ? "L" : "M", num(x_at(series_x(s, i))),
                                        num(y_at(s.y[i])));
            drawing = true;
        }
        out_ << QString(
                    "<path fill=\"none\" stroke=\"%1\" stroke-width=\"%2\" "
                    "stroke-opacity=\"%3\" stroke-linejoin=\"round\" d=\"%4\">"
                    "<title>%5</title></path>")
                    .arg(chart_colour(index), s.emphasised ? "4" : "1.5",
                         s.emphasised ? "1" : "0.85", d.join(' '),
                         (s.label + ": " + s.detail).toHtmlEscaped());
    }

    void legend() {
        double y = kTop + 10;
        for (size_t i = 0; i < chart_.series.size(); ++i, y += 24) {
            const ChartSeries& s = chart_.series[i];
            out_ << QString(
                        "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\" "
                        "stroke-width=\"%5\"/>")
                        .arg(kRight + 16)
                        .arg(num(y))
                        .arg(kRight + 46)
                        .arg(chart_colour(i), s.emphasised ? "4" : "1.5");
            const QString label = s.label.toHtmlEscaped();
            out_ << text(kRight + 54, y + 4, label, "start",
                         s.emphasised ? "font-weight=\"bold\"" : "");
        }
    }

    const Chart& chart_;
    ChartRange range_;
    double kWidth = 960;  // named as the other frame sizes; set from the legend
    QStringList out_;
};

}  // namespace

QByteArray chart_svg(const Chart& chart) {
    return Svg(chart).render();
}

}  // namespace ll
