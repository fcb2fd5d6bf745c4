// Retrieval (issue 5's index, issue 6's context plan): terms, structure-aware passages and
// BM25 on the real Civil Code and Pride and Prejudice, counted with the real Llama 2 tokenizer.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "app_error.h"
#include "documents/importer.h"
#include "qa/context_plan.h"
#include "qa/passage_chunker.h"
#include "qa/passage_index.h"
#include "qa/text_terms.h"
#include "shared_data.h"
#include "tokenizer.h"

namespace {

const char* kCivilCode = "corpus/legal/prc-civil-code-zh.md";
const char* kPride = "corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt";
const char* kTokenizer = "models/ref-mini/tokenizer.model";

const ll::Document& civil_code() {
    static const ll::Document doc =
        ll::import_document(QString::fromStdString(lltest::shared_path(kCivilCode)));
    return doc;
}

ll::TokenCounter llama_counter() {
    static const auto tok = ll::Tokenizer::from_file(lltest::shared_path(kTokenizer));
    return [](QStringView text) {
        return static_cast<int>(tok->encode(text.toUtf8().toStdString()).size());
    };
}

const ll::OutlineNode& article(const ll::Document& doc, int number) {
    for (const ll::OutlineNode& n : doc.outline)
        if (n.kind == ll::StructureKind::Article && n.number == number) return n;
    throw std::runtime_error("no article " + std::to_string(number));
}

TEST(TextTerms, WordsLowerCasedAndCjkBigrams) {
    EXPECT_EQ(ll::terms_of(u"Mr. Darcy's pride"), (QStringList{"mr", "darcy", "s", "pride"}));
    EXPECT_EQ(ll::terms_of(u"诉讼时效，三年"), (QStringList{"诉讼", "讼时", "时效", "三年"}));
    EXPECT_EQ(ll::terms_of(u"第5条 法"), (QStringList{"第", "5", "条", "法"}));
    EXPECT_EQ(ll::terms_of(u"Article 12民法"), (QStringList{"article", "12", "民法"}));
}

TEST(PassageChunker, SentencesEndAtStopsButNotAtTitles) {
    const QString t = "Mr. Bennet laughed. \"Is it?\" she said! Then she left. 他笑了。她走了";
    std::vector<QString> got;
    for (auto [s, e] : ll::sentence_ranges(t, 0, t.size())) got.push_back(t.mid(s, e - s));
    EXPECT_EQ(got, (std::vector<QString>{"Mr. Bennet laughed.", "\"Is it?\" she said!",
                                         "Then she left.", "他笑了。", "她走了"}));
}

TEST(PassageChunker, CivilCodeArticlesAreNeverSplitOrMerged) {
    LL_REQUIRE_SHARED(kCivilCode);
    LL_REQUIRE_SHARED(kTokenizer);
    const ll::Document& doc = civil_code();
    const auto count = llama_counter();
    const auto passages = ll::chunk_document(doc, 400, count);
    for (size_t i = 1; i < passages.size(); ++i)
        ASSERT_LE(passages[i - 1].end, passages[i].start) << "overlap or disorder at " << i;
    int whole = 0, checked = 0;
    for (const ll::OutlineNode& n : doc.outline) {
        if (n.kind != ll::StructureKind::Article) continue;
        ++checked;
        // The passage holding the article's first character also holds its end, and no
        // other article starts inside it.
        auto it = std::find_if(passages.begin(), passages.end(), [&](const ll::Passage& p) {
            return p.start <= n.start && n.start < p.end;
        });
        ASSERT_NE(it, passages.end()) << n.title.toStdString();
        const bool others = std::any_of(doc.outline.begin(), doc.outline.end(), [&](auto& o) {
            return o.kind == ll::StructureKind::Article && o.start != n.start &&
                   it->start <= o.start && o.start < it->end;
        });
        const bool is_whole = it->end >= doc.text.left(n.end).trimmed().size() && !others;
        if (is_whole)
            ++whole;
        else
            EXPECT_GT(count(doc.text.mid(n.start, n.end - n.start)), 400) << n.title.toStdString();
    }
    EXPECT_EQ(checked, 1260);
    EXPECT_GE(whole, 1250);
}

TEST(PassageChunker, LongNovelParagraphsAreCutToTheBudget) {
    LL_REQUIRE_SHARED(kPride);
    const ll::Document doc =
        ll::import_document(QString::fromStdString(lltest::shared_path(kPride)));
    const auto passages = ll::chunk_document(doc, 120);
    ASSERT_GT(passages.size(), 500u);
    qsizetype covered = 0;
    for (const ll::Passage& p : passages) {
        EXPECT_LE(p.tokens, 120 + 40) << doc.text.mid(p.start, 80).toStdString();
        covered += p.end - p.start;
    }
    // Only blank space between passages is left out.
    EXPECT_GT(covered, doc.text.size() * 95 / 100);
}

struct Question {
    int article;
    const char16_t* text;
};

// Each names an article's topic in words of its own, as a reader would ask.
const Question kQuestions[] = {
    {7, u"民事活动中的诚信原则是什么？"},
    {13, u"自然人的民事权利能力从什么时候开始？"},
    {17, u"多大年龄的自然人是成年人？"},
    {40, u"自然人下落不明多久可以申请宣告失踪？"},
    {188, u"请求保护民事权利的诉讼时效期间是几年？"},
    {314, u"拾得遗失物应当怎么办？"},
    {585, u"合同约定的违约金过高怎么办？"},
    {586, u"定金合同什么时候成立？"},
    {595, u"什么是买卖合同？"},
    {667, u"什么是借款合同？"},
    {703, u"什么是租赁合同？"},
    {1012, u"自然人的姓名权包括哪些权利？"},
    {1019, u"可以丑化或者伪造他人的肖像吗？"},
    {1032, u"什么是隐私权？"},
    {1043, u"家庭应当树立什么样的家风？"},
    {1047, u"法定结婚年龄是多少？"},
    {1079, u"夫妻一方要求离婚，法院如何调解？"},
    {1127, u"遗产按照什么顺序继承？"},
    {1134, u"自书遗嘱有什么要求？"},
    {1245, u"饲养的动物造成他人损害由谁承担责任？"},
};

TEST(ContextPlan, CivilCodeRetrievalFindsTheArticleNamed) {
    LL_REQUIRE_SHARED(kCivilCode);
    LL_REQUIRE_SHARED(kTokenizer);
    const ll::Document& doc = civil_code();
    const auto count = llama_counter();
    const ll::PassageIndex index(doc, 256, count);
    const int doc_tokens = count(doc.text);
    int found = 0;
    for (const Question& q : kQuestions) {
        const QString question = QString::fromUtf16(q.text);
        const ll::ContextPlan plan = ll::plan_context(index, doc.text.size(), doc_tokens, question,
                                                      1024, ll::ContextMode::Auto);
        EXPECT_EQ(plan.mode, ll::ContextMode::Retrieve);
        EXPECT_LE(plan.tokens, 1024);
        const ll::OutlineNode& a = article(doc, q.article);
        const bool hit = std::any_of(
            plan.passages.begin(), plan.passages.end(),
            [&](const ll::Passage& p) { return p.start <= a.start && a.start < p.end; });
        found += hit;
        EXPECT_TRUE(hit) << "article " << q.article << " not chosen for " << question.toStdString();
        for (size_t i = 1; i < plan.passages.size(); ++i)
            EXPECT_LE(plan.passages[i - 1].end, plan.passages[i].start) << "document order";
    }
    EXPECT_EQ(found, 20);
}

TEST(ContextPlan, SmallDocumentGoesWholeAndModeCanBeForced) {
    ll::Document doc;
    doc.text = "First paragraph about whales.\n\nSecond one about ships.";
    const ll::PassageIndex index(doc, 8);
    const int tokens = ll::estimate_tokens(doc.text);
    auto plan =
        ll::plan_context(index, doc.text.size(), tokens, u"ships", 100, ll::ContextMode::Auto);
    EXPECT_EQ(plan.mode, ll::ContextMode::Full);
    ASSERT_EQ(plan.passages.size(), 1u);
    EXPECT_EQ(plan.passages[0].end, doc.text.size());
    plan =
        ll::plan_context(index, doc.text.size(), tokens, u"ships", 100, ll::ContextMode::Retrieve);
    EXPECT_EQ(plan.mode, ll::ContextMode::Retrieve);
    ASSERT_EQ(plan.passages.size(), 1u);
    EXPECT_TRUE(doc.text.mid(plan.passages[0].start).startsWith("Second"));
    EXPECT_EQ(ll::parse_mode(u"full"), ll::ContextMode::Full);
    EXPECT_THROW(ll::parse_mode(u"everything"), ll::AppError);
}

}  // namespace
