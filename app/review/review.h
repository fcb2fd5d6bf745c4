// A paper review as a value: its parts in order, each with its text, the sentences of the
// text and, per sentence, the citations (exact character ranges of the paper, with page,
// rectangles, quoted text and the chip's label) the attribution found for it. A comparison
// of two papers is the same value with two documents: each part belongs to one side and is
// cited in that side's paper.
#pragma once

#include <QList>
#include <QString>

#include "documents/paper_structure.h"
#include "question_answerer.h"

namespace ll {

enum class PartStatus { Pending, Running, Done, Cancelled, Failed };
QString status_name(PartStatus status);
// The status status_name() wrote; Pending for anything else.
PartStatus status_from_name(const QString& name);

struct ReviewSentence {
    qsizetype start = 0;  // in the part's text
    qsizetype end = 0;
    QList<int> cites;  // indexes into ReviewPart::citations
};

struct ReviewPart {
    QString id;     // ReviewPartSpec::id
    QString title;  // ReviewPartSpec::title
    int side = 0;   // the document it reads: 0, or 1 for a comparison's second paper
    PartStatus status = PartStatus::Pending;
    QString text;
    QList<ReviewSentence> sentences;
    QList<AnswerCitation> citations;  // in the paper of `side`, distinct, in order of first use
    QString context;        // what it read ("Abstract · 3 Methodology: whole, 1,840 tokens")
    QString prompt_source;  // the prompt file used
    QString error;          // why it failed
};

struct ReviewDocument {
    QString path;
    QString title;  // the paper's title, else the file name
};

struct Review {
    QList<ReviewDocument> documents;  // one; two for a comparison
    QString model;                    // the model file that wrote it
    QList<ReviewPart> parts;
    bool comparison() const { return documents.size() > 1; }
    // The part with this id (and side); nullptr when there is none.
    ReviewPart* find(const QString& id, int side = 0);
    const ReviewPart* find(const QString& id, int side = 0) const;
};

// Whether a document reads as a research paper, so that a review is offered for it: an
// Abstract or References heading, at least two sections, and an abstract or a reference list
// with entries (a novel or a legal code has none of these together).
bool looks_like_a_paper(const PaperStructure& paper);

// Sentences of `text` (ends at . ! ? 。 ！ ？ followed by a space or the end; a text without
// one is one sentence), trimmed ranges.
QList<ReviewSentence> split_sentences(const QString& text);

}  // namespace ll
