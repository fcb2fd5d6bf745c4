// The prompt of each review part is a file the user can read and edit: compiled in from
// resources/review/<id>.md (Qt resource ":/review/<id>.md") and overridden by a file of the
// same name in the user's config folder (<AppConfigLocation>/review/, on Linux
// ~/.config/LongLens/LongLens/review/). HTML comments in the file are notes for the reader,
// not sent to the model.
#pragma once

#include <QList>
#include <QString>

#include <utility>

namespace ll {

struct ReviewPrompt {
    QString text;    // what the model is asked, comments removed, trimmed
    QString source;  // the file it came from (":/review/summary.md" or the override's path)
};

// <AppConfigLocation>/review: where overrides are looked for.
QString review_prompt_dir();

// The prompt `id` (a part id, "notes", "combine", or a comparison aspect): the override in
// `override_dir` when it exists and is not empty, else the compiled-in file. Throws AppError
// naming the file when neither exists or the override cannot be read.
ReviewPrompt load_review_prompt(const QString& id,
                                const QString& override_dir = review_prompt_dir());

// `text` with every "{key}" replaced by its value.
QString fill_prompt(QString text, const QList<std::pair<QString, QString>>& values);

}  // namespace ll
