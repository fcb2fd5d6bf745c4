// Reviews are kept (issue 19): a review and a comparison stored in the library come back
// whole (text, sentences, citations with their rectangles), a comparison from either paper,
// a rewrite replaces, an older library gains the table; the review session keeps a finished
// review, shows it again when the paper is opened again and rewrites it when a part is
// regenerated; a comparison's sides are cited in their own papers. Which documents read as
// papers (the Review panel is offered for those).
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#include "app_error.h"
#include "event_loop_support.h"
#include "import_test_support.h"
#include "library_store.h"
#include "model_service.h"
#include "qa/conversation.h"
#include "review_export.h"
#include "review_session.h"

using namespace ll;

namespace {

const char* kYarn = "corpus/papers/yarn-2309.00071v2.pdf";
const char* kAttention = "corpus/papers/attention-is-all-you-need-1706.03762v5.pdf";
const char* kRefMini = "models/ref-mini/config.json";

// A review on ref-mini under ASan takes minutes.
const int kReviewWaitMs = 240000;

QString shared(const char* rel) {
    return QString::fromStdString(lltest::shared_path(rel));
}

// A review value with one cited sentence per part, as the pipeline leaves it.
Review sample_review(int sides) {
    Review r;
    r.model = "/models/m.gguf";
    for (int side = 0; side < sides; ++side) {
        r.documents << ReviewDocument{QString("/papers/%1.pdf").arg(QChar('a' + side)),
                                      QString("Paper %1").arg(side)};
        ReviewPart p;
        p.id = sides > 1 ? "compare_problem" : "summary";
        p.title = "Summary";
        p.side = side;
        p.status = PartStatus::Done;
        p.text = "It scales positions. It works.";
        p.sentences = {ReviewSentence{0, 20, {0}}, ReviewSentence{21, 30, {0, 1}}};
        AnswerCitation c;
        c.start = 100 + side;
        c.end = 180;
        c.page = 2;
        c.rects = {PageRect{2, QRectF(72, 100.5, 300, 11)}};
        c.text = "positions are scaled";
        c.label = "§ 3.1 · p. 3";
        c.score = 0.75;
        p.citations = {c, c};
        p.citations[1].start = 300;
        p.context = "Abstract: whole";
        p.prompt_source = ":/review/summary.md";
        r.parts << p;
    }
    return r;
}

void expect_same(const Review& a, const Review& b) {
    ASSERT_EQ(a.documents.size(), b.documents.size());
    for (int i = 0; i < a.documents.size(); ++i) {
        EXPECT_EQ(a.documents[i].path, b.documents[i].path);
        EXPECT_EQ(a.documents[i].title, b.documents[i].title);
    }
    EXPECT_EQ(a.model, b.model);
    ASSERT_EQ(a.parts.size(), b.parts.size());
    for (int i = 0; i < a.parts.size(); ++i) {
        const ReviewPart &p = a.parts[i], &q = b.parts[i];
        EXPECT_EQ(p.id, q.id);
        EXPECT_EQ(p.side, q.side);
        EXPECT_EQ(p.status, q.status);
        EXPECT_EQ(p.text, q.text);
        EXPECT_EQ(p.context, q.context);
        ASSERT_EQ(p.sentences.size(), q.sentences.size());
        for (int s = 0; s < p.sentences.size(); ++s) {
            EXPECT_EQ(p.sentences[s].start, q.sentences[s].start);
            EXPECT_EQ(p.sentences[s].end, q.sentences[s].end);
            EXPECT_EQ(p.sentences[s].cites, q.sentences[s].cites);
        }
        ASSERT_EQ(p.citations.size(), q.citations.size());
        for (int c = 0; c < p.citations.size(); ++c) {
            EXPECT_EQ(p.citations[c].start, q.citations[c].start);
            EXPECT_EQ(p.citations[c].end, q.citations[c].end);
            EXPECT_EQ(p.citations[c].page, q.citations[c].page);
            EXPECT_EQ(p.citations[c].label, q.citations[c].label);
            EXPECT_EQ(p.citations[c].text, q.citations[c].text);
            ASSERT_EQ(p.citations[c].rects.size(), q.citations[c].rects.size());
            EXPECT_EQ(p.citations[c].rects[0].rect, q.citations[c].rects[0].rect);
        }
    }
}

class ReviewStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        lltest::core_app();
        ASSERT_TRUE(dir_.isValid());
        file_ = dir_.filePath("library.sqlite");
    }
    QTemporaryDir dir_;
    QString file_;
};

}  // namespace

