#include "library_store.h"

#include "compare/comparison.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

namespace ll {
namespace {

// Version 1: documents (with the paths they were opened from), conversations, answers and
// their citations, and a key/value table for one-time jobs such as importing older stores.
constexpr const char* kSchemaV1[] = {
    "CREATE TABLE documents ("
    " id INTEGER PRIMARY KEY,"
    " fingerprint TEXT UNIQUE,"
    " path TEXT NOT NULL,"
    " title TEXT NOT NULL DEFAULT '',"
    " format TEXT NOT NULL DEFAULT '',"
    " detail TEXT NOT NULL DEFAULT '',"
    " last_opened TEXT NOT NULL,"
    " settings TEXT NOT NULL DEFAULT '{}',"
    " in_library INTEGER NOT NULL DEFAULT 1)",
    "CREATE TABLE document_paths ("
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " path TEXT NOT NULL,"
    " UNIQUE (document_id, path))",
    "CREATE INDEX document_paths_by_path ON document_paths(path)",
    "CREATE TABLE conversations ("
    " id INTEGER PRIMARY KEY,"
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " started TEXT NOT NULL)",
    "CREATE TABLE answers ("
    " id INTEGER PRIMARY KEY,"
    " conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
    " question TEXT NOT NULL,"
    " answer TEXT NOT NULL DEFAULT '',"
    " asked TEXT NOT NULL,"
    " complete INTEGER NOT NULL DEFAULT 0,"
    " note TEXT NOT NULL DEFAULT '',"
    " run_config TEXT NOT NULL DEFAULT '{}')",
    "CREATE TABLE citations ("
    " answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL,"
    " start INTEGER NOT NULL, end_ INTEGER NOT NULL, page INTEGER NOT NULL,"
    " label TEXT NOT NULL, text TEXT NOT NULL, score REAL NOT NULL,"
    " PRIMARY KEY (answer_id, position))",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
};

// Version 2: comparisons (issue 16): one question, 2-4 runs, each run's config and result
// as JSON (the shapes of `compare --json`), kept with the document's entry.
constexpr const char* kSchemaV2[] = {
    "CREATE TABLE comparisons ("
    " id INTEGER PRIMARY KEY,"
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " fingerprint TEXT NOT NULL,"
    " document_path TEXT NOT NULL DEFAULT '',"
    " question TEXT NOT NULL,"
    " max_tokens INTEGER NOT NULL,"
    " created TEXT NOT NULL)",
    "CREATE INDEX comparisons_by_fingerprint ON comparisons(fingerprint)",
    "CREATE TABLE comparison_runs ("
    " comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL,"
    " spec TEXT NOT NULL,"
    " config TEXT NOT NULL,"
    " result TEXT NOT NULL,"
    " PRIMARY KEY (comparison_id, position))",
};

// Version 3: paper reviews and two-paper comparisons (issue 19), each kept whole as the JSON
// of `review --json`, with the document it reviews (and, for a comparison, the fingerprint
// of the second paper, so that opening either paper finds it).
constexpr const char* kSchemaV3[] = {
    "CREATE TABLE reviews ("
    " id INTEGER PRIMARY KEY,"
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " fingerprint TEXT NOT NULL,"
    " other_fingerprint TEXT NOT NULL DEFAULT '',"
    " created TEXT NOT NULL,"
    " review TEXT NOT NULL)",
    "CREATE INDEX reviews_by_fingerprint ON reviews(fingerprint)",
    "CREATE INDEX reviews_by_other_fingerprint ON reviews(other_fingerprint)",
};

QString now_text() {
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QString json_text(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject json_object(const QVariant& v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

// SQLite's primary result codes that mean the file is not a readable database (as opposed
// to busy, locked, read-only or full, where the file must be left as it is).
bool means_damaged(const QSqlError& e) {
    const int code = e.nativeErrorCode().toInt() & 0xff;
    return code == 11 /* SQLITE_CORRUPT */ || code == 26 /* SQLITE_NOTADB */;
}

// Runs `sql` with `values` bound in order; false on failure (the query keeps the error). A
// null QString is bound as '' (Qt would bind NULL, which the text columns refuse).
bool run(QSqlQuery& q, const QString& sql, const QVariantList& values = {}) {
    if (!q.prepare(sql)) return false;
    for (const QVariant& v : values)
        q.addBindValue(v.typeId() == QMetaType::QString && v.toString().isNull()
                           ? QVariant(QStringLiteral(""))
                           : v);
    return q.exec();
}

// Moves `file` (and its WAL and shared-memory files) aside as <file>.damaged-<time>; the
// new name, or empty when the database itself could not be moved.
QString set_aside(const QString& file) {
    const QString stamp =
        file + ".damaged-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString aside = stamp;
    for (int n = 2; QFile::exists(aside) && n < 100; ++n) aside = stamp + "-" + QString::number(n);
    if (!QFile::rename(file, aside)) return {};
    for (const char* suffix : {"-wal", "-shm"})
        if (QFile::exists(file + suffix)) QFile::rename(file + suffix, aside + suffix);
    return aside;
}

LibraryDocument document_from(const QSqlQuery& q) {
    LibraryDocument d;
    d.id = q.value(0).toLongLong();
    d.fingerprint = q.value(1).toString();
    d.path = q.value(2).toString();
    d.title = q.value(3).toString();
    d.format = q.value(4).toString();
    d.detail = q.value(5).toString();
    d.last_opened = QDateTime::fromString(q.value(6).toString(), Qt::ISODateWithMs);
    d.settings = json_object(q.value(7));
    d.in_library = q.value(8).toBool();
    d.answers = q.value(9).toInt();
    return d;
}

const QString kDocumentColumns = QStringLiteral(
    "SELECT d.id, d.fingerprint, d.path, d.title, d.format, d.detail, d.last_opened, "
    "d.settings, d.in_library, (SELECT count(*) FROM answers a JOIN conversations c ON "
    "a.conversation_id = c.id WHERE c.document_id = d.id) FROM documents d ");

bool insert_citations(QSqlQuery& q, const AnswerRecord& a) {
    if (!run(q, "DELETE FROM citations WHERE answer_id = ?", {a.id})) return false;
    int position = 0;
    for (const CitedPassage& c : a.citations)
        if (!run(q,
                 "INSERT INTO citations (answer_id, position, start, end_, page, label, text, "
                 "score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {a.id, position++, qint64(c.start), qint64(c.end), c.page, c.label, c.text,
                  c.score}))
            return false;
    return true;
}

}  // namespace

QString default_library_file() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/library.sqlite";
}

LibraryStore::LibraryStore(const QString& file) : file_(file) {
    static QAtomicInteger<int> next = 0;
    connection_ = QStringLiteral("longlens-library-%1").arg(next.fetchAndAddRelaxed(1));
    open_or_set_aside();
}

LibraryStore::~LibraryStore() {
    disconnect_database();
}

bool LibraryStore::connect_database() {
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", connection_);
    db.setDatabaseName(file_);
    // The GUI and the CLI may write at the same time: wait for the other's transaction.
    db.setConnectOptions("QSQLITE_BUSY_TIMEOUT=10000");
    if (!db.open()) return fail(QObject::tr("cannot open the library"), db.lastError().text());
    return true;
}

void LibraryStore::disconnect_database() {
    {
        QSqlDatabase db = QSqlDatabase::database(connection_, false);
        if (db.isOpen()) db.close();
    }
    QSqlDatabase::removeDatabase(connection_);
}

// Reads the file once through (quick_check); a damaged one is moved aside and a fresh one
// started, so the next write cannot destroy what might still be recovered from it.
void LibraryStore::open_or_set_aside() {
    QDir().mkpath(QFileInfo(file_).absolutePath());
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!connect_database()) return;
        QSqlQuery q(QSqlDatabase::database(connection_));
        QString damage;
        if (!q.exec("PRAGMA quick_check")) {
            if (!means_damaged(q.lastError())) {
                fail(QObject::tr("cannot read the library"), q.lastError().text());
                open_problem_ = error_;
                return;
            }
            damage = q.lastError().databaseText();
        } else if (q.next() && q.value(0).toString() != "ok") {
            damage = q.value(0).toString();
        }
        q.finish();
        if (damage.isEmpty()) {
            open_ = migrate();
            if (!open_) {  // not one write to a library that could not be set up
                open_problem_ = error_;
                disconnect_database();
            }
            return;
        }
        disconnect_database();
        const QString aside = set_aside(file_);
        if (aside.isEmpty()) {  // then leave it as it is and write nothing
            fail(QObject::tr("could not be read (%1) nor moved aside").arg(damage.trimmed()), {});
            open_problem_ = error_;
            return;
        }
        open_problem_ = QObject::tr(
                            "%1 could not be read (%2). It was moved to %3 and a new, "
                            "empty library was started.")
                            .arg(QDir::toNativeSeparators(file_), damage.trimmed(),
                                 QDir::toNativeSeparators(aside));
    }
}

