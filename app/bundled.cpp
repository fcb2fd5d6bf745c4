#include "bundled.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace ll::bundled {
namespace {

bool holds_model(const QString& dir) {
    return !dir.isEmpty() && QFileInfo::exists(dir + "/model/config.json");
}

}  // namespace

QString resources_dir() {
    const QString from_env = qEnvironmentVariable("LONGLENS_RESOURCES");
    if (holds_model(from_env)) return QDir::cleanPath(from_env);
    if (QCoreApplication::instance()) {
        const QString installed = QCoreApplication::applicationDirPath() + "/../share/longlens";
        if (holds_model(installed)) return QDir::cleanPath(installed);
    }
    const QString source = QStringLiteral(LONGLENS_SOURCE_RESOURCES);
    return holds_model(source) ? QDir::cleanPath(source) : QString();
}

QString model_dir() {
    const QString dir = resources_dir();
    return dir.isEmpty() ? QString() : dir + "/model";
}

QString sample_document() {
    const QString dir = resources_dir();
    const QString path = dir + "/sample/keepers-notebook.md";
    return !dir.isEmpty() && QFileInfo::exists(path) ? path : QString();
}

QString model_name(const QString& path) {
    const QString shipped = model_dir();
    if (!shipped.isEmpty() && QFileInfo(path) == QFileInfo(shipped))
        return QStringLiteral("LongLens default model");
    return QFileInfo(path).fileName();
}

QString example_question() { return QStringLiteral("What is the code for the cellar?"); }

}  // namespace ll::bundled
