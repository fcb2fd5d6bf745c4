// A Chart as an SVG image, for the CLI's --plot and the GUI's export. Written as plain SVG
// text because Qt SVG (qt6-svg-dev) is not a dependency of the project, and the drawing is
// a few lines.
#pragma once

#include <QByteArray>

#include "diagnostics/chart.h"

namespace ll {

QByteArray chart_svg(const Chart& chart);

}  // namespace ll
