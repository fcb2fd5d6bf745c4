// longlens-cli compare as a user runs it, on the bundled model and the sample document:
// each run answers and cites exactly what `ask` does with the same settings, a run that
// cannot load its model shows its error while the others answer, and the comparison is
// stored in the library and written as Markdown.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli_process.h"

namespace {

// The sample document beside the bundled model (an uninstalled build's resources/).
QString sample_doc() {
    return QStringLiteral(LONGLENS_SOURCE_DIR "/resources/sample/keepers-notebook.md");
}
const char* kQuestion = "What is the code for the cellar?";  // bundled::example_question()

QJsonObject json_of(const CliResult& r) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &error);
    EXPECT_TRUE(doc.isObject()) << error.errorString().toStdString() << "\n" << r.out.toStdString();
    return doc.object();
}

// The same passages, quoted alike. The attention share behind a score is compared to 1e-3:
// it moves in the fifth digit between two runs of `ask` itself when the machine is busy (the
// captured attention is summed in an order that depends on the threads), while the answer,
// the ranges and the ranking do not.
void expect_same_citations(const QJsonArray& compared, const QJsonArray& asked) {
    ASSERT_EQ(compared.size(), asked.size());
    for (qsizetype i = 0; i < asked.size(); ++i) {
        const QJsonObject c = compared[i].toObject(), a = asked[i].toObject();
        for (const char* key : {"start", "end", "page", "text", "rects", "lexical", "verbatim"})
            EXPECT_EQ(c[key], a[key]) << key;
        for (const char* key : {"score", "attention"})
            EXPECT_NEAR(c[key].toDouble(), a[key].toDouble(), 1e-3) << key;
    }
}

#define REQUIRE_BUNDLED()                                                     \
    if (!QFile::exists(LONGLENS_SOURCE_DIR "/resources/model/config.json") || \
        !QFile::exists(sample_doc()))                                         \
    GTEST_SKIP() << "the bundled model or sample document is missing"

TEST(CompareCli, EachRunAnswersAndCitesAsAskDoes) {
    REQUIRE_BUNDLED();
    // Each command gets a fresh document cache, so every run reads the document the same
    // way (prefill, then save).
    QTemporaryDir dir;
    const QStringList specs = {"", "scaling=none", "kv=f32"};
    const QList<QStringList> ask_options = {{}, {"--scaling", "none"}, {"--kv", "f32"}};
    QStringList args = {"compare",
                        "--doc",
                        sample_doc(),
                        "--question",
                        kQuestion,
                        "-n",
                        "12",
                        "--json",
                        "--no-library",
                        "--cache",
                        dir.filePath("compare-cache")};
    for (const QString& s : specs) args << "--run" << s;
    const CliResult compared = run_cli(args);
    ASSERT_EQ(compared.exit_code, 0) << compared.err.toStdString();
    EXPECT_TRUE(compared.err.contains("compare: run 3/3 finished: done"))
        << compared.err.toStdString();
    const QJsonObject out = json_of(compared);
    const QJsonArray runs = out["runs"].toArray();
    ASSERT_EQ(runs.size(), 3);
    EXPECT_TRUE(out.contains("agreement"));
    for (int i = 0; i < 3; ++i) {
        SCOPED_TRACE(specs[i].toStdString());
        const QJsonObject run = runs[i].toObject();
        EXPECT_EQ(run["spec"].toString(), specs[i]);
        EXPECT_TRUE(run["error"].isNull()) << run["error"].toString().toStdString();
        EXPECT_TRUE(run["config"].toObject().contains("scaling"));
        const CliResult asked =
            run_cli(QStringList{"ask", "--doc", sample_doc(), "-n", "12", "--json", "--no-library",
                                "--cache", dir.filePath(QString("ask-cache-%1").arg(i))} +
                    ask_options[i] + QStringList{kQuestion});
        ASSERT_EQ(asked.exit_code, 0) << asked.err.toStdString();
        const QJsonObject a = json_of(asked);
        EXPECT_FALSE(a["answer"].toString().isEmpty());
        EXPECT_EQ(run["answer"], a["answer"]);
        expect_same_citations(run["citations"].toArray(), a["citations"].toArray());
        EXPECT_EQ(run["context"], a["context"]);
        EXPECT_EQ(run["timing"].toObject()["decode_tokens"],
                  a["timing"].toObject()["decode_tokens"]);
    }
    // The three runs are three different configurations: what was in force says so.
    EXPECT_NE(runs[0].toObject()["scaling_in_force"], runs[1].toObject()["scaling_in_force"]);
}

