#include "structure_detector.h"

#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

#include "structure_rules.h"

namespace ll {

namespace {

struct Candidate {
    HeadingMatch match;
    qsizetype start = 0;
    QString title;
    bool body_before = false;  // prose between the previous heading and this one
};

bool is_space(QChar c) {
    return c.isSpace() || c == QChar(0x3000);
}

// Papers get their extra rules only when they look like papers: numbered lines such as
// "1 Introduction" would otherwise turn list items of a novel into sections.
bool looks_like_paper(const QString& text) {
    static const QRegularExpression re(
        QStringLiteral("^\\s*(Abstract|ABSTRACT|References|REFERENCES)\\s*$"),
        QRegularExpression::MultilineOption);
    return re.match(text).hasMatch();
}

std::optional<HeadingMatch> match_line(QStringView line, bool paper, bool after_references) {
    if (auto m = match_chinese_heading(line)) return m;
    if (auto m = match_english_heading(line)) return m;
    if (paper) return match_paper_heading(line, after_references);
    return std::nullopt;
}

QString title_of(QStringView line, bool has_body) {
    QString t = line.toString().simplified();  // ideographic and en spaces too
    // A heading that closes a bracketed caption ("[Illustration: … Chapter I.]", as Project
    // Gutenberg prints some first chapters) is titled without the bracket.
    if (t.endsWith(QLatin1Char(']')) && !t.contains(QLatin1Char('['))) t.chop(1);
    return has_body && t.size() > 40 ? t.left(40) + QChar(0x2026) : t;
}

// Headings printed as a bare number with the name on the next line ("第一章" / "总 纲")
// borrow that line for their title when it is short and not a sentence.
QString short_title_after(const QString& text, qsizetype eol) {
    if (eol >= text.size()) return {};
    const qsizetype line_start = text.lastIndexOf(QLatin1Char('\n'), eol - 1) + 1;
    const QString heading =
        QStringView(text).mid(line_start, eol - line_start).trimmed().toString();
    if (!heading.startsWith(u'第') || heading.size() > 10 || heading.contains(QLatin1Char(' ')))
        return {};
    qsizetype next_end = text.indexOf(QLatin1Char('\n'), eol + 1);
    if (next_end < 0) next_end = text.size();
    const QString next = QStringView(text).mid(eol + 1, next_end - eol - 1).toString().simplified();
    if (next.isEmpty() || next.size() > 16 || next.contains(u'。') || next.contains(u'，') ||
        match_chinese_heading(next))
        return {};
    return QLatin1Char(' ') + next;
}

QList<Candidate> collect_candidates(const QString& text, const StructureHints& hints) {
    QList<Candidate> out;
    const bool paper = looks_like_paper(text);
    bool body_seen = false, after_references = false, paper_heading_seen = false;
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype eol = text.indexOf(QLatin1Char('\n'), pos);
        if (eol < 0) eol = text.size();
        qsizetype s = pos;
        while (s < eol && is_space(text[s])) ++s;
        const QStringView line = QStringView(text).mid(s, eol - s);
        if (!line.isEmpty()) {
            auto m = match_line(line, paper, after_references);
            if (!m && paper && paper_heading_seen && hints.display_lines.contains(pos))
                m = make_heading(StructureKind::Section, rank::kSection, -1,
                                 QStringLiteral("paper-unnumbered"));
            if (!m && hints.markdown_headings.contains(pos)) {
                const int depth = hints.markdown_headings.value(pos);
                m = make_heading(StructureKind::Title, rank::kTitle + depth - 1, -1,
                                 QStringLiteral("md-%1").arg(depth));
            }
            if (m) {
                if (m->kind == StructureKind::References) after_references = true;
                paper_heading_seen |= m->key.startsWith(QLatin1String("paper-"));
                QString title = title_of(line, m->has_body);
                if (!m->has_body) title += short_title_after(text, eol);
                out.append({*m, s, title, body_seen});
                body_seen = m->has_body;
            } else {
                body_seen = true;
            }
        }
        pos = eol + 1;
    }
    return out;
}

// A stretch of headings with no prose between them in which one numbering sequence
// repeats (第一章, 第二章, ...) holds a table of contents. The document's own headings can
// only be the stretch's tail where each heading nests inside the previous one
// (第一编 → 第一章 → 第一条); everything before that tail is the contents list.
void drop_tables_of_contents(QList<Candidate>& cands) {
    QList<Candidate> kept;
    qsizetype i = 0;
    while (i < cands.size()) {
        qsizetype j = i + 1;
        while (j < cands.size() && !cands[j].body_before && !cands[j - 1].match.has_body) ++j;
        qsizetype tail = j - 1;
        while (tail > i && cands[tail - 1].match.rank < cands[tail].match.rank) --tail;
        QSet<QString> keys;
        bool repeats = false;
        for (qsizetype k = i; k < tail; ++k) {
            const QString& key = cands[k].match.key;
            if (key.startsWith(QLatin1String("md-"))) continue;
            if (keys.contains(key)) repeats = true;
            keys.insert(key);
        }
        // The tail's first heading continues the contents list when its sequence already
        // ran in the list from a smaller number (contents: 第一章…第三章, 第四章; body: 第一章).
        if (repeats && tail < j) {
            const HeadingMatch& head = cands[tail].match;
            for (qsizetype k = i; k < tail; ++k) {
                if (cands[k].match.key != head.key) continue;
                if (head.number > cands[k].match.number) tail = j;
                break;
            }
        }
        const qsizetype first = repeats && tail - i >= 3 ? tail : i;
        for (qsizetype k = first; k < j; ++k) kept.append(cands[k]);
        i = j;
    }
    cands = kept;
}

// Numbers must go forward: N follows N-1 (small gaps allowed for repealed provisions) or
// a sequence restarts at 1. This drops cross-references that happen to start a line.
bool in_sequence(const HeadingMatch& m, QMap<QString, int>& last, const QSet<QString>& paths) {
    if (m.key.startsWith(QLatin1String("paper-")) && !m.path.isEmpty() && m.path.contains('.')) {
        const QString parent = m.path.left(m.path.lastIndexOf(QLatin1Char('.')));
        if (!paths.contains(parent)) return false;
    }
    if (m.number < 0) return true;
    const auto it = last.constFind(m.key);
    // A lone "V." is a chapter only in a run that starts at I.
    if (it == last.constEnd() && m.key == QLatin1String("en-bare-roman") && m.number != 1)
        return false;
    // Papers never restart their section numbers; a "1." there is a list item.
    const bool restart = m.number == 1 && !m.key.startsWith(QLatin1String("paper-"));
    const bool ok = it == last.constEnd() || restart || (m.number > *it && m.number <= *it + 5);
    if (ok) last[m.key] = m.number;
    return ok;
}

Outline to_outline(const QList<Candidate>& cands, qsizetype text_size) {
    QList<int> ranks;
    for (const Candidate& c : cands) ranks.append(c.match.rank);
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());

    Outline out;
    for (const Candidate& c : cands) {
        OutlineNode n;
        n.kind = c.match.kind;
        n.level = int(std::lower_bound(ranks.begin(), ranks.end(), c.match.rank) - ranks.begin());
        n.number = c.match.number;
        n.title = c.title;
        n.start = c.start;
        n.end = text_size;
        out.append(n);
    }
    // A node ends where the next node at its level or above begins.
    QList<qsizetype> open;
    for (qsizetype i = 0; i < out.size(); ++i) {
        while (!open.isEmpty() && out[open.back()].level >= out[i].level) {
            out[open.back()].end = out[i].start;
            open.removeLast();
        }
        open.append(i);
    }
    return out;
}

}  // namespace

Outline detect_structure(const QString& text, const StructureHints& hints) {
    QList<Candidate> cands = collect_candidates(text, hints);
    drop_tables_of_contents(cands);
    QMap<QString, int> last;
    QSet<QString> paths;
    QList<Candidate> kept;
    for (const Candidate& c : cands) {
        if (!in_sequence(c.match, last, paths)) continue;
        if (!c.match.path.isEmpty()) paths.insert(c.match.path);
        kept.append(c);
    }
    return to_outline(kept, text.size());
}

}  // namespace ll