bool LibraryStore::migrate() {
    QSqlDatabase db = QSqlDatabase::database(connection_);
    QSqlQuery q(db);
    if (!q.exec("PRAGMA user_version") || !q.next())
        return fail(QObject::tr("cannot read the library's version"), q.lastError().text());
    const int version = q.value(0).toInt();
    q.finish();
    if (version > kSchemaVersion) {
        return fail(QObject::tr("the library was written by a newer LongLens (schema %1; this "
                                "one reads up to %2); it is left untouched")
                        .arg(version)
                        .arg(kSchemaVersion),
                    {});
    }
    // WAL: readers never block the writer, and a crash mid-write leaves the last commit.
    // FULL synchronous: a commit is on the disk when it returns, also across a power loss.
    for (const char* pragma :
         {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"})
        if (!q.exec(pragma))
            return fail(QObject::tr("cannot set up the library"), q.lastError().text());
    if (version == kSchemaVersion) return true;
    return write(QObject::tr("cannot create the library"), [&](QSqlQuery& w) {
        if (version < 1)
            for (const char* sql : kSchemaV1)
                if (!w.exec(sql)) return false;
        if (version < 2)
            for (const char* sql : kSchemaV2)
                if (!w.exec(sql)) return false;
        if (version < 3)
            for (const char* sql : kSchemaV3)
                if (!w.exec(sql)) return false;
        return w.exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion));
    });
}

