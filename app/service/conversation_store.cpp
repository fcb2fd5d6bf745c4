#include "conversation_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace ll {
namespace {

QJsonObject to_json(const AnswerCitation& c) {
    return {{"start", double(c.start)}, {"end", double(c.end)}, {"page", c.page},
            {"text", c.text}, {"score", c.score}, {"label", c.label}};
}

AnswerCitation citation_from(const QJsonObject& o) {
    AnswerCitation c;
    c.start = qsizetype(o["start"].toDouble());
    c.end = qsizetype(o["end"].toDouble());
    c.page = o["page"].toInt(-1);
    c.text = o["text"].toString();
    c.score = o["score"].toDouble();
    c.label = o["label"].toString();
    return c;
}

QJsonObject to_json(const Exchange& e) {
    QJsonArray citations;
    for (const AnswerCitation& c : e.citations) citations.append(to_json(c));
    return {{"question", e.question}, {"answer", e.answer}, {"citations", citations},
            {"model", e.model}, {"scaling", e.scaling},
            {"asked", e.asked.toString(Qt::ISODate)}, {"complete", e.complete}, {"note", e.note}};
}

Exchange exchange_from(const QJsonObject& o) {
    Exchange e;
    e.question = o["question"].toString();
    e.answer = o["answer"].toString();
    for (const QJsonValue& c : o["citations"].toArray()) e.citations << citation_from(c.toObject());
    e.model = o["model"].toString();
    e.scaling = o["scaling"].toString();
    e.asked = QDateTime::fromString(o["asked"].toString(), Qt::ISODate);
    e.complete = o["complete"].toBool();
    e.note = o["note"].toString();
    return e;
}

}  // namespace

ConversationStore::ConversationStore(QString directory) : directory_(std::move(directory)) {
    if (directory_.isEmpty())
        directory_ = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                     "/conversations";
}

QString ConversationStore::file_for(const QString& document_path) const {
    const QByteArray key =
        QCryptographicHash::hash(document_path.toUtf8(), QCryptographicHash::Sha1).toHex();
    return directory_ + "/" + QString::fromLatin1(key.left(20)) + ".json";
}

QList<Exchange> ConversationStore::load(const QString& document_path) const {
    QFile file(file_for(document_path));
    QList<Exchange> out;
    if (!file.open(QIODevice::ReadOnly)) return out;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    for (const QJsonValue& e : root["exchanges"].toArray()) out << exchange_from(e.toObject());
    return out;
}

bool ConversationStore::save(const QString& document_path, const QList<Exchange>& exchanges) const {
    QDir().mkpath(directory_);
    QJsonArray list;
    for (const Exchange& e : exchanges) list.append(to_json(e));
    QSaveFile file(file_for(document_path));
    if (!file.open(QIODevice::WriteOnly)) return false;
    file.write(QJsonDocument(QJsonObject{{"document", document_path}, {"exchanges", list}}).toJson());
    return file.commit();
}

}  // namespace ll
