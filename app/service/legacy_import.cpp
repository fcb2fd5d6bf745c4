#include "legacy_import.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace ll {
namespace {

constexpr const char* kDoneKey = "legacy_import";
// A settings file is not trusted for its count: an older list held at most 50.
constexpr int kMaxLibraryEntries = 1000;

CitedPassage passage_of(const QJsonObject& o, bool one_based_page) {
    CitedPassage c;
    c.start = qsizetype(o.value("start").toDouble());
    c.end = qsizetype(o.value("end").toDouble());
    const QJsonValue page = o.value("page");
    c.page = page.isDouble() ? page.toInt() - (one_based_page ? 1 : 0) : -1;
    c.label = o.value("label").toString();
    c.text = o.value("text").toString();
    c.score = o.value("score").toDouble();
    return c;
}

// The GUI's exchange:
// {"question","answer","citations","model","scaling","asked","complete","note"}.
AnswerRecord from_exchange(const QJsonObject& o) {
    AnswerRecord a;
    a.question = o.value("question").toString();
    a.answer = o.value("answer").toString();
    for (const QJsonValue& c : o.value("citations").toArray())
        a.citations << passage_of(c.toObject(), false);
    a.run_config = {{"model", o.value("model")}, {"scaling", o.value("scaling")}};
    a.asked = QDateTime::fromString(o.value("asked").toString(), Qt::ISODate);
    a.complete = o.value("complete").toBool();
    a.note = o.value("note").toString();
    return a;
}

// The CLI's turn: {"question","answer","end","partial","citations","model","scaling","asked"}.
AnswerRecord from_turn(const QJsonObject& o) {
    AnswerRecord a;
    a.question = o.value("question").toString();
    a.answer = o.value("answer").toString();
    for (const QJsonValue& c : o.value("citations").toArray())
        a.citations << passage_of(c.toObject(), true);
    a.run_config = {{"model", o.value("model")}, {"scaling", o.value("scaling")}};
    a.asked = QDateTime::fromString(o.value("asked").toString(), Qt::ISODateWithMs);
    a.complete = !o.value("partial").toBool();
    a.note = "ended: " + o.value("end").toString();
    return a;
}

void import_library_list(LibraryStore& store, QSettings& settings, LegacyImport& out) {
    const int n = std::min(settings.beginReadArray("library"), kMaxLibraryEntries);
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        const QString path = settings.value("path").toString();
        if (path.isEmpty()) continue;
        if (store.add_path_only(path, settings.value("title").toString(),
                                settings.value("detail").toString()))
            ++out.documents;
    }
    settings.endArray();
}

void import_conversation(LibraryStore& store, const QJsonObject& root, LegacyImport& out) {
    const bool cli = root.contains("turns");
    const QString path =
        cli ? root.value("document_path").toString() : root.value("document").toString();
    const QString fingerprint = root.value("document_hash").toString();
    const qint64 id = cli && !fingerprint.isEmpty()
                          ? store.note_opened(fingerprint, path, QFileInfo(path).fileName(), {}, {})
                          : store.add_path_only(path, QFileInfo(path).fileName(), {});
    if (!id) return;
    for (const QJsonValue& v : root.value(cli ? "turns" : "exchanges").toArray()) {
        AnswerRecord a = cli ? from_turn(v.toObject()) : from_exchange(v.toObject());
        if (store.add_answer(id, a)) ++out.answers;
    }
}

}  // namespace

LegacyImport import_legacy_stores(LibraryStore& store, QSettings& settings,
                                  const QString& conversations_dir) {
    LegacyImport out;
    if (!store.is_open() || !store.meta(kDoneKey).isEmpty()) return out;
    out.ran = true;
    import_library_list(store, settings, out);
    const QDir dir(conversations_dir);
    for (const QString& name : dir.entryList({"*.json"}, QDir::Files, QDir::Name)) {
        QFile file(dir.filePath(name));
        QJsonParseError error{};
        const QJsonDocument json = file.open(QIODevice::ReadOnly)
                                       ? QJsonDocument::fromJson(file.readAll(), &error)
                                       : QJsonDocument();
        if (!json.isObject()) {
            out.problems << QStringLiteral("%1: not read (%2); left in place")
                                .arg(QDir::toNativeSeparators(file.fileName()),
                                     file.isOpen() ? error.errorString() : file.errorString());
            continue;
        }
        import_conversation(store, json.object(), out);
    }
    store.set_meta(kDoneKey, QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    return out;
}

}  // namespace ll
