// A Heatmap as an SVG image (plain text, as chart_svg.h): panels side by side, the row
// labels on the left (depth, top to bottom), the column labels below (context length), each
// cell coloured by its outcome with its short text, and a legend.
#pragma once

#include <QByteArray>

#include "diagnostics/heatmap.h"

namespace ll {

QByteArray heatmap_svg(const Heatmap& map);

}  // namespace ll
