// The questions asked about one document and their answers, persisted as one JSON file per
// document in the library directory. Writes go through QSaveFile (write to a temporary file,
// then rename), so a crash leaves either the old or the new conversation, never half of one.
// A turn cut short (cancelled) keeps its partial answer and says so.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <vector>

#include "answer.h"
#include "documents/document.h"

namespace ll {

struct ConversationTurn {
    QString question;
    QString answer;
    QString end;           // eos, stop, length, cancelled (end_name)
    bool partial = false;  // the answer was cut short by a cancel
    std::vector<Citation> citations;
    ContextPlan plan;
    AnswerTiming timing;
    QString model;    // model path
    QString scaling;  // METHOD:key=value in force
    QDateTime asked;  // UTC
};

ConversationTurn turn_from_answer(const Answer& answer, const QString& model,
                                  const QString& scaling);

class Conversation {
  public:
    QString document_path;
    QString document_hash;  // of the document text (see document_hash())
    std::vector<ConversationTurn> turns;

    QJsonObject to_json() const;
    // Throws std::runtime_error for an object that is not a conversation.
    static Conversation from_json(const QJsonObject& o);

    // Atomic write. Throws std::runtime_error naming the file when it cannot be written.
    void save(const QString& file) const;
    // A missing file is an empty conversation; an unreadable or corrupt one throws
    // std::runtime_error naming the file.
    static Conversation load(const QString& file);
};

// SHA-256 of the document's text (hex): the same text is the same conversation wherever the
// file moves.
QString document_hash(const Document& doc);

// <library_dir>/conversations/<document hash>.json
QString conversation_file(const QString& library_dir, const Document& doc);

}  // namespace ll
