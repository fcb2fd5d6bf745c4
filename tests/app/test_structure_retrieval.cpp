// Structure-aware retrieval (issue 18 point 3): a question naming a unit by its number gets
// that unit first, found through the outline (or, for captions and clauses, the line that
// starts with it); the plan takes whole units, says what it left out and when it is thin.
// Real documents, estimated token counts (no model).
#include <gtest/gtest.h>

#include <QRegularExpression>

#include <algorithm>

#include "documents/importer.h"
#include "documents/structure_detector.h"
#include "qa/context_plan.h"
#include "qa/passage_index.h"
#include "qa/text_terms.h"
#include "qa/unit_reference.h"
#include "shared_data.h"

using namespace Qt::StringLiterals;

namespace {

ll::UnitReference only_reference(const QString& question) {
    const auto refs = ll::find_unit_references(question);
    EXPECT_EQ(refs.size(), 1u) << question.toStdString();
    return refs.empty() ? ll::UnitReference{} : refs.front();
}

TEST(UnitReference, NumbersInChineseAndEnglishQuestions) {
    auto r = only_reference(u"第一千零四十三条规定了什么?"_s);
    EXPECT_EQ(r.kind, ll::StructureKind::Article);
    EXPECT_EQ(r.number, 1043);
    EXPECT_EQ(r.text, u"第一千零四十三条"_s);
    r = only_reference(u"第十二回讲了什么"_s);
    EXPECT_EQ(r.kind, ll::StructureKind::Chapter);
    EXPECT_EQ(r.number, 12);
    r = only_reference("What does Article 5 say?");
    EXPECT_EQ(r.kind, ll::StructureKind::Article);
    EXPECT_EQ(r.number, 5);
    r = only_reference("What is in § 12?");
    EXPECT_EQ(r.kind, ll::StructureKind::Section);
    EXPECT_EQ(r.number, 12);
    r = only_reference("Summarise chapter twelve.");
    EXPECT_EQ(r.kind, ll::StructureKind::Chapter);
    EXPECT_EQ(r.number, 12);
    r = only_reference("What does Amendment XIV guarantee?");
    EXPECT_EQ(r.kind, ll::StructureKind::Amendment);
    EXPECT_EQ(r.number, 14);
    r = only_reference("What does Section 3.1 propose?");
    EXPECT_EQ(r.kind, ll::StructureKind::Section);
    EXPECT_EQ(r.path, "3.1");
    r = only_reference("What does Table 2 compare?");
    EXPECT_FALSE(r.kind.has_value());
    EXPECT_EQ(r.word, "Table");
    EXPECT_EQ(r.number, 2);
    r = only_reference("Who pays under Clause 14.6?");
    EXPECT_EQ(r.word, "Clause");
    EXPECT_EQ(r.path, "14.6");
    // Words that only look like references.
    EXPECT_TRUE(ll::find_unit_references(u"What part of the story is sad?").empty());
    EXPECT_TRUE(ll::find_unit_references(u"Which section is about whales?").empty());
    EXPECT_TRUE(ll::find_unit_references(u"家庭应当树立什么样的家风？").empty());
    // Nested references read as a path: the chapter inside the part.
    const auto refs = ll::find_unit_references(u"第二编第三章规定了什么"_s);
    ASSERT_EQ(refs.size(), 2u);
    EXPECT_EQ(refs[0].kind, ll::StructureKind::Part);
    EXPECT_FALSE(refs[0].chained);
    EXPECT_TRUE(refs[1].chained);
}

TEST(QueryTerms, CjkRunsWeighLikeWords) {
    const auto terms = ll::query_terms(u"诉讼时效 whales 法");
    double cjk = 0, latin = 0, single = 0;
    for (const auto& [t, w] : terms) {
        if (t == "whales")
            latin = w;
        else if (t == u"法"_s)
            single = w;
        else
            cjk += w;
    }
    EXPECT_DOUBLE_EQ(latin, 1.0);
    EXPECT_DOUBLE_EQ(cjk, 2.0);  // four characters: two words' worth over three bigrams
    EXPECT_DOUBLE_EQ(single, 0.5);
}

const ll::Document& civil_code_pdf() {
    static const ll::Document doc = ll::import_document(
        QString::fromStdString(lltest::shared_path("corpus/legal/prc-civil-code-zh.pdf")));
    return doc;
}

QString article_label(const ll::OutlineNode& n) {
    static const QRegularExpression re(u"^(第[〇零一二两三四五六七八九十百千]+条)"_s);
    return re.match(n.title).captured(1);
}

bool covers_start(const ll::ContextPlan& plan, qsizetype at) {
    return std::any_of(plan.passages.begin(), plan.passages.end(),
                       [&](const ll::Passage& p) { return p.start <= at && at < p.end; });
}

// Every article of the code, asked for by its number: ranked first, planned, and named.
TEST(StructureRetrieval, EveryCivilCodeArticleAskedByNumberComesFirst) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    const ll::Document& doc = civil_code_pdf();
    const ll::PassageIndex index(doc, 192);
    const int doc_tokens = ll::estimate_tokens(doc.text);
    int articles = 0, first = 0, planned = 0;
    for (const ll::OutlineNode& n : doc.outline) {
        if (n.kind != ll::StructureKind::Article) continue;
        ++articles;
        const QString question = article_label(n) + u"规定了什么？"_s;
        const ll::Ranking r = ll::rank_passages(index, question);
        ASSERT_FALSE(r.hits.empty());
        const ll::Passage& top = index.passages()[size_t(r.hits.front().passage)];
        first += top.start <= n.start && n.start < top.end && r.hits.front().named;
        const ll::ContextPlan plan = ll::plan_context(index, doc.text.size(), doc_tokens, question,
                                                      1000, ll::ContextMode::Auto);
        planned += covers_start(plan, n.start) && plan.named.size() == 1 &&
                   plan.named[0].start == n.start && plan.thin.isEmpty();
    }
    EXPECT_EQ(articles, 1260);
    EXPECT_EQ(first, articles);
    EXPECT_EQ(planned, articles);
}

