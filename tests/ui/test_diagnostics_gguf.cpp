// Every Diagnostics view on a GGUF model and a PDF, in the dark theme: the tiny Llama 3
// model of tests/engine/data/arch (written by llama.cpp's converter) reading the YaRN
// paper. Positions, Attention (per page, with its strip beside the document), Perplexity
// and the Needle grid each run, and give the numbers of their CLI twins on the same files.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

#include <cmath>

#include "attention_strip.h"
#include "diagnostics/attention_panel.h"
#include "diagnostics/chart_view.h"
#include "diagnostics/diagnostics_panel.h"
#include "diagnostics/heatmap_view.h"
#include "diagnostics/needle_panel.h"
#include "diagnostics/perplexity_panel.h"
#include "diagnostics/positions_panel.h"
#include "diagnostics_views.h"
#include "document_view.h"
#include "main_window.h"
#include "model_service.h"
#include "theme.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

const QString kModel = QStringLiteral(LONGLENS_ARCH_DATA "/llama3/llama3.gguf");
const QString kPaper = lltest::shared("corpus/papers/yarn-2309.00071v2.pdf");

QJsonObject cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(LONGLENS_CLI_BINARY), args + QStringList{"--json", "--model", kModel});
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        qWarning() << p.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

}  // namespace

class DiagnosticsGgufTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        lltest::isolate_settings();
        apply_theme(Theme::Dark);
    }

    void every_view_runs_on_a_gguf_and_a_pdf() {
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        w.raise_panel("diagnostics");
        w.import_files({kPaper});
        w.load_model(kModel);
        QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.model_service()->has_model(), 120000);
        QVERIFY(w.document()->page_count > 1);
        DiagnosticsPanel* d = w.diagnostics_panel();

        // Positions: the model's rope (Llama 3's own scaling) against the others.
        d->setCurrentWidget(d->positions());
        QTRY_VERIFY(!d->positions()->chart_view()->chart().series.empty());

        // Attention: per page, the strip beside the document one cell per page.
        AttentionPanel* attention = d->attention();
        d->setCurrentWidget(attention);
        QSignalSpy answered(&w, &MainWindow::answer_finished);
        const QString question = "What does YaRN extend?";
        w.ask(question);
        QTRY_VERIFY_WITH_TIMEOUT(!answered.isEmpty(), 300000);
        QTRY_VERIFY(attention->report() != nullptr);
        const Chart along = attention->along_view()->chart();
        QCOMPARE(along.x_label, QString("page"));
        QCOMPARE(qsizetype(along.series[0].y.size()), qsizetype(w.document()->page_count));
        AttentionStripView* strip = w.document_view()->attention_strip();
        QVERIFY(strip->isVisible());
        QVERIFY(strip->strip().pages);
        QCOMPARE(strip->strip().values.size(), qsizetype(w.document()->page_count));
        const QJsonObject a =
            cli({"diagnose", "attention", "--doc", kPaper, "--question", question, "-n", "128"});
        const QJsonArray pages = a["by_page"].toArray();
        QCOMPARE(pages.size(), qsizetype(w.document()->page_count));
        for (qsizetype i = 0; i < pages.size(); ++i)
            QVERIFY2(std::abs(along.series[0].y[i] - pages[i].toDouble()) <
                         1e-5 + 1e-4 * pages[i].toDouble(),
                     qPrintable(QString("page %1: %2 vs %3")
                                    .arg(i + 1)
                                    .arg(along.series[0].y[i])
                                    .arg(pages[i].toDouble())));
        QVERIFY(attention->select(0, 1));
        QCOMPARE(attention->along_view()->chart().series.size(), size_t(1));
        if (const QString dir = qEnvironmentVariable("LONGLENS_SCREENSHOT_DIR"); !dir.isEmpty())
            w.grab().save(dir + "/diagnostics-gguf-pdf-dark.png");

        // Perplexity along the paper's first 384 tokens: the CLI's chunks.
        PerplexityPanel* ppl = d->perplexity();
        d->setCurrentWidget(ppl);
        QSignalSpy ppl_done(ppl->jobs(), &PerplexityJobs::finished);
        ppl->limit_box()->setValue(384);
        ppl->run_button()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!ppl_done.isEmpty(), 300000);
        const ChartSeries& s = ppl->chart_view()->chart().series.at(0);
        const QJsonArray chunks =
            cli({"diagnose", "perplexity", "--doc", kPaper, "--limit", "384"})["runs"]
                .toArray()[0]
                .toObject()["chunks"]
                .toArray();
        std::vector<double> y;
        for (double v : s.y)
            if (!std::isnan(v)) y.push_back(v);
        QCOMPARE(qsizetype(y.size()), chunks.size());
        for (qsizetype k = 0; k < chunks.size(); ++k)
            QVERIFY(std::abs(std::log(y[k]) - std::log(chunks[k].toObject()["ppl"].toDouble())) <
                    1e-4);

        // Needle grid: one cell, the CLI's outcome.
        NeedlePanel* needle = d->needle();
        d->setCurrentWidget(needle);
        QSignalSpy grid_done(needle->jobs(), &NeedleGridJobs::finished);
        needle->depths_edit()->setText("0.5");
        needle->lengths_edit()->setText("256");
        needle->run_button()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!grid_done.isEmpty(), 300000);
        const Heatmap map = needle->heatmap_view()->heatmap();
        QCOMPARE(map.done(), 1);
        const QJsonObject cell = cli({"diagnose", "needle-grid", "--doc", kPaper, "--depths", "0.5",
                                      "--lengths", "256"})["runs"]
                                     .toArray()[0]
                                     .toObject()["cells"]
                                     .toArray()[0]
                                     .toObject();
        QCOMPARE(QString(to_string(map.at(0, 0, 0).outcome)), cell["outcome"].toString());
        QVERIFY(!w.model_service()->busy());
    }
};

QTEST_MAIN(DiagnosticsGgufTest)
#include "test_diagnostics_gguf.moc"
