// Chip labels (issue 18 point 4): a citation is named by its unit — the article, its 款, the
// paragraph of a chapter, a numbered clause, the page — and never by a line number; the
// citations of one answer never share a label.
#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include "bundled.h"
#include "documents/importer.h"
#include "question_answerer.h"
#include "shared_data.h"

namespace {

using namespace Qt::StringLiterals;

qsizetype at(const ll::Document& doc, const QString& text) {
    const qsizetype i = doc.text.indexOf(text);
    EXPECT_GE(i, 0) << text.toStdString();
    return i;
}

QString label(const ll::Document& doc, const QString& quoted) {
    const qsizetype s = at(doc, quoted);
    return ll::make_citation(doc, s, s + quoted.size()).label;
}

}  // namespace

QT_BEGIN_NAMESPACE
// Readable failures: gtest prints QStrings as text.
inline void PrintTo(const QString& s, std::ostream* os) {
    *os << '"' << s.toStdString() << '"';
}
QT_END_NAMESPACE

namespace {

TEST(CitationLabels, SampleSentenceIsAParagraphOfItsChapter) {
    const ll::Document doc = ll::import_document(ll::bundled::sample_document());
    // Chapter 2's heading, then three paragraphs of rules: the code is in the third.
    EXPECT_EQ(label(doc, "The code for the cellar is 73518."), "¶ 3 of Chapter 2");
    EXPECT_EQ(label(doc, "The first rule is that the lamp is lit"), "¶ 1 of Chapter 2");
    // The whole chapter is the chapter.
    int chapters = 0;
    for (const ll::OutlineNode& n : doc.outline) {
        if (n.kind != ll::StructureKind::Chapter || n.number != 2) continue;
        EXPECT_EQ(ll::make_citation(doc, n.start, n.end).label, "Chapter 2");
        ++chapters;
    }
    EXPECT_EQ(chapters, 1);
}

TEST(CitationLabels, CivilCodeArticlesAndTheirParagraphs) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    const ll::Document doc = ll::import_document(
        QString::fromStdString(lltest::shared_path("corpus/legal/prc-civil-code-zh.pdf")));
    const ll::OutlineNode* a = nullptr;
    for (const ll::OutlineNode& n : doc.outline)
        if (n.kind == ll::StructureKind::Article && n.number == 1043) a = &n;
    ASSERT_NE(a, nullptr);
    const QString page = QStringLiteral(" · p. %1").arg(doc.page_of(a->start) + 1);
    EXPECT_EQ(label(doc, u"家庭应当树立优良家风"_s), u"第一千零四十三条第一款"_s + page);
    EXPECT_EQ(label(doc, u"夫妻应当互相忠实，互相尊重，互相关爱；"_s),
              u"第一千零四十三条第二款"_s + page);
    EXPECT_EQ(ll::make_citation(doc, a->start, a->end).label, u"第一千零四十三条"_s + page);
    // Two sentences of one 款 cited by one answer read apart.
    QList<ll::AnswerCitation> cs;
    for (const QString& q : {u"夫妻应当互相忠实，互相尊重，互相关爱；"_s, u"家庭成员应当敬老爱幼"_s,
                             u"家庭应当树立优良家风"_s}) {
        const qsizetype s = at(doc, q);
        cs << ll::make_citation(doc, s, s + q.size());
    }
    ll::distinguish_labels(doc, cs);
    EXPECT_EQ(cs[0].label, u"第一千零四十三条第二款第1句"_s + page);
    EXPECT_EQ(cs[1].label, u"第一千零四十三条第二款第2句"_s + page);
    EXPECT_EQ(cs[2].label, u"第一千零四十三条第一款"_s + page);
}

TEST(CitationLabels, TextWithoutOutlineNamesClausesAndParagraphsNeverLines) {
    QTemporaryDir dir;
    const QString path = dir.filePath("agreement.txt");
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(
        "This agreement is made between the parties named below. It governs the supply of "
        "goods. Both parties have read it.\n\n"
        "14.5 The Buyer shall pay within thirty days of the invoice.\n\n"
        "14.6 The Supplier shall deliver the goods to the Buyer's warehouse. Delivery is at "
        "the Supplier's risk.\n\n"
        "Nothing in this agreement creates a partnership. Notices are given in writing.\n");
    f.close();
    const ll::Document doc = ll::import_document(path);
    ASSERT_TRUE(doc.outline.isEmpty());
    EXPECT_EQ(label(doc, "Delivery is at the Supplier's risk."), "Clause 14.6");
    EXPECT_EQ(label(doc, "The Buyer shall pay"), "Clause 14.5");
    EXPECT_EQ(label(doc, "It governs the supply of goods."), "¶ 1");
    EXPECT_EQ(label(doc, "Notices are given in writing."), "¶ 4");
    // The document is one line per paragraph: line numbers would all differ here, but a
    // one-line text would have read "line 1" twice. Two sentences of one paragraph:
    QList<ll::AnswerCitation> cs;
    for (const QString& q : {QStringLiteral("It governs the supply of goods."),
                             QStringLiteral("Both parties have read it.")}) {
        const qsizetype s = at(doc, q);
        cs << ll::make_citation(doc, s, s + q.size());
    }
    ll::distinguish_labels(doc, cs);
    EXPECT_EQ(cs[0].label, "¶ 1, sentence 2");
    EXPECT_EQ(cs[1].label, "¶ 1, sentence 3");
    for (const ll::AnswerCitation& c : cs) EXPECT_FALSE(c.label.contains("line"));
}

TEST(CitationLabels, NovelChaptersAndPaperSectionsByTheirNumbers) {
    LL_REQUIRE_SHARED("corpus/novels/journey-to-the-west-ch01-07.utf8.txt");
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    // 西游记's headings carry a tag before the number ("《》目录 第二回 …"): the chip is 第二回.
    const ll::Document novel = ll::import_document(QString::fromStdString(
        lltest::shared_path("corpus/novels/journey-to-the-west-ch01-07.utf8.txt")));
    for (const ll::OutlineNode& n : novel.outline) {
        if (n.kind != ll::StructureKind::Chapter || n.number != 2) continue;
        EXPECT_EQ(ll::make_citation(novel, n.start, n.end).label, u"第二回"_s);
        const qsizetype mid = n.start + (n.end - n.start) / 2;
        EXPECT_TRUE(ll::make_citation(novel, mid, mid + 10).label.endsWith(u" of 第二回"_s))
            << ll::make_citation(novel, mid, mid + 10).label.toStdString();
    }
    const ll::Document yarn = ll::import_document(
        QString::fromStdString(lltest::shared_path("corpus/papers/yarn-2309.00071v2.pdf")));
    EXPECT_EQ(label(yarn, "In this section, we think heavily in terms of the wavelengths"),
              "¶ 2 of § 3.2 · p. 5");
}

}  // namespace
