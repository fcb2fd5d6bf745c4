// longlens-cli diagnose positions as a user runs it, on the bundled model (YaRN x8 over a
// 512-token trained window): the table, the JSON object and the SVG plot.
#include <gtest/gtest.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <cmath>

#include "cli_process.h"

namespace {

QJsonObject json_of(const CliResult& r) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
    return doc.object();
}

TEST(CliDiagnose, PositionsJsonDescribesTheBundledModelsYarn) {
    const CliResult r = run_cli({"diagnose", "positions", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonObject o = json_of(r);
    EXPECT_EQ(o["method"].toString(), "yarn");
    EXPECT_EQ(o["source"].toString(), "model file");
    EXPECT_EQ(o["trained_window"].toInt(), 512);
    EXPECT_EQ(o["context"].toInt(), 4096);  // default: the effective window, 512 x 8
    EXPECT_NEAR(o["attention_factor"].toDouble(), 0.1 * std::log(8.0) + 1, 1e-6);
    const QJsonArray dims = o["dims"].toArray();
    ASSERT_EQ(dims.size(), 32);
    EXPECT_EQ(dims.first().toObject()["class"].toString(), "extrapolated");
    EXPECT_EQ(dims.last().toObject()["class"].toString(), "interpolated");
    EXPECT_NEAR(dims.last().toObject()["ratio"].toDouble(), 8.0, 1e-4);
    QSet<QString> classes;
    for (const QJsonValue& d : dims) classes.insert(d.toObject()["class"].toString());
    EXPECT_TRUE(classes.contains("ramp"));
    const QJsonArray overlay = o["overlay"].toArray();
    ASSERT_EQ(overlay.size(), 6);
    for (const QJsonValue& c : overlay) {
        const QJsonObject curve = c.toObject();
        EXPECT_EQ(curve["wavelength"].toArray().size(), 32);
        EXPECT_EQ(curve["effective"].toBool(), curve["method"].toString() == "yarn");
    }
}

TEST(CliDiagnose, PositionsTableNamesClassesAndWarnsPastTheWindowWithoutScaling) {
    const CliResult r = run_cli({"diagnose", "positions", "--scaling", "none", "--ctx", "2048"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const std::string out = r.out.toStdString();
    EXPECT_NE(out.find("in force: none"), std::string::npos) << out;
    EXPECT_NE(out.find("extrapolated"), std::string::npos);
    EXPECT_NE(out.find("unseen"), std::string::npos);
    EXPECT_NE(out.find("warning:"), std::string::npos);
    EXPECT_EQ(out.find("interpolated"), std::string::npos);
}

TEST(CliDiagnose, PositionsPlotIsWellFormedSvgNamingEveryMethod) {
    QTemporaryDir dir;
    const QString path = dir.filePath("positions.svg");
    const CliResult r = run_cli({"diagnose", "positions", "--ctx", "4096", "--plot", path});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    QXmlStreamReader xml(&f);
    QStringList texts;
    int paths = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        if (xml.name() == u"path") ++paths;
        if (xml.name() == u"text")
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements);
    }
    ASSERT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    EXPECT_EQ(paths, 6);
    const QString all = texts.join('\n');
    for (const char* method : {"none", "linear", "ntk", "dynamic", "yarn (in force)", "llama3"})
        EXPECT_TRUE(all.contains(method)) << method << " not in " << all.toStdString();
    EXPECT_TRUE(all.contains("trained window 512"));
    EXPECT_TRUE(all.contains("context 4096"));
}

// A 4-head Baichuan with ALiBi (tests/engine/data/arch): slopes 2^(-8(h+1)/4), no rotary
// pairs, and with dynamic NTK-ALiBi the slopes by length, the first head unchanged.
TEST(CliDiagnose, PositionsOfAnAlibiModel) {
    const QString model =
        QString(LONGLENS_SOURCE_DIR) + "/tests/engine/data/arch/baichuan-alibi/baichuan-alibi.gguf";
    const CliResult r = run_cli({"diagnose", "positions", "--model", model, "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonObject o = json_of(r);
    EXPECT_EQ(o["method"].toString(), "alibi");
    EXPECT_TRUE(o["dims"].toArray().isEmpty());
    EXPECT_TRUE(o["overlay"].toArray().isEmpty());
    const QJsonArray slopes = o["alibi_slopes"].toArray();
    ASSERT_EQ(slopes.size(), 4);
    for (int h = 0; h < 4; ++h) EXPECT_DOUBLE_EQ(slopes[h].toDouble(), std::exp2(-2.0 * (h + 1)));

    const CliResult d = run_cli(
        {"diagnose", "positions", "--model", model, "--scaling", "dynamic_alibi", "--json"});
    ASSERT_EQ(d.exit_code, 0) << d.err.toStdString();
    const QJsonArray by_length = json_of(d)["by_length"].toArray();
    ASSERT_EQ(by_length.size(), 4);
    const QJsonArray at8x = by_length[3].toObject()["alibi_slopes"].toArray();
    ASSERT_EQ(at8x.size(), 4);
    EXPECT_DOUBLE_EQ(at8x[0].toDouble(), 0.25);
    EXPECT_LT(at8x[3].toDouble(), slopes[3].toDouble());
}

TEST(CliDiagnose, RefusesABadContextAndAnUnknownView) {
    const CliResult bad = run_cli({"diagnose", "positions", "--ctx", "many"});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.err.toStdString().find("--ctx"), std::string::npos) << bad.err.toStdString();
    EXPECT_EQ(run_cli({"diagnose", "heatmap"}).exit_code, 2);
}

}  // namespace