TEST(CompareCli, AFailedRunShowsItsErrorAndTheOthersAnswer) {
    REQUIRE_BUNDLED();
    QTemporaryDir dir;
    const CliResult r = run_cli({"compare", "--doc", sample_doc(), "--question", kQuestion, "-n",
                                 "6", "--json", "--cache", dir.filePath("cache"), "--library",
                                 dir.filePath("library"), "--markdown", dir.filePath("c.md"),
                                 "--run", "model=/nonexistent/model.gguf", "--run", ""});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonArray runs = json_of(r)["runs"].toArray();
    ASSERT_EQ(runs.size(), 2);
    EXPECT_EQ(runs[0].toObject()["status"].toString(), "failed");
    EXPECT_TRUE(runs[0].toObject()["error"].toString().contains("/nonexistent/model.gguf"))
        << runs[0].toObject()["error"].toString().toStdString();
    EXPECT_EQ(runs[1].toObject()["status"].toString(), "done");
    EXPECT_FALSE(runs[1].toObject()["answer"].toString().isEmpty());
    EXPECT_TRUE(r.err.contains("saved in the library as comparison 1")) << r.err.toStdString();

    QFile md(dir.filePath("c.md"));
    ASSERT_TRUE(md.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(md.readAll());
    EXPECT_TRUE(text.contains("## Run 1: `model=/nonexistent/model.gguf`")) << text.toStdString();
    EXPECT_TRUE(text.contains("## Run 2: `(defaults)`")) << text.toStdString();
    EXPECT_TRUE(text.contains("| decode tok/s |")) << text.toStdString();
}

// A run that does not fit is refused by the memory check and the next run still answers.
// LONGLENS_MEMORY_LIMIT_MIB stands in for a small machine: 69 MiB lies between what this
// prompt needs with an f16 KV cache (about 65 MiB) and with f32 (about 73 MiB).
TEST(CompareCli, ARunThatDoesNotFitInMemoryIsRefusedAndTheNextAnswers) {
    REQUIRE_BUNDLED();
    QProcessEnvironment env = cli_environment();
    env.insert("LONGLENS_MEMORY_LIMIT_MIB", "69");
    const CliResult r =
        run_cli({"compare", "--doc", sample_doc(), "--question", kQuestion, "-n", "6", "--json",
                 "--no-cache", "--no-library", "--run", "kv=f32", "--run", ""},
                env);
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    const QJsonArray runs = json_of(r)["runs"].toArray();
    ASSERT_EQ(runs.size(), 2);
    EXPECT_EQ(runs[0].toObject()["status"].toString(), "failed");
    EXPECT_TRUE(runs[0].toObject()["error"].toString().startsWith("memory: a context of"))
        << runs[0].toObject()["error"].toString().toStdString();
    EXPECT_EQ(runs[1].toObject()["status"].toString(), "done");
    EXPECT_FALSE(runs[1].toObject()["answer"].toString().isEmpty());
}

TEST(CompareCli, BadSpecsAreRefusedBeforeAnyModelRuns) {
    CliResult r = run_cli({"compare", "--doc", sample_doc(), "--question", kQuestion, "--run", "",
                           "--run", "kv=f8", "--no-library"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("--run 2 (kv)")) << r.err.toStdString();
    r = run_cli(
        {"compare", "--doc", sample_doc(), "--question", kQuestion, "--run", "", "--no-library"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("expected 2 to 4 runs, got 1")) << r.err.toStdString();
}

}  // namespace
