#include "review_context.h"

#include <algorithm>
#include <climits>

namespace ll {

namespace {

bool title_matches(const QString& title, const QStringList& stems) {
    const QString t = title.toLower();
    return std::any_of(stems.begin(), stems.end(), [&](const QString& s) { return t.contains(s); });
}

bool is_body(const PaperSection& s) {
    return s.kind == "section" || s.kind == "appendix";
}

// The outermost level body sections have (1 in a paper whose title is level 0).
int top_level(const PaperStructure& paper) {
    int level = INT_MAX;
    for (const PaperSection& s : paper.sections)
        if (is_body(s)) level = std::min(level, s.level);
    return level;
}

QList<const PaperSection*> chosen_sections(const PaperStructure& paper,
                                           const ReviewPartSpec& spec) {
    QList<const PaperSection*> out;
    for (const PaperSection& s : paper.sections) {
        if (s.span.empty()) continue;
        const bool kind_ok = s.kind == "section" || (spec.appendix && s.kind == "appendix");
        if (kind_ok && title_matches(s.title, spec.sections)) out << &s;
        if (spec.references && s.kind == "references") out << &s;
    }
    const bool matched = std::any_of(out.begin(), out.end(),
                                     [](const PaperSection* s) { return s->kind != "references"; });
    if (matched) return out;
    // No title matched: the body's first half, or all of it.
    QList<const PaperSection*> top;
    const int level = top_level(paper);
    for (const PaperSection& s : paper.sections)
        if (s.kind == "section" && s.level == level && !s.span.empty()) top << &s;
    if (spec.fallback == "front") top = top.mid(0, std::max<qsizetype>(1, (top.size() + 1) / 2));
    return top + out;
}

QList<TextSpan> merged(QList<TextSpan> spans) {
    std::sort(spans.begin(), spans.end(),
              [](const TextSpan& a, const TextSpan& b) { return a.start < b.start; });
    QList<TextSpan> out;
    for (const TextSpan& s : spans) {
        if (s.empty()) continue;
        if (!out.isEmpty() && s.start <= out.back().end)
            out.back().end = std::max(out.back().end, s.end);
        else
            out << s;
    }
    return out;
}

}  // namespace

QList<TextSpan> part_ranges(const Document& doc, const PaperStructure& paper,
                            const ReviewPartSpec& spec) {
    QList<TextSpan> spans;
    if (spec.abstract) spans << paper.abstract;
    for (const PaperSection* s : chosen_sections(paper, spec)) spans << s->span;
    spans = merged(spans);
    if (spans.isEmpty() && !doc.text.isEmpty()) spans << TextSpan{0, doc.text.size()};
    return spans;
}

QStringList part_section_names(const PaperStructure& paper, const ReviewPartSpec& spec) {
    QStringList names;
    if (spec.abstract && !paper.abstract.empty()) names << "Abstract";
    for (const PaperSection* s : chosen_sections(paper, spec))
        names << (s->number.isEmpty() ? s->title : s->number + " " + s->title);
    return names;
}

std::optional<TextSpan> Excerpt::to_source(qsizetype start, qsizetype end) const {
    for (const Piece& p : pieces) {
        if (start >= p.at + p.length || end <= p.at) continue;
        const qsizetype s = std::max(start, p.at), e = std::min(end, p.at + p.length);
        return TextSpan{p.source + (s - p.at), p.source + (e - p.at)};
    }
    return std::nullopt;
}

Excerpt make_excerpt(const Document& doc, const QList<TextSpan>& ranges) {
    Excerpt x;
    x.doc.path = doc.path;
    x.doc.format = doc.format;
    x.doc.encoding = doc.encoding;
    x.doc.page_count = doc.page_count;
    const bool boxed = doc.boxes.size() == doc.text.size();
    for (const TextSpan& r : ranges) {
        const qsizetype start = std::clamp<qsizetype>(r.start, 0, doc.text.size());
        const qsizetype end = std::clamp<qsizetype>(r.end, start, doc.text.size());
        if (end == start) continue;
        if (!x.pieces.isEmpty()) {  // a paragraph break between pieces, boxed like its left
            x.doc.text += "\n\n";
            if (boxed) x.doc.boxes << x.doc.boxes.back() << x.doc.boxes.back();
        }
        const Excerpt::Piece piece{x.doc.text.size(), start, end - start};
        x.pieces << piece;
        x.doc.text += doc.text.mid(start, end - start);
        if (boxed) x.doc.boxes += doc.boxes.mid(start, end - start);
        // The headings inside the piece, so passages keep to sections as in the paper.
        for (const OutlineNode& n : doc.outline) {
            if (n.start < start || n.start >= end) continue;
            OutlineNode m = n;
            m.start = piece.at + (n.start - start);
            m.end = piece.at + (std::min(n.end, end) - start);
            x.doc.outline << m;
        }
    }
    x.doc.index_lines();
    return x;
}

}  // namespace ll
