#include "settings_file.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QObject>
#include <QSettings>

namespace ll {

namespace {

// `ini_file` moved aside as <file>.damaged-<time>; the message for the user.
QString set_aside(const QString& ini_file) {
    const QString stamp =
        ini_file + ".damaged-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    QString aside = stamp;
    for (int n = 2; QFile::exists(aside) && n < 100; ++n) aside = stamp + "-" + QString::number(n);
    const QString file = QDir::toNativeSeparators(ini_file);
    if (!QFile::rename(ini_file, aside))
        return QObject::tr(
                   "%1: the settings could not be read nor moved aside; changes made "
                   "now may replace it")
            .arg(file);
    return QObject::tr(
               "%1: the settings could not be read. The file was moved to %2 and "
               "LongLens starts with its defaults.")
        .arg(file, QDir::toNativeSeparators(aside));
}

}  // namespace

QString set_aside_if_unreadable(const QString& ini_file) {
    if (!QFile::exists(ini_file)) return {};
    QSettings::Status status;
    {
        const QSettings probe(ini_file, QSettings::IniFormat);
        status = probe.status();
    }
    return status == QSettings::FormatError ? set_aside(ini_file) : QString();
}

QString check_settings_file() {
    // Qt parses a settings file once per process and caches it: the first QSettings made
    // is the one that can report the file unreadable, so this must run before any other.
    static const QString problem = [] {
        QString file;
        QSettings::Status status;
        {
            const QSettings settings;
            file = settings.fileName();
            status = settings.status();
        }
        return status == QSettings::FormatError && QFile::exists(file) ? set_aside(file)
                                                                       : QString();
    }();
    return problem;
}

}  // namespace ll
