// The Attention diagnostic as charts (chart.h): the answer's attention along the document
// (share per bin of characters, or per page for PDFs: the model's own weights and, for all
// layers and heads, attribution's above-distance mass), with the cited passages marked;
// and the "lost in the middle" curve (raw mass by relative depth in the prompt's document
// part), beside the conversation's mean when there is one. `layer` (an index into the
// captured layers) and `head` select what is averaged; -1: all.
#pragma once

#include <QString>

#include <vector>

#include "diagnostics/attention_along.h"
#include "diagnostics/chart.h"

namespace ll {

struct Citation;

Chart attention_chart(const AttentionAlong& a, const std::vector<Citation>& citations,
                      const QString& title, int layer = -1, int head = -1);
// `conversation`: the mean curve of the conversation's answers (`answers` of them), shown
// when there are at least two.
Chart depth_chart(const AttentionAlong& a, const QString& title, int layer = -1, int head = -1,
                  const std::vector<double>& conversation = {}, int answers = 0);
// What a selection is called: "layers 1, 3, 5, 7, all heads", "layer 3, head 5".
QString selection_name(const AttentionAlong& a, int layer, int head);

}  // namespace ll
