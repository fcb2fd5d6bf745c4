// Structure found in the corpus' novels and legal texts, and in small generated texts for
// the rules the corpus does not exercise (§, English parts, papers, tables of contents).
#include <gtest/gtest.h>

#include <algorithm>

#include "documents/structure_detector.h"
#include "import_test_support.h"

using namespace ll;
using lltest::import_shared;

namespace {

QList<int> numbers_of(const Document& doc, StructureKind kind) {
    QList<int> out;
    for (const OutlineNode& n : doc.outline)
        if (n.kind == kind) out.append(n.number);
    return out;
}

QList<int> one_to(int n) {
    QList<int> out;
    for (int i = 1; i <= n; ++i) out.append(i);
    return out;
}

}  // namespace

TEST(Structure, CivilCodeMarkdownHas1260ArticlesAndSevenParts) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.md");
    const Document doc = import_shared("corpus/legal/prc-civil-code-zh.md");
    EXPECT_EQ(numbers_of(doc, StructureKind::Article), one_to(1260));
    EXPECT_EQ(numbers_of(doc, StructureKind::Part), one_to(7));
    EXPECT_EQ(doc.count(StructureKind::Supplementary), 1);
    EXPECT_EQ(doc.count(StructureKind::Subpart), 8);
    EXPECT_EQ(doc.count(StructureKind::Chapter), 84);
    EXPECT_EQ(doc.count(StructureKind::Section), 37);
    // Articles nest below sections, sections below chapters, chapters below parts.
    const OutlineNode& first_article = doc.outline[3];
    EXPECT_EQ(first_article.kind, StructureKind::Article);
    for (const OutlineNode& n : doc.outline) EXPECT_LE(n.start, n.end);
    const OutlineNode last = doc.outline.back();
    EXPECT_EQ(last.number, 1260);
    EXPECT_TRUE(lltest::text_of(doc, last).startsWith(QStringLiteral("第一千二百六十条")));
    EXPECT_TRUE(lltest::text_of(doc, last).trimmed().endsWith(QStringLiteral("同时废止。")));
}

TEST(Structure, XiyoujiHas100Chapters) {
    LL_REQUIRE_SHARED("corpus/novels/journey-to-the-west-xiyouji.utf8.txt");
    const Document doc = import_shared("corpus/novels/journey-to-the-west-xiyouji.utf8.txt");
    EXPECT_EQ(numbers_of(doc, StructureKind::Chapter), one_to(100));
    EXPECT_EQ(doc.outline.back().end, doc.text.size());
    EXPECT_TRUE(doc.outline[99].title.contains(QStringLiteral("第一百回")));
}

TEST(Structure, PrideAndPrejudiceHas61Chapters) {
    LL_REQUIRE_SHARED("corpus/novels/pride-and-prejudice-austen.pg1342.cp1252.txt");
    const Document doc =
        import_shared("corpus/novels/pride-and-prejudice-austen.pg1342.cp1252.txt");
    EXPECT_EQ(numbers_of(doc, StructureKind::Chapter), one_to(61));
    // Chapter I's heading closes the title page's illustration caption: "Chapter I.]".
    const auto first = std::find_if(
        doc.outline.begin(), doc.outline.end(),
        [](const OutlineNode& n) { return n.kind == StructureKind::Chapter && n.number == 1; });
    ASSERT_NE(first, doc.outline.end());
    EXPECT_EQ(first->title, "Chapter I.");
}

