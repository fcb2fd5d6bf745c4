// The answer panel's view of question answering: ask a question about a document, get the
// answer as streamed text, then citations as character ranges. The GUI depends only on this
// interface and these Qt-typed values; GroundedAnswerer implements it over app/qa.
#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include <memory>

#include "attention_report.h"
#include "diagnostics/chart.h"
#include "documents/document.h"

namespace ll {

// One source of an answer: a character range of the document and where it is shown.
struct AnswerCitation {
    qsizetype start = 0;
    qsizetype end = 0;
    int page = -1;  // 0-based, -1 for documents without pages
    QList<PageRect> rects;
    QString text;  // the quoted passage
    double score = 0;
    // Chip text naming the unit: "第十二条", "第一千零四十三条第二款", "¶ 3 of Chapter 2",
    // "Clause 14.6", "p. 30", "¶ 12" — never a line number.
    QString label;
};

struct AnswerTimes {
    qint64 prompt_tokens = 0;
    qint64 reused_tokens = 0;       // of the prompt, not read again: kept in memory or from disk
    bool reused_from_disk = false;  // loaded from the document cache
    double prefill_seconds = 0;
    qint64 answer_tokens = 0;
    double decode_seconds = 0;
    bool cancelled = false;
};

struct QuestionRequest {
    std::shared_ptr<const Document> document;
    QString question;
};

class QuestionAnswerer : public QObject {
    Q_OBJECT
  public:
    using QObject::QObject;
    virtual void ask(const QuestionRequest& request) = 0;
    virtual void cancel() = 0;
    // One line the panel shows above answers, saying what kind of answers these are.
    virtual QString description() const = 0;

  signals:
    // A step without token progress ("Indexing the document").
    void stage_changed(const QString& stage);
    // What the model is given: a description and the ranges it covers.
    void context_planned(const QString& description, const QList<ll::AnswerCitation>& passages);
    // The context is thin (nothing matched well, the window leaves a passage or two, a unit
    // the question names is missing): why, in a sentence the answer card shows as a warning.
    void context_warning(const QString& warning);
    void prefill_progress(qint64 done, qint64 total, double seconds);
    void answer_text(const QString& text);
    // Answer tokens generated so far, and the seconds since the first.
    void decode_progress(qint64 tokens, double seconds);
    void answered(const QList<ll::AnswerCitation>& citations, const ll::AnswerTimes& timing);
    // Where the answer looked (the Diagnostics dock's Attention view and the document's
    // attention strip), for any captured layer and head.
    void attention_ready(std::shared_ptr<const ll::AttentionReport> report);
    void failed(const QString& message);
};

// A citation for [start, end) of `document` with its page, rectangles, quoted text and label:
// the innermost outline unit by its number (or title), with the paragraph when the citation
// is a part of a unit of several (Chinese articles count 款), plus the page for PDFs; without
// an outline, a numbered clause at the paragraph's start ("Clause 14.6"), else the paragraph
// on its page or in the text ("¶ 12").
AnswerCitation make_citation(const Document& document, qsizetype start, qsizetype end);

// Makes the labels of one answer's citations distinct: those that would read the same get the
// sentence they start in ("¶ 3 of Chapter 2, sentence 4").
void distinguish_labels(const Document& document, QList<AnswerCitation>& citations);

}  // namespace ll

Q_DECLARE_METATYPE(ll::AnswerCitation)
Q_DECLARE_METATYPE(ll::AnswerTimes)
Q_DECLARE_METATYPE(std::shared_ptr<const ll::AttentionReport>)
