#include "context_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "unit_reference.h"

namespace ll {

int context_budget(int64_t window, int fixed_tokens, int answer_tokens) {
    return static_cast<int>(std::max<int64_t>(0, window - fixed_tokens - answer_tokens));
}

namespace {

// Indices of the passages overlapping [start, end), in document order (passages are sorted).
std::vector<int> passages_in(const PassageIndex& index, qsizetype start, qsizetype end) {
    const auto& ps = index.passages();
    auto it = std::upper_bound(ps.begin(), ps.end(), start,
                               [](qsizetype s, const Passage& p) { return s < p.end; });
    std::vector<int> out;
    for (; it != ps.end() && it->start < end; ++it) out.push_back(int(it - ps.begin()));
    return out;
}

// The question with its unit references blanked out: what is left to match by content.
QString residual_of(QStringView question, const std::vector<UnitReference>& refs) {
    QString out = question.toString();
    for (const UnitReference& r : refs)
        for (qsizetype i = r.start; i < r.end; ++i) out[i] = u' ';
    return out;
}

// Of several units a reference may mean (chapters numbered anew in every part), the one whose
// passages match the rest of the question best; the first when nothing tells them apart.
const UnitMatch* pick(const PassageIndex& index, const std::vector<UnitMatch>& matches,
                      const std::map<int, double>& score) {
    const UnitMatch* best = &matches.front();
    double best_score = -1;
    for (const UnitMatch& m : matches) {
        double s = 0;
        for (int i : passages_in(index, m.start, m.end)) {
            const auto it = score.find(i);
            if (it != score.end()) s = std::max(s, it->second);
        }
        if (s > best_score) {
            best = &m;
            best_score = s;
        }
    }
    return best;
}

}  // namespace

Ranking rank_passages(const PassageIndex& index, QStringView question) {
    Ranking r;
    const Document& doc = index.document();
    const std::vector<UnitReference> refs = find_unit_references(question);
    const std::vector<PassageHit> content = index.search(residual_of(question, refs));
    std::map<int, double> score;
    for (const PassageHit& h : content) score[h.passage] = h.score;

    std::map<int, size_t> hit_of;  // passage -> index in content
    for (size_t k = 0; k < content.size(); ++k) hit_of[content[k].passage] = k;
    std::set<int> taken;
    auto take = [&](int i, bool named) {
        if (!taken.insert(i).second) return;
        const auto it = hit_of.find(i);
        PassageHit h = it != hit_of.end() ? content[it->second] : PassageHit{i, 0.0, 0.0, false};
        h.named = named;
        r.hits.push_back(h);
    };

    // 1. The units the question names: the first passage of each (its heading), then its
    // passages that match the rest of the question, then the others in document order.
    qsizetype parent_start = 0, parent_end = -1;
    std::vector<std::pair<int, int>> named_spans;  // first and last passage of each unit
    for (const UnitReference& ref : refs) {
        if (!ref.chained) parent_start = 0, parent_end = -1;
        const std::vector<UnitMatch> matches = match_unit(doc, ref, parent_start, parent_end);
        if (matches.empty()) {
            r.not_found << ref.text;
            continue;
        }
        const UnitMatch& m = *pick(index, matches, score);
        parent_start = m.start;
        parent_end = m.end;
        // A chained reference narrows its parent: only the innermost unit is read.
        if (ref.chained && !r.named.empty() && r.named.back().start <= m.start &&
            m.end <= r.named.back().end) {
            r.named.pop_back();
            named_spans.pop_back();
        }
        const std::vector<int> ps = passages_in(index, m.start, m.end);
        if (ps.empty()) continue;
        NamedUnit unit{ref.text, m.title, m.start, m.end, 0, 0};
        for (int i : ps) unit.tokens += index.passages()[size_t(i)].tokens;
        r.named.push_back(unit);
        named_spans.emplace_back(ps.front(), ps.back());
    }
    for (const auto& [first, last] : named_spans) {
        take(first, true);
        for (const PassageHit& h : content)
            if (h.passage >= first && h.passage <= last) take(h.passage, true);
        for (int i = first; i <= last; ++i) take(i, true);
    }
    if (named_spans.empty()) {  // a question about content: BM25 alone
        for (const PassageHit& h : content) take(h.passage, false);
        return r;
    }
    // 2. Passages that hold most of the rest of the question.
    for (const PassageHit& h : content)
        if (h.coverage >= kStrongMatch) take(h.passage, false);
    // 3. The named units' surroundings, nearest first, after before before.
    const int n = int(index.passages().size());
    for (int d = 1; d < n; ++d) {
        bool any = false;
        for (const auto& [first, last] : named_spans) {
            if (last + d < n) take(last + d, false), any = true;
            if (first - d >= 0) take(first - d, false), any = true;
        }
        if (!any) break;
    }
    // 4. Everything else that matches (already all taken by 3 unless the units were at the ends).
    for (const PassageHit& h : content) take(h.passage, false);
    return r;
}

namespace {

// The passages that make up the unit of passage `i` with it: those of the innermost outline
// node holding its last character (a passage that starts with a bare chapter heading belongs
// to the article after it), when that node is split over several passages and is not longer
// than `cap` tokens; else the passage alone.
std::vector<int> whole_unit(const PassageIndex& index, int i, int cap) {
    const Document& doc = index.document();
    const Passage& p = index.passages()[size_t(i)];
    const qsizetype last = std::max(p.start, p.end - 1);
    const OutlineNode* inner = nullptr;
    for (const OutlineNode& node : doc.outline)
        if (node.kind != StructureKind::ContentsEntry && node.start <= last && last < node.end &&
            (!inner || node.level >= inner->level))
            inner = &node;
    if (!inner) return {i};
    std::vector<int> unit = passages_in(index, inner->start, inner->end);
    int tokens = 0;
    for (int u : unit) tokens += index.passages()[size_t(u)].tokens + 2;
    if (unit.size() <= 1 || tokens > cap) return {i};
    return unit;
}

void retrieve(const PassageIndex& index, QStringView question, int budget, ContextPlan& plan) {
    const Ranking ranking = rank_passages(index, question);
    plan.named = ranking.named;
    plan.not_found = ranking.not_found;
    const auto& ps = index.passages();
    std::set<int> chosen;
    int used = 0;
    auto fits = [&](const std::vector<int>& unit) {
        int t = 0;
        for (int u : unit)
            if (!chosen.count(u)) t += ps[size_t(u)].tokens + 2;  // + separator
        return used + t <= budget;
    };
    auto add = [&](const std::vector<int>& unit) {
        for (int u : unit)
            if (chosen.insert(u).second) used += ps[size_t(u)].tokens + 2;
    };
    for (const PassageHit& hit : ranking.hits) {
        if (chosen.count(hit.passage)) continue;
        // A named unit is read as far as it fits, in the order ranked; other units whole.
        const std::vector<int> unit =
            hit.named ? std::vector<int>{hit.passage} : whole_unit(index, hit.passage, budget / 2);
        if (fits(unit)) add(unit);
    }
    // Nothing matched (a question in other words than the text's): the opening passages are
    // a better context than none, and the plan says so.
    if (chosen.empty() && ranking.hits.empty()) {
        for (size_t i = 0; i < ps.size(); ++i) {
            if (!fits({int(i)})) break;
            add({int(i)});
        }
        if (!chosen.empty())
            plan.thin =
                "Nothing in the document matches the question; the model read the "
                "opening passages.";
    }
    plan.tokens = used;
    for (int i : chosen) plan.passages.push_back(ps[size_t(i)]);
    for (const PassageHit& hit : ranking.hits) {
        plan.match = std::max(plan.match, hit.coverage);
        if (hit.coverage >= kWeakMatch && !hit.named && !chosen.count(hit.passage)) {
            ++plan.left_out;
            plan.left_out_tokens += ps[size_t(hit.passage)].tokens;
        }
    }
    for (NamedUnit& u : plan.named)
        for (int i : passages_in(index, u.start, u.end))
            if (chosen.count(i)) u.planned += ps[size_t(i)].tokens;
}

QString thin_reason(const ContextPlan& plan, int document_tokens) {
    if (!plan.thin.isEmpty()) return plan.thin;
    if (plan.passages.empty())
        return QStringLiteral(
                   "No part of the document fits in the %1 tokens the window leaves "
                   "for it.")
            .arg(plan.budget);
    if (!plan.not_found.isEmpty())
        return QStringLiteral("The document has no %1.").arg(plan.not_found.join(", "));
    for (const NamedUnit& u : plan.named)
        if (u.planned == 0)
            return QStringLiteral("%1 does not fit in the window.").arg(u.reference);
    if (plan.budget < kThinBudget && document_tokens > plan.budget)
        return QStringLiteral("The window leaves room for %1 of the document's %2 tokens.")
            .arg(plan.budget)
            .arg(document_tokens);
    if (plan.named.empty() && plan.match < kWeakMatch)
        return QStringLiteral(
                   "Nothing in the document matches the question well: the best "
                   "passage holds %1 % of its terms.")
            .arg(qRound(100 * plan.match));
    return {};
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
        plan.match = 1;
        // What the question names, for the citations (attribution.h): the whole text is read.
        const Ranking ranking = rank_passages(index, question);
        plan.named = ranking.named;
        for (NamedUnit& u : plan.named) u.planned = u.tokens;
        plan.not_found = ranking.not_found;
        if (!plan.not_found.isEmpty())
            plan.thin = QStringLiteral("The document has no %1.").arg(plan.not_found.join(", "));
        return plan;
    }
    plan.mode = ContextMode::Retrieve;
    retrieve(index, question, budget, plan);
    plan.thin = thin_reason(plan, document_tokens);
    return plan;
}

QString describe_plan(const ContextPlan& plan) {
    QString out = plan.mode == ContextMode::Full
                      ? QStringLiteral("whole document, %1 tokens").arg(plan.tokens)
                      : QStringLiteral("%1 retrieved passage(s), %2 tokens")
                            .arg(plan.passages.size())
                            .arg(plan.tokens);
    for (const NamedUnit& u : plan.named) {
        out += QStringLiteral(" · ") + u.reference;
        if (u.planned < u.tokens)
            out += QStringLiteral(" (%1 of its %2 tokens)").arg(u.planned).arg(u.tokens);
    }
    if (plan.left_out > 0)
        out += QStringLiteral(" · left out: %1 more matching passage(s), %2 tokens")
                   .arg(plan.left_out)
                   .arg(plan.left_out_tokens);
    return out;
}

}  // namespace ll