template <typename Body>
bool LibraryStore::write(const QString& what, Body body) {
    if (!QSqlDatabase::database(connection_, false).isOpen())
        return fail(what, QObject::tr("the library is not open"));
    QSqlQuery q(QSqlDatabase::database(connection_));
    // IMMEDIATE takes the write lock first, so two writers wait instead of deadlocking.
    if (!q.exec("BEGIN IMMEDIATE")) return fail(what, q.lastError().text());
    if (!body(q)) {
        const QString problem = q.lastError().text();
        q.exec("ROLLBACK");
        return fail(what, problem);
    }
    if (!q.exec("COMMIT")) {
        const QString problem = q.lastError().text();
        q.exec("ROLLBACK");
        return fail(what, problem);
    }
    return true;
}

bool LibraryStore::fail(const QString& what, const QString& problem) const {
    error_ = QDir::toNativeSeparators(file_) + ": " + what +
             (problem.trimmed().isEmpty() ? QString() : ": " + problem.trimmed());
    return false;
}

qint64 LibraryStore::note_opened(const QString& fingerprint, const QString& path,
                                 const QString& title, const QString& format,
                                 const QString& detail) {
    qint64 id = 0;
    const bool ok = write(QObject::tr("cannot record the document"), [&](QSqlQuery& q) {
        if (!run(q, "SELECT id FROM documents WHERE fingerprint = ?", {fingerprint})) return false;
        id = q.next() ? q.value(0).toLongLong() : 0;
        // An entry from an older LongLens knew only the path: it is this document.
        if (!run(q, "SELECT id FROM documents WHERE fingerprint IS NULL AND path = ?", {path}))
            return false;
        const qint64 by_path = q.next() ? q.value(0).toLongLong() : 0;
        if (by_path && id) {  // both exist: move the old entry's conversations over
            if (!run(q, "UPDATE conversations SET document_id = ? WHERE document_id = ?",
                     {id, by_path}) ||
                !run(q, "DELETE FROM documents WHERE id = ?", {by_path}))
                return false;
        } else if (by_path) {
            id = by_path;
        }
        if (!id) {
            if (!run(q, "INSERT INTO documents (fingerprint, path, last_opened) VALUES (?, ?, ?)",
                     {fingerprint, path, now_text()}))
                return false;
            id = q.lastInsertId().toLongLong();
        }
        return run(q,
                   "UPDATE documents SET fingerprint = ?, path = ?, title = ?, format = ?, "
                   "detail = ?, last_opened = ?, in_library = 1 WHERE id = ?",
                   {fingerprint, path, title, format, detail, now_text(), id}) &&
               run(q, "INSERT OR IGNORE INTO document_paths (document_id, path) VALUES (?, ?)",
                   {id, path});
    });
    return ok ? id : 0;
}

