// The library store on real SQLite files: what is stored comes back, a moved document keeps
// its conversation, and nothing already stored is lost when the database is damaged
// (garbage, truncated), written by a newer LongLens, or when the disk fills up mid-write
// (a file-size limit in a child process), and the stores of older versions are imported once.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include "event_loop_support.h"
#include "legacy_import.h"
#include "library_store.h"
#include "qa/conversation_export.h"

namespace {

// Qt SQL loads its drivers through the application object.
ll::AnswerRecord sample_answer(const QString& question) {
    ll::AnswerRecord a;
    a.question = question;
    a.answer = "73518.";
    a.complete = true;
    a.note = "context: whole document";
    a.run_config = {{"model", "/models/tiny"}, {"scaling", "yarn:factor=8"}, {"kv", "f16"}};
    a.citations << ll::CitedPassage{
        120, 160, 3, "Chapter 2 · p. 4", "The code for the cellar is 73518.", 1.5};
    return a;
}

QByteArray read(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void write(const QString& file, const QByteArray& bytes) {
    QFile f(file);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

QStringList set_aside_files(const QDir& dir) {
    return dir.entryList({"library.sqlite.damaged-*"}, QDir::Files);
}

class LibraryStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        lltest::core_app();
        ASSERT_TRUE(dir_.isValid());
        file_ = dir_.filePath("library.sqlite");
    }

    // A library with one document and one answer, closed again.
    qint64 make_library() {
        ll::LibraryStore store(file_);
        EXPECT_TRUE(store.is_open()) << store.error().toStdString();
        const qint64 id = store.note_opened("abc123abc123", "/docs/notebook.md", "notebook.md",
                                            "markdown", "Markdown · 6 chapters");
        ll::AnswerRecord a = sample_answer("What is the code?");
        EXPECT_TRUE(store.add_answer(id, a)) << store.error().toStdString();
        return id;
    }

    QTemporaryDir dir_;
    QString file_;
};

TEST_F(LibraryStoreTest, AnAnswerComesBackWithItsCitationsAndRunConfiguration) {
    const qint64 id = make_library();
    ll::LibraryStore store(file_);
    EXPECT_TRUE(store.open_problem().isEmpty()) << store.open_problem().toStdString();
    const ll::Conversation c = store.conversation(id);
    ASSERT_EQ(c.answers.size(), 1);
    const ll::AnswerRecord& a = c.answers[0];
    EXPECT_EQ(c.document_path, "/docs/notebook.md");
    EXPECT_EQ(a.question, "What is the code?");
    EXPECT_EQ(a.answer, "73518.");
    EXPECT_TRUE(a.complete);
    EXPECT_EQ(a.run_config["scaling"].toString(), "yarn:factor=8");
    ASSERT_EQ(a.citations.size(), 1);
    EXPECT_EQ(a.citations[0].start, 120);
    EXPECT_EQ(a.citations[0].end, 160);
    EXPECT_EQ(a.citations[0].page, 3);
    EXPECT_EQ(a.citations[0].label, "Chapter 2 · p. 4");
    EXPECT_EQ(a.citations[0].text, "The code for the cellar is 73518.");

    // Rewritten as an answer streams in and ends.
    ll::AnswerRecord changed = a;
    changed.answer = "It is 73518.";
    changed.citations.clear();
    ASSERT_TRUE(store.update_answer(changed)) << store.error().toStdString();
    EXPECT_EQ(store.conversation(id).answers[0].answer, "It is 73518.");
    EXPECT_TRUE(store.conversation(id).answers[0].citations.isEmpty());

    // The same database is WAL-journalled and at the current schema.
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "inspect");
    db.setDatabaseName(file_);
    ASSERT_TRUE(db.open());
    {
        QSqlQuery q(db);
        ASSERT_TRUE(q.exec("PRAGMA journal_mode") && q.next());
        EXPECT_EQ(q.value(0).toString(), "wal");
        ASSERT_TRUE(q.exec("PRAGMA user_version") && q.next());
        EXPECT_EQ(q.value(0).toInt(), ll::LibraryStore::kSchemaVersion);
    }
    db.close();
    db = {};
    QSqlDatabase::removeDatabase("inspect");
}

