// An imported document: normalised text (LF line ends, no BOM), its structure, and a
// location map that turns any character range back into where it is shown — page and
// rectangles for a PDF, line and column for text. Everything above this layer speaks in
// character ranges (QString UTF-16 offsets); only views turn them into pixels.
#pragma once

#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>

#include "outline.h"

namespace ll {

enum class DocumentFormat { PlainText, Markdown, Pdf, Epub };

QString format_name(DocumentFormat format);

// Where one character of a PDF is drawn: page index (0-based) and its box in page points,
// origin top-left. Characters the importer inserted (spaces, line breaks) get a thin box
// next to the neighbouring glyph so that every range has somewhere to point.
struct CharBox {
    int page = 0;
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct PageRect {
    int page = 0;  // 0-based
    QRectF rect;   // page points, origin top-left
};

struct TextPosition {
    int line = 1;    // 1-based
    int column = 1;  // 1-based, in UTF-16 code units from the line start
};

class Document {
  public:
    QString path;
    DocumentFormat format = DocumentFormat::PlainText;
    QString encoding;    // of the source bytes ("UTF-8", "GB18030", "windows-1252", ...)
    QString text;        // normalised text
    int page_count = 0;  // PDF pages; 0 for flowing formats
    Outline outline;
    QStringList warnings;  // things the user should know that did not stop the import
    QList<CharBox> boxes;  // PDF only: one per character of `text`
    // PDF only: the page labels the document prints (its /PageLabels: "i", "ii", "1" …),
    // one per page; empty when it has none or they are just 1, 2, 3 …
    QStringList page_labels;

    // Rectangles covering [start, end) clipped to the text, one per line piece, in order.
    // Empty for formats without pages.
    QList<PageRect> rects_for(qsizetype start, qsizetype end) const;
    // The 0-based page a character is on; -1 for formats without pages.
    int page_of(qsizetype offset) const;
    // The printed label of a 0-based page ("30", "xii"); its 1-based number without labels.
    QString page_label(int page) const;
    // "p. 30" (the printed label) for a 0-based page; "page 36 of 41" names the physical page.
    QString page_reference(int page) const;
    QString physical_page(int page) const;
    // Line and column of a character, counted in `text`.
    TextPosition position_of(qsizetype offset) const;

    int count(StructureKind kind) const;

    // Indexes line starts so position_of() is a binary search; import_document() calls it.
    // Without it position_of() still works, by scanning.
    void index_lines();

  private:
    QList<qsizetype> line_starts_;  // built eagerly: a const Document may be read from
                                    // several threads at once
};

}  // namespace ll
