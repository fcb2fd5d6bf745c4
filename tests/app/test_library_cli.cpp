// One library for the CLI and the GUI: the real longlens-cli with fresh XDG folders asks
// about the bundled sample, and the store the GUI opens (open_user_library, as MainWindow
// does) sees the answer; an answer stored the GUI's way is shown and exported by
// `longlens-cli library`. Also: remove, a moved copy, a damaged database reported on stderr,
// and a failed save that fails the command.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli_process.h"
#include "documents/importer.h"
#include "event_loop_support.h"
#include "user_library.h"

namespace {

const QString kSample = QStringLiteral(LONGLENS_SOURCE_DIR "/resources/sample/keepers-notebook.md");
const QString kQuestion = QStringLiteral("What is the code for the cellar?");

class LibraryCliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        lltest::core_app();
        ASSERT_TRUE(home_.isValid());
        env_ = QProcessEnvironment::systemEnvironment();
        for (const char* kind : {"DATA", "CONFIG", "CACHE"}) {
            const QString dir = home_.filePath(QString(kind).toLower());
            env_.insert(QStringLiteral("XDG_%1_HOME").arg(kind), dir);
            // This process opens the library as the GUI does: same folders, same names.
            qputenv(QStringLiteral("XDG_%1_HOME").arg(kind).toUtf8().constData(), dir.toUtf8());
        }
        QCoreApplication::setOrganizationName("LongLens");
        QCoreApplication::setApplicationName("LongLens");
    }

    CliResult cli(const QStringList& args) const { return run_cli(args, env_); }

    std::unique_ptr<ll::LibraryStore> gui_store() const {
        QStringList notices;
        auto store = ll::open_user_library(&notices);
        EXPECT_TRUE(notices.isEmpty()) << notices.join("\n").toStdString();
        return store;
    }

    QTemporaryDir home_;
    QProcessEnvironment env_;
};

TEST_F(LibraryCliTest, AQuestionAskedInTheCliIsInTheGuisConversationAndTheReverse) {
    CliResult r = cli({"ask", "--doc", kSample, "--threads", "1", "-n", "8", kQuestion});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    EXPECT_TRUE(QFile::exists(home_.filePath("data/LongLens/LongLens/library.sqlite")));

    // The GUI's store: the document is in the library with the CLI's answer.
    const QString fingerprint = ll::document_fingerprint(ll::import_document(kSample));
    {
        auto store = gui_store();
        const auto doc = store->find_fingerprint(fingerprint);
        ASSERT_TRUE(doc);
        EXPECT_EQ(doc->path, QFileInfo(kSample).absoluteFilePath());
        const ll::Conversation c = store->conversation(doc->id);
        ASSERT_EQ(c.answers.size(), 1);
        EXPECT_EQ(c.answers[0].question, kQuestion);
        EXPECT_TRUE(c.answers[0].answer.contains("73518")) << c.answers[0].answer.toStdString();
        EXPECT_FALSE(c.answers[0].citations.isEmpty());
        EXPECT_FALSE(c.answers[0].run_config["model"].toString().isEmpty());

        // The reverse: an answer stored as the answer panel stores it (added when asked,
        // rewritten when it ends).
        ll::AnswerRecord a;
        a.question = "Who kept the light?";
        a.run_config = {{"model", "gui-model"}};
        ASSERT_TRUE(store->add_answer(doc->id, a)) << store->error().toStdString();
        a.answer = "The narrator.";
        a.complete = true;
        a.citations << ll::CitedPassage{10, 20, -1, "Chapter 6", "I kept the light alone", 0.8};
        ASSERT_TRUE(store->update_answer(a)) << store->error().toStdString();
    }
    r = cli({"library", "show", kSample});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(kQuestion.toUtf8())) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("Who kept the light?")) << r.out.toStdString();

    r = cli({"library", "export", kSample, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonArray answers = QJsonDocument::fromJson(r.out).object()["answers"].toArray();
    ASSERT_EQ(answers.size(), 2);
    const QJsonObject gui = answers[1].toObject();
    EXPECT_EQ(gui["answer"].toString(), "The narrator.");
    EXPECT_EQ(gui["citations"].toArray()[0].toObject()["text"].toString(),
              "I kept the light alone");

    r = cli({"library", "export", kSample, "--format", "markdown"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains("> I kept the light alone")) << r.out.toStdString();

    // One answer, to a file.
    const QString file = home_.filePath("answer.md");
    const QString id = QString::number(answers[1].toObject()["id"].toInteger());
    r = cli({"library", "export", kSample, "--answer", id, "--output", file});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    QFile exported(file);
    ASSERT_TRUE(exported.open(QIODevice::ReadOnly));
    const QByteArray md = exported.readAll();
    EXPECT_TRUE(md.contains("## Who kept the light?")) << md.toStdString();
    EXPECT_FALSE(md.contains(kQuestion.toUtf8())) << md.toStdString();
}

TEST_F(LibraryCliTest, ListRemoveAndAMovedCopy) {
    ASSERT_EQ(cli({"ask", "--doc", kSample, "--threads", "1", "-n", "4", kQuestion}).exit_code, 0);
    CliResult r = cli({"library", "list", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonArray docs = QJsonDocument::fromJson(r.out).array();
    ASSERT_EQ(docs.size(), 1);
    EXPECT_EQ(docs[0].toObject()["answers"].toInt(), 1);
    const QString id = QString::number(docs[0].toObject()["id"].toInteger());

    // A copy elsewhere under another name: found by its content.
    const QString copy = home_.filePath("renamed.md");
    ASSERT_TRUE(QFile::copy(kSample, copy));
    r = cli({"library", "show", copy});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(kQuestion.toUtf8()));

    r = cli({"library", "remove", id});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    r = cli({"library", "list", "--json"});
    EXPECT_TRUE(QJsonDocument::fromJson(r.out).array().isEmpty()) << r.out.toStdString();
    // Its conversation is kept.
    r = cli({"library", "show", id});
    EXPECT_TRUE(r.out.contains(kQuestion.toUtf8())) << r.out.toStdString();

    r = cli({"library", "show", "999"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("not in the library")) << r.err.toStdString();
}

TEST_F(LibraryCliTest, ADamagedLibraryIsReportedOnStderrAndSetAside) {
    const QString dir = home_.filePath("data/LongLens/LongLens");
    QDir().mkpath(dir);
    QFile f(dir + "/library.sqlite");
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(8192, '\x01'));
    f.close();
    const CliResult r = cli({"library", "list"});
    EXPECT_EQ(r.exit_code, 0) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("library.sqlite could not be read")) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains("moved to")) << r.err.toStdString();
    EXPECT_EQ(QDir(dir).entryList({"library.sqlite.damaged-*"}).size(), 1);
}

TEST_F(LibraryCliTest, AnAnswerThatCannotBeStoredFailsTheCommand) {
    // A library folder that is a file: nothing can be created there.
    QFile blocker(home_.filePath("not-a-folder"));
    ASSERT_TRUE(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const CliResult r = cli({"ask", "--doc", kSample, "--threads", "1", "-n", "4", "--library",
                             blocker.fileName(), kQuestion});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.out.contains("735")) << r.out.toStdString();  // still printed
    EXPECT_TRUE(r.err.contains("not saved")) << r.err.toStdString();
}

}  // namespace