TEST_F(LibraryStoreTest, AMovedDocumentKeepsItsConversation) {
    const qint64 id = make_library();
    ll::LibraryStore store(file_);
    EXPECT_EQ(
        store.note_opened("abc123abc123", "/elsewhere/renamed.md", "renamed.md", "markdown", {}),
        id);
    EXPECT_EQ(store.conversation(id).answers.size(), 1);
    ASSERT_TRUE(store.find("/docs/notebook.md"));
    EXPECT_EQ(store.find("/docs/notebook.md")->id, id);
    EXPECT_EQ(store.find("/elsewhere/renamed.md")->id, id);
    EXPECT_EQ(store.find(QString::number(id))->path, "/elsewhere/renamed.md");
    EXPECT_EQ(store.documents().size(), 1);

    // Removing takes it off the list; the conversation stays and comes back with it.
    ASSERT_TRUE(store.remove(id));
    EXPECT_TRUE(store.documents().isEmpty());
    EXPECT_EQ(store.conversation(id).answers.size(), 1);
    EXPECT_EQ(store.note_opened("abc123abc123", "/docs/notebook.md", "notebook.md", "markdown", {}),
              id);
    EXPECT_EQ(store.documents().size(), 1);
}

TEST_F(LibraryStoreTest, GarbageIsSetAsideReportedAndAFreshLibraryStarted) {
    const QByteArray garbage(20000, '\x5a');
    write(file_, garbage);
    ll::LibraryStore store(file_);
    EXPECT_TRUE(store.is_open()) << store.error().toStdString();
    const QString problem = store.open_problem();
    EXPECT_TRUE(problem.contains(file_)) << problem.toStdString();
    EXPECT_TRUE(problem.contains("moved to")) << problem.toStdString();
    const QStringList aside = set_aside_files(QDir(dir_.path()));
    ASSERT_EQ(aside.size(), 1);
    EXPECT_EQ(read(dir_.filePath(aside[0])), garbage);  // kept byte for byte
    EXPECT_TRUE(problem.contains(aside[0])) << problem.toStdString();
    ll::AnswerRecord a = sample_answer("Still works?");
    EXPECT_TRUE(store.add_answer(store.note_opened("ff00ff00", "/d.txt", "d.txt", "text", {}), a));
}

TEST_F(LibraryStoreTest, ATruncatedDatabaseIsSetAsideNotOverwritten) {
    make_library();
    const QByteArray whole = read(file_);
    ASSERT_GT(whole.size(), 8192);
    const QByteArray truncated = whole.left(whole.size() / 2 + 100);
    write(file_, truncated);
    ll::LibraryStore store(file_);
    EXPECT_FALSE(store.open_problem().isEmpty());
    const QStringList aside = set_aside_files(QDir(dir_.path()));
    ASSERT_EQ(aside.size(), 1);
    EXPECT_EQ(read(dir_.filePath(aside[0])), truncated);
    EXPECT_TRUE(store.documents().isEmpty());
    EXPECT_TRUE(store.is_open());
}

TEST_F(LibraryStoreTest, ALibraryFromANewerVersionIsLeftUntouched) {
    make_library();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "newer");
        db.setDatabaseName(file_);
        ASSERT_TRUE(db.open());
        QSqlQuery(db).exec("PRAGMA user_version = 99");
        db.close();
    }
    QSqlDatabase::removeDatabase("newer");
    const QByteArray before = read(file_);
    ll::LibraryStore store(file_);
    EXPECT_FALSE(store.is_open());
    EXPECT_TRUE(store.open_problem().contains("newer LongLens"))
        << store.open_problem().toStdString();
    ll::AnswerRecord a = sample_answer("Q?");
    EXPECT_FALSE(store.add_answer(1, a));
    EXPECT_TRUE(set_aside_files(QDir(dir_.path())).isEmpty());
    EXPECT_EQ(read(file_), before);
}

