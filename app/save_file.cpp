#include "save_file.h"

#include <QFile>

#include "app_error.h"
#include "atomic_file.h"
#include "error.h"

namespace ll {

void save_file_or_throw(const QString& path, const QByteArray& bytes) {
    try {
        write_file_atomically(QFile::encodeName(path).toStdString(),
                              std::string_view(bytes.constData(), size_t(bytes.size())));
    } catch (const EngineError& e) {
        throw AppError(path, QString::fromStdString(e.problem()));
    }
}

QString save_file(const QString& path, const QByteArray& bytes) {
    try {
        save_file_or_throw(path, bytes);
        return {};
    } catch (const AppError& e) {
        return QString::fromUtf8(e.what());
    }
}

}  // namespace ll