TEST(Structure, AliceContentsLinkToChaptersAndTheLicenceIsBackMatter) {
    LL_REQUIRE_SHARED("corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt");
    const Document doc = import_shared("corpus/novels/alice-in-wonderland-carroll.pg11.utf8.txt");
    EXPECT_EQ(numbers_of(doc, StructureKind::Chapter), one_to(12));
    // Read off the file: the header, "Contents" with twelve lines, twelve chapters whose
    // name is on the line under "CHAPTER I.", the licence.
    const QStringList names = {"Down the Rabbit-Hole",
                               "The Pool of Tears",
                               "A Caucus-Race and a Long Tale",
                               "The Rabbit Sends in a Little Bill",
                               "Advice from a Caterpillar",
                               "Pig and Pepper",
                               "A Mad Tea-Party",
                               "The Queen’s Croquet-Ground",
                               "The Mock Turtle’s Story",
                               "The Lobster Quadrille",
                               "Who Stole the Tarts?",
                               "Alice’s Evidence"};
    QStringList want = {"front-matter 0 -1 Gutenberg header -1", "contents 0 -1 Contents -1"};
    const QStringList roman = {"I",   "II",   "III", "IV", "V",  "VI",
                               "VII", "VIII", "IX",  "X",  "XI", "XII"};
    for (int i = 0; i < 12; ++i)
        want << QStringLiteral("contents-entry 1 %1 CHAPTER %2. %3 %4")
                    .arg(i + 1)
                    .arg(roman[i], names[i])
                    .arg(14 + i);
    for (int i = 0; i < 12; ++i)
        want << QStringLiteral("chapter 0 %1 CHAPTER %2. %3 -1").arg(i + 1).arg(roman[i], names[i]);
    want << "back-matter 0 -1 Gutenberg licence -1";
    QStringList got;
    for (const OutlineNode& n : doc.outline)
        got << QStringLiteral("%1 %2 %3 %4 %5")
                   .arg(kind_name(n.kind))
                   .arg(n.level)
                   .arg(n.number)
                   .arg(n.title)
                   .arg(n.target);
    EXPECT_EQ(got, want);
    ASSERT_EQ(doc.outline.size(), 27);
    const OutlineNode first = doc.outline[14];
    EXPECT_TRUE(lltest::text_of(doc, first).contains("Alice was beginning to get very tired"));
    EXPECT_FALSE(lltest::text_of(doc, first).contains("CHAPTER II."));
    // The last chapter ends with the book; the licence's sections are not under it.
    EXPECT_FALSE(lltest::text_of(doc, doc.outline[25]).contains("Section 1."));
    EXPECT_TRUE(lltest::text_of(doc, doc.outline[26]).contains("Section 1."));
}

TEST(Structure, UsConstitutionHas7ArticlesAnd27Amendments) {
    LL_REQUIRE_SHARED("corpus/legal/us-constitution.en.txt");
    const Document doc = import_shared("corpus/legal/us-constitution.en.txt");
    EXPECT_EQ(numbers_of(doc, StructureKind::Article), one_to(7));
    EXPECT_EQ(numbers_of(doc, StructureKind::Amendment), one_to(27));
    EXPECT_GT(doc.count(StructureKind::Section), 20);
    // Sections sit inside articles here, unlike Chinese law where 条 sits inside 节.
    int article_level = -1;
    for (const OutlineNode& n : doc.outline) {
        if (n.kind == StructureKind::Article) article_level = n.level;
        if (n.kind == StructureKind::Section && article_level >= 0) {
            EXPECT_GT(n.level, article_level);
            break;
        }
    }
}

TEST(Structure, ChineseLegalCrossReferencesAreNotArticles) {
    const QString text = QStringLiteral(
        "第一章　总则\n第一条　为了规范，制定本法。\n第二条　适用本法。\n"
        "第三条的规定不适用于下列情形：\n（一）第一百条规定的情形。\n第三条　本法自公布之日起施行。"
        "\n"
        "第二章　附加\n第四条　其他。\n");
    const Outline o = detect_structure(text);
    QList<int> articles, chapters;
    for (const OutlineNode& n : o) {
        if (n.kind == StructureKind::Article) articles.append(n.number);
        if (n.kind == StructureKind::Chapter) chapters.append(n.number);
    }
    EXPECT_EQ(articles, QList<int>({1, 2, 3, 4}));
    EXPECT_EQ(chapters, QList<int>({1, 2}));
}

