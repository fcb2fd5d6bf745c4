// Two papers compared in the review panel (issue 19 point 3), driven offscreen on ref-mini:
// YaRN (the open paper, A) against Attention Is All You Need (B), each chip landing in its
// own paper. Its own program: the panel's other tests are in test_review_view.
#include <QDockWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "bundled.h"
#include "citation_chip.h"
#include "document_view.h"
#include "library_store.h"
#include "main_window.h"
#include "model_service.h"
#include "outline_panel.h"
#include "review/review_panel.h"
#include "review/review_part_view.h"
#include "review_session.h"
#include "review_test_window.h"
#include "ui_test_support.h"

using namespace ll;

using lltest::kAttention;
using lltest::kYarn;
using Window = lltest::ReviewWindow;

class ReviewCompareTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        lltest::isolate_settings();
        if (!QFileInfo::exists(kYarn) || !QFileInfo::exists(kAttention) ||
            !QFileInfo::exists(lltest::kRefMini))
            QSKIP("the two papers or ref-mini is not in ../shared");
    }

    // Two papers compared (issue 19 point 3): each aspect for A and for B, each side's chips
    // citing its own paper; a chip of B opens B and lights its span, one of A brings A back,
    // and the comparison stays on show throughout; exported as Markdown, HTML and two PDFs.
    void compare_two_papers_each_chip_lands_in_its_own_paper() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.w.compare_papers(kAttention, {"compare_problem"});
        QVERIFY(t.wait());
        const Review& r = t.review();
        QVERIFY(r.comparison());
        QCOMPARE(t.panel->part_count(), 2);
        QVERIFY(r.documents[1].title.contains("Attention"));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(r.parts[i].side, i);
            QVERIFY2(r.parts[i].status == PartStatus::Done, qPrintable(r.parts[i].error));
            QVERIFY(!t.panel->part_view(i)->chips().isEmpty());
            QCOMPARE(t.panel->part_view(i)->chips().size(), r.parts[i].citations.size());
            QVERIFY(t.panel->part_view(i)->chips().first()->text().contains(i ? "B:" : "A:"));
        }
        CitationChip* b = t.panel->part_view(1)->chips().first();
        const AnswerCitation cb = b->citation();
        QTest::mouseClick(b, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(lltest::is_open(t.w, kAttention), 120000);
        QCOMPARE(t.w.document()->text.mid(cb.start, cb.end - cb.start).simplified(),
                 cb.text.simplified());
        QTRY_VERIFY(t.w.document_view()->range_is_visible(cb.start, cb.end));
        QVERIFY(t.review().comparison());  // still on show, the same views
        QCOMPARE(t.panel->part_count(), 2);

        CitationChip* a = t.panel->part_view(0)->chips().first();
        const AnswerCitation ca = a->citation();
        QTest::mouseClick(a, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(lltest::is_open(t.w, kYarn), 120000);
        QCOMPARE(t.w.document()->text.mid(ca.start, ca.end - ca.start).simplified(),
                 ca.text.simplified());
        QTRY_VERIFY(t.w.document_view()->range_is_visible(ca.start, ca.end));

        QTemporaryDir dir;
        QVERIFY(t.panel->export_button()->isEnabled());
        for (const char* name : {"c.md", "c.html", "c.pdf"})
            QVERIFY2(t.panel->export_to(dir.filePath(name)), qPrintable(t.panel->message_text()));
        for (const char* name : {"c.md", "c.html", "c-A.pdf", "c-B.pdf"})
            QVERIFY2(QFileInfo(dir.filePath(name)).size() > 100, name);
    }
};

QTEST_MAIN(ReviewCompareTest)
#include "test_review_compare.moc"
