// The CompareRunner in-process on the bundled model and the sample document, as the GUI's
// worker will run it: a cancel during run 2 keeps run 1, a run on the same model file keeps
// the model and loads the document prefix an earlier run saved, and a failing run does not
// stop the others.
#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include "bundled.h"
#include "compare/compare_runner.h"
#include "documents/importer.h"

namespace {

struct Fixture {
    QTemporaryDir cache;
    ll::Document doc;
    ll::Comparison c;

    explicit Fixture(const QStringList& specs) {
        doc = ll::import_document(ll::bundled::sample_document());
        c.question = ll::bundled::example_question();
        c.max_answer_tokens = 8;
        for (const QString& s : specs) c.runs.push_back(ll::RunConfig::from_text(s));
    }
};

#define REQUIRE_BUNDLED()                                                               \
    if (ll::bundled::model_dir().isEmpty() || ll::bundled::sample_document().isEmpty()) \
    GTEST_SKIP() << "the bundled model or sample document is missing"

TEST(CompareRunner, CancelDuringRunTwoKeepsRunOne) {
    REQUIRE_BUNDLED();
    Fixture f({"", "kv=f32", "scaling=none"});
    ll::CompareRunner runner(f.cache.path());
    std::vector<int> finished;
    runner.set_progress([&](const ll::CompareProgress& p) {
        if (p.run == 1 && !runner.cancelled()) runner.cancel();  // run 2's first report
        if (p.stage == ll::CompareProgress::Stage::Finished) finished.push_back(p.run);
    });
    runner.run(f.c, f.doc);
    ASSERT_EQ(f.c.results.size(), 3u);
    EXPECT_EQ(f.c.results[0].status, ll::RunStatus::Done) << f.c.results[0].error.toStdString();
    EXPECT_FALSE(f.c.results[0].answer.isEmpty());
    EXPECT_FALSE(f.c.results[0].citations.empty());
    EXPECT_EQ(f.c.results[1].status, ll::RunStatus::Cancelled);
    EXPECT_EQ(f.c.results[2].status, ll::RunStatus::Cancelled);
    EXPECT_EQ(finished, (std::vector<int>{0, 1, 2}));  // every run reports its end
    EXPECT_FALSE(f.c.fingerprint.isEmpty());
}

TEST(CompareRunner, SameModelIsKeptAndTheDocumentPrefixIsReused) {
    REQUIRE_BUNDLED();
    // Same model, positions, attention and KV type: only the thread count differs.
    Fixture f({"", "threads=1"});
    ll::CompareRunner runner(f.cache.path());
    runner.run(f.c, f.doc);
    ASSERT_EQ(f.c.results[1].status, ll::RunStatus::Done) << f.c.results[1].error.toStdString();
    EXPECT_FALSE(f.c.results[0].timing.model_kept);
    EXPECT_TRUE(f.c.results[1].timing.model_kept);
    EXPECT_EQ(f.c.results[0].timing.answer.cache, ll::CacheUse::Saved);
    EXPECT_EQ(f.c.results[1].timing.answer.cache, ll::CacheUse::Loaded);
    EXPECT_GT(f.c.results[1].timing.answer.reused_tokens, 0);
    EXPECT_GT(f.c.results[0].timing.memory_estimate_bytes, 0);
    EXPECT_GT(f.c.results[0].timing.decode_tok_s, 0);
}

TEST(CompareRunner, AFailingRunRecordsItsErrorAndTheOthersStillRun) {
    REQUIRE_BUNDLED();
    QTemporaryDir dir;
    const QString corrupt = dir.filePath("corrupt.gguf");
    {
        QFile file(corrupt);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write("GGUF but not really a model file at all");
    }
    // Parses, but the model cannot run it: longrope's factor lists come only from a file.
    Fixture f({"model=" + corrupt, "", "scaling=longrope"});
    ll::CompareRunner runner(f.cache.path());
    runner.run(f.c, f.doc);
    EXPECT_EQ(f.c.results[0].status, ll::RunStatus::Failed);
    EXPECT_TRUE(f.c.results[0].error.contains("corrupt.gguf"))
        << f.c.results[0].error.toStdString();
    EXPECT_EQ(f.c.results[1].status, ll::RunStatus::Done) << f.c.results[1].error.toStdString();
    EXPECT_FALSE(f.c.results[1].answer.isEmpty());
    EXPECT_EQ(f.c.results[2].status, ll::RunStatus::Failed);
    EXPECT_TRUE(f.c.results[2].error.contains("longrope")) << f.c.results[2].error.toStdString();
}

}  // namespace
