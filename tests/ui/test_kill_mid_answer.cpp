// Killing LongLens in the middle of an answer loses no earlier conversation: the real
// `longlens` binary, fresh XDG folders, an earlier question answered in a first run, a second
// run SIGKILLed while it reads the document for the next question, then a third run that
// must start cleanly from what is on disk. The checks read the files the app wrote.
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include "conversation_store.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

constexpr int kRunMs = 400000;  // generous: a loaded two-core machine, sanitizers

const QString kEarlier = QStringLiteral("孙悟空是谁？");
const QString kInterrupted = QStringLiteral("唐僧从哪里来？");

class App {
  public:
    explicit App(const QTemporaryDir& home) : home_(home.path()) {}

    QString data_dir() const { return home_ + "/data/LongLens/LongLens"; }
    QString settings_file() const { return home_ + "/config/LongLens/LongLens.conf"; }

    // Starts longlens with its settings, data and caches under the temporary home.
    void start(QProcess& p, const QStringList& args) const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_CONFIG_HOME", home_ + "/config");
        env.insert("XDG_DATA_HOME", home_ + "/data");
        env.insert("XDG_CACHE_HOME", home_ + "/cache");
        env.insert("QT_QPA_PLATFORM", "offscreen");
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::SeparateChannels);
        p.start(QStringLiteral(LONGLENS_GUI_BINARY), args);
        p.waitForStarted();  // so that state() says Running, not Starting
    }

  private:
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

// The conversation file must be one whole JSON document, not a torn write.
void verify_valid_json(const QString& path) {
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(doc.object().contains("exchanges"));
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
        const ConversationStore store(app.data_dir() + "/conversations");

        // First run: the earlier conversation, answered and saved.
        QProcess first;
        app.start(first, {"--open", novel, "--model", lltest::kRefMini, "--ask", kEarlier,
                          "--quit-when-done"});
        QVERIFY(first.waitForFinished(kRunMs));
        QVERIFY2(first.exitStatus() == QProcess::NormalExit && first.exitCode() == 0,
                 first.readAllStandardError().constData());
        const QList<Exchange> before = store.load(novel);
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

        verify_valid_json(store.file_for(novel));
        if (QTest::currentTestFailed()) return;
        verify_after_kill(store.load(novel), before.first());
        if (QTest::currentTestFailed()) return;

        // Third run: starts from what the killed one left (library, last document, model).
        QProcess third;
        app.start(third, {"--quit-when-done"});
        QVERIFY(third.waitForFinished(kRunMs));
        QVERIFY2(third.exitStatus() == QProcess::NormalExit && third.exitCode() == 0,
                 third.readAllStandardError().constData());
        verify_valid_json(store.file_for(novel));
        verify_after_kill(store.load(novel), before.first());
        verify_library(app.settings_file(), novel);
    }

  private:
    // The earlier exchange exactly as it was; the interrupted question kept too.
    void verify_after_kill(const QList<Exchange>& after, const Exchange& earlier) {
        QCOMPARE(after.size(), 2);
        QCOMPARE(after[0].question, earlier.question);
        QCOMPARE(after[0].answer, earlier.answer);
        QCOMPARE(after[0].citations.size(), earlier.citations.size());
        QVERIFY(after[0].complete);
        QCOMPARE(after[1].question, kInterrupted);
    }

    void verify_library(const QString& file, const QString& document) {
        QSettings settings(file, QSettings::IniFormat);
        QCOMPARE(settings.status(), QSettings::NoError);
        const int n = settings.beginReadArray("library");
        QStringList paths;
        for (int i = 0; i < n; ++i) {
            settings.setArrayIndex(i);
            paths << settings.value("path").toString();
        }
        settings.endArray();
        QVERIFY2(paths.contains(document), qPrintable(paths.join(", ")));
    }
};

QTEST_GUILESS_MAIN(KillMidAnswerTest)
#include "test_kill_mid_answer.moc"
