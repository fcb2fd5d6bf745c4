// A line chart as data: what a diagnostic plots, drawn by the CLI as SVG (chart_svg.h) and
// by the GUI with QPainter (ui/diagnostics/chart_view.h) from the same value, so the
// picture a user exports and the one on screen say the same thing.
#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

namespace ll {

struct ChartSeries {
    QString label;
    QString detail;         // the line's tooltip (e.g. the method's full spec)
    std::vector<double> x;  // empty: 0, 1, 2, … (the index)
    std::vector<double> y;  // NaN breaks the line; values <= 0 are left out on a log axis
    bool emphasised = false;  // drawn heavier and last (e.g. the setting in force; the label says so)
};

// A labelled dashed line across the plot at `value` on the y axis (horizontal) or on the
// x axis (vertical): the trained window, the context.
struct ChartRule {
    QString label;  // "" : none
    double value = 0;
    bool vertical = false;
    bool faint = false;  // a thin solid boundary (e.g. where a new window starts), not a mark
};

struct Chart {
    QString title, x_label, y_label;
    bool log_y = true;
    std::vector<ChartSeries> series;
    std::vector<ChartRule> rules;
};

// Colour-blind-safe (Okabe-Ito) colours, by series index; the first is the text colour's
// stand-in (black on light backgrounds; the GUI swaps it for the palette's text colour).
const char* chart_colour(size_t index);

// The plotted ranges: x over every series (and vertical rules); y over every positive value
// (and horizontal rules), widened to whole decades on a log axis, to a nice step otherwise.
struct ChartRange {
    double x_lo = 0, x_hi = 1;
    double y_lo = 0, y_hi = 1;  // log10 of the values on a log axis
    std::vector<double> y_ticks;  // in the axis's own units (log10 on a log axis)
    std::vector<double> x_ticks;  // round values inside [x_lo, x_hi]
};
ChartRange chart_range(const Chart& chart);
double series_x(const ChartSeries& s, size_t i);

// The numbers behind the picture: "series,x,y" rows, for a spreadsheet.
QByteArray chart_csv(const Chart& chart);

}  // namespace ll
