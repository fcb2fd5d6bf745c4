// `longlens-cli review` as a user runs it (issue 19): a review of the YaRN paper on ref-mini
// with the three exports, its JSON, a prompt override from the config folder, bad input,
// and `review --compare` with each side cited in its own paper.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli_process.h"
#include "shared_data.h"

namespace {

const char* kYarn = "corpus/papers/yarn-2309.00071v2.pdf";
const char* kAttention = "corpus/papers/attention-is-all-you-need-1706.03762v5.pdf";

QString shared(const char* rel) {
    return QString::fromStdString(lltest::shared_path(rel));
}

QStringList ref_mini_args() {
    return {"--model", shared("models/ref-mini"), "-n", "12", "--notes", "2"};
}

QJsonObject json_of(const CliResult& r) {
    return QJsonDocument::fromJson(r.out).object();
}

// Every citation of every part inside its own paper's text length and on a page.
void expect_cited_in(const QJsonObject& part, qsizetype text_length) {
    const QJsonArray cites = part["citations"].toArray();
    EXPECT_FALSE(cites.isEmpty()) << part["id"].toString().toStdString();
    for (const QJsonValue& c : cites) {
        EXPECT_LT(c["start"].toInteger(), c["end"].toInteger());
        EXPECT_LE(c["end"].toInteger(), text_length);
        EXPECT_GE(c["page"].toInt(), 0);
    }
}

qsizetype text_length(const QString& pdf) {
    const CliResult r = run_cli({"import", pdf, "--json"});
    return qsizetype(QJsonDocument::fromJson(r.out).object()["chars"].toDouble());
}

}  // namespace

TEST(ReviewCli, ReviewWithExportsAndAnOverride) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    QTemporaryDir dir;
    // A prompt override in the config folder (XDG_CONFIG_HOME/LongLens/LongLens/review/).
    QDir().mkpath(dir.filePath("config/LongLens/LongLens/review"));
    QFile o(dir.filePath("config/LongLens/LongLens/review/method.md"));
    ASSERT_TRUE(o.open(QIODevice::WriteOnly));
    o.write("What does the paper compute?");
    o.close();
    QProcessEnvironment env = cli_environment();
    env.insert("XDG_CONFIG_HOME", dir.filePath("config"));
    const CliResult r =
        run_cli(QStringList{"review", "--doc", shared(kYarn), "--parts", "method,summary", "--json",
                            "--export", dir.filePath("r.md"), "--export", dir.filePath("r.html"),
                            "--export", dir.filePath("r.pdf")} +
                    ref_mini_args(),
                env);
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonArray parts = json_of(r)["parts"].toArray();
    ASSERT_EQ(parts.size(), 2);
    EXPECT_EQ(parts[0]["id"].toString(), "summary");  // review order
    EXPECT_EQ(parts[0]["prompt"].toString(), ":/review/summary.md");
    EXPECT_EQ(parts[1]["prompt"].toString(),
              dir.filePath("config/LongLens/LongLens/review/method.md"));
    const qsizetype length = text_length(shared(kYarn));
    ASSERT_GT(length, 10000);
    for (const QJsonValue& p : parts) {
        EXPECT_EQ(p["status"].toString(), "done");
        expect_cited_in(p.toObject(), length);
    }
    for (const char* f : {"r.md", "r.html", "r.pdf"})
        EXPECT_GT(QFileInfo(dir.filePath(f)).size(), 100) << f;
    EXPECT_TRUE(r.err.contains("highlights"));
}

TEST(ReviewCli, BadInputIsNamed) {
    const CliResult unknown = run_cli({"review", "--doc", "x.pdf", "--parts", "novelty"});
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_TRUE(unknown.err.contains("unknown part 'novelty'")) << unknown.err.toStdString();
    const CliResult format = run_cli({"review", "--doc", "x.pdf", "--export", "r.docx"});
    EXPECT_EQ(format.exit_code, 1);
    EXPECT_TRUE(format.err.contains("r.docx")) << format.err.toStdString();
    const CliResult one = run_cli({"review", "--compare", "a.pdf"});
    EXPECT_EQ(one.exit_code, 2);
    QTemporaryDir dir;
    const CliResult missing = run_cli({"review", "--doc", dir.filePath("missing.pdf")});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(missing.err.contains("missing.pdf")) << missing.err.toStdString();
}

TEST(ReviewCli, CompareCitesEachPaperInItself) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED(kAttention);
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    const CliResult r =
        run_cli(QStringList{"review", "--compare", shared(kYarn), shared(kAttention), "--json"} +
                ref_mini_args());
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonObject o = json_of(r);
    ASSERT_EQ(o["documents"].toArray().size(), 2);
    const QJsonArray parts = o["parts"].toArray();
    ASSERT_EQ(parts.size(), 10);  // problem, method, data, results, claims × two papers
    const qsizetype lengths[2] = {text_length(shared(kYarn)), text_length(shared(kAttention))};
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QJsonObject p = parts[i].toObject();
        EXPECT_EQ(p["document"].toInt(), int(i % 2));
        EXPECT_EQ(p["status"].toString(), "done") << p["error"].toString().toStdString();
        expect_cited_in(p, lengths[i % 2]);
    }
    EXPECT_EQ(parts[8]["id"].toString(), "compare_claims");
}
