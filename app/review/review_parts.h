// The parts of a paper review and of a two-paper comparison, in order: each one's id (the
// name of its prompt file and of `--parts`), title, and which sections of the paper it reads
// (matched on section titles, so "3 Methodology" and "2 Our Approach" both feed the method).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ll {

struct ReviewPartSpec {
    QString id;     // "summary", "method", …; resources/review/<id>.md is its prompt
    QString title;  // "Summary", "Method", …
    // Section titles to read, as lower-case word stems ("method", "approach"); a top-level
    // section brings its subsections with it.
    QStringList sections;
    bool abstract = false;    // the abstract too
    bool references = false;  // the reference list too
    bool appendix = false;    // appendix sections too (kind "appendix")
    // What to read when no title matches (a paper with unusual headings): the first
    // sections up to half the paper ("front") or all of them ("all").
    QString fallback = "front";
};

// The nine parts of a review, in the order a review reads.
const QList<ReviewPartSpec>& review_parts();
// The aspects two papers are compared on: problem, method, data, results, agreements.
const QList<ReviewPartSpec>& comparison_aspects();

// The part or aspect with this id; nullptr when there is none.
const ReviewPartSpec* find_part(const QString& id);

// "summary,method" → those parts in review order; empty text → all. Throws AppError naming
// `option` and the known ids for an unknown one.
QList<ReviewPartSpec> parse_parts(const QString& text, const QString& option = "--parts");

}  // namespace ll