// The disk fills up mid-write: a child process may not grow any file past 64 KiB (SIGXFSZ
// ignored, so writes fail with EFBIG as on a full disk) and tries to store a 1 MB answer.
// The write must fail loudly and the earlier answer stay intact.
TEST_F(LibraryStoreTest, AFullDiskFailsTheWriteLoudlyAndKeepsWhatWasStored) {
    const qint64 id = make_library();
    int report[2];
    ASSERT_EQ(pipe(report), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(report[0]);
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{64 * 1024, 64 * 1024};
        setrlimit(RLIMIT_FSIZE, &limit);
        int code = 3;
        {
            ll::LibraryStore store(file_);
            ll::AnswerRecord big = sample_answer("A long one?");
            big.answer = QString(1 << 20, QChar('x'));
            code = !store.is_open() ? 2 : store.add_answer(id, big) ? 1 : 0;
            const QByteArray message = store.error().toUtf8();
            (void)!::write(report[1], message.constData(), size_t(message.size()));
        }
        close(report[1]);
        _exit(code);
    }
    close(report[1]);
    QByteArray message;
    char buf[512];
    for (ssize_t n; (n = ::read(report[0], buf, sizeof buf)) > 0;) message.append(buf, n);
    close(report[0]);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "1: the write claimed success; 2: not opened: " << message.toStdString();
    EXPECT_TRUE(message.contains("cannot save the answer")) << message.toStdString();
    EXPECT_TRUE(message.contains(file_.toUtf8())) << message.toStdString();

    ll::LibraryStore store(file_);
    EXPECT_TRUE(store.open_problem().isEmpty()) << store.open_problem().toStdString();
    const ll::Conversation c = store.conversation(id);
    ASSERT_EQ(c.answers.size(), 1);
    EXPECT_EQ(c.answers[0].question, "What is the code?");
    EXPECT_EQ(c.answers[0].citations.size(), 1);
}

// The GUI and CLI runs write at the same time: three processes each add 20 answers to the
// same library at once; every write waits its turn and none is lost.
TEST_F(LibraryStoreTest, WritersInSeveralProcessesAtOnceLoseNothing) {
    const qint64 id = make_library();
    constexpr int kWriters = 3, kEach = 20;
    std::vector<pid_t> children;
    for (int w = 0; w < kWriters; ++w) {
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            int failures = 0;
            {
                ll::LibraryStore store(file_);
                for (int i = 0; i < kEach; ++i) {
                    ll::AnswerRecord a =
                        sample_answer(QStringLiteral("writer %1 #%2").arg(w).arg(i));
                    if (!store.add_answer(id, a)) ++failures;
                }
            }
            _exit(failures);
        }
        children.push_back(child);
    }
    for (pid_t child : children) {
        int status = 0;
        ASSERT_EQ(waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
            << "failed writes: " << WEXITSTATUS(status);
    }
    ll::LibraryStore store(file_);
    EXPECT_EQ(store.conversation(id).answers.size(), 1 + kWriters * kEach);
}

