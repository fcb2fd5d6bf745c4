// The layout step of PDF import, kept free of Poppler so it can be reasoned about alone:
// words grouped into lines, lines that repeat at the page edges (running headers,
// footers, page numbers) marked, and lines joined into the text flow with a box per
// character.
#pragma once

#include <QList>
#include <QRectF>
#include <QSet>
#include <QString>

#include "document.h"

namespace ll {

struct PdfWord {
    QString text;
    QList<QRectF> chars;  // one per QChar of `text`
    QRectF box;
    bool space_after = false;
};

struct PdfLine {
    int page = 0;
    QList<PdfWord> words;
    QRectF box;
    bool furniture = false;       // running header, footer, page number or margin stamp
    bool ends_paragraph = false;  // a piece moved out of the line it interrupted
};

struct PdfPageLines {
    QSizeF size;
    QList<PdfLine> lines;  // reading order
};

// Groups a page's words (in Poppler's reading order, `line_breaks[i]` true where word i
// starts a new line) into lines, merging pieces that share a baseline.
QList<PdfLine> group_lines(int page, const QList<PdfWord>& words, const QList<bool>& line_breaks);

// Puts a two-column page in reading order: each stretch between lines that span both
// columns (title, wide figures and captions) is read left column first. A page is taken as
// two columns when a vertical gutter near its middle has several wide lines on each side;
// anything else keeps Poppler's order.
void order_columns(QList<PdfLine>& lines, const QSizeF& page_size);

// Marks headers, footers and page numbers: lines near the top or bottom edge whose text
// (digits ignored) recurs on several pages, or that are only a page number.
void mark_page_furniture(QList<PdfPageLines>& pages);

// Builds the text flow and one CharBox per character of it.
void flow_text(const QList<PdfPageLines>& pages, QString* text, QList<CharBox>* boxes);

// Start offsets of the flow's lines that look like unnumbered headings: short, starting
// with a capital, mostly letters, no final full stop, in the type of the numbered top-level
// headings ("1 Introduction") when that is larger than the body's, and flush left with one.
QSet<qsizetype> display_lines(const QString& text, const QList<CharBox>& boxes);

// Start offsets of the flow's lines set larger than the body type (headings, titles).
QSet<qsizetype> larger_lines(const QString& text, const QList<CharBox>& boxes);

}  // namespace ll
