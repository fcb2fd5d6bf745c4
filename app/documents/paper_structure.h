// What a research paper holds beyond its section outline: title, authors, abstract, figure
// and table captions, footnotes and the reference list parsed into entries. Read from the
// normalised text and the outline (the sections, "Abstract" and "References" headings come
// from the structure detector), plus, for PDFs, the glyph boxes: a glyph's height stands in
// for its font size, which tells the title (largest type on the first page) and footnotes
// (smaller type at the foot of a page, starting with a marker) from the body.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ll {

class Document;

struct TextSpan {
    qsizetype start = 0;
    qsizetype end = 0;  // one past the last character; start == end: absent
    bool empty() const { return end <= start; }
};

struct PaperSection {
    QString kind;    // "section", "appendix", "abstract", "references"
    QString number;  // "2.1", "A", "B.3"; empty for unnumbered headings
    QString title;   // the heading without its number
    int level = 0;   // outline level
    TextSpan span;   // heading to the end of the section
};

struct PaperCaption {
    QString kind;    // "figure" or "table"
    int number = 0;  // Figure 3 → 3
    QString text;    // the caption paragraph, whitespace simplified
    TextSpan span;
};

struct PaperFootnote {
    QString marker;  // "1", "∗", "†"
    QString text;
    int page = -1;  // 0-based; -1 for text documents
    TextSpan span;
    // Where the note's marker stands in the body ("…RedPajama⁶"): the offset of the raised
    // marker the note belongs to, on the note's page; -1 when none is printed there.
    qsizetype marker_at = -1;
};

struct PaperReference {
    QString label;   // "[12]" or "12." as printed; empty for author-year lists
    int number = 0;  // 1-based position in the list
    QStringList authors;
    QString title;
    int year = 0;   // 0 when none is printed
    QString venue;  // what follows the title, without year, URL and arXiv id
    QString arxiv;  // "1607.06450" when the entry names an arXiv identifier
    QString text;   // the whole entry, whitespace simplified
    TextSpan span;
};

struct PaperStructure {
    bool is_paper = false;  // an Abstract or References heading was found
    QString title;
    TextSpan title_span;
    QStringList authors;
    TextSpan abstract;             // the abstract's body, without its heading
    QList<PaperSection> sections;  // the outline's paper headings, in order
    QList<PaperCaption> captions;
    QList<PaperFootnote> footnotes;
    QList<PaperReference> references;

    int count_captions(const QString& kind) const;
};

// Reads the paper parts of an imported document (its text, outline and, for PDFs, boxes).
PaperStructure detect_paper_structure(const Document& doc);

// One reference entry's fields from its text (label already removed).
PaperReference parse_reference(const QString& entry);

}  // namespace ll
