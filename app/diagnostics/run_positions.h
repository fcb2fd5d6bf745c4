// The Positions diagnostic for a run: the report for what a ModelRun applies, at a context
// length or, by default, at the window its scaling makes usable. The CLI and the GUI both
// start here, so they show the same numbers.
#pragma once

#include <cstdint>

#include "diagnostics/positions.h"

namespace ll {

struct ModelRun;

// context 0: the effective window of the scaling in force (else the trained window).
// Throws AppError for a context below 1 and EngineError as analyse_positions does.
PositionsReport analyse_run_positions(const ModelRun& run, int64_t context = 0);

}  // namespace ll
