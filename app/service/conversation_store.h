// The questions and answers asked about each document, kept as one JSON file per document
// under the application data directory. Every write replaces the file atomically (QSaveFile),
// and an exchange is written when its question is asked and again when its answer ends, so
// killing the app mid-answer loses nothing that was shown before.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

#include "question_answerer.h"

namespace ll {

struct Exchange {
    QString question;
    QString answer;
    QList<AnswerCitation> citations;
    QString model;      // file name of the model that answered
    QString scaling;    // effective spec text
    QDateTime asked;
    bool complete = false;  // false: interrupted (cancelled, failed or the app died)
    QString note;           // why it is incomplete, or timing
};

class ConversationStore {
  public:
    // `directory` empty: <AppDataLocation>/conversations.
    explicit ConversationStore(QString directory = {});

    QList<Exchange> load(const QString& document_path) const;
    // Returns false (and leaves the old file) when the file cannot be written.
    bool save(const QString& document_path, const QList<Exchange>& exchanges) const;
    QString file_for(const QString& document_path) const;

  private:
    QString directory_;
};

}  // namespace ll
