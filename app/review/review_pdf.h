// The paper itself with the review's sources marked: a highlight annotation (Poppler-Qt6)
// per cited span and page, its quadrilaterals the span's line rectangles, its note the part
// and the sentence that cite it. Any PDF reader shows them; the original file is untouched.
#pragma once

#include <QString>

#include "review.h"

namespace ll {

// The spans `side`'s parts cite, each once, as (page, rectangles on it): one annotation each.
struct HighlightPlan {
    struct Mark {
        int page = 0;
        QList<QRectF> rects;  // page points, origin top-left
        QString note;         // "Method: <quote>"
    };
    QList<Mark> marks;
};
HighlightPlan plan_highlights(const Review& review, int side = 0);

// Writes `source` with the highlights of `side` to `out`. Returns the annotations added.
// Throws AppError naming the file when the PDF cannot be opened or written.
int write_annotated_pdf(const Review& review, const QString& source, const QString& out,
                        int side = 0);

}  // namespace ll
