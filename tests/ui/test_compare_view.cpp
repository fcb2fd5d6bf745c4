// The Compare view driven as a user drives it, on the bundled model and sample: two runs
// (YaRN x8 from the model's config against no scaling, both reading the whole 2,100-token
// story), four runs from the scaling preset, a cancel during run 2, and a run that fails.
#include <QComboBox>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "bundled.h"
#include "compare/compare_panel.h"
#include "compare/run_column.h"
#include "compare_session.h"
#include "document_view.h"
#include "main_window.h"
#include "model_service.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

constexpr int kTimeout = 300000;

struct Window {
    MainWindow w;
    ComparePanel* panel = nullptr;

    Window() {
        w.resize(1400, 900);
        w.show();
        w.import_files({bundled::sample_document()});
        w.load_model(bundled::model_dir());
        panel = w.compare_panel();
        w.raise_panel("compare");
    }
    bool ready() { return w.document() && w.model_service()->has_model(); }

    void set_runs(const QStringList& specs) {
        panel->run_count_box()->setValue(int(specs.size()));
        for (int i = 0; i < specs.size(); ++i) panel->spec_box(i)->setText(specs[i]);
    }
    // Starts the comparison and waits for its end.
    bool compare() {
        QSignalSpy finished(panel->compare_session(), &CompareSession::finished);
        panel->compare_button()->click();
        return finished.wait(kTimeout) || !finished.isEmpty();
    }
    const CompareColumn& column(int i) { return panel->compare_session()->columns()[i]; }
};

}  // namespace

class CompareViewTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { lltest::isolate_settings(); }

    void two_runs_yarn_finds_the_code_and_no_scaling_does_not() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.panel->question_box()->setText(bundled::example_question());
        t.set_runs({"context=full", "scaling=none;context=full;window=4096"});
        QVERIFY(t.compare());

        QCOMPARE(t.column(0).status, QString("done"));
        QCOMPARE(t.column(1).status, QString("done"));
        QVERIFY2(t.panel->column(0)->answer_text().contains("73518"),
                 qPrintable(t.panel->column(0)->answer_text()));
        QVERIFY2(!t.panel->column(1)->answer_text().contains("73518"),
                 qPrintable(t.panel->column(1)->answer_text()));
        // Run 1 cites the sentence with the code; its chips are in its column.
        const QString text = t.w.document()->text;
        const qsizetype code = text.indexOf("The code for the cellar is 73518");
        bool cites_code = false;
        for (const CompareCitation& c : t.column(0).citations)
            cites_code |= c.start <= code && code < c.end;
        QVERIFY(cites_code);
        QCOMPARE(t.panel->column(0)->citation_count(), int(t.column(0).citations.size()));
        QVERIFY2(t.panel->column(0)->numbers_text().contains("first token"),
                 qPrintable(t.panel->column(0)->numbers_text()));
        QVERIFY(t.panel->column(0)->numbers_text().contains("document cache"));
        QVERIFY(t.panel->column(0)->numbers_text().contains("Context: full"));
        // Both runs' citations are marked on the document in their colours.
        QVERIFY(t.w.document_view()->coloured_range_count() >=
                int(t.column(0).citations.size() + t.column(1).citations.size()));
        QVERIFY2(t.panel->message_text().contains("saved in the library"),
                 qPrintable(t.panel->message_text()));
        QVERIFY2(t.panel->diff_text().contains("1 → 2"), qPrintable(t.panel->diff_text()));

        // Exported as the view shows it; a name it cannot tell the format of is refused.
        QTemporaryDir dir;
        for (const QString name : {"c.html", "c.md", "c.json"}) {
            QVERIFY2(t.panel->export_to(dir.filePath(name)), qPrintable(t.panel->message_text()));
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(f.readAll());
            QVERIFY2(text.contains("73518") && text.contains("scaling=none"), qPrintable(name));
        }
        QVERIFY(!t.panel->export_to(dir.filePath("c.txt")));
        QVERIFY2(t.panel->message_text().contains(".md, .html or .json"),
                 qPrintable(t.panel->message_text()));
    }

    // What was compared is kept with the document: a new window lists it and shows it again,
    // question, runs and answers, ready to run again.
    void an_earlier_comparison_opens_again() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        QComboBox* earlier = t.panel->earlier_box();
        QVERIFY2(earlier->count() >= 2, qPrintable(earlier->itemText(0)));
        t.panel->open_earlier(1);
        QVERIFY(!t.panel->question_box()->text().isEmpty());
        QVERIFY(t.panel->compare_session()->columns().size() >= 2);
        for (int i = 0; i < t.panel->compare_session()->columns().size(); ++i) {
            QCOMPARE(t.panel->spec_box(i)->text(), t.panel->compare_session()->specs()[i]);
            QCOMPARE(t.panel->column(i)->answer_text(), t.column(i).answer);
        }
        QVERIFY(t.panel->export_button()->isEnabled());
        QVERIFY(t.compare());  // and it runs again
        QVERIFY(t.column(0).status == "done" || t.column(0).status == "failed");
    }

    void four_runs_from_the_scaling_preset() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.panel->question_box()->setText(bundled::example_question());
        t.panel->apply_preset(0);
        QCOMPARE(t.panel->run_count_box()->value(), 4);
        QStringList methods;
        for (int i = 0; i < 4; ++i) methods << t.panel->spec_box(i)->text();
        QVERIFY2(methods.join('|').contains("scaling=none") &&
                     methods.join('|').contains("scaling=yarn"),
                 qPrintable(methods.join(" | ")));
        QVERIFY(t.compare());
        for (int i = 0; i < 4; ++i) {
            QVERIFY2(t.column(i).status == "done", qPrintable(t.panel->column(i)->status_text()));
            QVERIFY(!t.panel->column(i)->numbers_text().isEmpty());
        }
        if (const QString dir = qEnvironmentVariable("LONGLENS_SCREENSHOT_DIR"); !dir.isEmpty())
            t.w.grab().save(dir + "/compare-four-scalings.png");
    }

    void cancel_during_run_two_keeps_run_one() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.panel->question_box()->setText(bundled::example_question());
        // Run 2 reads the document anew (another KV type: no cached prefix to load).
        t.set_runs({"", "kv=f32;context=full", "kv=q8_0"});
        CompareSession* session = t.panel->compare_session();
        connect(session, &CompareSession::column_changed, this, [session](int run) {
            if (run == 1 && session->columns()[1].status != "waiting") session->cancel();
        });
        QVERIFY(t.compare());
        QCOMPARE(t.column(0).status, QString("done"));
        QVERIFY(!t.panel->column(0)->answer_text().trimmed().isEmpty());
        QCOMPARE(t.column(1).status, QString("cancelled"));
        QCOMPARE(t.column(2).status, QString("cancelled"));
        QVERIFY(t.panel->compare_button()->isEnabled());
        QVERIFY(!t.panel->cancel_button()->isEnabled());
    }

    void a_failed_run_shows_its_error_and_the_next_answers() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.panel->question_box()->setText(bundled::example_question());
        t.set_runs({"model=/nonexistent/model.gguf", ""});
        QVERIFY(t.compare());
        QCOMPARE(t.column(0).status, QString("failed"));
        QVERIFY2(t.panel->column(0)->status_text().contains("/nonexistent/model.gguf"),
                 qPrintable(t.panel->column(0)->status_text()));
        QCOMPARE(t.column(1).status, QString("done"));
        QVERIFY(t.panel->column(1)->answer_text().contains("73518"));
    }

    void bad_runs_are_refused_before_anything_runs() {
        Window t;
        QTRY_VERIFY_WITH_TIMEOUT(t.ready(), 120000);
        t.panel->question_box()->setText(bundled::example_question());
        t.set_runs({"", "kv=q4_0"});
        t.panel->compare_button()->click();
        QVERIFY(!t.panel->compare_session()->running());
        QVERIFY2(t.panel->message_text().contains("run 2 (kv)"), qPrintable(t.panel->message_text()));
    }
};

QTEST_MAIN(CompareViewTest)
#include "test_compare_view.moc"