TEST_F(LibraryStoreTest, OlderStoresAreImportedOnceAndLeftInPlace) {
    QSettings settings(dir_.filePath("LongLens.conf"), QSettings::IniFormat);
    settings.beginWriteArray("library");
    settings.setArrayIndex(0);
    settings.setValue("path", "/docs/old.pdf");
    settings.setValue("title", "old.pdf");
    settings.setValue("detail", "PDF · 3 pages");
    settings.endArray();
    settings.setValue("library/size", 2147483647);  // a count nobody should trust (issue 21)
    settings.sync();
    const QString conversations = dir_.filePath("conversations");
    QDir().mkpath(conversations);
    // The GUI's kind, keyed by path; the CLI's kind, keyed by the text; a damaged one.
    write(conversations + "/gui.json",
          R"({"document": "/docs/old.pdf", "exchanges": [{"question": "GUI question?",
              "answer": "GUI answer.", "complete": true, "model": "tiny", "scaling": "none",
              "citations": [{"start": 1, "end": 9, "page": 0, "text": "quoted", "label": "p. 1"}]}]})");
    write(conversations + "/cli.json",
          R"({"format": "longlens-conversation", "version": 1, "document_path": "/docs/cli.txt",
              "document_hash": "0123456789abcdef", "turns": [{"question": "CLI question?",
              "answer": "CLI answer.", "end": "eos", "partial": false,
              "citations": [{"start": 2, "end": 5, "page": null, "text": "abc"}]}]})");
    write(conversations + "/broken.json", R"({"exchanges": [)");

    ll::LibraryStore store(file_);
    const ll::LegacyImport first = ll::import_legacy_stores(store, settings, conversations);
    EXPECT_TRUE(first.ran);
    EXPECT_EQ(first.answers, 2);
    EXPECT_EQ(store.documents().size(), 2);  // the listed one and the CLI's
    ASSERT_EQ(first.problems.size(), 1);
    EXPECT_TRUE(first.problems[0].contains("broken.json"));
    EXPECT_TRUE(QFile::exists(conversations + "/gui.json"));

    const auto old_pdf = store.find("/docs/old.pdf");
    ASSERT_TRUE(old_pdf);
    EXPECT_EQ(old_pdf->detail, "PDF · 3 pages");
    const ll::Conversation gui = store.conversation(old_pdf->id);
    ASSERT_EQ(gui.answers.size(), 1);
    EXPECT_EQ(gui.answers[0].citations[0].label, "p. 1");
    EXPECT_EQ(gui.answers[0].citations[0].page, 0);
    const auto cli = store.find_fingerprint("0123456789abcdef");
    ASSERT_TRUE(cli);
    EXPECT_EQ(store.conversation(cli->id).answers[0].answer, "CLI answer.");

    // Opening the old PDF (now with a fingerprint) keeps its imported conversation.
    EXPECT_EQ(store.note_opened("feedfacefeedface", "/docs/old.pdf", "old.pdf", "pdf", {}),
              old_pdf->id);
    EXPECT_EQ(store.conversation(old_pdf->id).answers.size(), 1);

    EXPECT_FALSE(ll::import_legacy_stores(store, settings, conversations).ran);
    EXPECT_EQ(store.conversation(old_pdf->id).answers.size(), 1);
}

TEST(ConversationExport, MarkdownAndJsonCarryTheCitations) {
    ll::Conversation c;
    c.document_path = "/docs/notebook.md";
    c.title = "notebook.md";
    c.answers << sample_answer("What is the code?");
    const QString md = ll::conversation_markdown(c);
    EXPECT_TRUE(md.contains("# Questions about notebook.md")) << md.toStdString();
    EXPECT_TRUE(md.contains("## What is the code?"));
    EXPECT_TRUE(md.contains("notebook.md, Chapter 2 · p. 4")) << md.toStdString();
    EXPECT_TRUE(md.contains("> The code for the cellar is 73518."));
    // The default KV type goes unsaid; another one is named.
    EXPECT_TRUE(md.contains("tiny · yarn:factor=8*")) << md.toStdString();
    QJsonObject q8 = c.answers[0].run_config;
    q8["kv"] = "q8_0";
    EXPECT_EQ(ll::run_config_summary(q8), "tiny · yarn:factor=8 · kv q8_0");
    const QJsonObject json = ll::answer_json(c, c.answers[0]);
    EXPECT_EQ(json["document"].toObject()["path"].toString(), "/docs/notebook.md");
    const QJsonObject cited =
        json["answers"].toArray()[0].toObject()["citations"].toArray()[0].toObject();
    EXPECT_EQ(cited["page"].toInt(), 4);  // 1-based, as printed
    EXPECT_EQ(cited["text"].toString(), "The code for the cellar is 73518.");
}

}  // namespace
