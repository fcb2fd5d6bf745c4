// The Perplexity diagnostic as an SVG image: perplexity per chunk (log scale) against the
// chunk's midpoint in document tokens, one line per run, a dashed vertical line where each
// window's positions pass the trained window, and a legend. Plain SVG text, as positions_svg.
#pragma once

#include <QByteArray>
#include <QString>

#include "diagnostics/perplexity_profile.h"

namespace ll {

// `title`: what the image is of (e.g. the model and document names), shown above the plot.
QByteArray perplexity_svg(const PerplexityProfile& profile, const QString& title);

}  // namespace ll
