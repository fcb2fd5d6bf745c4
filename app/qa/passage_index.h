// The retrieval index of a document: its structure-aware passages (passage_chunker.h) and
// BM25 over their terms (words, CJK bigrams; text_terms.h). Each passage is indexed with the
// titles of the structure nodes above it, so "第四章 个体工商户" helps find its articles.
#pragma once

#include <QHash>
#include <QStringView>

#include <vector>

#include "documents/document.h"
#include "passage.h"

namespace ll {

struct PassageHit {
    int passage = 0;  // index into passages()
    double score = 0;
    // The query's weight (query_terms x IDF) the passage holds, as a share of the whole
    // query's: 1 when every term is in it. A query term the document never uses counts at
    // the highest IDF, so a question about something absent scores low everywhere.
    double coverage = 0;
    bool named = false;  // in a unit the question names by number (context_plan.h)
};

class PassageIndex {
  public:
    // `doc` must outlive the index.
    PassageIndex(const Document& doc, int max_passage_tokens,
                 const TokenCounter& count = estimate_tokens);

    const Document& document() const { return doc_; }
    const std::vector<Passage>& passages() const { return passages_; }
    // Passages sharing a term with the query, best first (BM25, k1 = 1.2, b = 0.75, each
    // query term weighted as query_terms() says).
    std::vector<PassageHit> search(QStringView query) const;

  private:
    const Document& doc_;
    struct Posting {
        int passage;
        int tf;
    };
    std::vector<Passage> passages_;
    std::vector<int> lengths_;  // terms per passage
    double mean_length_ = 1;
    QHash<QString, std::vector<Posting>> postings_;
};

}  // namespace ll
