// The Attention diagnostic as charts (chart.h): the answer's attention along the document
// (share per bin of characters, the model's own weights and attribution's above-distance
// mass), with the cited passages marked; and the "lost in the middle" curve (raw mass by
// relative depth in the prompt's document part).
#pragma once

#include <QString>

#include <vector>

#include "diagnostics/attention_along.h"
#include "diagnostics/chart.h"

namespace ll {

struct Citation;

Chart attention_chart(const AttentionAlong& a, const std::vector<Citation>& citations,
                      const QString& title);
Chart depth_chart(const AttentionAlong& a, const QString& title);

}  // namespace ll
