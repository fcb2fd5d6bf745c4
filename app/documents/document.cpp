#include "document.h"

#include <algorithm>
#include <cmath>

namespace ll {

QString format_name(DocumentFormat format) {
    switch (format) {
        case DocumentFormat::PlainText:
            return QStringLiteral("text");
        case DocumentFormat::Markdown:
            return QStringLiteral("markdown");
        case DocumentFormat::Pdf:
            return QStringLiteral("pdf");
        case DocumentFormat::Epub:
            return QStringLiteral("epub");
    }
    return QStringLiteral("unknown");
}

namespace {

// Two boxes belong to one rectangle when they are on the same page, overlap vertically by
// more than half and the second does not start left of the first (a new line or column).
bool same_line(const CharBox& a, const QRectF& r) {
    if (a.x0 + 0.5 < r.left()) return false;
    const double overlap = std::min<double>(a.y1, r.bottom()) - std::max<double>(a.y0, r.top());
    const double height = std::min<double>(a.y1 - a.y0, r.height());
    return overlap > 0.5 * height;
}

}  // namespace

QList<PageRect> Document::rects_for(qsizetype start, qsizetype end) const {
    QList<PageRect> out;
    start = std::clamp<qsizetype>(start, 0, boxes.size());
    end = std::clamp<qsizetype>(end, start, boxes.size());
    for (qsizetype i = start; i < end; ++i) {
        const CharBox& b = boxes[i];
        const QRectF r(QPointF(b.x0, b.y0), QPointF(b.x1, b.y1));
        if (!out.isEmpty() && out.back().page == b.page && same_line(b, out.back().rect)) {
            out.back().rect = out.back().rect.united(r);
        } else {
            out.append({b.page, r});
        }
    }
    return out;
}

int Document::page_of(qsizetype offset) const {
    if (boxes.isEmpty()) return -1;
    return boxes[std::clamp<qsizetype>(offset, 0, boxes.size() - 1)].page;
}

QString Document::page_label(int page) const {
    if (page >= 0 && page < page_labels.size() && !page_labels[page].isEmpty())
        return page_labels[page];
    return QString::number(page + 1);
}

QString Document::page_reference(int page) const {
    return QStringLiteral("p. %1").arg(page_label(page));
}

QString Document::physical_page(int page) const {
    return QStringLiteral("page %1 of %2").arg(page + 1).arg(page_count);
}

void Document::index_lines() {
    line_starts_ = {0};
    for (qsizetype i = 0; i < text.size(); ++i)
        if (text[i] == QLatin1Char('\n')) line_starts_.append(i + 1);
}

TextPosition Document::position_of(qsizetype offset) const {
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    if (line_starts_.isEmpty()) {
        const QStringView before = QStringView(text).left(offset);
        const qsizetype line_start = before.lastIndexOf(QLatin1Char('\n')) + 1;
        return {int(before.count(QLatin1Char('\n'))) + 1, int(offset - line_start) + 1};
    }
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
    return {int(it - line_starts_.begin()) + 1, int(offset - *it) + 1};
}

int Document::count(StructureKind kind) const {
    return int(std::count_if(outline.begin(), outline.end(),
                             [kind](const OutlineNode& n) { return n.kind == kind; }));
}

}  // namespace ll
