#include "review_pdf.h"

#include <poppler-annotation.h>
#include <poppler-qt6.h>

#include <QBuffer>
#include <QColor>
#include <QMap>

#include <memory>

#include "app_error.h"
#include "save_file.h"

namespace ll {

HighlightPlan plan_highlights(const Review& review, int side) {
    HighlightPlan plan;
    QMap<std::pair<qsizetype, qsizetype>, bool> seen;  // a span cited by several parts: once
    for (const ReviewPart& p : review.parts) {
        if (p.side != side) continue;
        for (const AnswerCitation& c : p.citations) {
            if (c.rects.isEmpty() || seen.contains({c.start, c.end})) continue;
            seen.insert({c.start, c.end}, true);
            QMap<int, QList<QRectF>> by_page;
            for (const PageRect& r : c.rects) by_page[r.page] << r.rect;
            for (auto it = by_page.begin(); it != by_page.end(); ++it)
                plan.marks << HighlightPlan::Mark{it.key(), it.value(),
                                                  p.title + ": " + c.text.simplified().left(300)};
        }
    }
    return plan;
}

namespace {

// A rectangle in page points as Poppler's normalised quadrilateral (0..1, origin top-left),
// corners clockwise from the top left.
Poppler::HighlightAnnotation::Quad quad(const QRectF& r, const QSizeF& page) {
    Poppler::HighlightAnnotation::Quad q;
    const double w = page.width(), h = page.height();
    q.points[0] = {r.left() / w, r.top() / h};
    q.points[1] = {r.right() / w, r.top() / h};
    q.points[2] = {r.right() / w, r.bottom() / h};
    q.points[3] = {r.left() / w, r.bottom() / h};
    q.capStart = q.capEnd = false;
    q.feather = 0.1;
    return q;
}

}  // namespace

int write_annotated_pdf(const Review& review, const QString& source, const QString& out, int side) {
    std::unique_ptr<Poppler::Document> doc = Poppler::Document::load(source);
    if (!doc || doc->isLocked()) throw AppError(source, "cannot be opened as a PDF to annotate");
    int added = 0;
    for (const HighlightPlan::Mark& m : plan_highlights(review, side).marks) {
        std::unique_ptr<Poppler::Page> page = doc->page(m.page);
        if (!page) continue;  // a citation past the file's pages: not this file's
        const QSizeF size = page->pageSizeF();
        Poppler::HighlightAnnotation a;
        QList<Poppler::HighlightAnnotation::Quad> quads;
        QRectF bounds;
        for (const QRectF& r : m.rects) {
            quads << quad(r, size);
            bounds = bounds.united(r);
        }
        a.setHighlightType(Poppler::HighlightAnnotation::Highlight);
        a.setHighlightQuads(quads);
        a.setBoundary(QRectF(bounds.left() / size.width(), bounds.top() / size.height(),
                             bounds.width() / size.width(), bounds.height() / size.height()));
        a.setAuthor("LongLens");
        a.setContents(m.note);
        Poppler::Annotation::Style style = a.style();
        style.setColor(QColor(255, 200, 0));
        style.setOpacity(0.5);
        a.setStyle(style);
        page->addAnnotation(&a);
        ++added;
    }
    // Written to memory first, then saved whole (save_file: temporary file, fsync, rename):
    // a failed write never leaves half a PDF, and exporting over the paper itself is safe.
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    std::unique_ptr<Poppler::PDFConverter> converter = doc->pdfConverter();
    converter->setOutputDevice(&buffer);
    converter->setPDFOptions(converter->pdfOptions() | Poppler::PDFConverter::WithChanges);
    if (!converter->convert()) throw AppError(out, "the annotated PDF cannot be written");
    save_file_or_throw(out, buffer.data());
    return added;
}

}  // namespace ll