TEST_F(ReviewStoreTest, AReviewComesBackWholeAndARewriteReplacesIt) {
    LibraryStore store(file_);
    ASSERT_TRUE(store.is_open()) << store.error().toStdString();
    const qint64 doc = store.note_opened("aaaa1111aaaa1111", "/papers/a.pdf", "a.pdf", "pdf", "");
    const Review review = sample_review(1);
    StoredReview stored{0, "aaaa1111aaaa1111", {}, {}, to_json(review)};
    ASSERT_TRUE(store.save_review(doc, stored)) << store.error().toStdString();
    EXPECT_GT(stored.id, 0);

    QList<StoredReview> kept = store.reviews("aaaa1111aaaa1111");
    ASSERT_EQ(kept.size(), 1);
    expect_same(review_from_json(kept[0].review), review);

    // A part written again: the same entry, the new text.
    Review again = review;
    again.parts[0].text = "It scales positions well. It works.";
    stored.review = to_json(again);
    const qint64 id = stored.id;
    ASSERT_TRUE(store.save_review(doc, stored)) << store.error().toStdString();
    EXPECT_EQ(stored.id, id);
    kept = LibraryStore(file_).reviews("aaaa1111aaaa1111");
    ASSERT_EQ(kept.size(), 1);
    EXPECT_EQ(review_from_json(kept[0].review).parts[0].text, again.parts[0].text);
    EXPECT_TRUE(store.reviews("ffff0000ffff0000").isEmpty());
}

TEST_F(ReviewStoreTest, AComparisonIsFoundFromEitherPaperNewestFirst) {
    LibraryStore store(file_);
    const qint64 a = store.note_opened("aaaa1111aaaa1111", "/papers/a.pdf", "a.pdf", "pdf", "");
    StoredReview review{0, "aaaa1111aaaa1111", {}, {}, to_json(sample_review(1))};
    ASSERT_TRUE(store.save_review(a, review));
    const Review comparison = sample_review(2);
    StoredReview stored{0, "aaaa1111aaaa1111", "bbbb2222bbbb2222",
                        QDateTime::currentDateTimeUtc().addSecs(5), to_json(comparison)};
    ASSERT_TRUE(store.save_review(a, stored)) << store.error().toStdString();
    const QList<StoredReview> of_a = store.reviews("aaaa1111aaaa1111");
    ASSERT_EQ(of_a.size(), 2);
    EXPECT_EQ(of_a[0].id, stored.id);  // newest first
    EXPECT_EQ(of_a[1].id, review.id);
    const QList<StoredReview> of_b = store.reviews("bbbb2222bbbb2222");
    ASSERT_EQ(of_b.size(), 1);
    EXPECT_EQ(of_b[0].other_fingerprint, "bbbb2222bbbb2222");
    const Review back = review_from_json(of_b[0].review);
    ASSERT_TRUE(back.comparison());
    expect_same(back, comparison);
    EXPECT_EQ(back.parts[1].side, 1);
    ASSERT_TRUE(store.remove_review(stored.id));
    EXPECT_TRUE(store.reviews("bbbb2222bbbb2222").isEmpty());
}

TEST_F(ReviewStoreTest, ALibraryOfSchemaTwoGainsTheReviewsTable) {
    {
        LibraryStore store(file_);
        ASSERT_TRUE(store.is_open());
    }
    {  // As LongLens before issue 19 left it.
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "schema2");
        db.setDatabaseName(file_);
        ASSERT_TRUE(db.open());
        QSqlQuery q(db);
        ASSERT_TRUE(q.exec("DROP TABLE reviews"));
        ASSERT_TRUE(q.exec("PRAGMA user_version = 2"));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase("schema2");
    LibraryStore store(file_);
    ASSERT_TRUE(store.is_open()) << store.error().toStdString();
    const qint64 doc = store.note_opened("aaaa1111aaaa1111", "/papers/a.pdf", "a.pdf", "pdf", "");
    StoredReview stored{0, "aaaa1111aaaa1111", {}, {}, to_json(sample_review(1))};
    EXPECT_TRUE(store.save_review(doc, stored)) << store.error().toStdString();
    EXPECT_EQ(store.reviews("aaaa1111aaaa1111").size(), 1);
}

