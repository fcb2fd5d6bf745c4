// The Perplexity diagnostic as a chart (chart.h): perplexity per chunk (log scale) against
// the chunk's midpoint in document tokens, one line per run (the first, in force, heavier),
// broken where a new window starts (its first chunk has no context before it), a faint
// line at each window start and a dashed one where the window's positions pass the trained
// window.
#pragma once

#include <QByteArray>
#include <QString>

#include "diagnostics/chart.h"
#include "diagnostics/perplexity_profile.h"

namespace ll {

// `title`: what the image is of (e.g. the model and document names), shown above the plot.
Chart perplexity_chart(const PerplexityProfile& profile, const QString& title);
// The same as SVG (chart_svg.h).
QByteArray perplexity_svg(const PerplexityProfile& profile, const QString& title);

}  // namespace ll
