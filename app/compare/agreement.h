// Which passages the runs of a comparison agree on: every cited character range, with
// overlapping citations of any run merged into one passage, and the runs that cite it. Two
// runs agree on a passage when each cites some part of it.
#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

#include "qa/citation.h"

namespace ll {

struct AgreedPassage {
    qsizetype start = 0;  // the union of the overlapping citations
    qsizetype end = 0;
    std::vector<int> runs;  // ascending run indices that cite it
};

struct Agreement {
    int runs = 0;
    std::vector<AgreedPassage> passages;  // document order
    // shared[i][j]: passages both i and j cite / passages either cites (1 on the diagonal
    // of a run with citations); -1 when neither cites anything.
    std::vector<std::vector<double>> shared;
};

// `cited[i]`: run i's citations (empty for a run that failed or was cancelled).
Agreement agree(const std::vector<std::vector<Citation>>& cited);

// "2 of 3 cited passages are cited by every run" (one line for the CLI and the exports).
QString agreement_summary(const Agreement& a);

// {"summary", "passages": [{"start","end","runs"}], "shared": [[...]]}
QJsonObject to_json(const Agreement& a);

}  // namespace ll
