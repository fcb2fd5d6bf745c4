#include "diagnostics/chart.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace ll {

const char* chart_colour(size_t index) {
    static const char* const kColours[] = {"#000000", "#E69F00", "#56B4E9", "#009E73",
                                           "#D55E00", "#CC79A7", "#0072B2", "#F0E442"};
    return kColours[index % std::size(kColours)];
}

double series_x(const ChartSeries& s, size_t i) {
    return s.x.empty() ? static_cast<double>(i) : s.x[i];
}

QByteArray chart_csv(const Chart& chart) {
    QByteArray out = "series,x,y\n";
    for (const ChartSeries& s : chart.series) {
        QString name = s.label;
        name.replace('"', "\"\"");
        for (size_t i = 0; i < s.y.size(); ++i)
            out += QString("\"%1\",%2,%3\n")
                       .arg(name, QString::number(series_x(s, i), 'g', 10),
                            QString::number(s.y[i], 'g', 10))
                       .toUtf8();
    }
    return out;
}

namespace {

// Ticks at 1, 2 or 5 times a power of ten, about five of them over [lo, hi].
std::vector<double> linear_ticks(double& lo, double& hi) {
    const double span = hi - lo;
    const double raw = span / 5;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = power;
    for (double m : {2.0, 5.0, 10.0})
        if (raw > step) step = power * m;
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
    std::vector<double> ticks;
    for (double t = lo; t <= hi + step / 2; t += step) ticks.push_back(t);
    return ticks;
}

}  // namespace

ChartRange chart_range(const Chart& c) {
    ChartRange r;
    double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
    for (const ChartSeries& s : c.series)
        for (size_t i = 0; i < s.y.size(); ++i) {
            if (c.log_y && !(s.y[i] > 0)) continue;
            if (!std::isfinite(s.y[i])) continue;
            x_lo = std::min(x_lo, series_x(s, i)), x_hi = std::max(x_hi, series_x(s, i));
            y_lo = std::min(y_lo, s.y[i]), y_hi = std::max(y_hi, s.y[i]);
        }
    for (const ChartRule& rule : c.rules) {
        if (rule.vertical) {
            x_lo = std::min(x_lo, rule.value), x_hi = std::max(x_hi, rule.value);
        } else if (!c.log_y || rule.value > 0) {
            y_lo = std::min(y_lo, rule.value), y_hi = std::max(y_hi, rule.value);
        }
    }
    if (!(x_lo <= x_hi)) x_lo = 0, x_hi = 1;
    if (x_lo == x_hi) x_hi = x_lo + 1;
    if (!(y_lo <= y_hi)) y_lo = c.log_y ? 1 : 0, y_hi = c.log_y ? 10 : 1;
    r.x_lo = x_lo, r.x_hi = x_hi;
    double tick_lo = x_lo, tick_hi = x_hi;
    for (double t : linear_ticks(tick_lo, tick_hi))
        if (t >= x_lo - 1e-9 && t <= x_hi + 1e-9) r.x_ticks.push_back(t);
    if (c.log_y) {
        if (y_lo == y_hi) y_lo = y_hi / 10;
        r.y_lo = std::floor(std::log10(y_lo));
        r.y_hi = std::ceil(std::log10(y_hi));
        if (r.y_lo == r.y_hi) r.y_hi += 1;
        for (double d = r.y_lo; d <= r.y_hi; d += 1) r.y_ticks.push_back(d);
    } else {
        if (y_lo == y_hi) y_lo -= 0.5, y_hi += 0.5;
        r.y_ticks = linear_ticks(y_lo, y_hi);
        r.y_lo = y_lo, r.y_hi = y_hi;
    }
    return r;
}

}  // namespace ll
