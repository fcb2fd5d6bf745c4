// Terms for lexical matching (BM25 retrieval, answer/passage overlap): lower-cased runs of
// letters and digits for alphabetic scripts, and overlapping character bigrams for CJK runs
// (a lone CJK character stands for itself). Chinese has no spaces and no segmenter is at
// hand; bigrams match most two-character words and cost nothing to compute.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace ll {

// True for Han ideographs, kana and Hangul: scripts written without spaces between words.
bool is_cjk(char32_t c);

// The terms of `text`, in order, with repetitions.
QStringList terms_of(QStringView text);

}  // namespace ll
