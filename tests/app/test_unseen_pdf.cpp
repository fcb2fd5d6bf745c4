// A guideline-style PDF nobody tuned the importer for (issue 20), generated here: a cover
// and a summary numbered i and ii by its /PageLabels, then pages 1-4 with numbered headings
// in larger bold type ("1 INTRODUCTION", "3.1 Freely given"), a running footer word and the
// printed page number on every page, and a footnote. The expected outline was read off the
// pages as they are drawn.
#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "documents/importer.h"
#include "import_test_support.h"
#include "pdf_fixtures.h"
#include "question_answerer.h"

using namespace ll;
using lltest::PdfPage;
using lltest::PdfText;

namespace {

// Body lines of 11-point type, 14 points apart, from `y` down.
void body(PdfPage& page, double& y, const QList<QByteArray>& lines) {
    for (const QByteArray& l : lines) {
        page.append(PdfText{72, y, l, 11});
        y -= 14;
    }
    y -= 10;  // paragraph gap
}

void heading(PdfPage& page, double& y, const QByteArray& text, double size = 14) {
    y -= 6;
    page.append(PdfText{72, y, text, size, true});
    y -= 22;
}

// The footer sits 120 points up, above the strip at the foot of the page where furniture
// usually is: only its repeating at one height tells it from the text.
void footer(PdfPage& page, const QByteArray& label) {
    page.append(PdfText{72, 120, "Adopted", 9});
    page.append(PdfText{530, 120, label, 9});
}

QByteArray guideline_pdf() {
    QList<PdfPage> pages(6);
    double y = 600;
    pages[0].append(PdfText{72, y, "Guidelines 07/2031 on consent", 22, true});
    pages[0].append(PdfText{72, 560, "Version 1.1", 12});

    y = 700;
    body(pages[1], y,
         {"These guidelines explain when consent is valid and how a controller can show",
          "that it was given. They replace the guidelines adopted two years before."});
    footer(pages[1], "ii");

    y = 700;
    heading(pages[2], y, "1 INTRODUCTION");
    body(pages[2], y,
         {"Consent is one of the six lawful bases for processing personal data.1 It must",
          "be given by a clear affirmative act and can be withdrawn at any time."});
    pages[2].append(PdfText{72, 140, "1 See Article 4(11) of the Regulation.", 8});
    footer(pages[2], "1");

    y = 700;
    heading(pages[3], y, "2 SCOPE");
    body(pages[3], y,
         {"These guidelines cover consent in the sense of the Regulation and not consent",
          "as it is understood in the law of contract."});
    heading(pages[3], y, "3 ELEMENTS OF VALID CONSENT");
    body(pages[3], y,
         {"Four elements make consent valid, and each is explained in turn below, with",
          "examples of what falls short."});
    heading(pages[3], y, "3.1 Freely given", 12);
    body(pages[3], y,
         {"Consent is not free where the data subject has no real choice or cannot refuse",
          "without detriment."});
    footer(pages[3], "2");

    y = 700;
    heading(pages[4], y, "3.2 Specific", 12);
    body(pages[4], y,
         {"Consent must be given for one or more specific purposes, and the data subject",
          "must have a choice for each of them."});
    heading(pages[4], y, "3.3 Informed", 12);
    body(pages[4], y,
         {"The data subject must be told at least who the controller is and what the data",
          "will be used for."});
    footer(pages[4], "3");

    y = 700;
    heading(pages[5], y, "4 CONCLUSION");
    body(pages[5], y,
         {"Controllers should review the consents they hold against these guidelines and",
          "ask again where a consent falls short."});
    footer(pages[5], "4");
    return lltest::make_pdf(pages, false, "0 << /S /r >> 2 << /S /D >>");
}

}  // namespace

TEST(UnseenPdf, GuidelineOutlineFooterAndPageLabels) {
    QTemporaryDir dir;
    const Document doc =
        import_document(lltest::write_file(dir, "guidelines.pdf", guideline_pdf()));
    ASSERT_EQ(doc.page_count, 6);
    EXPECT_EQ(doc.page_labels, QStringList({"i", "ii", "1", "2", "3", "4"}));
    QStringList got;
    for (const OutlineNode& n : doc.outline)
        got << QStringLiteral("%1 L%2 #%3 '%4' p. %5 (page %6)")
                   .arg(kind_name(n.kind))
                   .arg(n.level)
                   .arg(n.number)
                   .arg(n.title)
                   .arg(doc.page_label(doc.page_of(n.start)))
                   .arg(doc.page_of(n.start) + 1);
    EXPECT_EQ(got, QStringList({
                       "section L0 #1 '1 INTRODUCTION' p. 1 (page 3)",
                       "section L0 #2 '2 SCOPE' p. 2 (page 4)",
                       "section L0 #3 '3 ELEMENTS OF VALID CONSENT' p. 2 (page 4)",
                       "section L1 #1 '3.1 Freely given' p. 2 (page 4)",
                       "section L1 #2 '3.2 Specific' p. 3 (page 5)",
                       "section L1 #3 '3.3 Informed' p. 3 (page 5)",
                       "section L0 #4 '4 CONCLUSION' p. 4 (page 6)",
                   }));
    // The running footer and the printed page numbers are out of the text.
    EXPECT_FALSE(doc.text.contains("Adopted"));
    EXPECT_FALSE(doc.text.contains("Regulation. 2")) << "a page number glued to a footnote";
    EXPECT_EQ(doc.page_reference(3), "p. 2");
    // A chip names the printed page: the sentence under 3.1 is on page 4, labelled 2.
    const qsizetype at = doc.text.indexOf("Consent is not free");
    ASSERT_GE(at, 0);
    EXPECT_EQ(make_citation(doc, at, at + 19).label.toStdString(), "§ 3.1 · p. 2");
    EXPECT_EQ(doc.physical_page(3), "page 4 of 6");
}

