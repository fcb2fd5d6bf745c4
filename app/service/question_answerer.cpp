#include "question_answerer.h"

#include <algorithm>

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

// A numbered heading is known by its number: "第十二条 …" → "第十二条", "Article 4. …" →
// "Article 4", "Chapter 2. The Rules" → "Chapter 2"; the rest of the line is in the
// tooltip's quote.
QString heading_label(const QString& heading, bool numbered) {
    const QStringList words = heading.simplified().split(' ');
    if (!numbered || words.size() < 2) return heading.simplified();
    const auto has_digit = [](const QString& w) {
        return std::any_of(w.begin(), w.end(), [](QChar ch) { return ch.isDigit(); });
    };
    // "Chapter 2", "Article IV", "§ 3": a word and the number after it. A CJK heading
    // ("第十二条") or "1. Introduction" carries its number in the first word.
    const bool word_then_number = !has_digit(words[0]) && words[0].front().unicode() < 0x2E80;
    QString label = word_then_number ? words[0] + ' ' + words[1] : words[0];
    while (label.size() > 1 && QStringLiteral(".:;,").contains(label.back())) label.chop(1);
    return label;
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
        c.label = heading_label(node->title, node->number >= 0);
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
