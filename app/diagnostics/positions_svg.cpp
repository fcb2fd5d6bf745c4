#include "diagnostics/positions_svg.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

// Plot frame in pixels: the legend sits right of the plot.
constexpr double kWidth = 960, kHeight = 520;
constexpr double kLeft = 90, kRight = 700, kTop = 50, kBottom = 450;

// Colour-blind-safe (Okabe-Ito) colours, in the overlay's order.
const char* const kColours[] = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                                "#D55E00", "#CC79A7", "#0072B2", "#F0E442"};

struct Series {
    QString label;
    QString detail;  // shown as the line's tooltip
    std::vector<double> y;
    bool emphasised = false;
};

struct Rule {  // a labelled horizontal line
    QString label;
    double y;
};

struct Chart {
    QString title, x_label, y_label;
    std::vector<Series> series;
    std::vector<Rule> rules;
};

QString num(double v) {
    return QString::number(v, 'f', 1);
}

// Log-scale y range covering every value, widened to whole decades.
std::pair<double, double> decades(const Chart& c) {
    double lo = INFINITY, hi = -INFINITY;
    for (const Series& s : c.series)
        for (double v : s.y)
            if (v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
    for (const Rule& r : c.rules) lo = std::min(lo, r.y), hi = std::max(hi, r.y);
    if (!(lo < hi)) lo = hi / 10;
    return {std::floor(std::log10(lo)), std::ceil(std::log10(hi))};
}

class Svg {
  public:
    Svg(const Chart& c) : chart_(c) {
        std::tie(dec_lo_, dec_hi_) = decades(c);
        n_ = 1;
        for (const Series& s : c.series) n_ = std::max(n_, s.y.size());
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
        for (const Rule& r : chart_.rules) rule(r);
        // The setting in force last, so no other line covers it.
        for (bool emphasised : {false, true})
            for (size_t i = 0; i < chart_.series.size(); ++i)
                if (chart_.series[i].emphasised == emphasised) line(chart_.series[i], i);
        legend();
        out_ << "</svg>";
        return out_.join("\n").toUtf8();
    }

  private:
    double x_at(size_t i) const {
        return n_ <= 1 ? kLeft : kLeft + (kRight - kLeft) * static_cast<double>(i) / (n_ - 1);
    }
    double y_at(double v) const {
        const double t = (std::log10(v) - dec_lo_) / (dec_hi_ - dec_lo_);
        return kBottom - t * (kBottom - kTop);
    }

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
        for (int d = static_cast<int>(dec_lo_); d <= static_cast<int>(dec_hi_); ++d) {
            const double y = y_at(std::pow(10.0, d));
            out_ << QString("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#ddd\"/>")
                        .arg(kLeft)
                        .arg(num(y))
                        .arg(kRight);
            out_ << text(kLeft - 8, y + 4, QString("1e%1").arg(d), "end");
        }
        const size_t step = std::max<size_t>(1, n_ / 8);
        for (size_t i = 0; i < n_; i += step)
            out_ << text(x_at(i), kBottom + 18, QString::number(i), "middle");
        out_ << text((kLeft + kRight) / 2, kBottom + 42, chart_.x_label.toHtmlEscaped(), "middle");
        out_ << QString(
                    "<text transform=\"translate(24 %1) rotate(-90)\" text-anchor=\"middle\">"
                    "%2</text>")
                    .arg(num((kTop + kBottom) / 2), chart_.y_label.toHtmlEscaped());
    }

    void rule(const Rule& r) {
        const double y = y_at(r.y);
        out_ << QString(
                    "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#888\" "
                    "stroke-dasharray=\"6 4\"/>")
                    .arg(kLeft)
                    .arg(num(y))
                    .arg(kRight);
        out_ << text(kLeft + 6, y - 5, r.label.toHtmlEscaped(), "start", "fill=\"#555\"");
    }

    void line(const Series& s, size_t index) {
        QStringList points;
        for (size_t i = 0; i < s.y.size(); ++i)
            if (s.y[i] > 0) points << num(x_at(i)) + "," + num(y_at(s.y[i]));
        out_ << QString(
                    "<polyline fill=\"none\" stroke=\"%1\" stroke-width=\"%2\" "
                    "stroke-opacity=\"%3\" points=\"%4\"><title>%5</title></polyline>")
                    .arg(colour(index), s.emphasised ? "4" : "1.5", s.emphasised ? "1" : "0.85",
                         points.join(' '), (s.label + ": " + s.detail).toHtmlEscaped());
    }

    void legend() {
        double y = kTop + 10;
        for (size_t i = 0; i < chart_.series.size(); ++i, y += 24) {
            const Series& s = chart_.series[i];
            out_ << QString(
                        "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\" "
                        "stroke-width=\"%5\"/>")
                        .arg(kRight + 16)
                        .arg(num(y))
                        .arg(kRight + 46)
                        .arg(colour(i), s.emphasised ? "4" : "1.5");
            QString label = s.label.toHtmlEscaped();
            if (s.emphasised) label += " (in force)";
            out_ << text(kRight + 54, y + 4, label, "start",
                         s.emphasised ? "font-weight=\"bold\"" : "");
        }
    }

    static QString colour(size_t i) { return kColours[i % std::size(kColours)]; }

    const Chart& chart_;
    double dec_lo_ = 0, dec_hi_ = 1;
    size_t n_ = 1;
    QStringList out_;
};

Chart rope_chart(const PositionsReport& r, const QString& title) {
    Chart c;
    c.title = QString("%1: rotary wavelength per pair at %2 tokens").arg(title).arg(r.context_len);
    c.x_label = "rotary pair i (rotates elements i and i + d/2)";
    c.y_label = "wavelength 2π/ω (tokens, log scale)";
    for (size_t i = 0; i < r.overlay.size(); ++i) {
        const MethodCurve& m = r.overlay[i];
        QString label = QString::fromStdString(m.label);
        // A curve drawn over an identical earlier one would vanish: the legend says so.
        for (size_t j = 0; j < i; ++j)
            if (r.overlay[j].wavelength == m.wavelength) {
                label += " (= " + QString::fromStdString(r.overlay[j].label) + ")";
                break;
            }
        c.series.push_back({label, QString::fromStdString(m.spec_text), m.wavelength, m.effective});
    }
    c.rules.push_back({QString("trained window %1").arg(r.trained_window),
                       static_cast<double>(r.trained_window)});
    c.rules.push_back(
        {QString("context %1").arg(r.context_len), static_cast<double>(r.context_len)});
    return c;
}

Chart alibi_chart(const PositionsReport& r, const QString& title) {
    Chart c;
    c.title = QString("%1: ALiBi slope per head at %2 tokens").arg(title).arg(r.context_len);
    c.x_label = "head";
    c.y_label = "slope m (log scale)";
    c.series.push_back({QString::fromStdString(r.method), QString::fromStdString(r.spec_text),
                        r.alibi_slopes, true});
    for (const LengthSample& s : r.by_length)
        c.series.push_back({QString("at %1 tokens").arg(s.length), {}, s.alibi_slopes, false});
    return c;
}

}  // namespace

QByteArray positions_svg(const PositionsReport& report, const QString& title) {
    const Chart chart =
        report.alibi_slopes.empty() ? rope_chart(report, title) : alibi_chart(report, title);
    return Svg(chart).render();
}

}  // namespace ll
