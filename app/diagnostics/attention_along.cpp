#include "diagnostics/attention_along.h"

#include <algorithm>
#include <numeric>

#include "documents/document.h"

namespace ll {

namespace {

constexpr int kDepthBins = 10;
constexpr size_t kTokenColumns = 10;  // passages in the tokens × passages map

// Where each prompt token falls: its bin along the document, its page, its depth decile.
struct KeyPlaces {
    size_t first = 0, last = 0;         // the document part of the prompt
    std::vector<int> bin, page, depth;  // per key in [first, last); bin/page -1: no characters
};

KeyPlaces key_places(const Document& doc, const PromptTokens& prompt, qsizetype chars, int bins) {
    KeyPlaces k;
    k.first = static_cast<size_t>(prompt.document_begin);
    k.last = static_cast<size_t>(prompt.document_end);
    const double span = double(std::max<size_t>(1, k.last - k.first));
    for (size_t i = k.first; i < k.last; ++i) {
        const qsizetype start = prompt.spans[i].start;
        const bool text = start >= 0;
        k.bin.push_back(text ? static_cast<int>(std::min<qsizetype>(bins - 1, start * bins / chars))
                             : -1);
        k.page.push_back(text && doc.page_count > 0 ? doc.page_of(start) : -1);
        k.depth.push_back(std::min(kDepthBins - 1, int(kDepthBins * double(i - k.first) / span)));
    }
    return k;
}

AttentionProfile empty_profile(int bins, int pages) {
    AttentionProfile p;
    p.raw.assign(bins, 0.0);
    p.by_depth.assign(kDepthBins, 0.0);
    if (pages > 0) p.by_page.assign(pages, 0.0);
    return p;
}

// Adds weights over keys (weights[k] for prompt position k), times `scale`, to a profile.
template <class Weights>
void add_weights(AttentionProfile& p, const KeyPlaces& k, const Weights& weights, double scale) {
    const size_t end = std::min(k.last, static_cast<size_t>(weights.size()));
    for (size_t i = k.first; i < end; ++i) {
        const double w = double(weights[i]) * scale;
        if (w == 0) continue;
        const size_t at = i - k.first;
        p.document_share += w;
        p.by_depth[k.depth[at]] += w;
        if (k.bin[at] >= 0) p.raw[k.bin[at]] += w;
        if (k.page[at] >= 0 && k.page[at] < static_cast<int>(p.by_page.size()))
            p.by_page[k.page[at]] += w;
    }
}

void add_profile(AttentionProfile& into, const AttentionProfile& p, double scale) {
    const auto add = [scale](std::vector<double>& a, const std::vector<double>& b) {
        for (size_t i = 0; i < a.size() && i < b.size(); ++i) a[i] += scale * b[i];
    };
    add(into.raw, p.raw);
    add(into.by_depth, p.by_depth);
    add(into.by_page, p.by_page);
    into.document_share += scale * p.document_share;
}

// The passages the answer's tokens looked at most (and every passage holding a document
// token with no others ranked), in document order, with each token's share on each.
AttentionTokens token_map(const PromptTokens& prompt, const AttentionCapture& capture,
                          const std::vector<Passage>& units, const QStringList& pieces) {
    AttentionTokens t;
    if (units.empty() || capture.rows.empty()) return t;
    // Each document token's unit (by its first character).
    const size_t first = static_cast<size_t>(prompt.document_begin);
    const size_t last = static_cast<size_t>(prompt.document_end);
    std::vector<int> unit_of(last - first, -1);
    for (size_t i = first; i < last; ++i) {
        const qsizetype c = prompt.spans[i].start;
        if (c < 0) continue;
        const auto it = std::upper_bound(units.begin(), units.end(), c,
                                         [](qsizetype x, const Passage& p) { return x < p.start; });
        if (it != units.begin() && c < std::prev(it)->end)
            unit_of[i - first] = static_cast<int>(std::prev(it) - units.begin());
    }
    const size_t rows = std::min<size_t>(capture.rows.size(), static_cast<size_t>(pieces.size()));
    std::vector<double> per_unit(units.size() * rows, 0.0), total(units.size(), 0.0);
    for (size_t r = 0; r < rows; ++r) {
        const std::vector<float>& row = capture.rows[r];
        for (size_t i = first; i < last && i < row.size(); ++i) {
            const int u = unit_of[i - first];
            if (u < 0) continue;
            per_unit[r * units.size() + u] += row[i];
            total[u] += row[i];
        }
    }
    std::vector<size_t> order(units.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return total[a] > total[b]; });
    order.resize(std::min(order.size(), kTokenColumns));
    std::erase_if(order, [&](size_t u) { return total[u] <= 0; });
    std::sort(order.begin(), order.end());
    for (size_t u : order) t.passages.push_back(units[u]);
    for (size_t r = 0; r < rows; ++r) {
        t.tokens << pieces[static_cast<qsizetype>(r)];
        for (size_t u : order) t.weights.push_back(per_unit[r * units.size() + u]);
    }
    return t;
}

}  // namespace

