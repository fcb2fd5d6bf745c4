// Nothing the user made is lost (issue 21 §1): exports replace the old file whole or not at
// all and a failure is reported naming the file, also from the real CLI on a "full disk" (a
// file-size limit, SIGXFSZ ignored, which the CLI inherits); a settings file Qt cannot read
// is moved aside, never rewritten from the part Qt understood; fields a later LongLens wrote
// into an answer's run configuration or a document's settings survive a rewrite.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QSettings>
#include <QTemporaryDir>

#include <csignal>

#include <sys/resource.h>

#include "app_error.h"
#include "cli_process.h"
#include "library_store.h"
#include "save_file.h"
#include "settings_file.h"

namespace {

QByteArray read(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

ll::AnswerRecord sample_answer() {
    ll::AnswerRecord a;
    a.question = "What is the code?";
    a.answer = "73518.";
    a.complete = true;
    a.run_config = {{"model", "/models/tiny"}, {"a_field_from_a_later_version", "kept"}};
    a.citations << ll::CitedPassage{120, 160, 3, "Chapter 2", "The code is 73518.", 1.5};
    return a;
}

}  // namespace

TEST(SaveFile, ReplacesAndNamesTheFileOnFailure) {
    QTemporaryDir dir;
    const QString file = dir.filePath("conversation.md");
    EXPECT_EQ(ll::save_file(file, "one"), QString());
    EXPECT_EQ(ll::save_file(file, "two"), QString());
    EXPECT_EQ(read(file), "two");
    const QString missing = dir.filePath("gone/conversation.md");
    const QString error = ll::save_file(missing, "x");
    EXPECT_TRUE(error.startsWith(missing + ": cannot create")) << error.toStdString();
    EXPECT_THROW(ll::save_file_or_throw(missing, "x"), ll::AppError);
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList{"conversation.md"});
}

// `library export --output` on a disk that fills: exit 1, stderr names the file and the
// problem, and the export written before is still there byte for byte.
TEST(SaveFile, TheCliExportOnAFullDiskKeepsTheOldExport) {
    QTemporaryDir dir;
    {
        ll::LibraryStore store(dir.filePath("library.sqlite"));
        const qint64 id =
            store.note_opened("ab12cd34ef56ab12", "/docs/novel.txt", "novel.txt", "text", "");
        ll::AnswerRecord a = sample_answer();
        a.answer = QString(1 << 20, 'x');  // the export is larger than the limit below
        ASSERT_TRUE(store.add_answer(id, a)) << store.error().toStdString();
    }
    const QString out = dir.filePath("export.md");
    ASSERT_EQ(ll::save_file(out, "an earlier export\n"), QString());
    QProcess p;
    p.setProcessEnvironment(cli_environment());
    p.setChildProcessModifier([] {
        std::signal(SIGXFSZ, SIG_IGN);  // kept across exec: writes fail with EFBIG
        // Room for SQLite's 32 KiB shared-memory file, not for the 1 MB export.
        const rlimit limit{256 * 1024, 256 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    p.start(QString(LONGLENS_BINARY_DIR) + "/longlens-cli",
            {"library", "export", "1", "--library", dir.path(), "--output", out});
    ASSERT_TRUE(p.waitForFinished(60000));
    const QByteArray err = p.readAllStandardError();
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_NE(p.exitCode(), 0) << err.toStdString();
    EXPECT_TRUE(err.contains(out.toUtf8() + ": writing failed")) << err.toStdString();
    EXPECT_TRUE(err.contains("file-size limit")) << err.toStdString();
    EXPECT_EQ(read(out), "an earlier export\n");
    // Without the limit the same command writes the whole export.
    const CliResult ok =
        run_cli({"library", "export", "1", "--library", dir.path(), "--output", out});
    EXPECT_EQ(ok.exit_code, 0) << ok.err.toStdString();
    EXPECT_TRUE(read(out).contains(QByteArray(1 << 20, 'x')));
}

TEST(SettingsFile, AnUnreadableFileIsMovedAsideNotRewritten) {
    QTemporaryDir dir;
    const QString file = dir.filePath("LongLens.conf");
    // Cut in the middle of a section header, as a crash or a full disk might leave it.
    const QByteArray damaged = "[model]\npath=/models/mine.gguf\n[u";
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(damaged);
    f.close();
    const QString message = ll::set_aside_if_unreadable(file);
    EXPECT_TRUE(message.startsWith(file + ": the settings could not be read"))
        << message.toStdString();
    const QStringList aside = QDir(dir.path()).entryList({"LongLens.conf.damaged-*"});
    ASSERT_EQ(aside.size(), 1);
    EXPECT_TRUE(message.contains(aside[0])) << message.toStdString();
    EXPECT_EQ(read(dir.filePath(aside[0])), damaged);
    EXPECT_FALSE(QFile::exists(file));  // a fresh one is started by the next write
}

TEST(SettingsFile, AReadableFileIsLeftAlone) {
    QTemporaryDir dir;
    const QString file = dir.filePath("LongLens.conf");
    {
        QSettings s(file, QSettings::IniFormat);
        s.setValue("model/path", "/models/mine.gguf");
        s.setValue("ui/recent", QStringList{"/a.txt", "/b.pdf"});
    }
    const QByteArray before = read(file);
    EXPECT_EQ(ll::set_aside_if_unreadable(file), QString());
    EXPECT_EQ(ll::set_aside_if_unreadable(dir.filePath("absent.conf")), QString());
    EXPECT_EQ(read(file), before);
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files).size(), 1);
}

// A later LongLens may record more in an answer's run configuration or a document's
// settings: rewriting the answer (its text, completion) keeps what this one does not know.
TEST(UnknownFields, SurviveARewrite) {
    QTemporaryDir dir;
    ll::LibraryStore store(dir.filePath("library.sqlite"));
    const qint64 id =
        store.note_opened("ab12cd34ef56ab12", "/docs/novel.txt", "novel.txt", "text", "");
    ASSERT_TRUE(store.set_settings(id, {{"zoom", 1.5}, {"a_later_setting", "kept"}}));
    ll::AnswerRecord a = sample_answer();
    ASSERT_TRUE(store.add_answer(id, a));
    ll::AnswerRecord stored = store.conversation(id).answers.value(0);
    stored.answer = "73518, in the cellar.";
    ASSERT_TRUE(store.update_answer(stored)) << store.error().toStdString();
    const ll::AnswerRecord again = store.conversation(id).answers.value(0);
    EXPECT_EQ(again.answer, "73518, in the cellar.");
    EXPECT_EQ(again.run_config.value("a_field_from_a_later_version").toString(), "kept");
    QJsonObject settings = store.find(QString::number(id))->settings;
    settings["zoom"] = 2.0;
    ASSERT_TRUE(store.set_settings(id, settings));
    EXPECT_EQ(store.find(QString::number(id))->settings.value("a_later_setting").toString(),
              "kept");
}