TEST(Structure, EnglishLegalSectionsAndParagraphSigns) {
    const QString text = QStringLiteral(
        "PART I\nGeneral\n\n§ 1. Scope.\nThis applies.\n\n§ 2. Definitions.\nWords.\n\n"
        "PART II\nOther\n\nSection 3. Effect\nText.\n");
    const Outline o = detect_structure(text);
    ASSERT_EQ(o.size(), 5);
    EXPECT_EQ(o[0].kind, StructureKind::Part);
    EXPECT_EQ(o[1].kind, StructureKind::Section);
    EXPECT_EQ(o[1].number, 1);
    EXPECT_EQ(o[4].number, 3);
    EXPECT_GT(o[1].level, o[0].level);
    EXPECT_EQ(o[0].end, o[3].start);
}

TEST(Structure, PaperSections) {
    const QString text = QStringLiteral(
        "A Title\nAbstract\nWe do things.\n1 Introduction\nText here.\n1. a list item that "
        "Starts\n2 Method\nMore.\n2.1 Details\nEven more.\n2.2 More Details\nx\n"
        "3 Results\ny\nReferences\n[1] A. Author.\nA Proofs\nz\n");
    const Outline o = detect_structure(text);
    QStringList titles;
    for (const OutlineNode& n : o) titles.append(n.title);
    EXPECT_EQ(titles, QStringList({"Abstract", "1 Introduction", "2 Method", "2.1 Details",
                                   "2.2 More Details", "3 Results", "References", "A Proofs"}));
    EXPECT_EQ(o[3].level, o[1].level + 1);
}

TEST(Structure, AppendixSubsectionsCountWithinTheirAppendix) {
    // B.1 is subsection 1 of appendix B (= 2), so B.2 follows it.
    const QString text = QStringLiteral(
        "Abstract\nx\n1 Introduction\ny\nReferences\n[1] A. B. C.\nA Proofs\nz\n"
        "A.1 First\nz\nA.2 Second\nz\nB More\nz\nB.1 Third\nz\nB.2 Fourth\nz\n");
    QStringList titles;
    for (const OutlineNode& n : detect_structure(text)) titles.append(n.title);
    EXPECT_EQ(titles,
              QStringList({"Abstract", "1 Introduction", "References", "A Proofs", "A.1 First",
                           "A.2 Second", "B More", "B.1 Third", "B.2 Fourth"}));
}

TEST(Structure, ChineseNovelChaptersWithoutTag) {
    const QString text =
        QStringLiteral("第一章 开端\n他来了。\n第二章 发展\n他走了。\n第三章\n结束了。\n");
    const Outline o = detect_structure(text);
    ASSERT_EQ(o.size(), 3);
    EXPECT_EQ(o[2].number, 3);
}

TEST(Structure, EnglishNovelChaptersSpelledOut) {
    const QString text = QStringLiteral(
        "PART ONE\n\nCHAPTER ONE\nIt began.\n\nCHAPTER TWO\nIt went on.\n\n"
        "Chapter Twenty-One\nNot yet.\n\nChapter 3\nIt ended.\n");
    const Outline o = detect_structure(text);
    QList<int> chapters;
    for (const OutlineNode& n : o)
        if (n.kind == StructureKind::Chapter) chapters.append(n.number);
    EXPECT_EQ(chapters, QList<int>({1, 2, 3}));  // 21 breaks the order and is left out
    EXPECT_EQ(o[0].kind, StructureKind::Part);
}

TEST(Structure, KafkaChaptersAreBareRomanNumerals) {
    LL_REQUIRE_SHARED("corpus/novels/die-verwandlung-kafka-de.pg22367.utf8.txt");
    const Document doc = import_shared("corpus/novels/die-verwandlung-kafka-de.pg22367.utf8.txt");
    EXPECT_EQ(numbers_of(doc, StructureKind::Chapter), one_to(3));
}