TEST(ReviewJson, OutOfRangeSentencesAndSidesAreDropped) {
    QJsonObject json = to_json(sample_review(1));
    QJsonArray parts = json["parts"].toArray();
    QJsonObject part = parts[0].toObject();
    QJsonArray sentences = part["sentences"].toArray();
    sentences.append(QJsonObject{{"start", 5}, {"end", 5000}, {"citations", QJsonArray{0}}});
    part["sentences"] = sentences;
    QJsonObject stray = part;
    stray["document"] = 3;
    parts = QJsonArray{part, stray};
    json["parts"] = parts;
    const Review back = review_from_json(json);
    ASSERT_EQ(back.parts.size(), 1);
    EXPECT_EQ(back.parts[0].sentences.size(), 2);
}

TEST(PaperLikeness, PapersButNotNovelsOrCodes) {
    for (const char* rel : {kYarn, kAttention}) {
        LL_REQUIRE_SHARED(rel);
        EXPECT_TRUE(looks_like_a_paper(detect_paper_structure(lltest::import_shared(rel)))) << rel;
    }
    for (const char* rel : {"corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt",
                            "corpus/novels/die-verwandlung-kafka-de.pg22367.utf8.txt",
                            "corpus/legal/us-constitution.en.txt", "corpus/legal/gpl-3.0.en.txt",
                            "corpus/legal/prc-civil-code-zh.md"}) {
        LL_REQUIRE_SHARED(rel);
        EXPECT_FALSE(looks_like_a_paper(detect_paper_structure(lltest::import_shared(rel)))) << rel;
    }
}

// The session on ref-mini: a finished review is kept, a second session (the paper reopened)
// shows it with its citations, Regenerate rewrites the same entry.
TEST_F(ReviewStoreTest, AFinishedReviewIsShownAgainAndRegenerateReplacesIt) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED(kRefMini);
    ModelService service;
    service.load(QFileInfo(shared(kRefMini)).path());
    ASSERT_TRUE(lltest::run_until([&] { return service.has_model(); }, kReviewWaitMs));
    auto yarn = std::make_shared<const Document>(lltest::import_shared(kYarn));
    LibraryStore store(file_);
    Review written;
    {
        ReviewSession session(&service, &store);
        session.max_tokens = 8;
        session.prompt_dir.clear();
        session.start(yarn, {"summary"});
        ASSERT_TRUE(lltest::run_until([&] { return !session.running(); }, kReviewWaitMs));
        ASSERT_EQ(session.review().parts.size(), 1);
        ASSERT_EQ(session.review().parts[0].status, PartStatus::Done);
        ASSERT_FALSE(session.review().parts[0].citations.isEmpty());
        EXPECT_GT(session.stored_id(), 0);
        written = session.review();
    }
    const QList<StoredReview> kept = store.reviews(document_fingerprint(*yarn));
    ASSERT_EQ(kept.size(), 1);

    ReviewSession reopened(&service, &store);
    reopened.max_tokens = 4;
    reopened.prompt_dir.clear();
    ASSERT_TRUE(reopened.show_document(yarn));
    expect_same(reopened.review(), written);
    EXPECT_EQ(reopened.stored_id(), kept[0].id);
    for (const AnswerCitation& c : reopened.review().parts[0].citations)
        EXPECT_EQ(yarn->text.mid(c.start, c.end - c.start).simplified(), c.text.simplified());

    reopened.regenerate(0);
    ASSERT_TRUE(lltest::run_until([&] { return !reopened.running(); }, kReviewWaitMs));
    ASSERT_EQ(reopened.review().parts[0].status, PartStatus::Done);
    const QList<StoredReview> after = store.reviews(document_fingerprint(*yarn));
    ASSERT_EQ(after.size(), 1);
    EXPECT_EQ(after[0].id, kept[0].id);
    // Four tokens instead of eight: the kept text is the regenerated one.
    EXPECT_EQ(review_from_json(after[0].review).parts[0].text, reopened.review().parts[0].text);
    EXPECT_NE(reopened.review().parts[0].text, written.parts[0].text);

    // Another document has no review: nothing is shown.
    auto alice = std::make_shared<const Document>(
        lltest::import_shared("corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt"));
    EXPECT_FALSE(reopened.show_document(alice));
    EXPECT_TRUE(reopened.review().parts.isEmpty());
}

