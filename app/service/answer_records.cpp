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
    for (const Citation& c : answer.citations) {
        CitedPassage p = cited_passage(make_citation(document, c.start, c.end));
        p.text = c.text.simplified();
        p.score = c.score;
        r.citations << p;
    }
    return r;
}

}  // namespace ll
