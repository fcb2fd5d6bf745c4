// The one error type of app/: what went wrong, with the file (or setting) it is about and,
// when there is one, what the user can do about it. The engine's EngineError carries the
// same first two; `from_engine` adopts one at the boundary. The CLI prints what(); the GUI
// shows problem and hint under the file's name.
#pragma once

#include <QString>

#include <stdexcept>

namespace ll {

class EngineError;

class AppError : public std::runtime_error {
  public:
    AppError(const QString& file, const QString& problem, const QString& hint = {})
        : std::runtime_error(compose(file, problem, hint).toStdString()),
          file_(file),
          problem_(problem),
          hint_(hint) {}

    static AppError from_engine(const EngineError& e, const QString& hint = {});

    const QString& file() const { return file_; }
    const QString& problem() const { return problem_; }
    const QString& hint() const { return hint_; }

  private:
    // "file: problem (hint)", with the parts that are empty left out.
    static QString compose(const QString& file, const QString& problem, const QString& hint) {
        QString text = file.isEmpty() ? problem : file + QStringLiteral(": ") + problem;
        if (!hint.isEmpty()) text += QStringLiteral(" (") + hint + QStringLiteral(")");
        return text;
    }

    QString file_;
    QString problem_;
    QString hint_;
};

}  // namespace ll
