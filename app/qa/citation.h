// A source of an answer: an exact character range of the document, where it is shown (page
// and rectangles for a PDF, from the Document's location map) and how strongly it supports
// the answer.
#pragma once

#include <QList>
#include <QString>

#include "documents/document.h"

namespace ll {

struct Citation {
    qsizetype start = 0;
    qsizetype end = 0;
    int page = -1;  // 0-based; -1 for documents without pages
    QList<PageRect> rects;
    QString text;
    double score = 0;      // combined: 0..1, or above 1 for a unit the answer quotes
    double attention = 0;  // share of the answer's attention on the document, normalised to the top
    double lexical = 0;    // IDF-weighted share of the answer's terms found here, normalised
    double verbatim = 0;   // share of the answer copied from here as one run of characters
};

// A citation for [start, end) with page, rectangles and text filled in from `doc`.
Citation cite(const Document& doc, qsizetype start, qsizetype end);

}  // namespace ll
