// Paper structure (issue 19): sections, captions, footnotes and the reference list, on
// small generated texts for each rule and on the two research PDFs of the corpus, whose
// numbers were counted from the papers themselves (see each test).
#include <gtest/gtest.h>

#include <QTemporaryDir>

#include "documents/paper_structure.h"
#include "documents/structure_detector.h"
#include "import_test_support.h"
#include "pdf_fixtures.h"

using namespace ll;
using lltest::import_shared;

namespace {

Document text_document(const QString& text) {
    Document doc;
    doc.text = text;
    doc.outline = detect_structure(text);
    return doc;
}

QStringList numbered_sections(const PaperStructure& p) {
    QStringList out;
    for (const PaperSection& s : p.sections)
        if (!s.number.isEmpty()) out.append(s.number);
    return out;
}

QStringList unnumbered_sections(const PaperStructure& p) {
    QStringList out;
    for (const PaperSection& s : p.sections)
        if (s.number.isEmpty()) out.append(s.title);
    return out;
}

QStringList labels_of(const PaperStructure& p) {
    QStringList out;
    for (const PaperCaption& c : p.captions)
        out.append(c.kind + QLatin1Char(' ') + QString::number(c.number));
    return out;
}

QList<int> reference_numbers(const PaperStructure& p) {
    QList<int> out;
    for (const PaperReference& r : p.references) out.append(r.label.mid(1).chopped(1).toInt());
    return out;
}

QList<int> one_to(int n) {
    QList<int> out;
    for (int i = 1; i <= n; ++i) out.append(i);
    return out;
}

const QString kArxivStyle = QStringLiteral(
    "Learning Things Quickly\n"
    "Ada Lovelace, Alan M. Turing and Grace Hopper\n"
    "Abstract\n"
    "We learn things. Quickly.\n"
    "1 Introduction\n"
    "As Figure 2. shows, and as [2] says, we learn.\n"
    "Figure 1: The learning curve.\n"
    "Table 1: Results on the benchmark.\n"
    "Figure 1: The learning curve, repeated in a list of figures.\n"
    "2 Method\n"
    "2.1 Setup\n"
    "Figure 2: The setup.\n"
    "References\n"
    "[1] J. Smith and B. Jones. A study of things. In Proceedings of the Conference on "
    "Things, pages 1–10, 2019.\n"
    "[2] Jimmy Lei Ba, Jamie Ryan Kiros, and Geoffrey E Hinton. Layer normalization. arXiv "
    "preprint arXiv:1607.06450, 2016.\n"
    "A Proofs\n"
    "The proofs.\n");

// Lays out a column top-down: body lines 12 pt apart, headings (size 12) after a gap.
struct ColumnWriter {
    double x, y;
    lltest::PdfPage* page;
    void line(const QByteArray& text, double size = 10) {
        page->append({x, y, text, size}), y -= 12;
    }
    void indented(const QByteArray& text) {  // a reference's hanging indent
        page->append({x + 12, y, text, 10});
        y -= 12;
    }
    void heading(const QByteArray& text) {
        y -= 10;
        line(text, 12);
        y -= 4;
    }
    void body(int lines, const QByteArray& words) {
        for (int i = 0; i < lines; ++i) line(words);
    }
};

// A three-page two-column paper with a running header and page numbers.
QByteArray two_column_paper() {
    QList<lltest::PdfPage> pages(3);
    for (int i = 0; i < 3; ++i) {
        pages[i].append({72, 760, "Preprint. Under review.", 8});
        pages[i].append({300, 40, QByteArray::number(i + 1), 10});
    }
    lltest::PdfPage& p1 = pages[0];
    p1.append({150, 715, "Learning to Read Long Papers", 17});
    p1.append({120, 688, "Ada Lovelace", 10});
    p1.append({330, 688, "Alan Turing", 10});
    p1.append({120, 675, "University of London", 9});
    p1.append({330, 675, "Bletchley Research Lab", 9});
    ColumnWriter left{72, 640, &p1};
    left.heading("Abstract");
    left.body(4, "we read long papers and we find their");
    left.line("parts again.");
    left.heading("1 Introduction");
    left.body(10, "long documents hold many parts that a");
    left.line("reader needs to find.");
    left.line("Figure 1: The parts of a paper.");
    left.body(8, "the introduction goes on and on with");
    left.line("its text.");
    // A footnote: smaller type, its number raised, below every body line.
    p1.append({72, 93, "1", 6});
    p1.append({76, 90, "The code is available on our site.", 8});
    ColumnWriter right{320, 640, &p1};
    right.heading("2 Method");
    right.body(10, "the method reads the glyph sizes of a");
    right.line("page.");
    right.heading("2.1 Details");
    right.body(6, "the details matter for the method and");
    right.line("Table 1: Results on the task.");
    right.body(6, "more details follow the table in the");
    right.line("column.");
    ColumnWriter left2{72, 720, &pages[1]};
    left2.heading("3 Results");
    left2.body(12, "the results are good and the method is");
    left2.line("fast.");
    left2.heading("References");
    left2.line("[1] A. Author and B. Writer. A first");
    left2.indented("study of reading. In Proceedings, 2019.");
    left2.line("[2] C. Critic. Second thoughts. arXiv");
    left2.indented("preprint arXiv:2101.00001, 2021.");
    ColumnWriter right2{320, 720, &pages[1]};
    right2.line("[3] D. Doe. Third work on papers, 2020.");
    right2.heading("A Appendix Details");
    right2.body(10, "the appendix holds what did not fit in");
    right2.line("the paper.");
    ColumnWriter left3{72, 720, &pages[2]};
    left3.body(20, "the appendix goes on for a whole page");
    left3.line("of text.");
    return lltest::make_pdf(pages);
}

}  // namespace

