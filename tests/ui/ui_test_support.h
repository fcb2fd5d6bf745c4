// Shared pieces of the GUI tests: paths into the ground truth, a clean settings store per
// test program, and waiting for the window's asynchronous work.
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QtTest>

namespace lltest {

inline QString shared(const QString& rel) {
    return QStringLiteral(LONGLENS_SHARED_DIR "/") + rel;
}

inline const QString kCivilCodePdf = shared("corpus/legal/prc-civil-code-zh.pdf");
inline const QString kNovelGbk = shared("corpus/novels/journey-to-the-west-xiyouji.gbk.txt");
inline const QString kRefMini = shared("models/ref-mini");

// Settings and conversations go to a throwaway location, never the user's, and one of
// its own for each test program: ctest runs them in parallel, and a shared store let one
// program's clear() wipe a setting another had just written (and its library database).
inline void isolate_settings() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("LongLensTest");
    QCoreApplication::setApplicationName(
        "LongLensUiTest-" + QFileInfo(QCoreApplication::applicationFilePath()).baseName());
    QSettings().clear();
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
}

}  // namespace lltest
