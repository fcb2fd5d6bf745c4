#include "passage_index.h"

#include <algorithm>
#include <cmath>

#include "passage_chunker.h"
#include "text_terms.h"

namespace ll {

namespace {

// Titles of the structure nodes that contain `p` and start before it (its chapter, section,
// part), whose words describe the passage but are not in its text.
QString ancestor_titles(const Document& doc, const Passage& p) {
    QString out;
    for (const OutlineNode& n : doc.outline)
        if (n.start < p.start && p.start < n.end && n.kind != StructureKind::Title)
            out += n.title + u' ';
    return out;
}

}  // namespace

PassageIndex::PassageIndex(const Document& doc, int max_passage_tokens, const TokenCounter& count)
    : doc_(doc), passages_(chunk_document(doc, max_passage_tokens, count)) {
    long total = 0;
    for (size_t i = 0; i < passages_.size(); ++i) {
        const Passage& p = passages_[i];
        const QStringList terms = terms_of(QStringView(doc.text).sliced(p.start, p.end - p.start)) +
                                  terms_of(ancestor_titles(doc, p));
        QHash<QString, int> tf;
        for (const QString& term : terms) ++tf[term];
        for (auto it = tf.cbegin(); it != tf.cend(); ++it)
            postings_[it.key()].push_back({static_cast<int>(i), it.value()});
        lengths_.push_back(static_cast<int>(terms.size()));
        total += static_cast<long>(terms.size());
    }
    if (!passages_.empty()) mean_length_ = std::max(1.0, double(total) / passages_.size());
}

std::vector<PassageHit> PassageIndex::search(QStringView query) const {
    constexpr double k1 = 1.2, b = 0.75;
    const double n = static_cast<double>(passages_.size());
    std::vector<double> score(passages_.size(), 0.0), held(passages_.size(), 0.0);
    double whole = 0;  // the query's weight
    for (const auto& [term, weight] : query_terms(query)) {
        const auto it = postings_.constFind(term);
        const double df = it == postings_.cend() ? 0.0 : static_cast<double>(it->size());
        const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
        whole += weight * idf;
        if (it == postings_.cend()) continue;
        for (const Posting& p : *it) {
            const double norm = k1 * (1 - b + b * lengths_[p.passage] / mean_length_);
            score[p.passage] += weight * idf * p.tf * (k1 + 1) / (p.tf + norm);
            held[p.passage] += weight * idf;
        }
    }
    std::vector<PassageHit> hits;
    for (size_t i = 0; i < score.size(); ++i)
        if (score[i] > 0)
            hits.push_back({static_cast<int>(i), score[i], whole > 0 ? held[i] / whole : 0.0});
    std::sort(hits.begin(), hits.end(), [](const PassageHit& a, const PassageHit& c) {
        return a.score > c.score || (a.score == c.score && a.passage < c.passage);
    });
    return hits;
}

}  // namespace ll