TEST(PaperStructure, GeneratedTwoColumnPdf) {
    QTemporaryDir dir;
    const Document doc = import_document(lltest::write_file(dir, "paper.pdf", two_column_paper()));
    const PaperStructure p = detect_paper_structure(doc);
    EXPECT_EQ(p.title, "Learning to Read Long Papers");
    EXPECT_EQ(p.authors, QStringList({"Ada Lovelace", "Alan Turing"}));
    EXPECT_EQ(numbered_sections(p), QStringList({"1", "2", "2.1", "3", "A"}));
    EXPECT_EQ(labels_of(p), QStringList({"figure 1", "table 1"}));
    ASSERT_EQ(p.references.size(), 3);
    EXPECT_EQ(p.references[0].authors, QStringList({"A. Author", "B. Writer"}));
    EXPECT_EQ(p.references[0].year, 2019);
    EXPECT_EQ(p.references[1].arxiv, "2101.00001");
    EXPECT_EQ(p.references[2].title, "Third work on papers");
    EXPECT_FALSE(p.references[2].text.contains("Appendix"));
    ASSERT_EQ(p.footnotes.size(), 1);
    EXPECT_EQ(p.footnotes[0].marker, "1");
    EXPECT_EQ(p.footnotes[0].page, 0);
    // Reading order: the left column, then the right; running header and page numbers out.
    EXPECT_LT(doc.text.indexOf("1 Introduction"), doc.text.indexOf("2 Method"));
    EXPECT_LT(doc.text.indexOf("its text."), doc.text.indexOf("2 Method"));
    EXPECT_FALSE(doc.text.contains("Preprint"));
    EXPECT_TRUE(doc.text.mid(p.abstract.start, p.abstract.end - p.abstract.start)
                    .startsWith("we read long papers"));
}

