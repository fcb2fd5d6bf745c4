// A comparison as one self-contained HTML page, to open in a browser or send: the question,
// the answers side by side in one table (a column per run, in the run's colour), each run's
// citations with page and quoted words under its answer, the numbers in rows, the word diff
// of each answer against the first, and which passages the runs agree on.
#pragma once

#include <QString>

#include "comparison.h"

namespace ll {

QString comparison_html(const Comparison& c);

}  // namespace ll
