// The Positions diagnostic as a chart: wavelength per rotary pair on a log scale, one line
// per scaling method (the one in force drawn heavier), horizontal lines at the trained
// window and the context; for ALiBi, the slope per head.
#pragma once

#include <QByteArray>
#include <QString>

#include "diagnostics/chart.h"
#include "diagnostics/positions.h"

namespace ll {

// `title`: what the image is of (e.g. the model's name), shown above the plot.
Chart positions_chart(const PositionsReport& report, const QString& title);
// The same as SVG (chart_svg.h).
QByteArray positions_svg(const PositionsReport& report, const QString& title);

}  // namespace ll
