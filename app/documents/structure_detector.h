// Finds the structure of a document from its heading lines: Chinese novels (第N回,
// 第N章), English novels (CHAPTER I), Chinese legal texts (编/分编/章/节/条, 附则),
// English legal texts (Article, Section, §, Amendment) and papers (Abstract, numbered
// sections, References, Appendix). Works on the normalised text every importer produces,
// so a Markdown file and a PDF of the same law get the same tree.
#pragma once

#include <QHash>
#include <QSet>
#include <QString>

#include "outline.h"

namespace ll {

struct StructureHints {
    // Line start offset → Markdown heading depth (1 for '#'), for headings no rule knows.
    QHash<qsizetype, int> markdown_headings;
    // Line start offsets of short lines set larger than the body (PDFs): in a paper, after
    // its first heading, they are unnumbered sections ("Acknowledgements", "Attention
    // Visualizations").
    QSet<qsizetype> display_lines;
    // PDFs: the layout is known, and these lines (starts) are set larger than the body. A
    // numbered clause heading ("1 INTRODUCTION", "3.1 Freely given") must be one of them
    // there, which keeps numbered paragraphs and table rows out.
    bool has_layout = false;
    QSet<qsizetype> larger_lines;
};

Outline detect_structure(const QString& text, const StructureHints& hints = {});

}  // namespace ll
