#include "structure_detector.h"

#include <QMap>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <functional>

#include "structure_rules.h"

namespace ll {

namespace {

struct Candidate {
    HeadingMatch match;
    qsizetype start = 0;
    QString title;
    bool body_before = false;  // prose between the previous heading and this one
    bool entry = false;        // a line of a table of contents
    int target = -1;           // entries: index among the kept candidates of the heading named
};

bool is_space(QChar c) {
    return c.isSpace() || c == QChar(0x3000);
}

bool has_cjk(QStringView s) {
    for (QChar c : s)
        if (c.unicode() >= 0x2E80) return true;
    return false;
}

bool is_matter(const HeadingMatch& m) {
    return m.rank == rank::kMatter;
}

// Papers get their extra rules only when they look like papers: numbered lines such as
// "1 Introduction" would otherwise turn list items of a novel into sections.
bool looks_like_paper(const QString& text) {
    static const QRegularExpression re(
        QStringLiteral("^\\s*(Abstract|ABSTRACT|References|REFERENCES)\\s*$"),
        QRegularExpression::MultilineOption);
    return re.match(text).hasMatch();
}

// Contracts get their clause rules only when clauses 1 and 2 are there, titled in capitals
// ("1. DEFINITIONS.", "2. APPOINTMENT.") or in title case on a line of their own
// ("1. Source Code."): a numbered list in a novel has neither.
bool looks_like_contract(const QString& text) {
    static const QRegularExpression re(QStringLiteral("^[ \\t]*([12])\\.?[ \\t]+\\p{Lu}"),
                                       QRegularExpression::MultilineOption);
    bool seen[2] = {false, false};
    for (auto it = re.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        qsizetype eol = text.indexOf(QLatin1Char('\n'), m.capturedStart(0));
        if (eol < 0) eol = text.size();
        const auto c = match_clause_heading(
            QStringView(text).mid(m.capturedStart(0), eol - m.capturedStart(0)));
        if (c && !c->path.contains(QLatin1Char('.')) && (c->number == 1 || c->number == 2))
            seen[c->number - 1] = true;
        if (seen[0] && seen[1]) return true;
    }
    return false;
}

// Where a Project Gutenberg edition's own header ends and its licence starts: the
// "*** START OF THE PROJECT GUTENBERG EBOOK … ***" line and the first "END OF THE PROJECT
// GUTENBERG EBOOK" line after it (older editions print "End of the Project Gutenberg EBook
// of …" a line before the starred one). Headings in either are the licence's, not the book's.
struct Boilerplate {
    qsizetype body_start = 0;      // after the START line; 0 without one
    qsizetype licence_start = -1;  // the END line's start; -1 without one
};

Boilerplate find_gutenberg(const QString& text) {
    static const QRegularExpression start_re(
        QStringLiteral("^\\*{3}\\s*START OF (?:THE |THIS )?PROJECT GUTENBERG"),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression end_re(
        QStringLiteral("^[\\s*]*END OF (?:THE |THIS )?PROJECT GUTENBERG"),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    Boilerplate b;
    if (const auto m = start_re.match(text); m.hasMatch()) {
        const qsizetype eol = text.indexOf(QLatin1Char('\n'), m.capturedStart(0));
        b.body_start = eol < 0 ? text.size() : eol + 1;
    }
    if (const auto m = end_re.match(text, b.body_start); m.hasMatch()) {
        qsizetype s = m.capturedStart(0);
        while (s < text.size() && is_space(text[s])) ++s;
        b.licence_start = s;
    }
    return b;
}

std::optional<HeadingMatch> match_line(QStringView line, bool paper, bool contract,
                                       bool after_references) {
    if (auto m = match_chinese_heading(line)) return m;
    if (auto m = match_english_heading(line)) return m;
    if (paper) return match_paper_heading(line, after_references);
    if (contract) return match_clause_heading(line);
    return std::nullopt;
}

QString title_of(QStringView line, const HeadingMatch& m) {
    if (m.title_length > 0) return line.left(m.title_length).toString().simplified();
    QString t = line.toString().simplified();  // ideographic and en spaces too
    // A heading that closes a bracketed caption ("[Illustration: … Chapter I.]", as Project
    // Gutenberg prints some first chapters) is titled without the bracket.
    if (t.endsWith(QLatin1Char(']')) && !t.contains(QLatin1Char('['))) t.chop(1);
    return m.has_body && t.size() > 40 ? t.left(40) + QChar(0x2026) : t;
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

struct TextLine {
    qsizetype pos;    // line start
    qsizetype start;  // first non-space character
    qsizetype eol;
    QStringView text() const { return view.mid(start - pos, eol - start); }
    bool blank() const { return start == eol; }
    QStringView view;  // the whole line
};

QList<TextLine> lines_of(const QString& text, qsizetype from, qsizetype to) {
    QList<TextLine> out;
    qsizetype pos = from;
    while (pos < to) {
        qsizetype eol = text.indexOf(QLatin1Char('\n'), pos);
        if (eol < 0 || eol > to) eol = to;
        qsizetype s = pos;
        while (s < eol && is_space(text[s])) ++s;
        qsizetype e = eol;
        while (e > s && is_space(text[e - 1])) --e;
        out.append({pos, s, e, QStringView(text).mid(pos, eol - pos)});
        pos = eol + 1;
    }
    return out;
}

// A line that ends mid-sentence ("… as set forth in") continues into the next, so a
// "Section 2 …" there is a reference, not a heading.
bool ends_mid_sentence(const TextLine& l) {
    if (l.blank()) return false;
    const QChar c = l.text().back();
    return c.isLower() || c == QLatin1Char(',');
}

// The title of a heading printed over two lines ("CHAPTER I." / "Down the Rabbit-Hole",
// or a long title wrapped): the next line, when it is short, no heading itself, and
// either followed by a blank line or indented under the first as a wrapped contents line.
bool title_case(QStringView s) {
    static const QSet<QString> small = {"a",   "an",   "and",  "as",   "at",   "but",   "by",
                                        "for", "from", "in",   "into", "of",   "on",    "or",
                                        "the", "to",   "upon", "with", "that", "which", "who"};
    bool any = false;
    for (const QStringView w : s.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!w[0].isLetter()) continue;
        any = true;
        if (!w[0].isUpper() && !small.contains(w.toString())) return false;
    }
    return any;
}

bool continues_title(const QList<TextLine>& lines, qsizetype i,
                     const std::function<bool(QStringView)>& is_heading) {
    if (i + 2 >= lines.size()) return false;
    const TextLine& head = lines[i];
    const TextLine& next = lines[i + 1];
    // A title, not the first sentence of the text: "Down the Rabbit-Hole", "PERSON ON THE
    // ROAD", not "It began."
    if (next.blank() || next.text().size() > 70 || has_cjk(head.text()) ||
        !title_case(next.text()) || is_heading(next.text()))
        return false;
    const bool blank_before = i == 0 || lines[i - 1].blank();
    const bool blank_after = lines[i + 2].blank();
    const bool indented = next.start - next.pos > head.start - head.pos;
    const bool heading_after = !blank_after && is_heading(lines[i + 2].text());
    return (blank_before && blank_after) || (indented && (blank_after || heading_after));
}

// A heading inside a chapter ("BOOK I. (Folio), CHAPTER I. (Sperm Whale).—This whale …")
// is titled up to the dash that runs it into its paragraph.
void cut_run_in_title(QStringView line, HeadingMatch& m) {
    static const QRegularExpression dash(QStringLiteral("\\.(?:—|--)\\s*\\S"));
    if (const auto d = dash.match(line); d.hasMatch()) {
        m.title_length = int(d.capturedStart(0)) + 1;
        m.has_body = true;
    }
}

// A contents line's dot leader and page number ("Chapter 3. Fog ....... 17"): where they
// begin, or the line's length without them.
qsizetype before_leader(QStringView line) {
    static const QRegularExpression leader(
        QStringLiteral("\\s*(?:[.·…]\\s*){3,}(?:[0-9]{1,4}|[ivxlcdm]{1,7}|[IVXLCDM]{1,7})$"));
    const auto m = leader.match(line);
    return m.hasMatch() ? m.capturedStart(0) : line.size();
}

struct Scan {
    bool paper = false, contract = false, after_references = false, paper_heading_seen = false;
};

QList<Candidate> collect_candidates(const QString& text, const StructureHints& hints,
                                    qsizetype from, qsizetype to) {
    QList<Candidate> out;
    Scan scan;
    scan.paper = looks_like_paper(text);
    scan.contract = !scan.paper && looks_like_contract(text);
    const bool matter_rules = !scan.paper && hints.markdown_headings.isEmpty();
    const QList<TextLine> lines = lines_of(text, from, to);
    auto is_heading = [&](QStringView l) {
        return match_line(l, scan.paper, scan.contract, false) ||
               (matter_rules && (match_matter_heading(l) || match_contents_heading(l)));
    };
    bool body_seen = false, prev_was_heading = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const TextLine& tl = lines[i];
        if (tl.blank()) continue;
        const QStringView line = tl.text().left(before_leader(tl.text()));
        const bool prev_blank = i == 0 || lines[i - 1].blank();
        auto m = match_line(line, scan.paper, scan.contract, scan.after_references);
        if (m &&
            (m->key.startsWith(QLatin1String("en-")) ||
             m->key.startsWith(QLatin1String("clause-"))) &&
            i > 0 && !prev_was_heading && ends_mid_sentence(lines[i - 1]))
            m.reset();
        if (m && hints.has_layout && m->key.startsWith(QLatin1String("clause-")) &&
            !hints.larger_lines.contains(tl.pos))
            m.reset();
        if (!m && scan.paper && scan.paper_heading_seen && hints.display_lines.contains(tl.pos))
            m = make_heading(StructureKind::Section, rank::kSection, -1,
                             QStringLiteral("paper-unnumbered"));
        if (!m && hints.markdown_headings.contains(tl.pos)) {
            const int depth = hints.markdown_headings.value(tl.pos);
            m = make_heading(StructureKind::Title, rank::kTitle + depth - 1, -1,
                             QStringLiteral("md-%1").arg(depth));
        }
        // Front matter, back matter and a contents heading stand between blank lines (or
        // among other headings, in a contents list); in a PDF, which has no blank lines,
        // they are set larger than the body. A contents line may also just head a run of
        // headings (目录 over 第一编 …).
        if (!m && matter_rules) {
            const bool apart = hints.has_layout ? hints.larger_lines.contains(tl.pos)
                                                : prev_blank || prev_was_heading;
            const bool heading_next = i + 1 < lines.size() && is_heading(lines[i + 1].text());
            const bool next_ok = hints.has_layout || i + 1 >= lines.size() ||
                                 lines[i + 1].blank() || heading_next ||
                                 continues_title(lines, i, is_heading);
            if ((apart && next_ok) || heading_next) m = match_contents_heading(line);
            if (!m && apart && next_ok) m = match_matter_heading(line);
        }
        prev_was_heading = bool(m);
        if (!m) {
            body_seen = true;
            continue;
        }
        if (m->key == QLatin1String("en-part")) cut_run_in_title(line, *m);
        if (m->kind == StructureKind::References) scan.after_references = true;
        scan.paper_heading_seen |= m->key.startsWith(QLatin1String("paper-"));
        QString title = title_of(line, *m);
        if (!m->has_body) {
            title += short_title_after(text, tl.eol);
            if (!hints.has_layout && continues_title(lines, i, is_heading)) {
                const QStringView next = lines[i + 1].text();
                title += QLatin1Char(' ') + next.left(before_leader(next)).toString().simplified();
                ++i;  // the title's second line is no body
            }
        }
        out.append({*m, tl.start, title, body_seen});
        body_seen = m->has_body;
    }
    return out;
}

// A stretch of headings with no prose between them in which one numbering sequence
// repeats (第一章, 第二章, ...), or that a "Contents" line opens, holds a table of contents.
// The document's own headings can only be the stretch's tail where each heading nests
// inside the previous one (第一编 → 第一章 → 第一条); everything before that tail is the
// contents list. Its lines stay as entries under a Contents node.
void mark_tables_of_contents(QList<Candidate>& cands) {
    QList<Candidate> out;
    qsizetype i = 0;
    while (i < cands.size()) {
        qsizetype j = i + 1;
        while (j < cands.size() && !cands[j].body_before && !cands[j - 1].match.has_body) ++j;
        qsizetype tail = j - 1;
        while (tail > i && cands[tail - 1].match.rank >= 0 &&
               cands[tail - 1].match.rank < cands[tail].match.rank)
            --tail;
        qsizetype heading = -1;  // the "Contents" line
        QSet<QString> keys;
        bool repeats = false;
        for (qsizetype k = i; k < tail; ++k) {
            const QString& key = cands[k].match.key;
            if (key == QLatin1String("contents") && heading < 0) heading = k;
            if (key.startsWith(QLatin1String("md-")) || key == QLatin1String("contents")) continue;
            if (keys.contains(key)) repeats = true;
            keys.insert(key);
        }
        // The tail's first heading continues the contents list when its sequence already
        // ran in the list from a smaller number (contents: 第一章…第三章, 第四章; body: 第一章).
        if ((repeats || heading >= 0) && tail < j) {
            const HeadingMatch& head = cands[tail].match;
            for (qsizetype k = i; k < tail; ++k) {
                if (cands[k].match.key != head.key) continue;
                if (head.number > cands[k].match.number) tail = j;
                break;
            }
        }
        const bool contents = (repeats && tail - i >= 3) || (heading >= 0 && tail - heading >= 2);
        qsizetype first_entry = tail;
        if (contents) {
            first_entry = heading >= 0 ? heading + 1 : i;
            for (qsizetype k = i; k < first_entry; ++k) out.append(cands[k]);
            if (heading < 0) {  // a list with no "Contents" line still gets its node
                Candidate c = cands[i];
                c.match = make_heading(StructureKind::Contents, rank::kMatter, -1,
                                       QStringLiteral("contents"));
                c.title = QStringLiteral("Contents");
                out.append(c);
            }
        }
        for (qsizetype k = contents ? first_entry : i; k < j; ++k) {
            out.append(cands[k]);
            out.back().entry = contents && k < tail;
        }
        i = j;
    }
    cands = out;
}

// Numbers must go forward: N follows N-1 (small gaps allowed for repealed provisions) or
// a sequence restarts at 1. This drops cross-references that happen to start a line.
bool in_sequence(const HeadingMatch& m, QMap<QString, int>& last, const QSet<QString>& paths) {
    const bool paper = m.key.startsWith(QLatin1String("paper-"));
    const bool clause = m.key.startsWith(QLatin1String("clause-"));
    if ((paper || clause) && !m.path.isEmpty() && m.path.contains('.')) {
        const QString parent = m.path.left(m.path.lastIndexOf(QLatin1Char('.')));
        if (!paths.contains(parent)) return false;
    }
    if (m.number < 0) return true;
    const auto it = last.constFind(m.key);
    // A lone "V." is a chapter only in a run that starts at I.
    if (it == last.constEnd() && m.key == QLatin1String("en-bare-roman") && m.number != 1)
        return false;
    // Papers and contracts never restart their section numbers; a "1." there is a list item.
    const bool restart = m.number == 1 && !paper && m.key != QLatin1String("clause-top");
    const bool ok = it == last.constEnd() || restart || (m.number > *it && m.number <= *it + 5);
    if (ok) last[m.key] = m.number;
    return ok;
}

// A Part or Book heading that first appears after chapters have begun is a heading inside
// a chapter (a chapter that classifies its subject under "BOOK I.", "BOOK II."): it must
// not become a top-level part that swallows the rest of the book.
void keep_inner_headings_inside(QList<Candidate>& cands) {
    bool chapters = false, parts_before_chapters = false;
    for (Candidate& c : cands) {
        if (c.entry) continue;
        if (c.match.kind == StructureKind::Chapter) chapters = true;
        if (c.match.key != QLatin1String("en-part")) continue;
        if (!chapters) {
            parts_before_chapters = true;
        } else if (!parts_before_chapters) {
            c.match.kind = StructureKind::Section;
            c.match.rank = rank::kInChapter;
            c.match.key = QStringLiteral("en-in-chapter");
        }
    }
}

// Each contents entry points at the heading it names: the next heading, after the one the
// previous entry named, with the same numbering sequence and number (or, unnumbered, the
// same kind of matter). In order, so the 第一章 of each part finds its own.
void link_entries(QList<Candidate>& cands) {
    qsizetype from = -1;
    for (qsizetype e = 0; e < cands.size(); ++e) {
        if (!cands[e].entry) continue;
        if (e == 0 || !cands[e - 1].entry) {  // a list's first entry: start after the list
            from = e;
            while (from < cands.size() && cands[from].entry) ++from;
        }
        for (qsizetype k = from; k < cands.size(); ++k) {
            const HeadingMatch& h = cands[k].match;
            if (cands[k].entry || h.key != cands[e].match.key || h.number != cands[e].match.number)
                continue;
            cands[e].target = int(k);
            from = k + 1;
            break;
        }
    }
}

Outline to_outline(const QList<Candidate>& cands, qsizetype text_size) {
    QList<int> ranks;
    for (const Candidate& c : cands)
        if (!c.entry && !is_matter(c.match)) ranks.append(c.match.rank);
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());

    Outline out;
    for (const Candidate& c : cands) {
        OutlineNode n;
        n.kind = c.entry ? StructureKind::ContentsEntry : c.match.kind;
        // Matter stands beside the outermost headings; contents entries sit under their list.
        n.level =
            c.entry ? 1
            : is_matter(c.match)
                ? 0
                : int(std::lower_bound(ranks.begin(), ranks.end(), c.match.rank) - ranks.begin());
        n.number = c.match.number;
        n.title = c.title;
        n.start = c.start;
        n.end = text_size;
        n.target = c.target;
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

Candidate boilerplate_node(StructureKind kind, qsizetype start, const QString& title) {
    Candidate c;
    c.match = make_heading(kind, rank::kMatter, -1, QStringLiteral("gutenberg"), true);
    c.start = start;
    c.title = title;
    c.body_before = true;
    return c;
}

}  // namespace

Outline detect_structure(const QString& text, const StructureHints& hints) {
    const Boilerplate pg = find_gutenberg(text);
    const qsizetype body_end = pg.licence_start >= 0 ? pg.licence_start : text.size();
    QList<Candidate> cands = collect_candidates(text, hints, pg.body_start, body_end);
    mark_tables_of_contents(cands);
    keep_inner_headings_inside(cands);
    QMap<QString, int> last;
    QSet<QString> paths;
    QList<Candidate> kept;
    if (pg.body_start > 0) {
        qsizetype s = 0;
        while (s < text.size() && is_space(text[s])) ++s;
        kept.append(boilerplate_node(StructureKind::FrontMatter, std::min(s, pg.body_start),
                                     QStringLiteral("Gutenberg header")));
    }
    for (const Candidate& c : cands) {
        if (!c.entry) {
            if (!in_sequence(c.match, last, paths)) continue;
            if (!c.match.path.isEmpty()) paths.insert(c.match.path);
        }
        kept.append(c);
    }
    if (pg.licence_start >= 0)
        kept.append(boilerplate_node(StructureKind::BackMatter, pg.licence_start,
                                     QStringLiteral("Gutenberg licence")));
    link_entries(kept);
    return to_outline(kept, text.size());
}

}  // namespace ll
