// A comparison as Markdown, to read or share: the question, then one section per run (its
// text form, answer, citations with page and quoted words), the numbers side by side in one
// table, the word diff of each answer against the first, and the citation agreement.
#pragma once

#include <QString>

#include "comparison.h"

namespace ll {

QString comparison_markdown(const Comparison& c);

}  // namespace ll
