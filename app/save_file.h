// Every export and document file LongLens writes for the user goes through here: the new
// content replaces the old whole or not at all (engine/atomic_file: temporary file, flush and
// fsync checked, rename, directory fsync). A failure never leaves a half-written file and
// always comes back as a message naming the file and the problem.
#pragma once

#include <QByteArray>
#include <QString>

namespace ll {

// "" when `bytes` are the file's content now, else "PATH: problem".
QString save_file(const QString& path, const QByteArray& bytes);

// The same, throwing AppError(path, problem) on failure.
void save_file_or_throw(const QString& path, const QByteArray& bytes);

}  // namespace ll
