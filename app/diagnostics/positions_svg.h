// The Positions diagnostic as an SVG image: wavelength per rotary pair on a log scale, one
// line per scaling method (the one in force drawn heavier), horizontal lines at the trained
// window and the context; for ALiBi, the slope per head. Written as plain SVG text because
// Qt SVG (qt6-svg-dev) is not a dependency of the project, and the drawing is a few lines.
#pragma once

#include <QByteArray>
#include <QString>

#include "diagnostics/positions.h"

namespace ll {

// `title`: what the image is of (e.g. the model's name), shown above the plot.
QByteArray positions_svg(const PositionsReport& report, const QString& title);

}  // namespace ll
