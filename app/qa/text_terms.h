// Terms for lexical matching (BM25 retrieval, answer/passage overlap): lower-cased runs of
// letters and digits for alphabetic scripts, and overlapping character bigrams for CJK runs
// (a lone CJK character stands for itself). Chinese has no spaces and no segmenter is at
// hand; bigrams match most two-character words and cost nothing to compute.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <utility>
#include <vector>

namespace ll {

// True for Han ideographs, kana and Hangul: scripts written without spaces between words.
bool is_cjk(char32_t c);

// The terms of `text`, in order, with repetitions.
QStringList terms_of(QStringView text);

// The distinct terms of a query with their weights, so that a query's CJK and Latin words
// count alike: a Latin word weighs 1; the n-1 bigrams of a CJK run of n characters share
// n/2 (a two-character word is one bigram of weight 1, a long run about half a word per
// character), and a lone CJK character weighs 1/2. A term seen twice keeps its larger weight.
std::vector<std::pair<QString, double>> query_terms(QStringView text);

}  // namespace ll
