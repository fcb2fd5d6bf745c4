// What one review part reads: the paper's sections its spec asks for (by title, plus the
// abstract, references or appendix), merged into ranges in document order; and an excerpt,
// a Document holding just those ranges, that the question-answering pipeline answers over
// exactly as over a whole document. The excerpt keeps the PDF's glyph boxes, so its pages
// and rectangles are the paper's, and maps every range back to the paper's characters.
#pragma once

#include <QList>

#include <optional>

#include "documents/document.h"
#include "documents/paper_structure.h"
#include "review_parts.h"

namespace ll {

// The ranges of `paper` that `spec` reads, sorted and merged. Empty sections never; when no
// title matches, the spec's fallback (the first half of the sections, or all). A document
// without sections: the whole text.
QList<TextSpan> part_ranges(const Document& doc, const PaperStructure& paper,
                            const ReviewPartSpec& spec);

// The sections `spec` reads, by number and title ("3 Methodology"), for the context line.
QStringList part_section_names(const PaperStructure& paper, const ReviewPartSpec& spec);

struct Excerpt {
    struct Piece {
        qsizetype at = 0;      // where it starts in the excerpt's text
        qsizetype source = 0;  // where it starts in the paper's text
        qsizetype length = 0;
    };
    Document doc;  // the excerpt: same path and format, text = the pieces joined by "\n\n"
    QList<Piece> pieces;

    // [start, end) of the excerpt as a range of the paper, clipped to the piece `start` is
    // in (a range over a join keeps its first piece); nullopt for a range of separators only.
    std::optional<TextSpan> to_source(qsizetype start, qsizetype end) const;
};

// The excerpt of `doc` holding `ranges` (sorted, not overlapping), in order.
Excerpt make_excerpt(const Document& doc, const QList<TextSpan>& ranges);

}  // namespace ll