TEST(StructureRetrieval, ArabicNumeralsAndEnglishNamesReachTheSameArticle) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    const ll::Document& doc = civil_code_pdf();
    const ll::PassageIndex index(doc, 192);
    const ll::OutlineNode* a1043 = nullptr;
    for (const ll::OutlineNode& n : doc.outline)
        if (n.kind == ll::StructureKind::Article && n.number == 1043) a1043 = &n;
    ASSERT_NE(a1043, nullptr);
    for (const QString& q : {u"第1043条规定了什么？"_s, u"What does Article 1043 say?"_s}) {
        const ll::Ranking r = ll::rank_passages(index, q);
        ASSERT_EQ(r.named.size(), 1u) << q.toStdString();
        EXPECT_EQ(r.named[0].start, a1043->start);
    }
}

TEST(StructureRetrieval, ArticleSplitOverPassagesIsPlannedWhole) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    const ll::Document& doc = civil_code_pdf();
    const ll::PassageIndex index(doc, 48);  // small passages: long articles span several
    const int doc_tokens = ll::estimate_tokens(doc.text);
    // Content questions (no number): every article a passage of the plan belongs to is in
    // the plan whole, when it is at most half the budget.
    for (const QString& q : {u"诉讼时效期间"_s, u"遗嘱的形式"_s, u"饲养的动物造成他人损害"_s}) {
        const ll::ContextPlan plan =
            ll::plan_context(index, doc.text.size(), doc_tokens, q, 800, ll::ContextMode::Auto);
        ASSERT_FALSE(plan.passages.empty());
        for (const ll::Passage& p : plan.passages) {
            for (const ll::OutlineNode& n : doc.outline) {
                if (n.kind != ll::StructureKind::Article ||
                    !(n.start <= p.end - 1 && p.end - 1 < n.end))
                    continue;
                if (ll::estimate_tokens(QStringView(doc.text).mid(n.start, n.end - n.start)) > 300)
                    continue;
                EXPECT_TRUE(covers_start(plan, n.start) && covers_start(plan, n.end - 2))
                    << "article " << n.number << " cut for " << q.toStdString();
            }
        }
    }
}

