// What of the document the model sees for one question: the whole text when it fits the
// budget (effective window minus template, question and answer), else the best BM25 passages
// that fit, put back in document order so the model reads them as the author wrote them.
#pragma once

#include <QString>
#include <QStringView>

#include <vector>

#include "context_mode.h"
#include "passage.h"
#include "passage_index.h"

namespace ll {

struct ContextPlan {
    ContextMode mode = ContextMode::Full;  // what was done: Full or Retrieve
    int budget = 0;                        // document tokens allowed
    int tokens = 0;                        // document tokens planned (sum over passages)
    std::vector<Passage> passages;         // document order; Full: one passage, the whole text
};

// `document_tokens`: tokens of the whole text. Full is honoured even over budget (the user
// asked for it; the prompt is then cut to the window by the caller).
ContextPlan plan_context(const PassageIndex& index, qsizetype text_length, int document_tokens,
                         QStringView question, int budget, ContextMode mode);

// Passages for `question`, best first: the order in which retrieval offers them to the plan
// (the grounding benchmark measures its recall).
std::vector<PassageHit> rank_passages(const PassageIndex& index, QStringView question);

// The document-token budget for a window: window - fixed (template + question) - answer.
int context_budget(int64_t window, int fixed_tokens, int answer_tokens);

}  // namespace ll