namespace {

QStringList outline_lines(const Document& doc) {
    QStringList out;
    for (const OutlineNode& n : doc.outline)
        out << QStringLiteral("%1 %2 %3 %4")
                   .arg(kind_name(n.kind))
                   .arg(n.level)
                   .arg(n.number)
                   .arg(n.title);
    return out;
}

QString roman(int n) {
    static const std::pair<int, const char*> digits[] = {
        {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}};
    QString out;
    for (const auto& [value, text] : digits)
        while (n >= value) out += QLatin1String(text), n -= value;
    return out;
}

}  // namespace

TEST(Structure, PrideAndPrejudiceOutlineWithPrefaceAndLicence) {
    LL_REQUIRE_SHARED("corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt");
    const Document doc = import_shared("corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt");
    // Read off the file: the header, Saintsbury's "PREFACE.", "Chapter I.]" closing the
    // title illustration, then "CHAPTER II." … "CHAPTER LXI.", then the licence. The list of
    // illustrations ("Heading to Chapter I. … 1") names no headings. XIII and XIV are
    // printed without their full stop, XLVI (under an illustration) as "Chapter XLVI.".
    QStringList want = {"front-matter 0 -1 Gutenberg header", "front-matter 0 -1 PREFACE.",
                        "chapter 0 1 Chapter I."};
    for (int i = 2; i <= 61; ++i)
        want << QStringLiteral("chapter 0 %1 %2 %3%4")
                    .arg(i)
                    .arg(i == 46 ? "Chapter" : "CHAPTER", roman(i), i == 13 || i == 14 ? "" : ".");
    want << "back-matter 0 -1 Gutenberg licence";
    EXPECT_EQ(outline_lines(doc).join('\n').toStdString(), want.join('\n').toStdString());
}

TEST(Structure, KafkaOutlineWithHeaderAndLicence) {
    LL_REQUIRE_SHARED("corpus/novels/die-verwandlung-kafka-de.pg22367.utf8.txt");
    const Document doc = import_shared("corpus/novels/die-verwandlung-kafka-de.pg22367.utf8.txt");
    EXPECT_EQ(
        outline_lines(doc).join('\n').toStdString(),
        QStringList({"front-matter 0 -1 Gutenberg header", "chapter 0 1 I.", "chapter 0 2 II.",
                     "chapter 0 3 III.", "back-matter 0 -1 Gutenberg licence"})
            .join('\n')
            .toStdString());
    // The letter-spaced publisher line of the title page stays in the header's range.
    EXPECT_GT(doc.outline[1].start, doc.text.indexOf("K U R T"));
}

TEST(Structure, GplClausesAreItsOutline) {
    LL_REQUIRE_SHARED("corpus/legal/gpl-3.0.en.txt");
    const Document doc = import_shared("corpus/legal/gpl-3.0.en.txt");
    const QStringList titles = {"Definitions.",
                                "Source Code.",
                                "Basic Permissions.",
                                "Protecting Users' Legal Rights From Anti-Circumvention Law.",
                                "Conveying Verbatim Copies.",
                                "Conveying Modified Source Versions.",
                                "Conveying Non-Source Forms.",
                                "Additional Terms.",
                                "Termination.",
                                "Acceptance Not Required for Having Copies.",
                                "Automatic Licensing of Downstream Recipients.",
                                "Patents.",
                                "No Surrender of Others' Freedom.",
                                "Use with the GNU Affero General Public License.",
                                "Revised Versions of this License.",
                                "Disclaimer of Warranty.",
                                "Limitation of Liability.",
                                "Interpretation of Sections 15 and 16."};
    // The centred "Preamble" before the terms is front matter, as a constitution's is.
    QStringList want = {"front-matter 0 -1 Preamble"};
    for (int i = 0; i < titles.size(); ++i)
        want << QStringLiteral("section 0 %1 %1. %2").arg(i).arg(titles[i]);
    EXPECT_EQ(outline_lines(doc).join('\n').toStdString(), want.join('\n').toStdString());
}