TEST(StructureRetrieval, NovelChapterByNumberIsReadAsFarAsItFitsAndSaysSo) {
    LL_REQUIRE_SHARED("corpus/novels/journey-to-the-west-xiyouji.utf8.txt");
    const ll::Document doc = ll::import_document(QString::fromStdString(
        lltest::shared_path("corpus/novels/journey-to-the-west-xiyouji.utf8.txt")));
    const ll::PassageIndex index(doc, 192);
    const ll::ContextPlan plan =
        ll::plan_context(index, doc.text.size(), ll::estimate_tokens(doc.text),
                         u"第十二回讲了什么？"_s, 2000, ll::ContextMode::Auto);
    ASSERT_EQ(plan.named.size(), 1u);
    const ll::NamedUnit& u = plan.named[0];
    EXPECT_TRUE(doc.text.mid(u.start, 40).contains(u"第十二回"_s));
    EXPECT_TRUE(covers_start(plan, u.start));  // its heading first
    EXPECT_GT(u.tokens, 2000);                 // a chapter is longer than the budget ...
    EXPECT_GT(u.planned, 1500);                // ... which it fills
    EXPECT_LE(plan.tokens, 2000);
    int inside = 0;  // what is left after the chapter's last passage that fits goes elsewhere
    for (const ll::Passage& p : plan.passages)
        if (u.start <= p.start && p.end <= u.end) inside += p.tokens + 2;
    EXPECT_GE(inside, plan.tokens * 9 / 10);
    EXPECT_TRUE(ll::describe_plan(plan).contains(
        QStringLiteral("第十二回 (%1 of its %2 tokens)").arg(u.planned).arg(u.tokens)))
        << ll::describe_plan(plan).toStdString();
}

TEST(StructureRetrieval, PaperSectionAndTableByNumber) {
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    LL_REQUIRE_SHARED("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf");
    const ll::Document yarn = ll::import_document(
        QString::fromStdString(lltest::shared_path("corpus/papers/yarn-2309.00071v2.pdf")));
    const ll::PassageIndex yarn_index(yarn, 192);
    ll::Ranking r = ll::rank_passages(yarn_index, u"What does Section 3.2 describe?");
    ASSERT_EQ(r.named.size(), 1u);
    EXPECT_TRUE(r.named[0].title.startsWith("3.2 ")) << r.named[0].title.toStdString();
    EXPECT_TRUE(r.hits.front().named);

    const ll::Document aiayn = ll::import_document(QString::fromStdString(
        lltest::shared_path("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf")));
    const ll::PassageIndex aiayn_index(aiayn, 192);
    r = ll::rank_passages(aiayn_index, u"What does Table 2 show?");
    ASSERT_EQ(r.named.size(), 1u);
    EXPECT_TRUE(r.named[0].title.startsWith("Table 2")) << r.named[0].title.toStdString();
    const ll::Passage& top = aiayn_index.passages()[size_t(r.hits.front().passage)];
    EXPECT_TRUE(aiayn.text.mid(top.start, top.end - top.start).contains("Table 2"));
}

TEST(StructureRetrieval, ThinContextIsNamed) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    const ll::Document& doc = civil_code_pdf();
    const ll::PassageIndex index(doc, 192);
    const int tokens = ll::estimate_tokens(doc.text);
    // A unit the document does not have.
    ll::ContextPlan plan = ll::plan_context(index, doc.text.size(), tokens,
                                            u"第二千条规定了什么？"_s, 1000, ll::ContextMode::Auto);
    EXPECT_EQ(plan.not_found, QStringList{u"第二千条"_s});
    EXPECT_TRUE(plan.thin.contains(u"第二千条"_s)) << plan.thin.toStdString();
    // A question about nothing the code speaks of.
    plan = ll::plan_context(index, doc.text.size(), tokens, u"What is the capital of Peru?", 1000,
                            ll::ContextMode::Auto);
    EXPECT_FALSE(plan.thin.isEmpty());
    // A window that leaves a passage or two.
    plan = ll::plan_context(index, doc.text.size(), tokens, u"诉讼时效期间是几年？"_s, 150,
                            ll::ContextMode::Auto);
    EXPECT_TRUE(plan.thin.contains("150")) << plan.thin.toStdString();
    // A good match in a big enough window is not thin.
    plan = ll::plan_context(index, doc.text.size(), tokens, u"诉讼时效期间是几年？"_s, 1000,
                            ll::ContextMode::Auto);
    EXPECT_TRUE(plan.thin.isEmpty()) << plan.thin.toStdString();
    EXPECT_GT(plan.left_out, 0);
    EXPECT_TRUE(ll::describe_plan(plan).contains("left out"))
        << ll::describe_plan(plan).toStdString();
}

}  // namespace
