// The Diagnostics dock's Positions view, driven as a user drives it: it follows the loaded
// model and the context the reader picks, shows the same numbers as its CLI twin
// (`longlens-cli diagnose positions --json`), and exports what it shows.
#include <QCheckBox>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "answer_card.h"
#include "answer_panel.h"
#include "attention_strip.h"
#include "bundled.h"
#include "diagnostics/attention_panel.h"
#include "diagnostics/chart_view.h"
#include "diagnostics/diagnostics_panel.h"
#include "diagnostics/heatmap_view.h"
#include "diagnostics/needle_panel.h"
#include "diagnostics/perplexity_panel.h"
#include "diagnostics/positions_panel.h"
#include "diagnostics/token_map_view.h"
#include "diagnostics_views.h"
#include "document_view.h"
#include "main_window.h"
#include "model_service.h"
#include "ui_test_support.h"

using namespace ll;

namespace {

// The CLI's report for the bundled model at `ctx` tokens.
QJsonObject cli_positions(int ctx) {
    QProcess p;
    p.start(QStringLiteral(LONGLENS_CLI_BINARY),
            {"diagnose", "positions", "--json", "--ctx", QString::number(ctx)});
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning() << p.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

QJsonObject cli_perplexity(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(LONGLENS_CLI_BINARY),
            QStringList{"diagnose", "perplexity", "--json"} + args);
    if (!p.waitForFinished(300000) || p.exitCode() != 0) {
        qWarning() << p.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

// The y values of a series without the NaN breaks between windows.
std::vector<double> drawn(const ChartSeries& s) {
    std::vector<double> out;
    for (double y : s.y)
        if (!std::isnan(y)) out.push_back(y);
    return out;
}

const QString kJourney = lltest::shared("corpus/novels/journey-to-the-west-ch01-07.utf8.txt");

// The chart's series against the CLI's overlay: the same methods, the same wavelengths.
void expect_same_curves(const Chart& chart, const QJsonObject& cli) {
    const QJsonArray overlay = cli["overlay"].toArray();
    QCOMPARE(qsizetype(chart.series.size()), overlay.size());
    for (qsizetype i = 0; i < overlay.size(); ++i) {
        const QJsonObject m = overlay[i].toObject();
        const ChartSeries& s = chart.series[i];
        QVERIFY2(s.label.startsWith(m["method"].toString()), qPrintable(s.label));
        QCOMPARE(s.emphasised, m["effective"].toBool());
        const QJsonArray w = m["wavelength"].toArray();
        QCOMPARE(qsizetype(s.y.size()), w.size());
        for (qsizetype k = 0; k < w.size(); ++k)
            QVERIFY2(qFuzzyCompare(s.y[k], w[k].toDouble()),
                     qPrintable(QString("%1 pair %2: %3 vs %4")
                                    .arg(s.label)
                                    .arg(k)
                                    .arg(s.y[k])
                                    .arg(w[k].toDouble())));
    }
}

}  // namespace

class DiagnosticsTest : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() { lltest::isolate_settings(); }

    void without_a_model_it_says_what_to_do() {
        ModelService service;
        PositionsPanel panel(&service);
        QVERIFY(panel.chart_view()->chart().series.empty());
        QVERIFY2(panel.facts_text().contains("Load a model"), qPrintable(panel.facts_text()));
    }

    void positions_follow_the_model_and_match_the_cli() {
        MainWindow w;
        w.show();
        w.raise_panel("diagnostics");
        w.load_model(bundled::model_dir());
        QTRY_VERIFY_WITH_TIMEOUT(w.model_service()->has_model(), 120000);
        PositionsPanel* panel = w.diagnostics_panel()->positions();
        QVERIFY(panel->isVisible());

        // At the effective window of the bundled model's YaRN x8: 4096 tokens.
        const Chart& chart = panel->chart_view()->chart();
        QVERIFY2(chart.title.contains("4096 tokens"), qPrintable(chart.title));
        expect_same_curves(chart, cli_positions(4096));
        QVERIFY2(panel->facts_text().contains("In force: yarn:factor=8"),
                 qPrintable(panel->facts_text()));
        QVERIFY(panel->facts_text().contains("Trained window 512 · context 4096 tokens"));

        // A longer context: every method is recomputed with its factor for that length.
        panel->context_box()->setValue(16384);
        QVERIFY2(panel->chart_view()->chart().title.contains("16384 tokens"),
                 qPrintable(panel->chart_view()->chart().title));
        expect_same_curves(panel->chart_view()->chart(), cli_positions(16384));

        // A change of scaling in the model panel shows at once.
        w.model_service()->set_scaling("linear:factor=4");
        QVERIFY2(panel->facts_text().contains("In force: linear:factor=4"),
                 qPrintable(panel->facts_text()));
        w.model_service()->set_scaling("");
    }

    void perplexity_matches_the_cli_and_cancels();
    void attention_follows_the_answer_and_matches_the_cli();
    void needle_grid_matches_the_cli_and_cancels();

    void exports_svg_png_and_csv() {
        MainWindow w;
        w.show();
        w.raise_panel("diagnostics");
        w.load_model(bundled::model_dir());
        QTRY_VERIFY_WITH_TIMEOUT(w.model_service()->has_model(), 120000);
        PositionsPanel* panel = w.diagnostics_panel()->positions();
        QTemporaryDir dir;
        QString error;

        QVERIFY2(panel->export_to(dir.filePath("p.svg"), &error), qPrintable(error));
        QFile svg(dir.filePath("p.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray text = svg.readAll();
        QVERIFY(text.startsWith("<svg"));
        QCOMPARE(text.count("<path"), qsizetype(panel->chart_view()->chart().series.size()));

        QVERIFY2(panel->export_to(dir.filePath("p.csv"), &error), qPrintable(error));
        QFile csv(dir.filePath("p.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        qsizetype points = 0;
        for (const ChartSeries& s : panel->chart_view()->chart().series) points += s.y.size();
        QCOMPARE(csv.readAll().count('\n'), points + 1);

        QVERIFY2(panel->export_to(dir.filePath("p.png"), &error), qPrintable(error));
        QVERIFY(!QImage(dir.filePath("p.png")).isNull());

        QVERIFY(!panel->export_to(dir.filePath("p.gif"), &error));
        QVERIFY2(error.contains(".svg, .png or .csv"), qPrintable(error));
    }
};

// After an answer, the Attention tab shows where it looked: the same profile as
// `diagnose attention` (the answer generated the same way), and a click goes there.
void DiagnosticsTest::attention_follows_the_answer_and_matches_the_cli() {
    MainWindow w;
    w.resize(1400, 900);
    w.show();
    w.raise_panel("diagnostics");
    w.import_files({bundled::sample_document()});
    w.load_model(bundled::model_dir());
    QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.model_service()->has_model(), 120000);
    AttentionPanel* panel = w.diagnostics_panel()->attention();
    w.diagnostics_panel()->setCurrentWidget(panel);
    QSignalSpy finished(&w, &MainWindow::answer_finished);
    w.ask(bundled::example_question());
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
    QTRY_VERIFY(!panel->along_view()->chart().series.empty());
    const Chart& along = panel->along_view()->chart();
    QVERIFY2(panel->summary_text().contains("% of their attention on the document"),
             qPrintable(panel->summary_text()));

    QProcess p;
    p.start(QStringLiteral(LONGLENS_CLI_BINARY),
            {"diagnose", "attention", "--doc", bundled::sample_document(), "--question",
             bundled::example_question(), "--json", "-n", "128"});
    QVERIFY(p.waitForFinished(120000));
    const QJsonObject cli = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const QJsonArray raw = cli["raw"].toArray();
    QCOMPARE(qsizetype(along.series[0].y.size()), raw.size());
    for (qsizetype b = 0; b < raw.size(); ++b)
        QVERIFY2(
            std::abs(along.series[0].y[b] - raw[b].toDouble()) < 1e-5 + 1e-4 * raw[b].toDouble(),
            qPrintable(QString("bin %1: %2 vs %3")
                           .arg(b)
                           .arg(along.series[0].y[b])
                           .arg(raw[b].toDouble())));
    if (const QString dir = qEnvironmentVariable("LONGLENS_SCREENSHOT_DIR"); !dir.isEmpty())
        w.grab().save(dir + "/diagnostics-attention.png");

    // A click on the chart goes to that part of the document.
    QSignalSpy go(panel, &AttentionPanel::go_to);
    ChartView* view = panel->along_view();
    QTest::mouseClick(view, Qt::LeftButton, {}, QPoint(view->width() / 3, view->height() / 2));
    QCOMPARE(go.size(), 1);
    QVERIFY(go[0][0].value<qsizetype>() > 0);

    // The strip beside the document shows the same answer; a click on it scrolls there.
    AttentionStripView* strip = w.document_view()->attention_strip();
    QVERIFY(strip->isVisible());
    QCOMPARE(strip->strip().values.size(), raw.size());
    QCOMPARE(strip->strip().cited.size(), cli["citations"].toArray().size());
    double hottest = 0;
    for (double v : strip->strip().values) hottest = std::max(hottest, v);
    QCOMPARE(hottest, 1.0);
    QSignalSpy strip_click(strip, &AttentionStripView::clicked);
    QTest::mouseClick(strip, Qt::LeftButton, {}, QPoint(7, strip->height() * 3 / 4));
    QCOMPARE(strip_click.size(), 1);
    const double chars = double(w.document()->text.size());
    QVERIFY(std::abs(strip_click[0][0].value<qsizetype>() / chars - 0.75) < 0.02);

    // Each answer token against the passages it looked at most: the CLI's numbers.
    const TokenMap& map = panel->token_view()->map();
    const QJsonObject tokens = cli["tokens"].toObject();
    QCOMPARE(map.row_count(), tokens["rows"].toArray().size());
    QVERIFY(map.row_count() > 0 && map.column_count() > 0);
    const QJsonArray weights = tokens["weights"].toArray();
    QCOMPARE(map.values.size(), weights.size());
    for (qsizetype i = 0; i < weights.size(); ++i)
        QVERIFY(std::abs(map.values[i] - weights[i].toDouble()) < 1e-5);

    // One layer and one head, chosen here, are what the CLI captures with that layer and
    // head alone; the strip follows the choice.
    const QList<int> layers = panel->report()->layers();
    QVERIFY(layers.size() >= 2 && panel->report()->heads() >= 3);
    QVERIFY(panel->select(1, 2));
    QVERIFY2(panel->summary_text().contains(QString("layer %1, head 2").arg(layers[1])),
             qPrintable(panel->summary_text()));
    QCOMPARE(qsizetype(panel->along_view()->chart().series.size()), qsizetype(1));
    p.start(QStringLiteral(LONGLENS_CLI_BINARY),
            {"diagnose", "attention", "--doc", bundled::sample_document(), "--question",
             bundled::example_question(), "--json", "-n", "128", "--attention-layers",
             QString::number(layers[1]), "--heads", "2"});
    QVERIFY(p.waitForFinished(120000));
    const QJsonArray one =
        QJsonDocument::fromJson(p.readAllStandardOutput()).object()["raw"].toArray();
    const Chart& chosen = panel->along_view()->chart();
    QCOMPARE(qsizetype(chosen.series[0].y.size()), one.size());
    double differs_from_all = 0;
    for (qsizetype b = 0; b < one.size(); ++b) {
        QVERIFY2(
            std::abs(chosen.series[0].y[b] - one[b].toDouble()) < 1e-5 + 1e-4 * one[b].toDouble(),
            qPrintable(QString("bin %1: %2 vs %3")
                           .arg(b)
                           .arg(chosen.series[0].y[b])
                           .arg(one[b].toDouble())));
        differs_from_all += std::abs(one[b].toDouble() - raw[b].toDouble());
    }
    QVERIFY(differs_from_all > 1e-3);
    QTemporaryDir dir;
    QVERIFY(panel->export_to(dir.filePath("a.json")));
    QFile json(dir.filePath("a.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(json.readAll()).object()["raw"].toArray().size(), one.size());
    QVERIFY(panel->export_to(dir.filePath("a.svg")));
    QVERIFY(!panel->select(layers.size(), 0));
    if (const QString shots = qEnvironmentVariable("LONGLENS_SCREENSHOT_DIR"); !shots.isEmpty()) {
        w.grab().save(shots + "/diagnostics-attention-head.png");
        panel->findChild<QTabWidget*>()->setCurrentIndex(1);
        w.grab().save(shots + "/diagnostics-attention-tokens.png");
        panel->findChild<QTabWidget*>()->setCurrentIndex(0);
    }

    // A second question: the depth curve shows the conversation's mean beside this answer's.
    QVERIFY(panel->select(-1, -1));
    finished.clear();
    w.ask("Who keeps the notebook?");
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
    QTRY_COMPARE(qsizetype(panel->depth_view()->chart().series.size()), qsizetype(2));
    QVERIFY(panel->depth_view()->chart().series[1].label.contains("mean of 2 answers"));
}

void DiagnosticsTest::perplexity_matches_the_cli_and_cancels() {
    MainWindow w;
    w.show();
    w.raise_panel("diagnostics");
    w.import_files({kJourney});
    w.load_model(bundled::model_dir());
    QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.model_service()->has_model(), 120000);
    PerplexityPanel* panel = w.diagnostics_panel()->perplexity();
    w.diagnostics_panel()->setCurrentWidget(panel);
    w.resize(1400, 900);
    QSignalSpy finished(panel->jobs(), &PerplexityJobs::finished);

    // The first 2047 tokens, beside no scaling: the numbers of diagnose perplexity.
    panel->limit_box()->setValue(2047);
    panel->beside_none_box()->setChecked(true);
    panel->run_button()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 300000);
    const Chart chart = panel->chart_view()->chart();
    QCOMPARE(chart.series.size(), size_t(2));
    const QJsonObject cli =
        cli_perplexity({"--doc", kJourney, "--limit", "2047", "--compare-scaling", "none"});
    const QJsonArray runs = cli["runs"].toArray();
    QCOMPARE(runs.size(), qsizetype(2));
    for (int r = 0; r < 2; ++r) {
        const QJsonArray chunks = runs[r].toObject()["chunks"].toArray();
        const std::vector<double> y = drawn(chart.series[r]);
        QCOMPARE(qsizetype(y.size()), chunks.size());
        for (qsizetype k = 0; k < chunks.size(); ++k) {
            const double ppl = chunks[k].toObject()["ppl"].toDouble();
            // The engine's sums may split differently between runs: 1e-4 in NLL.
            QVERIFY2(
                std::abs(std::log(y[k]) - std::log(ppl)) < 1e-4,
                qPrintable(QString("run %1 chunk %2: %3 vs %4").arg(r).arg(k).arg(y[k]).arg(ppl)));
        }
    }
    // Past the trained window, without scaling, the model loses the thread.
    QVERIFY(drawn(chart.series[1]).back() > 10 * drawn(chart.series[0]).back());
    QVERIFY2(panel->summary_text().contains("trained window 512"),
             qPrintable(panel->summary_text()));
    // For the README: LONGLENS_SCREENSHOT_DIR=dir ctest -R test_diagnostics.
    if (const QString dir = qEnvironmentVariable("LONGLENS_SCREENSHOT_DIR"); !dir.isEmpty())
        w.grab().save(dir + "/diagnostics-perplexity.png");

    // The same request again comes from what was kept, at once.
    panel->run_button()->click();
    QCOMPARE(finished.size(), 2);

    // The whole document, cancelled at its first progress: what was measured is kept.
    panel->limit_box()->setValue(0);
    panel->beside_none_box()->setChecked(false);
    QSignalSpy progress(panel->jobs(), &PerplexityJobs::progress);
    panel->run_button()->click();
    QVERIFY(panel->cancel_button()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), 300000);
    panel->cancel_button()->click();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 3, 300000);
    QVERIFY2(panel->summary_text().contains("Cancelled"), qPrintable(panel->summary_text()));
    QVERIFY(panel->run_button()->isEnabled());
    QVERIFY(!panel->cancel_button()->isEnabled());
    // The model is free again: a question can be asked.
    QVERIFY(!w.model_service()->busy());
}

// The Needle grid tab against `diagnose needle-grid --json` on Pride and Prejudice: the same
// outcome and answer in every cell; cells fill in as they finish; a cancel keeps them.
void DiagnosticsTest::needle_grid_matches_the_cli_and_cancels() {
    const QString pride =
        lltest::shared("corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt");
    MainWindow w;
    w.show();
    w.raise_panel("diagnostics");
    w.import_files({pride});
    w.load_model(bundled::model_dir());
    QTRY_VERIFY_WITH_TIMEOUT(w.document() && w.model_service()->has_model(), 120000);
    NeedlePanel* panel = w.diagnostics_panel()->needle();
    w.diagnostics_panel()->setCurrentWidget(panel);
    w.resize(1400, 900);
    QSignalSpy finished(panel->jobs(), &NeedleGridJobs::finished);
    QSignalSpy cells(panel->jobs(), &NeedleGridJobs::cell_finished);

    // A bad depth is refused before any work, saying which field.
    panel->depths_edit()->setText("0.5,1.5");
    panel->run_button()->click();
    QVERIFY2(panel->summary_text().contains("Depths") && panel->summary_text().contains("1.5"),
             qPrintable(panel->summary_text()));
    QVERIFY(panel->run_button()->isEnabled());

    panel->depths_edit()->setText("0,0.5,1");
    panel->lengths_edit()->setText("512,1024");
    panel->run_button()->click();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 300000);
    QCOMPARE(cells.size(), 6);  // one update per cell
    // The first update had one cell done, the rest pending.
    QCOMPARE(cells.first().at(0).value<Heatmap>().done(), 1);
    const Heatmap map = panel->heatmap_view()->heatmap();
    QCOMPARE(map.rows(), 3);
    QCOMPARE(map.columns(), 2);
    QCOMPARE(map.done(), 6);
    QProcess p;
    p.start(QStringLiteral(LONGLENS_CLI_BINARY),
            {"diagnose", "needle-grid", "--json", "--doc", pride, "--depths", "0,0.5,1",
             "--lengths", "512,1024"});
    QVERIFY(p.waitForFinished(300000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject cli = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const QJsonArray runs = cli["runs"].toArray();
    QCOMPARE(runs.size(), qsizetype(1));
    QCOMPARE(runs[0].toObject()["label"].toString(), map.panels[0].label);
    const QJsonArray grid = runs[0].toObject()["cells"].toArray();
    QCOMPARE(grid.size(), qsizetype(6));
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 2; ++c) {
            const QJsonObject cell = grid[r * 2 + c].toObject();
            const HeatmapCell& shown = map.at(0, r, c);
            QCOMPARE(QString(to_string(shown.outcome)), cell["outcome"].toString());
            QVERIFY2(shown.detail.contains("\"" + cell["answer"].toString().simplified() + "\""),
                     qPrintable(shown.detail));
        }
    QVERIFY(panel->export_button()->isEnabled());
    QTemporaryDir dir;
    QVERIFY(panel->export_to(dir.filePath("grid.svg")));
    QVERIFY(panel->export_to(dir.filePath("grid.png")));
    QVERIFY(panel->export_to(dir.filePath("grid.csv")));
    QVERIFY(!QImage(dir.filePath("grid.png")).isNull());
    QString error;
    QVERIFY(!panel->export_to(dir.filePath("grid.txt"), &error));
    QVERIFY(error.contains(".svg"));

    // For the README: the default grid (5 depths × 512…4096).
    if (const QString shots = qEnvironmentVariable("LONGLENS_SCREENSHOT_DIR"); !shots.isEmpty()) {
        panel->depths_edit()->setText("0,0.25,0.5,0.75,1");
        panel->lengths_edit()->setText("512,1024,2048,4096");
        panel->beside_none_box()->setChecked(true);
        const qsizetype before = finished.size();
        panel->run_button()->click();
        QTRY_VERIFY_WITH_TIMEOUT(finished.size() == before + 1, 300000);
        w.grab().save(shots + "/diagnostics-needle-grid.png");
        panel->beside_none_box()->setChecked(false);
    }

    // Ten longer cells, cancelled at the first: the finished cells stay, the rest pending.
    panel->depths_edit()->setText("0,0.25,0.5,0.75,1");
    panel->lengths_edit()->setText("2048,4096");
    cells.clear();
    const qsizetype before = finished.size();
    panel->run_button()->click();
    QVERIFY(panel->cancel_button()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!cells.isEmpty(), 300000);
    panel->cancel_button()->click();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == before + 1, 300000);
    const NeedleGridView last = finished.last().at(0).value<NeedleGridView>();
    QVERIFY(last.cancelled);
    QVERIFY(last.heatmap.done() >= 1);
    QVERIFY(last.heatmap.done() < 10);
    QCOMPARE(panel->heatmap_view()->heatmap().done(), last.heatmap.done());
    QVERIFY2(panel->summary_text().contains("Cancelled"), qPrintable(panel->summary_text()));
    QVERIFY(panel->run_button()->isEnabled());
    QVERIFY(!w.model_service()->busy());
}

QTEST_MAIN(DiagnosticsTest)
#include "test_diagnostics.moc"
