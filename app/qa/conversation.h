// The questions asked about one document and their answers: the one conversation model the
// CLI and the GUI share. A conversation belongs to the document's content (the fingerprint of
// its normalised text), so a renamed or moved file keeps its history. Each answer keeps what
// it cites and the configuration that produced it, so a reader of old answers knows which
// model said what. Persisted by LibraryStore (app/service); exported by conversation_export.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include "documents/document.h"

namespace ll {

// One source of a stored answer: where it is in the document and what it says.
struct CitedPassage {
    qsizetype start = 0;  // character range of the document's normalised text
    qsizetype end = 0;
    int page = -1;  // 0-based; -1 for documents without pages
    QString label;  // the passage as the reader knows it ("Chapter 2", "第十二条 · p. 4")
    QString text;   // the quoted words
    double score = 0;
};

struct AnswerRecord {
    qint64 id = 0;  // the store's id; 0 until stored
    QString question;
    QString answer;  // on an interrupted answer, what had arrived
    QList<CitedPassage> citations;
    QDateTime asked;        // UTC
    bool complete = false;  // false: cancelled, failed, or the app died before the end
    QString note;           // context and timing, or why it is incomplete
    // How the answer was made: {"model", "scaling", "attention", "kv", "context_mode", ...}.
    // Free-form so a fuller run configuration can be stored without a schema change.
    QJsonObject run_config;
};

struct Conversation {
    QString fingerprint;  // of the document's content (document_fingerprint())
    QString document_path;
    QString title;
    QList<AnswerRecord> answers;
};

// SHA-256 (hex) of the document's normalised text: the same text is the same conversation
// wherever the file moves.
QString document_fingerprint(const Document& doc);

// The JSON form of one citation and one answer, shared by the store and the exports.
QJsonObject to_json(const CitedPassage& c);
CitedPassage cited_passage_from_json(const QJsonObject& o);
QJsonObject to_json(const AnswerRecord& a);
AnswerRecord answer_record_from_json(const QJsonObject& o);

}  // namespace ll