TEST(UnseenPdf, LabelsAbsentWhenPagesAreJustNumbered) {
    QTemporaryDir dir;
    QList<PdfPage> pages(2);
    pages[0].append(PdfText{72, 700, "One page of text.", 11});
    pages[1].append(PdfText{72, 700, "Another page of text.", 11});
    const Document doc =
        import_document(lltest::write_file(dir, "plain.pdf", lltest::make_pdf(pages)));
    EXPECT_TRUE(doc.page_labels.isEmpty());
    EXPECT_EQ(doc.page_reference(1), "p. 2");
    EXPECT_TRUE(doc.outline.isEmpty());
}

TEST(UnseenPdf, LineBreakHyphenJoinedOnlyWhereTheWordIsPrintedElsewhere) {
    QTemporaryDir dir;
    QList<PdfPage> pages(1);
    double y = 700;
    body(pages[0], y,
         {"A well-known method that many have tried is the well-",
          "known one, which we tried as well in our own experi-",
          "ments, and these repeat earlier experiments on a re-",
          "cord set of inputs drawn from the same old archives."});
    const Document doc =
        import_document(lltest::write_file(dir, "hyphens.pdf", lltest::make_pdf(pages)));
    EXPECT_TRUE(
        doc.text.contains("A well-known method that many have tried is the well-known "
                          "one, which we tried as well in our own experiments, and these "
                          "repeat earlier experiments on a record set of inputs"))
        << qPrintable(doc.text);
}

TEST(UnseenPdf, FootnoteLeavesTheSentenceItWouldCut) {
    QTemporaryDir dir;
    QList<PdfPage> pages(2);
    double y = 700;
    body(pages[0], y,
         {"The first page holds a paragraph that runs to the foot of a page and",
          "then, without a full stop, it carries on across the break onto the next"});
    pages[0].append(PdfText{72, 80, "1 A note at the foot of the first page.", 8});
    pages[0].append(PdfText{300, 40, "1", 9});
    y = 700;
    body(pages[1], y,
         {"page, where the sentence ends and the paragraph goes on a little way", "until it stops.",
          "A new paragraph starts here and runs on a little."});
    pages[1].append(PdfText{300, 40, "2", 9});
    const Document doc =
        import_document(lltest::write_file(dir, "footnote.pdf", lltest::make_pdf(pages)));
    EXPECT_TRUE(
        doc.text.contains("carries on across the break onto the next page, where the "
                          "sentence ends and the paragraph goes on a little way until it "
                          "stops.\n1 A note at the foot of the first page.\nA new"))
        << qPrintable(doc.text);
}

TEST(UnseenPdf, LetterSpacedWordsAreRejoined) {
    QTemporaryDir dir;
    QList<PdfPage> pages(1);
    PdfText spaced{72, 700, "WHEN CONSENT IS VALID", 11};
    spaced.char_spacing = 3;
    pages[0].append(spaced);
    double y = 670;
    body(pages[0], y, {"A body line in ordinary spacing, with a word or two: a I o."});
    const Document doc =
        import_document(lltest::write_file(dir, "spaced.pdf", lltest::make_pdf(pages)));
    EXPECT_TRUE(doc.text.startsWith("WHEN CONSENT IS VALID\n")) << qPrintable(doc.text);
    EXPECT_TRUE(doc.text.contains("with a word or two: a I o.")) << qPrintable(doc.text);
}

TEST(UnseenPdf, SmallCapitalsSplitByTrackingAreRejoined) {
    // "Abcde" drawn as "Ab", "c", "de" with 1.3 pt between the pieces (tracking just past
    // Poppler's word break), then an ordinary space.
    QTemporaryDir dir;
    QList<PdfPage> pages(1);
    pages[0].append(PdfText{72, 700, "Ab", 10});
    pages[0].append(PdfText{72 + 12.23 + 1.3, 700, "c", 10});
    pages[0].append(PdfText{72 + 12.23 + 1.3 + 5 + 1.3, 700, "de went home, as it is to be.", 10});
    const Document doc =
        import_document(lltest::write_file(dir, "smallcaps.pdf", lltest::make_pdf(pages)));
    EXPECT_TRUE(doc.text.startsWith("Abcde went home, as it is to be.")) << qPrintable(doc.text);
}