AttentionProfile AttentionAlong::selected(int layer, int head) const {
    const int pages = static_cast<int>(by_page.size());
    if (heads.empty() || n_heads <= 0) {
        AttentionProfile p{raw, by_depth, by_page, document_share};
        return p;
    }
    AttentionProfile out = empty_profile(bins, pages);
    int count = 0;
    for (int l = 0; l < static_cast<int>(layers.size()); ++l)
        for (int h = 0; h < n_heads; ++h)
            if ((layer < 0 || layer == l) && (head < 0 || head == h)) ++count;
    for (int l = 0; l < static_cast<int>(layers.size()); ++l)
        for (int h = 0; h < n_heads; ++h)
            if ((layer < 0 || layer == l) && (head < 0 || head == h))
                add_profile(out, heads[static_cast<size_t>(l * n_heads + h)], 1.0 / count);
    return out;
}

AttentionAlong attention_along(const Document& doc, const PromptTokens& prompt,
                               const AttentionCapture& capture, const std::vector<double>& mass,
                               int bins, const std::vector<Passage>& units,
                               const QStringList& pieces) {
    AttentionAlong a;
    a.document_chars = std::max<qsizetype>(1, doc.text.size());
    a.bins = std::max(1, bins);
    const int pages = std::max(0, doc.page_count);
    AttentionProfile all = empty_profile(a.bins, pages);
    a.excess.assign(a.bins, 0.0);
    a.answer_rows = static_cast<int64_t>(capture.rows.size());
    const auto finish = [&] {
        a.raw = all.raw;
        a.by_depth = all.by_depth;
        a.by_page = all.by_page;
        a.document_share = all.document_share;
    };
    if (capture.rows.empty()) {
        finish();
        return a;
    }
    const KeyPlaces keys = key_places(doc, prompt, a.document_chars, a.bins);
    const double rows = double(capture.rows.size());
    for (const std::vector<float>& row : capture.rows) add_weights(all, keys, row, 1.0 / rows);
    finish();
    a.excess_by_page.assign(pages, 0.0);
    double total = 0;
    for (size_t k = keys.first; k < keys.last && k < mass.size(); ++k) {
        const size_t at = k - keys.first;
        if (keys.bin[at] < 0) continue;
        a.excess[keys.bin[at]] += mass[k];
        if (keys.page[at] >= 0 && keys.page[at] < pages) a.excess_by_page[keys.page[at]] += mass[k];
        total += mass[k];
    }
    if (total > 0) {
        for (double& e : a.excess) e /= total;
        for (double& e : a.excess_by_page) e /= total;
    }
    if (capture.per_head && capture.n_heads > 0 &&
        capture.head_sums.size() == capture.layers.size() * size_t(capture.n_heads)) {
        a.layers = capture.layers;
        a.n_heads = capture.n_heads;
        for (const std::vector<float>& sums : capture.head_sums) {
            a.heads.push_back(empty_profile(a.bins, pages));
            add_weights(a.heads.back(), keys, sums, 1.0 / rows);
        }
    }
    a.tokens = token_map(prompt, capture, units, pieces);
    return a;
}

}  // namespace ll
