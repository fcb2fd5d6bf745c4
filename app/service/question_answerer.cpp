#include "question_answerer.h"

namespace ll {
namespace {

// The innermost outline node containing `offset`, for a chip label like "第十二条".
const OutlineNode* innermost_node(const Document& doc, qsizetype offset) {
    const OutlineNode* best = nullptr;
    for (const OutlineNode& n : doc.outline) {
        if (n.start <= offset && offset < n.end && (!best || n.level >= best->level)) best = &n;
    }
    return best;
}

}  // namespace

AnswerCitation make_citation(const Document& document, qsizetype start, qsizetype end) {
    AnswerCitation c;
    c.start = std::clamp<qsizetype>(start, 0, document.text.size());
    c.end = std::clamp<qsizetype>(end, c.start, document.text.size());
    c.page = document.page_of(c.start);
    c.rects = document.rects_for(c.start, c.end);
    c.text = document.text.mid(c.start, c.end - c.start).simplified();
    if (const OutlineNode* node = innermost_node(document, c.start)) {
        // A numbered heading is known by its number ("第十二条", "Article 4"); the rest of
        // the line is in the tooltip's quote.
        const QString title = node->title.simplified();
        c.label = node->number >= 0 && title.contains(' ') ? title.section(' ', 0, 0) : title;
        if (c.label.size() > 18) c.label = c.label.left(17) + QStringLiteral("…");
    }
    if (c.page >= 0) {
        const QString page = QObject::tr("p. %1").arg(c.page + 1);
        c.label = c.label.isEmpty() ? page : c.label + " · " + page;
    } else if (c.label.isEmpty()) {
        c.label = QObject::tr("line %1").arg(document.position_of(c.start).line);
    }
    return c;
}

}  // namespace ll