qint64 LibraryStore::add_path_only(const QString& path, const QString& title,
                                   const QString& detail) {
    qint64 id = 0;
    const bool ok = write(QObject::tr("cannot record the document"), [&](QSqlQuery& q) {
        if (!run(q, "SELECT document_id FROM document_paths WHERE path = ?", {path})) return false;
        if (q.next()) {
            id = q.value(0).toLongLong();
            return true;
        }
        if (!run(q, "INSERT INTO documents (path, title, detail, last_opened) VALUES (?, ?, ?, ?)",
                 {path, title, detail, now_text()}))
            return false;
        id = q.lastInsertId().toLongLong();
        return run(q, "INSERT INTO document_paths (document_id, path) VALUES (?, ?)", {id, path});
    });
    return ok ? id : 0;
}

bool LibraryStore::readable() const {
    return open_ || fail(QObject::tr("cannot read the library"), QObject::tr("it is not open"));
}

QList<LibraryDocument> LibraryStore::documents() const {
    QList<LibraryDocument> out;
    if (!readable()) return out;
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (!q.exec(kDocumentColumns +
                "WHERE d.in_library = 1 ORDER BY d.last_opened DESC, d.id DESC")) {
        fail(QObject::tr("cannot read the library"), q.lastError().text());
        return out;
    }
    while (q.next()) out << document_from(q);
    return out;
}

std::optional<LibraryDocument> LibraryStore::find_where(const QString& condition,
                                                        const QVariant& value) const {
    if (!readable()) return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (!run(q, kDocumentColumns + "WHERE " + condition + " ORDER BY d.last_opened DESC LIMIT 1",
             {value})) {
        fail(QObject::tr("cannot read the library"), q.lastError().text());
        return std::nullopt;
    }
    if (!q.next()) return std::nullopt;
    return document_from(q);
}

std::optional<LibraryDocument> LibraryStore::find_fingerprint(const QString& fingerprint) const {
    return find_where("d.fingerprint = ?", fingerprint);
}

std::optional<LibraryDocument> LibraryStore::find(const QString& key) const {
    bool number = false;
    const qint64 id = key.toLongLong(&number);
    if (number)
        if (auto d = find_where("d.id = ?", id)) return d;
    const QString path = QFileInfo(key).absoluteFilePath();
    if (auto d = find_where("d.path = ?", path)) return d;
    if (auto d =
            find_where("d.id IN (SELECT document_id FROM document_paths WHERE path = ?)", path))
        return d;
    static const QRegularExpression hex("^[0-9a-f]{8,64}$");
    if (hex.match(key).hasMatch()) return find_where("d.fingerprint LIKE ?", key + "%");
    return std::nullopt;
}

bool LibraryStore::remove(qint64 document_id) {
    return write(QObject::tr("cannot remove the document"), [&](QSqlQuery& q) {
        return run(q, "UPDATE documents SET in_library = 0 WHERE id = ?", {document_id});
    });
}

bool LibraryStore::set_settings(qint64 document_id, const QJsonObject& settings) {
    return write(QObject::tr("cannot save the document's settings"), [&](QSqlQuery& q) {
        return run(q, "UPDATE documents SET settings = ? WHERE id = ?",
                   {json_text(settings), document_id});
    });
}

Conversation LibraryStore::conversation(qint64 document_id) const {
    Conversation c;
    if (!readable()) return c;
    if (auto d = find_where("d.id = ?", document_id)) {
        c.fingerprint = d->fingerprint;
        c.document_path = d->path;
        c.title = d->title;
    }
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (!run(q,
             "SELECT a.id, a.question, a.answer, a.asked, a.complete, a.note, a.run_config "
             "FROM answers a JOIN conversations c ON a.conversation_id = c.id "
             "WHERE c.document_id = ? ORDER BY a.asked, a.id",
             {document_id})) {
        fail(QObject::tr("cannot read the conversation"), q.lastError().text());
        return c;
    }
    while (q.next()) {
        AnswerRecord a;
        a.id = q.value(0).toLongLong();
        a.question = q.value(1).toString();
        a.answer = q.value(2).toString();
        a.asked = QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs);
        a.complete = q.value(4).toBool();
        a.note = q.value(5).toString();
        a.run_config = json_object(q.value(6));
        c.answers << a;
    }
    for (AnswerRecord& a : c.answers) {
        if (!run(q,
                 "SELECT start, end_, page, label, text, score FROM citations "
                 "WHERE answer_id = ? ORDER BY position",
                 {a.id}))
            break;
        while (q.next())
            a.citations << CitedPassage{q.value(0).toLongLong(), q.value(1).toLongLong(),
                                        q.value(2).toInt(),      q.value(3).toString(),
                                        q.value(4).toString(),   q.value(5).toDouble()};
    }
    return c;
}

