// Killing LongLens in the middle of an answer loses no earlier conversation: the real
// `longlens` binary, fresh XDG folders, an earlier question answered in a first run, a second
// run SIGKILLed while it reads the document for the next question, then a third run that
// must start cleanly from what is on disk. The checks read the library database the app wrote
// (intact, not set aside) and ask the real longlens-cli about it: what the GUI stored is what
// the CLI shows.
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "library_store.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

constexpr int kRunMs = 400000;  // generous: a loaded two-core machine, sanitizers

const QString kEarlier = QStringLiteral("孙悟空是谁？");
const QString kInterrupted = QStringLiteral("唐僧从哪里来？");
const QString kStreaming = QStringLiteral("猪八戒做了什么？");

class App {
  public:
    explicit App(const QTemporaryDir& home) : home_(home.path()) {}

    QString library_file() const { return home_ + "/data/LongLens/LongLens/library.sqlite"; }

    // Starts longlens with its settings, data and caches under the temporary home.
    void start(QProcess& p, const QStringList& args) const {
        p.setProcessEnvironment(environment());
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral(LONGLENS_GUI_BINARY), args);
        p.waitForStarted();  // so that state() says Running, not Starting
    }

    // Runs longlens-cli in the same folders; its standard output.
    QByteArray cli(const QStringList& args) const {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(LONGLENS_CLI_BINARY), args);
        p.waitForFinished(kRunMs);
        if (p.exitCode() != 0) qWarning() << p.readAllStandardError();
        return p.exitCode() == 0 ? p.readAllStandardOutput() : QByteArray();
    }

  private:
    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_CONFIG_HOME", home_ + "/config");
        env.insert("XDG_DATA_HOME", home_ + "/data");
        env.insert("XDG_CACHE_HOME", home_ + "/cache");
        env.insert("QT_QPA_PLATFORM", "offscreen");
        return env;
    }

    QString home_;
};

// Reads stdout until a line starting with `prefix` arrives; false if the process ended first.
bool wait_for_line(QProcess& p, const QByteArray& prefix) {
    QByteArray seen;
    QDeadlineTimer deadline(kRunMs);
    while (!deadline.hasExpired()) {
        if (seen.startsWith(prefix) || seen.contains("\n" + prefix)) return true;
        if (p.state() != QProcess::Running) return false;
        p.waitForReadyRead(1000);
        seen += p.readAllStandardOutput();
    }
    return false;
}

// The conversation about `document` as the library holds it; the database must open
// cleanly (not damaged, nothing set aside).
QList<AnswerRecord> stored_answers(const App& app, const QString& document) {
    LibraryStore store(app.library_file());
    if (!store.open_problem().isEmpty()) qWarning() << store.open_problem();
    const auto doc = store.find(document);
    if (!store.open_problem().isEmpty() || !doc) return {};
    return store.conversation(doc->id).answers;
}

}  // namespace

class KillMidAnswerTest : public QObject {
    Q_OBJECT
  private slots:
    void earlier_conversation_survives_a_kill() {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        App app(home);
        const QString novel = QFileInfo(lltest::kNovelGbk).absoluteFilePath();

        // First run: the earlier conversation, answered and saved.
        QProcess first;
        app.start(first, {"--open", novel, "--model", lltest::kRefMini, "--ask", kEarlier,
                          "--quit-when-done"});
        QVERIFY(first.waitForFinished(kRunMs));
        QVERIFY2(first.exitStatus() == QProcess::NormalExit && first.exitCode() == 0,
                 first.readAllStandardError().constData());
        const QList<AnswerRecord> before = stored_answers(app, novel);
        QCOMPARE(before.size(), 1);
        QVERIFY(before.first().complete);
        QVERIFY(!before.first().answer.isEmpty());

        // Second run: a longer window (YaRN x16, many prefill chunks) so the question is
        // still being read when the first progress line arrives; killed right then.
        QProcess second;
        app.start(second, {"--open", novel, "--model", lltest::kRefMini, "--scaling",
                           "yarn:factor=16", "--ask", kInterrupted, "--log-progress"});
        QVERIFY2(wait_for_line(second, "prefill "), second.readAllStandardError().constData());
        second.kill();  // SIGKILL: no close event, no saving on the way out
        QVERIFY(second.waitForFinished(kRunMs));
        QCOMPARE(second.exitStatus(), QProcess::CrashExit);

        verify_after_kill(stored_answers(app, novel), before.first());
        if (QTest::currentTestFailed()) return;

        // Third run: starts from what the killed one left (library, last document, model).
        QProcess third;
        app.start(third, {"--quit-when-done"});
        QVERIFY(third.waitForFinished(kRunMs));
        QVERIFY2(third.exitStatus() == QProcess::NormalExit && third.exitCode() == 0,
                 third.readAllStandardError().constData());
        verify_after_kill(stored_answers(app, novel), before.first());
        if (QTest::currentTestFailed()) return;
        verify_cli_sees_it(app, novel, before.first());
        if (QTest::currentTestFailed()) return;

        // Fourth run: killed while the answer streams in, after ten pieces of it were shown
        // (pieces, not tokens: the stop scanner may hold tokens back).
        // What was shown up to the last write (every 8 pieces) is kept.
        QProcess fourth;
        app.start(fourth, {"--open", novel, "--model", lltest::kRefMini, "--ask", kStreaming,
                           "--log-progress"});
        QVERIFY2(wait_for_line(fourth, "shown 10 pieces"),
                 "the answer ended (or the run failed) before ten pieces streamed in");
        fourth.kill();
        QVERIFY(fourth.waitForFinished(kRunMs));
        const QList<AnswerRecord> after = stored_answers(app, novel);
        QCOMPARE(after.size(), 3);
        QCOMPARE(after[2].question, kStreaming);
        QVERIFY(!after[2].complete);
        QVERIFY2(!after[2].answer.isEmpty(), "the streamed part of the answer was lost");
    }

  private:
    // The earlier answer exactly as it was; the interrupted question kept too.
    void verify_after_kill(const QList<AnswerRecord>& after, const AnswerRecord& earlier) {
        QCOMPARE(after.size(), 2);
        QCOMPARE(after[0].question, earlier.question);
        QCOMPARE(after[0].answer, earlier.answer);
        QCOMPARE(after[0].citations.size(), earlier.citations.size());
        QVERIFY(after[0].complete);
        QCOMPARE(after[1].question, kInterrupted);
        QVERIFY(!after[1].complete);
    }

    // The GUI's library through the CLI: the document listed, both questions in its export.
    void verify_cli_sees_it(const App& app, const QString& document, const AnswerRecord& earlier) {
        const QJsonArray listed =
            QJsonDocument::fromJson(app.cli({"library", "list", "--json"})).array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0].toObject()["path"].toString(), document);
        const QJsonArray answers =
            QJsonDocument::fromJson(app.cli({"library", "export", document, "--format", "json"}))
                .object()["answers"]
                .toArray();
        QCOMPARE(answers.size(), 2);
        QCOMPARE(answers[0].toObject()["answer"].toString(), earlier.answer);
        QCOMPARE(answers[1].toObject()["question"].toString(), kInterrupted);
    }
};

QTEST_GUILESS_MAIN(KillMidAnswerTest)
#include "test_kill_mid_answer.moc"
