// Comparisons in the library: saved with the document's entry, listed by its fingerprint,
// loaded back whole, rewritten by a re-run, removed; and a version-1 library gains the
// tables without losing what it held.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "compare/comparison.h"
#include "event_loop_support.h"
#include "library_store.h"

namespace {

ll::Comparison sample() {
    ll::Comparison c;
    c.document_path = "/docs/keeper.md";
    c.fingerprint = "f00d";
    c.question = "What is the code for the cellar?";
    c.max_answer_tokens = 12;
    c.runs = {ll::RunConfig::from_text("model=/m.gguf"),
              ll::RunConfig::from_text("model=/m.gguf;scaling=none;kv=f32")};
    ll::RunResult done;
    done.status = ll::RunStatus::Done;
    done.answer = "7351";
    ll::Citation cit;
    cit.start = 5;
    cit.end = 50;
    cit.text = "The cellar code is 7351.";
    done.citations = {cit};
    done.timing.prefill_tok_s = 900;
    ll::RunResult failed;
    failed.status = ll::RunStatus::Failed;
    failed.error = "memory: does not fit";
    c.results = {done, failed};
    return c;
}

TEST(CompareStore, SaveListLoadRerunRemove) {
    lltest::core_app();
    QTemporaryDir dir;
    ll::LibraryStore store(dir.filePath("library.sqlite"));
    ASSERT_TRUE(store.is_open()) << store.error().toStdString();
    const qint64 doc = store.note_opened("f00d", "/docs/keeper.md", "keeper.md", "Markdown", "");
    ASSERT_GT(doc, 0);
    ll::Comparison c = sample();
    ASSERT_TRUE(store.save_comparison(doc, c)) << store.error().toStdString();
    ASSERT_GT(c.id, 0);

    const auto list = store.comparisons("f00d");
    ASSERT_EQ(list.size(), 1);
    EXPECT_EQ(list[0].id, c.id);
    EXPECT_EQ(list[0].question, c.question);
    EXPECT_EQ(list[0].specs, QStringList({"model=/m.gguf", "model=/m.gguf;scaling=none;kv=f32"}));
    EXPECT_TRUE(store.comparisons("other").isEmpty());

    const auto loaded = store.comparison(c.id);
    ASSERT_TRUE(loaded) << store.error().toStdString();
    EXPECT_EQ(loaded->runs, c.runs);
    EXPECT_EQ(loaded->question, c.question);
    EXPECT_EQ(loaded->max_answer_tokens, 12);
    EXPECT_EQ(loaded->created, c.created);
    ASSERT_EQ(loaded->results.size(), 2u);
    EXPECT_EQ(loaded->results[0].answer, "7351");
    EXPECT_EQ(loaded->results[0].citations[0].text, "The cellar code is 7351.");
    EXPECT_DOUBLE_EQ(loaded->results[0].timing.prefill_tok_s, 900);
    EXPECT_EQ(loaded->results[1].status, ll::RunStatus::Failed);
    EXPECT_EQ(loaded->results[1].error, "memory: does not fit");

    // A re-run rewrites the same comparison.
    c.runs.pop_back();
    c.results.pop_back();
    c.results[0].answer = "7352";
    ASSERT_TRUE(store.save_comparison(doc, c)) << store.error().toStdString();
    EXPECT_EQ(store.comparisons("f00d").size(), 1);
    EXPECT_EQ(store.comparison(c.id)->results.size(), 1u);
    EXPECT_EQ(store.comparison(c.id)->results[0].answer, "7352");

    ASSERT_TRUE(store.remove_comparison(c.id));
    EXPECT_FALSE(store.comparison(c.id));
    EXPECT_TRUE(store.comparisons("f00d").isEmpty());
}

TEST(CompareStore, AVersionOneLibraryGainsTheTablesAndKeepsItsAnswers) {
    lltest::core_app();
    QTemporaryDir dir;
    const QString file = dir.filePath("library.sqlite");
    qint64 doc = 0;
    {
        ll::LibraryStore store(file);
        doc = store.note_opened("f00d", "/docs/keeper.md", "keeper.md", "Markdown", "");
        ll::AnswerRecord a;
        a.question = "Q?";
        a.answer = "A.";
        ASSERT_TRUE(store.add_answer(doc, a));
    }
    {  // back to version 1, as an older LongLens left it
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "downgrade");
        db.setDatabaseName(file);
        ASSERT_TRUE(db.open());
        QSqlQuery q(db);
        ASSERT_TRUE(q.exec("DROP TABLE reviews"));  // schema 3
        ASSERT_TRUE(q.exec("DROP TABLE comparison_runs"));
        ASSERT_TRUE(q.exec("DROP TABLE comparisons"));
        ASSERT_TRUE(q.exec("PRAGMA user_version = 1"));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase("downgrade");
    ll::LibraryStore store(file);
    ASSERT_TRUE(store.is_open()) << store.error().toStdString();
    EXPECT_EQ(store.conversation(doc).answers.size(), 1);
    ll::Comparison c = sample();
    EXPECT_TRUE(store.save_comparison(doc, c)) << store.error().toStdString();
}

}  // namespace