TEST(PaperStructure, ArxivStyleTextHasTitleAuthorsSectionsCaptionsAndReferences) {
    const PaperStructure p = detect_paper_structure(text_document(kArxivStyle));
    ASSERT_TRUE(p.is_paper);
    EXPECT_EQ(p.title, "Learning Things Quickly");
    EXPECT_EQ(p.authors, QStringList({"Ada Lovelace", "Alan M. Turing", "Grace Hopper"}));
    EXPECT_EQ(kArxivStyle.mid(p.abstract.start, p.abstract.end - p.abstract.start),
              "We learn things. Quickly.");
    EXPECT_EQ(numbered_sections(p), QStringList({"1", "2", "2.1", "A"}));
    // "Figure 2. shows" is a sentence, the second "Figure 1:" a repeat.
    EXPECT_EQ(labels_of(p), QStringList({"figure 1", "table 1", "figure 2"}));
    ASSERT_EQ(p.references.size(), 2);
    const PaperReference& a = p.references[0];
    EXPECT_EQ(a.label, "[1]");
    EXPECT_EQ(a.authors, QStringList({"J. Smith", "B. Jones"}));
    EXPECT_EQ(a.title, "A study of things");
    EXPECT_EQ(a.year, 2019);
    EXPECT_EQ(a.venue, "In Proceedings of the Conference on Things, pages 1–10");
    const PaperReference& b = p.references[1];
    EXPECT_EQ(b.authors, QStringList({"Jimmy Lei Ba", "Jamie Ryan Kiros", "Geoffrey E Hinton"}));
    EXPECT_EQ(b.title, "Layer normalization");
    EXPECT_EQ(b.year, 2016);
    EXPECT_EQ(b.arxiv, "1607.06450");
    EXPECT_EQ(b.venue, "arXiv preprint");
    // The last entry stops before the appendix.
    EXPECT_FALSE(b.text.contains("Proofs"));
}

TEST(PaperStructure, AuthorYearReferencesAndNonPapers) {
    const QString text = QStringLiteral(
        "Abstract\nText.\nReferences\n"
        "Vaswani, A., Shazeer, N., and Parmar, N. Attention is all you need. In NeurIPS, "
        "2017.\n"
        "Ba, J. L., Kiros, J. R., and Hinton, G. E. Layer normalization.\n"
        "arXiv preprint arXiv:1607.06450, 2016.\n");
    const PaperStructure p = detect_paper_structure(text_document(text));
    ASSERT_EQ(p.references.size(), 2);
    EXPECT_EQ(p.references[0].year, 2017);
    EXPECT_EQ(p.references[0].title, "Attention is all you need");
    EXPECT_EQ(p.references[1].arxiv, "1607.06450");  // from its continuation line
    EXPECT_FALSE(
        detect_paper_structure(text_document("CHAPTER I\nFigure 1: not a paper.\n")).is_paper);
}

TEST(PaperStructure, ReferenceNumbersMustCountUp) {
    // A "[3]" before any "[2]" is a citation in the text, not an entry.
    const QString text = QStringLiteral(
        "References\n[1] A. B. First entry, 2001.\nsee [3] here\n[2] C. D. Second, 2002.\n");
    const PaperStructure p = detect_paper_structure(text_document(text));
    EXPECT_EQ(reference_numbers(p), QList<int>({1, 2}));
}

// The papers' own numbers were counted with poppler-utils 22.12 `pdftotext` (plain and
// -layout), independently of LongLens's importer:
// - sections: the numbered heading lines of the -layout text ("3.2.1   Scaled …");
// - captions: lines that start "Figure N:" / "Table N:" (grep -E '^(Figure|Table) [0-9]+:');
// - references: the "[n]" labels at line starts after the "References" heading.
TEST(PaperStructure, AttentionIsAllYouNeed) {
    LL_REQUIRE_SHARED("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf");
    const Document doc = import_shared("corpus/papers/attention-is-all-you-need-1706.03762v5.pdf");
    const PaperStructure p = detect_paper_structure(doc);
    EXPECT_EQ(p.title, "Attention Is All You Need");
    // Eight authors on page 1 (names with ∗ † ‡ marks, each over an affiliation and e-mail).
    EXPECT_EQ(p.authors.size(), 8) << p.authors.join(", ").toStdString();
    EXPECT_TRUE(p.authors.contains("Ashish Vaswani"));
    EXPECT_TRUE(p.authors.contains("Illia Polosukhin"));
    EXPECT_EQ(
        numbered_sections(p),
        QStringList({"1", "2", "3",   "3.1", "3.2", "3.2.1", "3.2.2", "3.2.3", "3.3", "3.4", "3.5",
                     "4", "5", "5.1", "5.2", "5.3", "5.4",   "6",     "6.1",   "6.2", "6.3", "7"}));
    // Unnumbered: the appendix "Attention Visualizations" after the references, set like
    // the numbered headings ("Acknowledgements" runs into its paragraph and is not one).
    EXPECT_EQ(unnumbered_sections(p),
              QStringList({"Abstract", "References", "Attention Visualizations"}));
    // Figures 1–5 (3–5 in the attention visualisations after the references), Tables 1–4.
    EXPECT_EQ(p.count_captions("figure"), 5);
    EXPECT_EQ(p.count_captions("table"), 4);
    // [1] … [40]
    EXPECT_EQ(reference_numbers(p), one_to(40));
    EXPECT_EQ(p.references[0].title, "Layer normalization");
    EXPECT_EQ(p.references[0].arxiv, "1607.06450");
    EXPECT_EQ(p.references[0].year, 2016);
    // The last entry does not run on into the appendix.
    EXPECT_LT(p.references.back().text.size(), 400);
    EXPECT_FALSE(p.abstract.empty());
    EXPECT_TRUE(doc.text.mid(p.abstract.start, 40).startsWith("The dominant sequence"));
}