// Two papers compared on one aspect: B imported by the session, each side cited in its own
// paper, the comparison kept and found again from paper B.
TEST_F(ReviewStoreTest, AComparisonCitesEachPaperInItsOwnTextAndIsKept) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED(kAttention);
    LL_REQUIRE_SHARED(kRefMini);
    ModelService service;
    service.load(QFileInfo(shared(kRefMini)).path());
    ASSERT_TRUE(lltest::run_until([&] { return service.has_model(); }, kReviewWaitMs));
    auto yarn = std::make_shared<const Document>(lltest::import_shared(kYarn));
    LibraryStore store(file_);
    ReviewSession session(&service, &store);
    session.max_tokens = 8;
    session.prompt_dir.clear();
    session.start_comparison(yarn, shared(kAttention), {"compare_problem"});
    ASSERT_EQ(session.review().parts.size(), 2);
    ASSERT_TRUE(lltest::run_until([&] { return !session.running(); }, kReviewWaitMs));
    ASSERT_TRUE(session.review().comparison());
    EXPECT_EQ(session.outcome(), "Comparison ready.");
    EXPECT_TRUE(session.review().model.endsWith("ref-mini"))
        << session.review().model.toStdString();
    ASSERT_NE(session.document(1), nullptr);
    EXPECT_TRUE(session.review().documents[1].title.contains("Attention"))
        << session.review().documents[1].title.toStdString();
    for (const ReviewPart& p : session.review().parts) {
        ASSERT_EQ(p.status, PartStatus::Done) << p.error.toStdString();
        ASSERT_FALSE(p.citations.isEmpty());
        const Document& own = *session.document(p.side);
        for (const AnswerCitation& c : p.citations)
            EXPECT_EQ(own.text.mid(c.start, c.end - c.start).simplified(), c.text.simplified())
                << "side " << p.side;
    }
    EXPECT_EQ(session.review().parts[0].side, 0);
    EXPECT_EQ(session.review().parts[1].side, 1);
    const QList<StoredReview> of_b = store.reviews(document_fingerprint(*session.document(1)));
    ASSERT_EQ(of_b.size(), 1);
    EXPECT_EQ(of_b[0].fingerprint, document_fingerprint(*yarn));

    ReviewSession reopened(&service, &store);
    ASSERT_TRUE(reopened.show_document(session.document(1)));
    EXPECT_TRUE(reopened.review().comparison());
    EXPECT_EQ(reopened.document(1), session.document(1));
    EXPECT_EQ(reopened.document(0), nullptr);  // imported when a part of A is written again
}

// What a run came to is said as it is: without a model every part fails and the status says
// so (not "ready"), no part is left waiting; a comparison on no known aspect says there was
// nothing to write; a PDF export with a paper that is not a PDF writes no file at all.
TEST_F(ReviewStoreTest, TheOutcomeSaysWhatHappenedAndAFailedExportWritesNothing) {
    LL_REQUIRE_SHARED(kYarn);
    LL_REQUIRE_SHARED(kAttention);
    ModelService no_model;
    auto yarn = std::make_shared<const Document>(lltest::import_shared(kYarn));
    ReviewSession session(&no_model);
    session.start_comparison(yarn, shared(kAttention), {"compare_problem", "compare_method"});
    ASSERT_TRUE(lltest::run_until([&] { return !session.running(); }, kReviewWaitMs));
    ASSERT_EQ(session.review().parts.size(), 4);
    for (const ReviewPart& p : session.review().parts) EXPECT_EQ(p.status, PartStatus::Failed);
    EXPECT_FALSE(session.complete());
    EXPECT_TRUE(session.outcome().startsWith("4 of 4 parts failed: "))
        << session.outcome().toStdString();

    session.start_comparison(yarn, shared(kAttention), {"no_such_aspect"});
    ASSERT_TRUE(lltest::run_until([&] { return !session.running(); }, kReviewWaitMs));
    EXPECT_TRUE(session.outcome().startsWith("Nothing to write"))
        << session.outcome().toStdString();

    Review mixed = sample_review(2);
    mixed.documents[1].path = dir_.filePath("b.txt");
    mixed.documents[0].path = QString::fromStdString(lltest::shared_path(kYarn));
    EXPECT_THROW(export_review(mixed, dir_.filePath("c.pdf")), AppError);
    EXPECT_FALSE(QFileInfo::exists(dir_.filePath("c-A.pdf")));
}
