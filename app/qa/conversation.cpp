#include "conversation.h"

#include <QCryptographicHash>
#include <QJsonArray>

namespace ll {

QString document_fingerprint(const Document& doc) {
    return QString::fromLatin1(
        QCryptographicHash::hash(doc.text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QJsonObject to_json(const CitedPassage& c) {
    QJsonObject o{{"start", c.start},
                  {"end", c.end},
                  {"label", c.label},
                  {"text", c.text},
                  {"score", c.score}};
    o["page"] = c.page >= 0 ? QJsonValue(c.page + 1) : QJsonValue();  // 1-based, as printed
    return o;
}

CitedPassage cited_passage_from_json(const QJsonObject& o) {
    CitedPassage c;
    c.start = o.value("start").toInteger();
    c.end = o.value("end").toInteger();
    c.page = o.value("page").isDouble() ? o.value("page").toInt() - 1 : -1;
    c.label = o.value("label").toString();
    c.text = o.value("text").toString();
    c.score = o.value("score").toDouble();
    return c;
}

QJsonObject to_json(const AnswerRecord& a) {
    QJsonArray citations;
    for (const CitedPassage& c : a.citations) citations.append(to_json(c));
    QJsonObject o{
        {"question", a.question},    {"answer", a.answer},
        {"citations", citations},    {"asked", a.asked.toUTC().toString(Qt::ISODateWithMs)},
        {"complete", a.complete},    {"note", a.note},
        {"run_config", a.run_config}};
    if (a.id > 0) o["id"] = a.id;
    return o;
}

AnswerRecord answer_record_from_json(const QJsonObject& o) {
    AnswerRecord a;
    a.id = o.value("id").toInteger();
    a.question = o.value("question").toString();
    a.answer = o.value("answer").toString();
    for (const QJsonValue& v : o.value("citations").toArray())
        a.citations << cited_passage_from_json(v.toObject());
    a.asked = QDateTime::fromString(o.value("asked").toString(), Qt::ISODateWithMs);
    a.complete = o.value("complete").toBool();
    a.note = o.value("note").toString();
    a.run_config = o.value("run_config").toObject();
    return a;
}

}  // namespace ll
