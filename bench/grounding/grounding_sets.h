// The grounding benchmark's question sets: questions about real documents with the character
// ranges of their evidence (gold spans), built from ../shared at run time so that nothing of
// the corpus enters the repository. Every set is deterministic for a seed.
//
//   civil-number   Civil Code PDF: "第N条规定了什么？" for articles sampled from all the
//                  articles the outline finds; gold = the article.
//   civil-content  the same articles asked by content: "哪一条规定了“<clause>”？" with a clause
//                  of the article that occurs nowhere else in the code; gold = the article.
//   needles        a natural sentence planted at depths 0..1 of each novel (whole novels);
//                  gold = the sentence, answer = its key phrase.
//   leval-sciqa,   L-Eval (Qasper, QuALITY) questions whose gold answer occurs in the document
//   leval-quality  (rule in gold_occurrences()); gold = every occurrence.
//   papers         hand-written questions about the research PDFs (bench/grounding/papers.json)
//                  with the page and the sentence of the answer; gold = that sentence.
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

#include "documents/document.h"

namespace llbench::grounding {

struct GoldSpan {
    qsizetype start = 0;
    qsizetype end = 0;
};

struct Case {
    QString id;  // "civil-number/1043"
    std::shared_ptr<const ll::Document> doc;
    QString question;
    std::vector<GoldSpan> gold;  // never empty
    QString answer;              // what a right answer contains; empty: not judged
};

struct SetOptions {
    QString shared_dir;   // ../shared
    QString papers_file;  // papers.json (the source tree's by default)
    int limit = 20;       // cases per set; 0: all
    uint64_t seed = 1;
};

QStringList set_names();
// Throws std::runtime_error for an unknown name or a missing file.
std::vector<Case> build_set(const QString& name, const SetOptions& options);

// 0..n-1 in a seeded Fisher-Yates order (splitmix64: the same on every platform).
std::vector<size_t> shuffled_indices(size_t n, uint64_t seed);
// `k` distinct indices of [0, n) (all of them when k <= 0 or k >= n), in increasing order,
// the first k of shuffled_indices.
std::vector<size_t> sample_indices(size_t n, int k, uint64_t seed);

// Where `answer` occurs in `text`, the rule for L-Eval's gold spans: both compared
// case-insensitively with whitespace runs as one space, the answer stripped of a leading
// "(A) " option letter and of a final full stop; answers shorter than 10 characters are not
// looked for (they occur by chance). Every occurrence is returned, as ranges of `text`.
std::vector<GoldSpan> gold_occurrences(const QString& text, const QString& answer);

// A Document from text already in memory, with its structure detected as import does.
std::shared_ptr<const ll::Document> document_from_text(const QString& text, const QString& name);

}  // namespace llbench::grounding
