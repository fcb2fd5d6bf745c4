// PDF import: the Civil Code PDF against its Markdown twin, the YaRN paper, the location
// map (property test over random ranges), and generated layouts for two columns, running
// headers and footers, and hyphenation.
#include <gtest/gtest.h>

#include <poppler-qt6.h>

#include <QRandomGenerator>

#include "documents/import_error.h"
#include "import_test_support.h"
#include "pdf_fixtures.h"

using namespace ll;
using lltest::import_shared;
using lltest::without_spaces;

namespace {

QHash<int, QString> article_texts(const Document& doc) {
    QHash<int, QString> out;
    for (const OutlineNode& n : doc.outline)
        if (n.kind == StructureKind::Article)
            out.insert(n.number, without_spaces(lltest::text_of(doc, n)));
    return out;
}

Document import_generated(const QList<lltest::PdfPage>& pages, QTemporaryDir& dir) {
    return import_document(lltest::write_file(dir, "gen.pdf", lltest::make_pdf(pages)));
}

// A paragraph of Helvetica lines set 12 pt apart from the top of a column.
lltest::PdfPage column(double x, double top, const QList<QByteArray>& lines) {
    lltest::PdfPage page;
    for (int i = 0; i < lines.size(); ++i) page.append({x, top - 12.0 * i, lines[i]});
    return page;
}

}  // namespace

TEST(PdfImport, CivilCodeHas1260ArticlesMatchingTheMarkdown) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.pdf");
    const Document pdf = import_shared("corpus/legal/prc-civil-code-zh.pdf");
    const Document md = import_shared("corpus/legal/prc-civil-code-zh.md");
    EXPECT_EQ(pdf.page_count, 234);
    QList<int> numbers;
    for (const OutlineNode& n : pdf.outline)
        if (n.kind == StructureKind::Article) numbers.append(n.number);
    ASSERT_EQ(numbers.size(), 1260);
    for (int i = 0; i < 1260; ++i) ASSERT_EQ(numbers[i], i + 1);
    EXPECT_EQ(pdf.count(StructureKind::Part), 7);
    EXPECT_EQ(pdf.count(StructureKind::Supplementary), 1);

    const QHash<int, QString> a = article_texts(pdf), b = article_texts(md);
    int same = 0;
    for (int i = 1; i <= 1260; ++i) same += a.value(i) == b.value(i);
    RecordProperty("articles_identical", same);
    EXPECT_GE(same, 1248) << same << " of 1260 articles agree";  // >= 99 %
    // Page numbers printed at the foot of each page stay out of the text.
    EXPECT_EQ(a.value(28), b.value(28));
}

TEST(PdfImport, ChineseConstitutionSkipsItsContentsPage) {
    LL_REQUIRE_SHARED("corpus/legal/prc-constitution-zh.pdf");
    const Document doc = import_shared("corpus/legal/prc-constitution-zh.pdf");
    EXPECT_EQ(doc.page_count, 23);
    EXPECT_EQ(doc.count(StructureKind::Article), 138);  // the 2004 text
    EXPECT_EQ(doc.count(StructureKind::Chapter), 4);
    EXPECT_EQ(doc.count(StructureKind::Section), 7);
}

TEST(PdfImport, YarnPaperPagesSectionsAndFlow) {
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    const Document doc = import_shared("corpus/papers/yarn-2309.00071v2.pdf");
    EXPECT_EQ(doc.page_count, 18);
    QStringList top;
    for (const OutlineNode& n : doc.outline)
        if (n.kind == StructureKind::Section && n.title.size() > 2 && n.title[1] == ' ')
            top.append(n.title.section(' ', 0, 0));
    EXPECT_EQ(top, QStringList({"1", "2", "3", "4", "5", "6"}));
    EXPECT_EQ(doc.count(StructureKind::Abstract), 1);
    EXPECT_EQ(doc.count(StructureKind::References), 1);
    EXPECT_GE(doc.count(StructureKind::Appendix), 1);
    // This sentence runs from the foot of page 7 to the top of page 8 (0-based 6 and 7).
    const qsizetype at = doc.text.indexOf(
        "We calculate the perplexity of long documents and score on established benchmarks");
    ASSERT_GE(at, 0);
    EXPECT_EQ(doc.page_of(at), 6);
    EXPECT_EQ(doc.page_of(at + 80), 7);
    // End-of-line hyphenation is joined ("posi-" / "tional" in the abstract).
    EXPECT_TRUE(doc.text.contains("encode positional information"));
}

