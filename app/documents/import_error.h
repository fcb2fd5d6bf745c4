// The one exception importers throw. The message always starts with the file it is about,
// so the CLI and the GUI can show it as is and the user knows which file to fix.
#pragma once

#include <QString>

#include <stdexcept>

namespace ll {

class ImportError : public std::runtime_error {
  public:
    ImportError(const QString& path, const QString& problem)
        : std::runtime_error((path + QStringLiteral(": ") + problem).toStdString()),
          path_(path),
          problem_(problem) {}

    const QString& path() const { return path_; }
    const QString& problem() const { return problem_; }

  private:
    QString path_;
    QString problem_;
};

}  // namespace ll
