#include "context_plan.h"

#include <algorithm>

namespace ll {

int context_budget(int64_t window, int fixed_tokens, int answer_tokens) {
    return static_cast<int>(std::max<int64_t>(0, window - fixed_tokens - answer_tokens));
}

std::vector<PassageHit> rank_passages(const PassageIndex& index, QStringView question) {
    return index.search(question);
}

namespace {

// The best-scoring passages that fit. Passages sharing no term with the question are left out:
// they would only add noise.
std::vector<Passage> retrieve(const PassageIndex& index, QStringView question, int budget,
                              int& used) {
    std::vector<int> chosen;
    used = 0;
    for (const PassageHit& hit : rank_passages(index, question)) {
        const Passage& p = index.passages()[hit.passage];
        if (used + p.tokens + 2 > budget) continue;  // + separator
        chosen.push_back(hit.passage);
        used += p.tokens + 2;
    }
    // Nothing matched (a question in other words than the text's): the opening passages are
    // a better context than none.
    if (chosen.empty()) {
        for (size_t i = 0; i < index.passages().size(); ++i) {
            const int tokens = index.passages()[i].tokens + 2;
            if (used + tokens > budget) break;
            used += tokens;
            chosen.push_back(static_cast<int>(i));
        }
    }
    std::sort(chosen.begin(), chosen.end());
    std::vector<Passage> out;
    for (int i : chosen) out.push_back(index.passages()[i]);
    return out;
}

}  // namespace

ContextPlan plan_context(const PassageIndex& index, qsizetype text_length, int document_tokens,
                         QStringView question, int budget, ContextMode mode) {
    ContextPlan plan;
    plan.budget = budget;
    if (mode == ContextMode::Full || (mode == ContextMode::Auto && document_tokens <= budget)) {
        plan.mode = ContextMode::Full;
        plan.tokens = document_tokens;
        plan.passages.push_back({0, text_length, document_tokens, {}});
        return plan;
    }
    plan.mode = ContextMode::Retrieve;
    plan.passages = retrieve(index, question, budget, plan.tokens);
    return plan;
}

}  // namespace ll