bool LibraryStore::add_answer(qint64 document_id, AnswerRecord& answer) {
    if (!answer.asked.isValid()) answer.asked = QDateTime::currentDateTimeUtc();
    qint64 id = 0;
    const bool ok = write(QObject::tr("cannot save the answer"), [&](QSqlQuery& q) {
        if (!run(q, "SELECT id FROM conversations WHERE document_id = ? ORDER BY id LIMIT 1",
                 {document_id}))
            return false;
        qint64 conversation = q.next() ? q.value(0).toLongLong() : 0;
        if (!conversation) {
            if (!run(q, "INSERT INTO conversations (document_id, started) VALUES (?, ?)",
                     {document_id, now_text()}))
                return false;
            conversation = q.lastInsertId().toLongLong();
        }
        if (!run(q,
                 "INSERT INTO answers (conversation_id, question, answer, asked, complete, note, "
                 "run_config) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 {conversation, answer.question, answer.answer,
                  answer.asked.toUTC().toString(Qt::ISODateWithMs), answer.complete, answer.note,
                  json_text(answer.run_config)}))
            return false;
        id = q.lastInsertId().toLongLong();
        AnswerRecord stored = answer;
        stored.id = id;
        return insert_citations(q, stored);
    });
    if (ok) answer.id = id;
    return ok;
}

bool LibraryStore::update_answer(const AnswerRecord& answer) {
    return write(QObject::tr("cannot save the answer"), [&](QSqlQuery& q) {
        return run(q,
                   "UPDATE answers SET answer = ?, complete = ?, note = ?, run_config = ? "
                   "WHERE id = ?",
                   {answer.answer, answer.complete, answer.note, json_text(answer.run_config),
                    answer.id}) &&
               insert_citations(q, answer);
    });
}

QString LibraryStore::meta(const QString& key) const {
    if (!readable()) return {};
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (!run(q, "SELECT value FROM meta WHERE key = ?", {key}) || !q.next()) return {};
    return q.value(0).toString();
}