TEST(PdfImport, EveryRandomRangeMapsToRectanglesOnItsPage) {
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    const QString path =
        QString::fromStdString(lltest::shared_path("corpus/papers/yarn-2309.00071v2.pdf"));
    const Document doc = import_document(path);
    ASSERT_EQ(doc.boxes.size(), doc.text.size());
    QRandomGenerator rng(1234);
    for (int trial = 0; trial < 5000; ++trial) {
        const qsizetype start = rng.bounded(int(doc.text.size()));
        const qsizetype end = std::min<qsizetype>(doc.text.size(), start + 1 + rng.bounded(200));
        const QList<PageRect> rects = doc.rects_for(start, end);
        ASSERT_FALSE(rects.isEmpty()) << start << ".." << end;
        for (const PageRect& r : rects) {
            ASSERT_GE(r.page, 0);
            ASSERT_LT(r.page, doc.page_count);
            ASSERT_GT(r.rect.width(), 0);
            ASSERT_GT(r.rect.height(), 0);
            ASSERT_LE(r.rect.bottom(), 792 + 1);
        }
        ASSERT_EQ(rects.front().page, doc.page_of(start));
        ASSERT_EQ(rects.back().page, doc.page_of(end - 1));
    }
}

TEST(PdfImport, CharacterBoxesShowThatCharacterOnThatPage) {
    // Asks Poppler what is drawn inside the box of a random character: the right page and
    // place give back the character.
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    const QString path =
        QString::fromStdString(lltest::shared_path("corpus/papers/yarn-2309.00071v2.pdf"));
    const Document doc = import_document(path);
    const auto pdf = Poppler::Document::load(path);
    QRandomGenerator rng(99);
    int checked = 0, found = 0;
    while (checked < 150) {
        const qsizetype i = rng.bounded(int(doc.text.size()));
        const QChar c = doc.text[i];
        if (!c.isLetterOrNumber() || c.unicode() > 0x7F) continue;
        const CharBox& b = doc.boxes[i];
        const QRectF r =
            QRectF(QPointF(b.x0, b.y0), QPointF(b.x1, b.y1)).adjusted(-0.5, -0.5, 0.5, 0.5);
        const QString drawn = pdf->page(b.page)->text(r).normalized(QString::NormalizationForm_KC);
        ++checked;
        found += drawn.contains(c);
    }
    EXPECT_GE(found, checked * 97 / 100) << found << " of " << checked;
}

TEST(PdfImport, TwoColumnsReadColumnByColumn) {
    QTemporaryDir dir;
    lltest::PdfPage page = column(
        72, 700,
        {"The left column starts here and its last", "sentence wraps to the top of the right"});
    page += column(320, 700, {"column where it ends. The right column has", "more text after it."});
    for (int i = 0; i < 30; ++i) {  // fill both columns so they are columns
        page.append(
            {72, 660.0 - 12 * i, "left filler line of ordinary words " + QByteArray::number(i)});
        page.append(
            {320, 660.0 - 12 * i, "right filler line of other words " + QByteArray::number(i)});
    }
    const Document doc = import_generated({page}, dir);
    EXPECT_TRUE(doc.text.contains("sentence wraps to the top of the right column where it ends."))
        << qPrintable(doc.text.left(400));
    EXPECT_LT(doc.text.indexOf("left filler line of ordinary words 29"),
              doc.text.indexOf("right filler line of other words 0"));
}

