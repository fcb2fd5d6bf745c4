// What the answer card says about its grounding (issue 18): a thin context is shown as a
// warning on the card and kept with the answer; a context that is not thin shows none; the
// chips name the units they cite, never the same label twice.
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QtTest>

#include "answer_card.h"
#include "answer_panel.h"
#include "bundled.h"
#include "citation_chip.h"
#include "main_window.h"
#include "model_service.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

// Each helper fails the test through QVERIFY; the caller returns when it did.
void ask_and_wait(MainWindow& w, const QString& question) {
    QSignalSpy finished(&w, &MainWindow::answer_finished);
    w.answer_panel()->set_question(question);
    QTest::keyClick(w.answer_panel()->findChild<QPlainTextEdit*>(), Qt::Key_Return,
                    Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 180000);
}

void load_and_wait(MainWindow& w, const QString& model) {
    QSignalSpy loaded(w.model_service(), &ModelService::loaded);
    w.load_model(model);
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 60000);
}

QStringList labels_of(const AnswerCard& card) {
    QStringList labels;
    for (const CitationChip* chip : card.chips()) labels << chip->citation().label;
    return labels;
}

bool distinct(QStringList labels) {
    const qsizetype n = labels.size();
    labels.removeDuplicates();
    return labels.size() == n;
}

}  // namespace

class GroundingViewTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { lltest::isolate_settings(); }

    void thin_context_warning() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.import_files({lltest::kCivilCodePdf});
        QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.document()->path == lltest::kCivilCodePdf,
                                 120000);
        // ref-mini's 256-token window leaves room for a passage or two of the code.
        load_and_wait(w, lltest::kRefMini);
        if (QTest::currentTestFailed()) return;
        ask_and_wait(w, QStringLiteral("第一千零四十三条规定了什么？"));
        if (QTest::currentTestFailed()) return;
        AnswerCard* card = w.answer_panel()->last_card();
        QVERIFY(card);
        QVERIFY2(card->warning().contains(QStringLiteral("Thin context")),
                 qPrintable(card->warning()));
        QVERIFY(card->findChild<QLabel*>("context_warning")->isVisible());
        // The warning is kept with the answer.
        const AnswerRecord& stored = w.answer_panel()->conversation().answers.last();
        QVERIFY2(stored.note.contains(QStringLiteral("Thin context")), qPrintable(stored.note));
        // The article asked about is cited first, by its number.
        QVERIFY(!card->chips().isEmpty());
        const QString first = card->chips().first()->citation().label;
        QVERIFY2(first.startsWith(QStringLiteral("第一千零四十三条")), qPrintable(first));
        QVERIFY2(distinct(labels_of(*card)), qPrintable(labels_of(*card).join(" | ")));

        // The bundled model's 4096-token window holds the article and its neighbours: no
        // warning on that card.
        load_and_wait(w, bundled::model_dir());
        if (QTest::currentTestFailed()) return;
        ask_and_wait(w, QStringLiteral("第一千零四十三条规定了什么？"));
        if (QTest::currentTestFailed()) return;
        card = w.answer_panel()->last_card();
        QVERIFY(card);
        QVERIFY2(card->warning().isEmpty(), qPrintable(card->warning()));
        QVERIFY(!card->findChild<QLabel*>("context_warning")->isVisible());
        QVERIFY(!card->chips().isEmpty());
        QVERIFY2(distinct(labels_of(*card)), qPrintable(labels_of(*card).join(" | ")));
    }
};

QTEST_MAIN(GroundingViewTest)
#include "test_grounding_view.moc"
