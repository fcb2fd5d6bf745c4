// The review panel (issue 19) driven as a user drives it, offscreen, on ref-mini and the
// YaRN paper: Review Paper streams the parts in with their chips, a chip lights its span up
// on the page, Regenerate writes one part again, Cancel stops the part in progress and the
// ones waiting, and Export… writes Markdown, HTML and the annotated PDF; the panel is offered
// for papers only; a kept review comes back when the paper is opened again. Two papers
// compared: test_review_compare.
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

class ReviewViewTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        lltest::isolate_settings();
        if (!QFileInfo::exists(kYarn) || !QFileInfo::exists(lltest::kRefMini))
            QSKIP("the YaRN paper or ref-mini is not in ../shared");
    }

    void review_streams_parts_with_chips_regenerates_and_exports() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        // The outline lists the paper's 28 numbered sections, its 11 captions and 42
        // reference entries (with the two branches' own rows).
        QVERIFY2(t.w.outline()->entry_count() >= 28 + 11 + 42 + 2,
                 qPrintable(QString::number(t.w.outline()->entry_count())));
        QSignalSpy streamed(t.panel->session(), &ReviewSession::part_text);
        t.w.review_paper({"summary", "method"});
        QVERIFY(t.wait());
        QVERIFY(!streamed.isEmpty());  // the text came in pieces
        QCOMPARE(t.panel->part_count(), 2);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(t.review().parts[i].status, PartStatus::Done);
            QVERIFY(!t.panel->part_view(i)->text().isEmpty());
            QCOMPARE(t.panel->part_view(i)->chips().size(), t.review().parts[i].citations.size());
            QVERIFY(!t.panel->part_view(i)->chips().isEmpty());
        }
        // A chip shows its span on the page.
        CitationChip* chip = t.panel->part_view(1)->chips().first();
        const AnswerCitation c = chip->citation();
        t.w.document_view()->go_to(c.start < 1000 ? t.w.document()->text.size() - 1 : 0);
        QTRY_VERIFY(!t.w.document_view()->range_is_visible(c.start, c.end));
        QTest::mouseClick(chip, Qt::LeftButton);
        QTRY_VERIFY(t.w.document_view()->range_is_visible(c.start, c.end));

        // Regenerate the summary: it is written again, the method kept as it was.
        const QString method = t.review().parts[1].text;
        QSignalSpy changed(t.panel->session(), &ReviewSession::part_changed);
        QTest::mouseClick(t.panel->part_view(0)->regenerate_button(), Qt::LeftButton);
        QVERIFY(t.wait());
        QVERIFY(!changed.isEmpty());
        for (const QList<QVariant>& args : changed) QCOMPARE(args.at(0).toInt(), 0);
        QCOMPARE(t.review().parts[0].status, PartStatus::Done);
        QCOMPARE(t.review().parts[1].text, method);

        QTemporaryDir dir;
        QVERIFY(t.panel->export_button()->isEnabled());
        for (const char* name : {"r.md", "r.html", "r.pdf"}) {
            QVERIFY2(t.panel->export_to(dir.filePath(name)), qPrintable(t.panel->message_text()));
            QVERIFY(QFileInfo(dir.filePath(name)).size() > 100);
        }
        QVERIFY(!t.panel->export_to(dir.filePath("r.docx")));
        QVERIFY(t.panel->message_text().contains("r.docx"));
    }

    // Issue 19 point 2: the Review panel is offered for papers, not for a story; the menu
    // opens it for any document.
    void the_review_panel_is_offered_for_papers() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        auto* dock = w.findChild<QDockWidget*>("review");
        QVERIFY(dock);
        w.import_files({kYarn});
        QTRY_VERIFY_WITH_TIMEOUT(lltest::is_open(w, kYarn), 120000);
        QVERIFY(dock->toggleViewAction()->isChecked());
        const QString story = bundled::sample_document();
        if (story.isEmpty()) QSKIP("the bundled sample story is not found");
        w.import_files({story});
        QTRY_VERIFY_WITH_TIMEOUT(lltest::is_open(w, story), 120000);
        QVERIFY(!dock->toggleViewAction()->isChecked());
        w.review_paper({"summary"});  // Ask ▸ Review Paper…: no model, so it fails, shown
        QVERIFY(dock->toggleViewAction()->isChecked());
    }

    // Issue 19 point 4: a finished review is kept in the library and shown, with its chips,
    // when the paper is opened again in a new window.
    void a_kept_review_is_shown_when_the_paper_is_opened_again() {
        QString text;
        qint64 id = 0;
        {
            Window t;
            QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
            t.w.review_paper({"summary"});
            QVERIFY(t.wait());
            QCOMPARE(t.review().parts[0].status, PartStatus::Done);
            id = t.panel->session()->stored_id();
            QVERIFY(id > 0);
            text = t.review().parts[0].text;
        }
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.import_files({kYarn});
        QTRY_VERIFY_WITH_TIMEOUT(lltest::is_open(w, kYarn), 120000);
        ReviewPanel* panel = w.review_panel();
        QCOMPARE(panel->session()->stored_id(), id);
        QCOMPARE(panel->part_count(), 1);
        QCOMPARE(panel->part_view(0)->text(), text);
        QVERIFY(!panel->part_view(0)->chips().isEmpty());
        QVERIFY(panel->export_button()->isEnabled());
        const AnswerCitation c = panel->part_view(0)->chips().first()->citation();
        QTest::mouseClick(panel->part_view(0)->chips().first(), Qt::LeftButton);
        QTRY_VERIFY(w.document_view()->range_is_visible(c.start, c.end));
    }

    void without_a_model_every_part_says_why() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.import_files({kYarn});
        QTRY_VERIFY_WITH_TIMEOUT(w.document() != nullptr, 120000);
        QVERIFY(!w.model_service()->has_model());
        w.review_paper({"summary", "method"});
        const Review& r = w.review_panel()->session()->review();
        QCOMPARE(r.parts.size(), 2);
        for (const ReviewPart& p : r.parts) {
            QCOMPARE(p.status, PartStatus::Failed);
            QVERIFY(!p.error.isEmpty());
        }
        QVERIFY(!w.review_panel()->message_text().isEmpty());
        QVERIFY(w.review_panel()->review_button()->isEnabled());
        QVERIFY(w.review_panel()->part_view(0)->status_text().startsWith("failed"));
    }

    void a_new_review_replaces_one_in_progress() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.panel->session()->max_tokens = 48;
        connect(
            t.panel->session(), &ReviewSession::part_text, &t.w,
            [&t] { t.w.review_paper({"method"}); }, Qt::SingleShotConnection);
        t.w.review_paper();
        // The first review's part is cancelled, then the new review is written alone.
        QTRY_VERIFY_WITH_TIMEOUT(
            t.review().parts.size() == 1 && t.review().parts[0].status == PartStatus::Done,
            lltest::kTimeout);
        QCOMPARE(t.review().parts[0].id, QString("method"));
        QCOMPARE(t.panel->part_count(), 1);
        QVERIFY(!t.panel->part_view(0)->chips().isEmpty());
        QTRY_VERIFY(!t.panel->session()->running());
    }

    void cancel_stops_the_part_and_the_queue() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.panel->session()->max_tokens = 48;
        connect(t.panel->session(), &ReviewSession::part_text, t.panel->cancel_button(),
                &QPushButton::click, Qt::SingleShotConnection);
        t.w.review_paper();
        QVERIFY(t.wait());
        QCOMPARE(t.panel->part_count(), 9);
        QCOMPARE(t.review().parts[0].status, PartStatus::Cancelled);
        for (int i = 1; i < 9; ++i) {
            QCOMPARE(t.review().parts[i].status, PartStatus::Cancelled);
            QVERIFY(t.review().parts[i].text.isEmpty());
        }
        QVERIFY(t.panel->review_button()->isEnabled());
        QVERIFY(!t.panel->cancel_button()->isEnabled());
    }
};

QTEST_MAIN(ReviewViewTest)
#include "test_review_view.moc"
