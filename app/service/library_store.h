// The library: the documents the user has opened and every conversation about them, in one
// SQLite database (Qt SQL) shared by the GUI and longlens-cli (<app data>/library.sqlite).
// A document is known by the fingerprint of its content, so a moved or renamed file keeps
// its history. The schema is versioned (PRAGMA user_version) and migrated on open; the
// database runs in WAL mode and every write is one transaction, so a crash, a kill or a full
// disk leaves the last committed state. A database that cannot be read is never
// overwritten: it is moved aside with a timestamp, reported (open_problem()), and a fresh
// one started. Failed writes return false with error() naming the file and the problem.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

#include "qa/conversation.h"

namespace ll {

struct Comparison;  // compare/comparison.h: kept out of this header, which the GUI includes

struct LibraryDocument {
    qint64 id = 0;
    QString fingerprint;  // empty for an entry known only by path (from an older LongLens)
    QString path;         // where it was last opened
    QString title;
    QString format;
    QString detail;  // "PDF · 612 pages · 1260 articles"
    QDateTime last_opened;
    QJsonObject settings;    // per-document settings (zoom, page, ...)
    bool in_library = true;  // false: removed from the list; its conversation is kept
    int answers = 0;
};

// A stored comparison as a list shows it, without its results.
struct ComparisonEntry {
    qint64 id = 0;
    QString question;
    QDateTime created;  // UTC
    QStringList specs;  // each run's RunConfig text form ("" : the defaults)
};

// A stored paper review or two-paper comparison (issue 19): the review whole, as the JSON
// `review --json` prints (app/review reads it back), kept with the reviewed document.
struct StoredReview {
    qint64 id = 0;
    QString fingerprint;        // of the (first) paper
    QString other_fingerprint;  // of a comparison's second paper; empty for a review
    QDateTime created;          // UTC
    QJsonObject review;
};

class LibraryStore {
  public:
    static constexpr int kSchemaVersion = 3;

    // Opens (creating, migrating or setting aside) the database at `file`.
    explicit LibraryStore(const QString& file);
    ~LibraryStore();
    LibraryStore(const LibraryStore&) = delete;
    LibraryStore& operator=(const LibraryStore&) = delete;

    QString file() const { return file_; }
    // False when no database could be opened at all (then every call fails with error()).
    bool is_open() const { return open_; }
    // What happened on open that the user must know ("…was damaged (…); moved to …"); empty
    // when nothing did.
    QString open_problem() const { return open_problem_; }
    // The last failure, naming the file and the problem.
    QString error() const { return error_; }

    // Records that the document with this content was opened from `path`; returns its id
    // (0 on failure). Links an entry known only by this path (older LongLens) to it.
    qint64 note_opened(const QString& fingerprint, const QString& path, const QString& title,
                       const QString& format, const QString& detail);
    // An entry known only by its path (imported from an older library list).
    qint64 add_path_only(const QString& path, const QString& title, const QString& detail);
    // Library entries, most recently opened first.
    QList<LibraryDocument> documents() const;
    // By library id, by a path it was opened from, or by its fingerprint (or a prefix of at
    // least 8 hex digits).
    std::optional<LibraryDocument> find(const QString& key) const;
    std::optional<LibraryDocument> find_fingerprint(const QString& fingerprint) const;
    // Takes the entry off the library list; its conversation stays (reopening brings it back).
    bool remove(qint64 document_id);
    bool set_settings(qint64 document_id, const QJsonObject& settings);

    // The conversation about a document, oldest answer first.
    Conversation conversation(qint64 document_id) const;
    // Stores a new answer (its id is set); false when it could not be written.
    bool add_answer(qint64 document_id, AnswerRecord& answer);
    // Rewrites a stored answer (text, citations, completion, note).
    bool update_answer(const AnswerRecord& answer);

    // Comparisons (issue 16), kept with the document whose content they are about. Saving
    // one with an id rewrites it (a re-run); without, adds it and sets its id.
    bool save_comparison(qint64 document_id, Comparison& comparison);
    // The document's comparisons (by fingerprint), newest first.
    QList<ComparisonEntry> comparisons(const QString& fingerprint) const;
    // The whole comparison, with every run's config and result; nullopt when there is none
    // (error() set when it could not be read).
    std::optional<Comparison> comparison(qint64 id) const;
    bool remove_comparison(qint64 id);

    // Reviews (issue 19), kept with the document they review. Saving one with an id rewrites
    // it (a part regenerated); without, adds it and sets its id.
    bool save_review(qint64 document_id, StoredReview& review);
    // The reviews and comparisons that read the document with this content (either side of
    // a comparison), newest first.
    QList<StoredReview> reviews(const QString& fingerprint) const;
    bool remove_review(qint64 id);

    QString meta(const QString& key) const;
    bool set_meta(const QString& key, const QString& value);

  private:
    void open_or_set_aside();
    bool connect_database();
    void disconnect_database();
    bool migrate();
    // Runs `body` in one IMMEDIATE transaction; false (rolled back, error() set) on failure.
    template <typename Body>
    bool write(const QString& what, Body body);
    bool fail(const QString& what, const QString& problem) const;
    bool readable() const;  // false (error() set) when no database is open
    std::optional<LibraryDocument> find_where(const QString& condition,
                                              const QVariant& value) const;

    QString file_;
    QString connection_;
    bool open_ = false;
    QString open_problem_;
    mutable QString error_;
};

// <AppDataLocation>/library.sqlite: the GUI's and the CLI's (both run as LongLens/LongLens).
QString default_library_file();

}  // namespace ll
