// The Diagnostics dock's Positions view, driven as a user drives it: it follows the loaded
// model and the context the reader picks, shows the same numbers as its CLI twin
// (`longlens-cli diagnose positions --json`), and exports what it shows.
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include "bundled.h"
#include "diagnostics/chart_view.h"
#include "diagnostics/diagnostics_panel.h"
#include "diagnostics/positions_panel.h"
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

QTEST_MAIN(DiagnosticsTest)
#include "test_diagnostics.moc"
