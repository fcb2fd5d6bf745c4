#include "diagnostics/perplexity_svg.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

// Plot frame in pixels: the legend sits below the plot, so long run labels fit.
constexpr double kWidth = 960;
constexpr double kLeft = 80, kRight = 920, kTop = 50, kBottom = 420;

// Colour-blind-safe (Okabe-Ito) colours; the first run (the one in force) in black.
const char* const kColours[] = {"#000000", "#D55E00", "#0072B2", "#009E73",
                                "#E69F00", "#CC79A7", "#56B4E9", "#F0E442"};

QString num(double v) {
    return QString::number(v, 'f', 1);
}

QString colour(size_t i) {
    return kColours[i % std::size(kColours)];
}

QString text(double x, double y, const QString& s, const char* anchor, const QString& extra = {}) {
    return QString("<text x=\"%1\" y=\"%2\" text-anchor=\"%3\" %4>%5</text>")
        .arg(num(x), num(y), anchor, extra, s.toHtmlEscaped());
}

// A round step giving about `ticks` ticks over `span`: 1, 2 or 5 times a power of ten.
double nice_step(double span, int ticks) {
    const double raw = span / ticks;
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (m * p >= raw) return m * p;
    return 10 * p;
}

// Perplexity labels on a log axis: 1, 2, 5 x 10^k inside [lo, hi], or every power of ten
// when the range spans many of them.
std::vector<double> log_ticks(double lo, double hi) {
    std::vector<double> out;
    const bool wide = std::log10(hi / lo) > 3;
    for (int d = static_cast<int>(std::floor(std::log10(lo)));
         d <= static_cast<int>(std::ceil(std::log10(hi))); ++d)
        for (double m : wide ? std::vector<double>{1} : std::vector<double>{1, 2, 5}) {
            const double v = m * std::pow(10.0, d);
            if (v >= lo && v <= hi) out.push_back(v);
        }
    return out;
}

// 0.5, 20, 5000, then 1e5, 2e6: short enough for the axis.
QString tick_label(double v) {
    if (v < 1) return QString::number(v, 'g', 3);
    if (v < 1e5) return QString::number(v, 'f', 0);
    const int d = static_cast<int>(std::floor(std::log10(v) + 1e-9));
    const double m = std::round(v / std::pow(10.0, d));
    return QString("%1e%2").arg(m).arg(d);
}

// The spec as the legend shows it: whole up to `max` characters, else cut with an ellipsis
// (the line's tooltip has it whole).
QString short_spec(const QString& spec, qsizetype max = 44) {
    return spec.size() <= max ? spec : spec.left(max - 1) + QChar(0x2026);
}

class Plot {
  public:
    explicit Plot(const PerplexityProfile& p) : p_(p) {
        for (const PerplexityRun& r : p.runs)
            for (const PerplexityChunk& c : r.chunks) {
                lo_ = std::min(lo_, c.perplexity);
                hi_ = std::max(hi_, c.perplexity);
                x_max_ = std::max(x_max_, static_cast<double>(c.end_token));
            }
        if (!(lo_ <= hi_)) lo_ = 1, hi_ = 10;
        height_ = kBottom + 76 + 20 * static_cast<double>(p.runs.size());
        // Some air above and below, and never a zero-height range.
        lo_ = std::max(1.0, lo_ / 1.15);
        hi_ = std::max(hi_ * 1.15, lo_ * 2);
    }

    QByteArray render(const QString& title) {
        out_ << QString(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" height=\"%2\" "
                    "viewBox=\"0 0 %1 %2\" font-family=\"sans-serif\" font-size=\"13\">")
                    .arg(kWidth)
                    .arg(height_);
        out_ << QString("<rect width=\"%1\" height=\"%2\" fill=\"white\"/>")
                    .arg(kWidth)
                    .arg(height_);
        out_ << text(kWidth / 2, 28, title, "middle", "font-size=\"16\"");
        axes();
        windows();
        // The first run (the configuration in force) last, so no other line covers it.
        for (size_t i = p_.runs.size(); i-- > 0;) line(p_.runs[i], i);
        legend();
        out_ << "</svg>";
        return out_.join("\n").toUtf8();
    }

  private:
    double x_at(double token) const { return kLeft + (kRight - kLeft) * token / x_max_; }
    double y_at(double ppl) const {
        const double t = std::log(ppl / lo_) / std::log(hi_ / lo_);
        return kBottom - t * (kBottom - kTop);
    }

