#include "answer_records.h"

#include "qa/answer.h"

namespace ll {

CitedPassage cited_passage(const AnswerCitation& c) {
    return {c.start, c.end, c.page, c.label, c.text, c.score};
}

AnswerCitation answer_citation(const CitedPassage& c, const Document* document) {
    AnswerCitation a;
    if (document && c.end <= document->text.size()) a = make_citation(*document, c.start, c.end);
    a.start = c.start;
    a.end = c.end;
    a.page = c.page;
    a.text = c.text;
    a.score = c.score;
    a.label = c.label;
    return a;
}

AnswerRecord record_of(const Answer& answer, const Document& document,
                       const QJsonObject& run_config) {
    AnswerRecord r;
    r.question = answer.question;
    r.answer = answer.text;
    r.asked = QDateTime::currentDateTimeUtc();
    r.complete = answer.end != AnswerEnd::Cancelled;
    r.note = QStringLiteral("ended: %1 · context: %2, %3 tokens")
                 .arg(end_name(answer.end), mode_name(answer.plan.mode))
                 .arg(answer.plan.tokens);
    r.run_config = run_config;
    if (!answer.plan.thin.isEmpty()) r.note = "thin context: " + answer.plan.thin + " · " + r.note;
    QList<AnswerCitation> cited;
    for (const Citation& c : answer.citations) {
        AnswerCitation a = make_citation(document, c.start, c.end);
        a.text = c.text.simplified();
        a.score = c.score;
        cited << a;
    }
    distinguish_labels(document, cited);
    for (const AnswerCitation& a : cited) r.citations << cited_passage(a);
    return r;
}

}  // namespace ll