TEST(PaperStructure, YarnPaper) {
    LL_REQUIRE_SHARED("corpus/papers/yarn-2309.00071v2.pdf");
    const Document doc = import_shared("corpus/papers/yarn-2309.00071v2.pdf");
    const PaperStructure p = detect_paper_structure(doc);
    EXPECT_TRUE(p.title.startsWith("YaRN")) << p.title.toStdString();
    // Four authors, each name with affiliation digits and a footnote mark glued on.
    EXPECT_EQ(p.authors,
              QStringList({"Bowen Peng", "Jeffrey Quesnelle", "Honglu Fan", "Enrico Shippole"}));
    EXPECT_EQ(
        numbered_sections(p),
        QStringList({"1",   "2",   "2.1", "2.2", "2.3", "2.4",   "3",     "3.1",   "3.2", "3.3",
                     "3.4", "4",   "4.1", "4.2", "4.3", "4.3.1", "4.3.2", "4.3.3", "5",   "6",
                     "A",   "A.1", "A.2", "B",   "B.1", "B.2",   "B.3",   "B.4"}));
    // No figure label ("Context Window", an axis title in heading type) becomes a section.
    EXPECT_EQ(unnumbered_sections(p), QStringList({"Abstract", "References"}));
    // Figures 1, 3, 4, 5, 6 (this v2 has no "Figure 2:" caption in its text layer: the
    // figure A.2 names is an image), Tables 1–6.
    EXPECT_EQ(p.count_captions("figure"), 5);
    EXPECT_EQ(p.count_captions("table"), 6);
    // [1] … [42]
    EXPECT_EQ(reference_numbers(p), one_to(42));
    // "[5] S. Black, … GPT-NeoX-20B: An open-source autoregressive language model, 2022.
    //  arXiv: 2204.06745."
    const PaperReference& neox = p.references[4];
    EXPECT_EQ(neox.authors.value(0), "S. Black");
    EXPECT_TRUE(neox.title.startsWith("GPT-NeoX-20B")) << neox.title.toStdString();
    EXPECT_EQ(neox.year, 2022);
    EXPECT_EQ(neox.arxiv, "2204.06745");
    // Footnotes in smaller type with raised markers ("6 We choose RedPajama because …").
    bool redpajama = false;
    for (const PaperFootnote& f : p.footnotes)
        redpajama |= f.marker == "6" && f.text.startsWith("We choose RedPajama");
    EXPECT_TRUE(redpajama);
    // Each note keeps where its mark stands in the body: "Shippole‡", "functions4",
    // "LLongMA-2 7b5"; the 6 of "RedPajama [12]6" is set on a line of its own by Poppler.
    QStringList marks;
    for (const PaperFootnote& f : p.footnotes) {
        if (f.marker_at < 0) {
            marks << f.marker + " -";
            continue;
        }
        EXPECT_EQ(doc.text.mid(f.marker_at, f.marker.size()), f.marker);
        EXPECT_LT(f.marker_at, f.span.start) << "the mark comes before its note";
        marks << f.marker + " " + doc.text.mid(f.marker_at - 8, 8 + f.marker.size());
    }
    EXPECT_EQ(marks,
              QStringList({"∗ en Peng1∗", "‡ Shippole‡", "4 unctions4", "5 gMA-2 7b5", "6 -"}));
}
