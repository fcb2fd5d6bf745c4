// What the Diagnostics dock shows, computed for the model loaded in a ModelService: a chart
// (diagnostics/chart.h, the same value the CLI writes as SVG) and the facts beside it. The
// widgets draw these; every number comes from app/diagnostics.
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>

#include "diagnostics/chart.h"

namespace ll {

class ModelService;

struct PositionsView {
    Chart chart;
    int64_t context = 0;   // the length it was computed at
    QStringList facts;     // method in force, windows, rope base, attention factor
    QStringList classes;   // how many pairs are extrapolated, unseen, in the ramp, interpolated
    QStringList warnings;  // the engine's
    QStringList notes;     // how to read the overlay
};

// The Positions view for the loaded model at `context` tokens (0: its effective window).
// Throws AppError when no model is loaded or the context is not a positive count.
PositionsView positions_view(const ModelService& service, int64_t context = 0);

}  // namespace ll
