// Paper structure (issue 19): sections, captions, footnotes and the reference list, on
// small generated texts for each rule and on the two research PDFs of the corpus, whose
// numbers were counted from the papers themselves (see each test).
#include <gtest/gtest.h>

#include "documents/paper_structure.h"
#include "documents/structure_detector.h"
#include "import_test_support.h"

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

}  // namespace

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
    EXPECT_TRUE(p.authors.contains("Bowen Peng")) << p.authors.join(", ").toStdString();
    EXPECT_EQ(
        numbered_sections(p),
        QStringList({"1",   "2",   "2.1", "2.2", "2.3", "2.4",   "3",     "3.1",   "3.2", "3.3",
                     "3.4", "4",   "4.1", "4.2", "4.3", "4.3.1", "4.3.2", "4.3.3", "5",   "6",
                     "A",   "A.1", "A.2", "B",   "B.1", "B.2",   "B.3",   "B.4"}));
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
}