bool LibraryStore::set_meta(const QString& key, const QString& value) {
    return write(QObject::tr("cannot write to the library"), [&](QSqlQuery& q) {
        return run(q, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", {key, value});
    });
}

bool LibraryStore::save_comparison(qint64 document_id, Comparison& c) {
    if (!c.created.isValid()) c.created = QDateTime::currentDateTimeUtc();
    qint64 id = c.id;
    const bool ok = write(QObject::tr("cannot save the comparison"), [&](QSqlQuery& q) {
        const QVariantList values{
            document_id, c.fingerprint,       c.document_path,
            c.question,  c.max_answer_tokens, c.created.toUTC().toString(Qt::ISODateWithMs)};
        if (id) {
            if (!run(q,
                     "UPDATE comparisons SET document_id = ?, fingerprint = ?, document_path = ?, "
                     "question = ?, max_tokens = ?, created = ? WHERE id = ?",
                     values + QVariantList{id}) ||
                !run(q, "DELETE FROM comparison_runs WHERE comparison_id = ?", {id}))
                return false;
        } else {
            if (!run(q,
                     "INSERT INTO comparisons (document_id, fingerprint, document_path, question, "
                     "max_tokens, created) VALUES (?, ?, ?, ?, ?, ?)",
                     values))
                return false;
            id = q.lastInsertId().toLongLong();
        }
        for (size_t i = 0; i < c.runs.size(); ++i) {
            const RunResult result = i < c.results.size() ? c.results[i] : RunResult{};
            if (!run(q,
                     "INSERT INTO comparison_runs (comparison_id, position, spec, config, result) "
                     "VALUES (?, ?, ?, ?, ?)",
                     {id, qint64(i), c.runs[i].to_text(), json_text(c.runs[i].to_json()),
                      json_text(to_json(result))}))
                return false;
        }
        return true;
    });
    if (ok) c.id = id;
    return ok;
}

QList<ComparisonEntry> LibraryStore::comparisons(const QString& fingerprint) const {
    QList<ComparisonEntry> out;
    if (!readable()) return out;
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (!run(q,
             "SELECT id, question, created FROM comparisons WHERE fingerprint = ? "
             "ORDER BY created DESC, id DESC",
             {fingerprint})) {
        fail(QObject::tr("cannot read the comparisons"), q.lastError().text());
        return out;
    }
    while (q.next())
        out << ComparisonEntry{q.value(0).toLongLong(),
                               q.value(1).toString(),
                               QDateTime::fromString(q.value(2).toString(), Qt::ISODateWithMs),
                               {}};
    for (ComparisonEntry& e : out) {
        if (!run(q, "SELECT spec FROM comparison_runs WHERE comparison_id = ? ORDER BY position",
                 {e.id}))
            break;
        while (q.next()) e.specs << q.value(0).toString();
    }
    return out;
}

std::optional<Comparison> LibraryStore::comparison(qint64 id) const {
    if (!readable()) return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (!run(q,
             "SELECT fingerprint, document_path, question, max_tokens, created FROM comparisons "
             "WHERE id = ?",
             {id})) {
        fail(QObject::tr("cannot read the comparison"), q.lastError().text());
        return std::nullopt;
    }
    if (!q.next()) return std::nullopt;
    Comparison c;
    c.id = id;
    c.fingerprint = q.value(0).toString();
    c.document_path = q.value(1).toString();
    c.question = q.value(2).toString();
    c.max_answer_tokens = q.value(3).toInt();
    c.created = QDateTime::fromString(q.value(4).toString(), Qt::ISODateWithMs);
    if (!run(q,
             "SELECT config, result FROM comparison_runs WHERE comparison_id = ? "
             "ORDER BY position",
             {id})) {
        fail(QObject::tr("cannot read the comparison"), q.lastError().text());
        return std::nullopt;
    }
    try {
        while (q.next()) {
            c.runs.push_back(RunConfig::from_json(json_object(q.value(0))));
            c.results.push_back(run_result_from_json(json_object(q.value(1))));
        }
    } catch (const std::exception& e) {  // a config this LongLens cannot run any more
        fail(QObject::tr("cannot read the comparison"), QString::fromUtf8(e.what()));
        return std::nullopt;
    }
    return c;
}

bool LibraryStore::remove_comparison(qint64 id) {
    return write(QObject::tr("cannot remove the comparison"), [&](QSqlQuery& q) {
        return run(q, "DELETE FROM comparisons WHERE id = ?", {id});
    });
}

bool LibraryStore::save_review(qint64 document_id, StoredReview& r) {
    if (!r.created.isValid()) r.created = QDateTime::currentDateTimeUtc();
    qint64 id = r.id;
    const bool ok = write(QObject::tr("cannot save the review"), [&](QSqlQuery& q) {
        const QVariantList values{document_id, r.fingerprint, r.other_fingerprint,
                                  r.created.toUTC().toString(Qt::ISODateWithMs),
                                  json_text(r.review)};
        if (id) {
            if (!run(q,
                     "UPDATE reviews SET document_id = ?, fingerprint = ?, other_fingerprint = ?, "
                     "created = ?, review = ? WHERE id = ?",
                     values + QVariantList{id}))
                return false;
            if (q.numRowsAffected() == 1) return true;
            // Removed meanwhile (by another LongLens): kept again as a new entry.
        }
        if (!run(q,
                 "INSERT INTO reviews (document_id, fingerprint, other_fingerprint, created, "
                 "review) VALUES (?, ?, ?, ?, ?)",
                 values))
            return false;
        id = q.lastInsertId().toLongLong();
        return true;
    });
    if (ok) r.id = id;
    return ok;
}

QList<StoredReview> LibraryStore::reviews(const QString& fingerprint) const {
    QList<StoredReview> out;
    if (!readable() || fingerprint.isEmpty()) return out;
    QSqlQuery q(QSqlDatabase::database(connection_, false));
    if (!run(q,
             "SELECT id, fingerprint, other_fingerprint, created, review FROM reviews "
             "WHERE fingerprint = ? OR other_fingerprint = ? ORDER BY created DESC, id DESC",
             {fingerprint, fingerprint})) {
        fail(QObject::tr("cannot read the reviews"), q.lastError().text());
        return out;
    }
    while (q.next())
        out << StoredReview{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                            QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs),
                            json_object(q.value(4))};
    return out;
}

bool LibraryStore::remove_review(qint64 id) {
    return write(QObject::tr("cannot remove the review"),
                 [&](QSqlQuery& q) { return run(q, "DELETE FROM reviews WHERE id = ?", {id}); });
}

}  // namespace ll
