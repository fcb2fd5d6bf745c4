// What of the document the model sees for one question: the whole text when it fits the
// budget (effective window minus template, question and answer), else the passages retrieval
// ranks first that fit, put back in document order so the model reads them as the author
// wrote them.
//
// Retrieval is structure-aware: a unit the question names by number ("第一千零四十三条",
// "Article 5", "chapter 12", "Section 3.1", "Table 2"; unit_reference.h) comes first, found
// through the outline; then passages that hold at least half of the rest of the question's
// weight; then the named unit's neighbours, nearest first; then weaker matches. A question
// without such a reference is ranked by BM25 alone. The plan takes whole units (an article
// split over several passages goes in with all of them, or not at all) and says what it left
// out, and when the context is thin.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <vector>

#include "context_mode.h"
#include "passage.h"
#include "passage_index.h"

namespace ll {

// A unit the question names, as the document has it.
struct NamedUnit {
    QString reference;  // as the question writes it ("第十二回")
    QString title;      // the document's heading or caption line
    qsizetype start = 0;
    qsizetype end = 0;
    int tokens = 0;   // of its passages
    int planned = 0;  // of those, in the plan
};

// Below this many tokens of room for the document (and a longer document), the context is
// thin: a passage or two.
inline constexpr int kThinBudget = 256;
// A best passage holding less than this share of the question's weight (PassageHit::coverage)
// is a weak match: the context is thin.
inline constexpr double kWeakMatch = 0.35;
// Content matches at least this strong go before a named unit's neighbours.
inline constexpr double kStrongMatch = 0.5;

struct ContextPlan {
    ContextMode mode = ContextMode::Full;  // what was done: Full or Retrieve
    int budget = 0;                        // document tokens allowed
    int tokens = 0;                        // document tokens planned (sum over passages)
    std::vector<Passage> passages;         // document order; Full: one passage, the whole text

    std::vector<NamedUnit> named;  // units the question names that the document has
    QStringList not_found;         // references the document has no unit for
    int left_out = 0;              // passages matching the question that did not fit
    int left_out_tokens = 0;
    double match = 0;  // Retrieve: the best passage's coverage of the question
    QString thin;      // why the context is thin; empty when it is not
};

struct Ranking {
    std::vector<PassageHit> hits;  // best first; named units' passages have `named` set
    std::vector<NamedUnit> named;  // tokens filled in, planned not
    QStringList not_found;
};

// Passages for `question`, best first: the order in which retrieval offers them to the plan
// (the grounding benchmark measures its recall).
Ranking rank_passages(const PassageIndex& index, QStringView question);

// `document_tokens`: tokens of the whole text. Full is honoured even over budget (the user
// asked for it; the prompt is then cut to the window by the caller).
ContextPlan plan_context(const PassageIndex& index, qsizetype text_length, int document_tokens,
                         QStringView question, int budget, ContextMode mode);

// The document-token budget for a window: window - fixed (template + question) - answer.
int context_budget(int64_t window, int fixed_tokens, int answer_tokens);

// One line for the answer card and the CLI: the context, what the question named, what was
// left out ("3 retrieved passage(s), 412 tokens · 第十二条 · left out: 2 matching passages,
// 310 tokens").
QString describe_plan(const ContextPlan& plan);

}  // namespace ll
