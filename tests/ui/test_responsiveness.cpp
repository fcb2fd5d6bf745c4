// The window keeps processing events during a long prefill, shows tokens, tokens/s and ETA,
// and cancel stops the job leaving a consistent, saved conversation.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include "answer_card.h"
#include "answer_panel.h"
#include "document_view.h"
#include "job_status.h"
#include "library_store.h"
#include "main_window.h"
#include "model_service.h"
#include "ui_test_support.h"

using namespace ll;

class ResponsivenessTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { lltest::isolate_settings(); }

    void stays_responsive_during_prefill_and_cancels() {
        // YaRN x16 opens a 4096-token window, so the prompt takes many prefill chunks.
        QSettings().setValue("model/scaling", "yarn:factor=16");
        MainWindow w;
        w.show();
        w.import_files({lltest::kNovelGbk});
        w.load_model(lltest::kRefMini);
        QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.model_service()->has_model(), 120000);
        QCOMPARE(w.model_service()->summary().usable_window(), 4096);

        // A 10 ms timer on the GUI thread: the largest gap between its ticks is how long
        // the event loop was blocked.
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worst_gap = 0;
        int ticks = 0;
        QTimer probe;
        probe.setInterval(10);
        connect(&probe, &QTimer::timeout, [&] {
            worst_gap = std::max(worst_gap, clock.elapsed() - last);
            last = clock.elapsed();
            ++ticks;
        });
        QSignalSpy progress(w.answerer(), &QuestionAnswerer::prefill_progress);
        QSignalSpy finished(&w, &MainWindow::answer_finished);
        w.ask(QStringLiteral("孙悟空是谁？"));
        probe.start();
        last = clock.elapsed();
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 3 || !finished.isEmpty(), 120000);
        QVERIFY2(finished.isEmpty(), "the prefill ended before it could be observed");
        const QString status = w.job_status()->text();
        QVERIFY2(status.contains("tok/s") && status.contains("ETA"), qPrintable(status));
        QVERIFY(w.job_status()->percent() > 0);

        // Cancel through the status bar's button.
        QTest::mouseClick(w.job_status()->findChild<QToolButton*>(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 60000);
        probe.stop();
        QVERIFY(ticks > 5);
        QVERIFY2(worst_gap < 500, qPrintable(QString("event loop blocked %1 ms").arg(worst_gap)));
        const qint64 total = progress.last().at(1).toLongLong();
        QVERIFY(progress.last().at(0).toLongLong() < total);  // it really stopped early

        // The conversation on disk has the question, marked as not complete.
        LibraryStore store(default_library_file());
        const auto doc = store.find(lltest::kNovelGbk);
        QVERIFY(doc);
        const QList<AnswerRecord> saved = store.conversation(doc->id).answers;
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().question, QStringLiteral("孙悟空是谁？"));
        QVERIFY(!saved.first().complete);
        QVERIFY(!w.answer_panel()->answering());
        QSettings().remove("model/scaling");
    }
};

QTEST_MAIN(ResponsivenessTest)
#include "test_responsiveness.moc"
