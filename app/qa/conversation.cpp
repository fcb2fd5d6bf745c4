#include "conversation.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <stdexcept>

#include "answer_json.h"

namespace ll {

namespace {

constexpr int kFormatVersion = 1;

QJsonObject turn_json(const ConversationTurn& t) {
    return {{"question", t.question},
            {"answer", t.answer},
            {"end", t.end},
            {"partial", t.partial},
            {"citations", to_json(t.citations)},
            {"context", to_json(t.plan)},
            {"timing", to_json(t.timing)},
            {"model", t.model},
            {"scaling", t.scaling},
            {"asked", t.asked.toString(Qt::ISODateWithMs)}};
}

ConversationTurn turn_from_json(const QJsonObject& o) {
    ConversationTurn t;
    t.question = o.value("question").toString();
    t.answer = o.value("answer").toString();
    t.end = o.value("end").toString();
    t.partial = o.value("partial").toBool();
    t.citations = citations_from_json(o.value("citations").toArray());
    t.plan = plan_from_json(o.value("context").toObject());
    t.timing = timing_from_json(o.value("timing").toObject());
    t.model = o.value("model").toString();
    t.scaling = o.value("scaling").toString();
    t.asked = QDateTime::fromString(o.value("asked").toString(), Qt::ISODateWithMs);
    return t;
}

}  // namespace

ConversationTurn turn_from_answer(const Answer& a, const QString& model, const QString& scaling) {
    ConversationTurn t;
    t.question = a.question;
    t.answer = a.text;
    t.end = end_name(a.end);
    t.partial = a.end == AnswerEnd::Cancelled;
    t.citations = a.citations;
    t.plan = a.plan;
    t.timing = a.timing;
    t.model = model;
    t.scaling = scaling;
    t.asked = QDateTime::currentDateTimeUtc();
    return t;
}

QJsonObject Conversation::to_json() const {
    QJsonArray turns_json;
    for (const ConversationTurn& t : turns) turns_json.append(turn_json(t));
    return {{"format", "longlens-conversation"},
            {"version", kFormatVersion},
            {"document_path", document_path},
            {"document_hash", document_hash},
            {"turns", turns_json}};
}

Conversation Conversation::from_json(const QJsonObject& o) {
    if (o.value("format").toString() != "longlens-conversation")
        throw std::runtime_error("not a LongLens conversation");
    if (o.value("version").toInt() > kFormatVersion)
        throw std::runtime_error("conversation written by a newer LongLens (version " +
                                 std::to_string(o.value("version").toInt()) + ")");
    Conversation c;
    c.document_path = o.value("document_path").toString();
    c.document_hash = o.value("document_hash").toString();
    for (const QJsonValue& v : o.value("turns").toArray())
        c.turns.push_back(turn_from_json(v.toObject()));
    return c;
}

void Conversation::save(const QString& file) const {
    QDir().mkpath(QFileInfo(file).absolutePath());
    QSaveFile out(file);
    const QByteArray bytes = QJsonDocument(to_json()).toJson(QJsonDocument::Indented);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit())
        throw std::runtime_error(file.toStdString() + ": cannot save the conversation: " +
                                 out.errorString().toStdString());
}

Conversation Conversation::load(const QString& file) {
    QFile in(file);
    if (!in.exists()) return {};
    if (!in.open(QIODevice::ReadOnly))
        throw std::runtime_error(file.toStdString() + ": " + in.errorString().toStdString());
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(in.readAll(), &error);
    if (!json.isObject())
        throw std::runtime_error(file.toStdString() +
                                 ": corrupt conversation: " + error.errorString().toStdString());
    try {
        return from_json(json.object());
    } catch (const std::exception& e) {
        throw std::runtime_error(file.toStdString() + ": " + e.what());
    }
}

QString document_hash(const Document& doc) {
    return QString::fromLatin1(
        QCryptographicHash::hash(doc.text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString conversation_file(const QString& library_dir, const Document& doc) {
    return QDir(library_dir).filePath("conversations/" + document_hash(doc) + ".json");
}

}  // namespace ll