TEST(PdfImport, RunningHeadersFootersAndPageNumbersAreLeftOut) {
    QTemporaryDir dir;
    QList<lltest::PdfPage> pages;
    for (int p = 0; p < 4; ++p) {
        lltest::PdfPage page =
            column(72, 700,
                   {"Body text of page " + QByteArray::number(p + 1) + " goes on and on for",
                    "a line and then it ends."});
        page.append({72, 760, "A Running Header Title", 9});
        page.append({300, 40, QByteArray::number(p + 1), 9});
        pages.append(page);
    }
    const Document doc = import_generated(pages, dir);
    EXPECT_FALSE(doc.text.contains("Running Header")) << qPrintable(doc.text);
    EXPECT_TRUE(
        doc.text.contains("Body text of page 1 goes on and on for a line and then it ends."))
        << qPrintable(doc.text);
    EXPECT_FALSE(doc.text.contains("ends.\n2\n"));
    EXPECT_EQ(doc.page_count, 4);
}

TEST(PdfImport, HyphenatedLineEndsAreJoined) {
    QTemporaryDir dir;
    const Document doc = import_generated(
        {column(72, 700,
                {"We ran a long and careful series of experi-",
                 "ments to compare it with other state-of-the-",
                 "art methods that are said to be fully self-", "Contained words."})},
        dir);
    EXPECT_TRUE(
        doc.text.contains("We ran a long and careful series of experiments to compare it "
                          "with other state-of-the-art methods that are said to be fully "
                          "self-Contained words."))
        << qPrintable(doc.text);
    // The joined word still maps to both lines.
    const qsizetype at = doc.text.indexOf("experiments");
    EXPECT_EQ(doc.rects_for(at, at + 11).size(), 2);
}

TEST(PdfImport, EncryptedPdfAsksForAPassword) {
    QTemporaryDir dir;
    const QString path = lltest::write_file(
        dir, "secret.pdf", lltest::make_pdf({column(72, 700, {"secret"})}, /*encrypt=*/true));
    try {
        import_document(path);
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_TRUE(e.file() == path);
        EXPECT_TRUE(e.problem().contains("password")) << e.what();
    }
}

TEST(PdfImport, ImageOnlyPdfSaysThereIsNoTextLayer) {
    QTemporaryDir dir;
    const QString path = lltest::write_file(dir, "scan.pdf", lltest::make_pdf({{}, {}}));
    try {
        import_document(path);
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_TRUE(e.problem().contains("no text layer")) << e.what();
        EXPECT_TRUE(QString::fromUtf8(e.what()).startsWith(path));
    }
}

TEST(PdfImport, PagesWithoutTextAreReported) {
    QTemporaryDir dir;
    const Document doc = import_generated({column(72, 700, {"Some text."}), {}}, dir);
    ASSERT_EQ(doc.warnings.size(), 1);
    EXPECT_TRUE(doc.warnings[0].contains("2"));
}

TEST(PdfImport, ReportsProgressAndHonoursCancel) {
    QTemporaryDir dir;
    QList<lltest::PdfPage> pages(6, column(72, 700, {"A page of text."}));
    const QString path = lltest::write_file(dir, "six.pdf", lltest::make_pdf(pages));
    std::atomic_bool cancel{false};
    QList<int> seen;
    ImportOptions options;
    options.cancel = &cancel;
    options.on_progress = [&](int done, int total) {
        seen.append(done);
        EXPECT_EQ(total, 6);
        if (done == 3) cancel = true;
    };
    try {
        import_document(path, options);
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_TRUE(e.problem().contains("cancelled"));
    }
    EXPECT_EQ(seen, QList<int>({1, 2, 3}));
    options.cancel = nullptr;
    seen.clear();
    EXPECT_EQ(import_document(path, options).page_count, 6);
    EXPECT_EQ(seen.size(), 6);
}