TEST(UnseenPdf, SubscriptsAreWrittenAfterAnUnderscore) {
    // "d" in 11-point type with "ff" in 8-point type 2.5 points lower glued to it (the
    // Attention paper's d_ff), then "x" with a raised "2": a subscript reads "d_ff", a
    // superscript stays as it is.
    QTemporaryDir dir;
    QList<PdfPage> pages(1);
    // Helvetica's advance widths: "Let d" is 24.464 points at 11 points, "ff" 4.448 at 8,
    // "= 2048 and x" 63.91 at 11.
    const double d_end = 72 + 24.464, eq = d_end + 4.448 + 3, x_end = eq + 63.91;
    pages[0].append(PdfText{72, 700, "Let d", 11});
    pages[0].append(PdfText{d_end, 697.5, "ff", 8});
    pages[0].append(PdfText{eq, 700, "= 2048 and x", 11});
    pages[0].append(PdfText{x_end, 704.5, "2", 8});
    pages[0].append(PdfText{x_end + 4.448 + 3, 700, "grows.", 11});
    const Document doc =
        import_document(lltest::write_file(dir, "subscript.pdf", lltest::make_pdf(pages)));
    EXPECT_TRUE(doc.text.startsWith("Let d_ff = 2048 and x2 grows.")) << qPrintable(doc.text);
    // The underscore points at the subscript's place on the page.
    const qsizetype u = doc.text.indexOf('_');
    ASSERT_GE(u, 0);
    EXPECT_EQ(doc.page_of(u), 0);
}

TEST(UnseenPdf, HeadingWrappedOverTwoLinesIsOneHeading) {
    // "2 RECOMMENDATIONS FOR" in 14-point type runs on to a second line; the
    // outline names it whole, and its second line is no body text.
    QTemporaryDir dir;
    QList<PdfPage> pages(1);
    double y = 700;
    heading(pages[0], y, "1 SCOPE");
    body(pages[0], y,
         {"These recommendations apply to every controller that relies on consent given",
          "before the present rules took effect, whatever the size of the controller."});
    // Broken after a short first line, as a balanced heading may be.
    pages[0].append(PdfText{72, y - 6, "2 RECOMMENDATIONS FOR", 14, true});
    pages[0].append(
        PdfText{72, y - 23, "CONTROLLERS THAT RELY ON CONSENT GIVEN EARLIER", 14, true});
    y -= 45;
    body(pages[0], y,
         {"Such controllers should ask again where the consent they hold falls short of",
          "what these rules require, and should record the answer they are given."});
    heading(pages[0], y, "3 REVIEW");
    body(pages[0], y, {"The rules will be reviewed after three years of use by the board."});
    const Document doc =
        import_document(lltest::write_file(dir, "wrapped.pdf", lltest::make_pdf(pages)));
    QStringList titles;
    for (const OutlineNode& n : doc.outline) titles << n.title;
    EXPECT_EQ(titles, QStringList({"1 SCOPE",
                                   "2 RECOMMENDATIONS FOR CONTROLLERS THAT RELY ON CONSENT GIVEN "
                                   "EARLIER",
                                   "3 REVIEW"}))
        << qPrintable(doc.text);
}

TEST(UnseenPdf, MarginNoteLeavesTheParagraph) {
    // A note in the left margin beside the second line of a paragraph ("Compare 2.1.")
    // does not cut into the text; it follows the page's text as a paragraph of its own.
    QTemporaryDir dir;
    QList<PdfPage> pages(1);
    double y = 700;
    body(pages[0], y,
         {"The controller shall keep a record of every consent it relies on, showing",
          "when and how the consent was given, what the data subject was told and",
          "whether the consent has since been withdrawn, for as long as it processes",
          "the data on that basis and for three years after it stops doing so."});
    pages[0].append(PdfText{14, 688, "Compare 2.1.", 8});
    body(pages[0], y, {"A second paragraph follows the first one here and ends the page."});
    const Document doc =
        import_document(lltest::write_file(dir, "margin.pdf", lltest::make_pdf(pages)));
    EXPECT_TRUE(doc.text.contains(
        "showing when and how the consent was given, what the data subject was told and "
        "whether the consent"))
        << qPrintable(doc.text);
    // Poppler reads the note first; it goes after the text of its page, a line of its own.
    EXPECT_TRUE(doc.text.endsWith("ends the page.\nCompare 2.1.")) << qPrintable(doc.text);
}