    void axes() {
        out_ << QString(
                    "<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" fill=\"none\" "
                    "stroke=\"#444\"/>")
                    .arg(kLeft)
                    .arg(kTop)
                    .arg(kRight - kLeft)
                    .arg(kBottom - kTop);
        for (double v : log_ticks(lo_, hi_)) {
            const double y = y_at(v);
            out_ << QString("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"#ddd\"/>")
                        .arg(kLeft)
                        .arg(num(y))
                        .arg(kRight);
            out_ << text(kLeft - 8, y + 4, tick_label(v), "end");
        }
        const double step = nice_step(x_max_, 8);
        for (double t = 0; t <= x_max_ + 0.5; t += step)
            out_ << text(x_at(t), kBottom + 18, QString::number(t, 'f', 0), "middle");
        out_ << text((kLeft + kRight) / 2, kBottom + 40,
                     QString("document token (chunks of %1; windows of %2 tokens)")
                         .arg(p_.chunk)
                         .arg(p_.window),
                     "middle");
        out_ << QString(
                    "<text transform=\"translate(22 %1) rotate(-90)\" text-anchor=\"middle\">"
                    "perplexity (log scale)</text>")
                    .arg(num((kTop + kBottom) / 2));
    }

    void vertical(double token, const QString& stroke, const QString& dash) {
        const double x = x_at(token);
        out_ << QString("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"%4\" %5/>")
                    .arg(num(x))
                    .arg(kTop)
                    .arg(kBottom)
                    .arg(stroke, dash.isEmpty() ? QString() : "stroke-dasharray=\"" + dash + "\"");
    }

    // Window starts (faint), and in each window the position where the trained window ends.
    void windows() {
        if (p_.runs.empty()) return;
        const int trained = p_.runs.front().trained_window;
        const int64_t stride = p_.window - 1;
        bool labelled = false;
        for (int64_t start = 0; start < x_max_; start += stride) {
            if (start > 0) vertical(static_cast<double>(start), "#bbb", {});
            // Position `trained` in the window (BOS at 0) is document token start + trained - 1.
            const double at = static_cast<double>(start + trained - (p_.bos ? 1 : 0));
            if (trained <= 0 || trained >= p_.window || at >= x_max_) continue;
            vertical(at, "#888", "6 4");
            if (!labelled)
                out_ << text(x_at(at) + 5, kTop + 16, QString("trained window %1").arg(trained),
                             "start", "fill=\"#555\"");
            labelled = true;
        }
    }

    void line(const PerplexityRun& r, size_t index) {
        QStringList d;
        for (const PerplexityChunk& c : r.chunks) {
            const double mid = 0.5 * static_cast<double>(c.start_token + c.end_token);
            // A new window starts a new stroke: its first chunk has no context before it.
            const bool move = d.isEmpty() || c.start_position == 1;
            d << QString("%1%2 %3").arg(move ? "M" : "L", num(x_at(mid)), num(y_at(c.perplexity)));
        }
        out_ << QString(
                    "<path fill=\"none\" stroke=\"%1\" stroke-width=\"%2\" "
                    "stroke-linejoin=\"round\" d=\"%3\"><title>%4</title></path>")
                    .arg(colour(index), index == 0 ? "2.5" : "1.8", d.join(' '),
                         (r.label + ": " + r.spec_text).toHtmlEscaped());
    }

    void legend() {
        double y = kBottom + 68;
        for (size_t i = 0; i < p_.runs.size(); ++i, y += 20) {
            const PerplexityRun& r = p_.runs[i];
            out_ << QString(
                        "<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\" "
                        "stroke-width=\"%5\"/>")
                        .arg(kLeft)
                        .arg(num(y))
                        .arg(kLeft + 30)
                        .arg(colour(i), i == 0 ? "2.5" : "1.8");
            out_ << text(kLeft + 38, y + 4,
                         QString("%1  %2  (perplexity %3, %4 tokens)")
                             .arg(r.label, short_spec(r.spec_text))
                             .arg(r.perplexity, 0, 'f', 2)
                             .arg(r.scored_tokens),
                         "start", i == 0 ? "font-weight=\"bold\"" : "");
        }
    }

    const PerplexityProfile& p_;
    double lo_ = INFINITY, hi_ = -INFINITY, x_max_ = 1, height_ = kBottom + 96;
    QStringList out_;
};

}  // namespace

QByteArray perplexity_svg(const PerplexityProfile& profile, const QString& title) {
    return Plot(profile).render(title);
}

}  // namespace ll
