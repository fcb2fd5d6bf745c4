#include "paper_structure.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

#include "document.h"

namespace ll {

namespace {

// One line of the normalised text: a paragraph of a PDF's flow, a line of a text file.
struct Para {
    qsizetype start = 0, end = 0;  // end: the '\n' (or the text's end)
    int page = -1;                 // PDFs only
    double height = 0;             // median glyph height in points; 0 without boxes
    double left = 0, top = 0, bottom = 0;
};

bool has_boxes(const Document& doc) {
    return !doc.boxes.isEmpty() && doc.boxes.size() == doc.text.size();
}

double glyph_height(const CharBox& b) {
    return double(b.y1) - double(b.y0);
}

QList<Para> paragraphs_of(const Document& doc) {
    const bool boxes = has_boxes(doc);
    QList<Para> out;
    qsizetype pos = 0;
    const QString& t = doc.text;
    while (pos < t.size()) {
        qsizetype eol = t.indexOf(QLatin1Char('\n'), pos);
        if (eol < 0) eol = t.size();
        Para p{pos, eol};
        if (boxes && eol > pos) {
            QList<double> heights;
            p.page = doc.boxes[pos].page;
            p.left = doc.boxes[pos].x0;
            p.top = doc.boxes[pos].y0;
            p.bottom = doc.boxes[pos].y1;
            for (qsizetype i = pos; i < eol; ++i) {
                if (!t[i].isLetterOrNumber()) continue;
                heights.append(glyph_height(doc.boxes[i]));
                if (doc.boxes[i].page == p.page) {
                    p.top = std::min<double>(p.top, doc.boxes[i].y0);
                    p.bottom = std::max<double>(p.bottom, doc.boxes[i].y1);
                }
            }
            if (!heights.isEmpty()) {
                std::nth_element(heights.begin(), heights.begin() + heights.size() / 2,
                                 heights.end());
                p.height = heights[heights.size() / 2];
            }
        }
        if (eol > pos) out.append(p);
        pos = eol + 1;
    }
    return out;
}

// The body text's glyph height: the height most characters have (rounded to 0.25 pt).
double body_height(const QList<Para>& paras) {
    QHash<int, qsizetype> chars;
    for (const Para& p : paras)
        if (p.height > 0) chars[int(std::lround(p.height * 4))] += p.end - p.start;
    int best = 0;
    qsizetype most = -1;
    for (auto it = chars.cbegin(); it != chars.cend(); ++it)
        if (it.value() > most) {
            most = it.value();
            best = it.key();
        }
    return best / 4.0;
}

QString simplified(const Document& doc, TextSpan s) {
    return doc.text.mid(s.start, s.end - s.start).simplified();
}

const OutlineNode* first_of(const Document& doc, StructureKind kind) {
    for (const OutlineNode& n : doc.outline)
        if (n.kind == kind) return &n;
    return nullptr;
}

qsizetype line_end(const QString& t, qsizetype from) {
    const qsizetype e = t.indexOf(QLatin1Char('\n'), from);
    return e < 0 ? t.size() : e;
}

// ---- title and authors -------------------------------------------------------------------

// The title: on a PDF the largest type on the first page before the abstract (consecutive
// lines of that size join), when it stands out from the body; in text the first line.
void find_title(const Document& doc, const QList<Para>& paras, qsizetype front_end, double body,
                PaperStructure& out) {
    if (has_boxes(doc)) {
        double biggest = 0;
        for (const Para& p : paras)
            if (p.start < front_end && p.page == 0) biggest = std::max(biggest, p.height);
        if (biggest < 1.15 * body) return;
        for (const Para& p : paras) {
            if (p.start >= front_end || p.page != 0) break;
            const bool big = std::abs(p.height - biggest) < 0.06 * biggest;
            if (big && out.title_span.empty())
                out.title_span = {p.start, p.end};
            else if (big && !out.title_span.empty())
                out.title_span.end = p.end;
            else if (!out.title_span.empty())
                break;
        }
    } else if (!paras.isEmpty() && paras[0].start < front_end &&
               paras[0].end - paras[0].start <= 200) {
        out.title_span = {paras[0].start, paras[0].end};
    }
    if (!out.title_span.empty()) out.title = simplified(doc, out.title_span);
}

bool is_name_word(const QString& w) {
    static const QRegularExpression re(
        QStringLiteral("^(?:\\p{Lu}[\\p{L}'’\\-]*\\.?|\\p{Lu}\\.-\\p{Lu}\\.|van|von|de|der|den|"
                       "da|di|del|della|la|le|du|dos|bin|al)$"));
    return re.match(w).hasMatch();
}

// Words that name an organisation rather than a person.
bool is_institution_word(const QString& w) {
    static const QStringList words = {
        "University", "Universität", "Université", "Universidad", "Institute",    "Institut",
        "College",    "School",      "Department", "Dept",        "Laboratory",   "Laboratories",
        "Lab",        "Labs",        "Research",   "Inc",         "Inc.",         "Ltd",
        "Corp",       "Corporation", "Center",     "Centre",      "Academy",      "Foundation",
        "Group",      "Google",      "Microsoft",  "Meta",        "Facebook",     "Brain",
        "AI",         "DeepMind",    "OpenAI",     "Company",     "Technologies", "Technology",
        "Sciences",   "Science"};
    return words.contains(w);
}

// A piece of the byline is a person's name when it is two to five capitalised words.
QString as_name(QString piece) {
    static const QRegularExpression markers(QStringLiteral("[\\d∗*†‡§¶♯♭♮⋆✝,;]+"));
    piece.replace(markers, QStringLiteral(" "));
    const QStringList words = piece.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() < 2 || words.size() > 5) return {};
    for (const QString& w : words)
        if (!is_name_word(w) || is_institution_word(w)) return {};
    if (!words.back().at(0).isUpper() || words.back().size() < 2) return {};
    return words.join(QLatin1Char(' '));
}

// Authors: the names in the lines between the title and the abstract. On a PDF, names laid
// out side by side are told apart by the wide gaps between them.
void find_authors(const Document& doc, const QList<Para>& paras, qsizetype front_end,
                  PaperStructure& out) {
    if (out.title_span.empty()) return;
    const bool boxes = has_boxes(doc);
    static const QRegularExpression separators(
        QStringLiteral("\\s*(?:,\\s*and\\s+|,|\\band\\b|&|·|•)\\s*"));
    for (const Para& p : paras) {
        if (p.start < out.title_span.end) continue;
        if (p.start >= front_end) break;
        // Cut the line at wide gaps (more than a glyph height of space).
        QStringList cells;
        QString cur;
        for (qsizetype i = p.start; i < p.end; ++i) {
            const QChar c = doc.text[i];
            const bool wide = boxes && c == QLatin1Char(' ') &&
                              doc.boxes[i].x1 - doc.boxes[i].x0 > std::max(3.0, p.height);
            if (wide) {
                cells.append(cur);
                cur.clear();
            } else {
                cur.append(c);
            }
        }
        cells.append(cur);
        for (const QString& cell : cells) {
            if (cell.contains(QLatin1Char('@'))) continue;
            // Footnote markers glued to names ("Vaswani∗ Noam") also separate them.
            static const QRegularExpression marker_gap(
                QStringLiteral("(?<=[\\p{Ll}.])[\\d∗*†‡§¶⋆]+(?:\\s|$)"));
            QString c = cell;
            c.replace(marker_gap, QStringLiteral(","));
            for (const QString& piece : c.split(separators, Qt::SkipEmptyParts)) {
                const QString name = as_name(piece);
                if (!name.isEmpty() && !out.authors.contains(name)) out.authors.append(name);
            }
        }
    }
}

// ---- sections ----------------------------------------------------------------------------

void find_sections(const Document& doc, PaperStructure& out) {
    static const QRegularExpression numbered(
        QStringLiteral("^([0-9]{1,2}|[A-Z])((?:\\.[0-9]{1,2})*)\\.?\\s+(.*)$"));
    for (const OutlineNode& n : doc.outline) {
        const bool paper_kind =
            n.kind == StructureKind::Section || n.kind == StructureKind::Appendix ||
            n.kind == StructureKind::Abstract || n.kind == StructureKind::References;
        if (!paper_kind) continue;
        PaperSection s;
        s.kind = kind_name(n.kind);
        s.level = n.level;
        s.span = {n.start, n.end};
        s.title = n.title;
        const auto m = numbered.match(n.title);
        if (m.hasMatch() && n.number >= 0) {
            s.number = m.captured(1) + m.captured(2);
            s.title = m.captured(3);
        }
        out.sections.append(s);
    }
}

// ---- captions ----------------------------------------------------------------------------

// "Figure 3: …", "Fig. 3. …", "Table 2: …" at the start of a paragraph. A figure's caption
// and a sentence that happens to begin "Figure 5. shows" differ in their separator, so
// within a document a kind keeps the separator most of its captions use; each number is
// captioned once (the first).
void find_captions(const Document& doc, const QList<Para>& paras, PaperStructure& out) {
    static const QRegularExpression re(
        QStringLiteral("^(Figure|FIGURE|Fig\\.|FIG\\.|Table|TABLE)\\s*([0-9]{1,3})\\s*([:.|])\\s*"
                       "(\\S.*)$"));
    struct Cand {
        PaperCaption c;
        QChar sep;
    };
    QList<Cand> cands;
    QHash<QString, QHash<QChar, int>> seps;
    for (const Para& p : paras) {
        const QString line = doc.text.mid(p.start, p.end - p.start).trimmed();
        const auto m = re.match(line);
        if (!m.hasMatch()) continue;
        const QString kind = m.captured(1).toLower().startsWith(QLatin1String("t"))
                                 ? QStringLiteral("table")
                                 : QStringLiteral("figure");
        const QChar sep = m.captured(3)[0];
        // "Figure 2. We show…" is a caption; "Table 3. shows" or "Figure 1." alone is not.
        if (sep == QLatin1Char('.') && !m.captured(4)[0].isUpper()) continue;
        PaperCaption c;
        c.kind = kind;
        c.number = m.captured(2).toInt();
        c.text = line.simplified();
        c.span = {p.start, p.end};
        cands.append({c, sep});
        ++seps[kind][sep];
    }
    QHash<QString, QChar> usual;
    for (auto it = seps.cbegin(); it != seps.cend(); ++it) {
        QChar best;
        int most = 0;
        for (auto s = it.value().cbegin(); s != it.value().cend(); ++s)
            if (s.value() > most) {
                most = s.value();
                best = s.key();
            }
        usual[it.key()] = best;
    }
    QHash<QString, bool> seen;
    for (const Cand& c : cands) {
        if (c.sep != usual.value(c.c.kind)) continue;
        const QString key = c.c.kind + QString::number(c.c.number);
        if (seen.value(key)) continue;
        seen[key] = true;
        out.captions.append(c.c);
    }
}

// ---- footnotes (PDF) ---------------------------------------------------------------------

// The body's mark for a footnote: the note's marker printed on its page outside the notes,
// glued to the word before it and raised (its foot above the foot of that word's last
// letter, looking past other marks: "Peng1∗"), not part of a longer number ("6" is not the
// start of "64"). The first such, in reading order; -1 when there is none.
qsizetype body_marker(const Document& doc, const PaperFootnote& note,
                      const QList<PaperFootnote>& notes) {
    const QString& t = doc.text;
    auto in_a_note = [&](qsizetype i) {
        return std::any_of(notes.begin(), notes.end(), [&](const PaperFootnote& n) {
            return i >= n.span.start && i < n.span.end;
        });
    };
    for (qsizetype i = t.indexOf(note.marker, 1); i > 0; i = t.indexOf(note.marker, i + 1)) {
        const qsizetype end = i + note.marker.size();
        if (doc.boxes[i].page != note.page || in_a_note(i)) continue;
        if (note.marker[0].isDigit() &&
            (t[i - 1].isDigit() || (end < t.size() && t[end].isDigit())))
            continue;
        qsizetype letter = i - 1;  // the word's last letter, before any other marks
        while (letter > 0 && i - letter < 4 && !t[letter].isLetter() && !t[letter].isSpace())
            --letter;
        if (!t[letter].isLetter()) continue;
        const CharBox& mark = doc.boxes[i];
        const CharBox& before = doc.boxes[letter];
        if (mark.page == before.page && mark.y1 < before.y1 - 0.2 * glyph_height(before)) return i;
    }
    return -1;
}

// A footnote is set smaller than the body, sits below every body-size line of its page,
// and begins with a marker: a symbol (∗ † ‡), or a number raised above the text after it.
void find_footnotes(const Document& doc, const QList<Para>& paras, double body,
                    PaperStructure& out) {
    if (!has_boxes(doc) || body <= 0) return;
    QHash<int, double> body_bottom;  // per page: the lowest line in body type
    for (const Para& p : paras)
        if (p.height >= 0.95 * body && p.end - p.start > 20)
            body_bottom[p.page] = std::max(body_bottom.value(p.page), p.bottom);
    static const QRegularExpression marker(QStringLiteral("^([∗*†‡§¶⋆]|[0-9]{1,2})\\s*(?=\\S)"));
    for (const Para& p : paras) {
        if (p.height <= 0 || p.height > 0.9 * body) continue;
        if (p.top < body_bottom.value(p.page, 1e9)) continue;
        const QString line = doc.text.mid(p.start, p.end - p.start);
        const auto m = marker.match(line);
        if (!m.hasMatch()) continue;
        const qsizetype after = p.start + m.capturedEnd(0);
        if (after >= p.end) continue;
        if (m.captured(1)[0].isDigit()) {
            // Raised: the marker's foot is clearly above the foot of the text after it.
            const CharBox& mk = doc.boxes[p.start];
            const CharBox& next = doc.boxes[after];
            if (!(mk.y1 < next.y1 - 0.2 * glyph_height(next))) continue;
        }
        // Prose, not a table row: mostly letters.
        const QString rest = line.mid(m.capturedEnd(0));
        qsizetype letters = 0;
        for (QChar c : rest) letters += c.isLetter();
        if (rest.size() < 8 || letters < 0.5 * rest.size()) continue;
        PaperFootnote f;
        f.marker = m.captured(1);
        f.text = rest.simplified();
        f.page = p.page;
        f.span = {p.start, p.end};
        out.footnotes.append(f);
    }
    for (PaperFootnote& f : out.footnotes) f.marker_at = body_marker(doc, f, out.footnotes);
}

// ---- references ----------------------------------------------------------------------------

struct EntryStart {
    qsizetype label_start, text_start;
    QString label;
};

// "[1] …[2] …" or "1. …\n2. …": labels counted up from 1, each after the last.
QList<EntryStart> numbered_entries(const QString& t, qsizetype from, qsizetype to) {
    QList<EntryStart> out;
    for (const bool brackets : {true, false}) {
        out.clear();
        qsizetype pos = from;
        for (int k = 1;; ++k) {
            const QString label =
                brackets ? QStringLiteral("[%1]").arg(k) : QStringLiteral("%1.").arg(k);
            qsizetype at = pos;
            for (;;) {
                at = t.indexOf(label, at);
                if (at < 0 || at >= to) break;
                // Bracketed labels start a line or follow a space; "2." starts a line.
                const QChar before = at > 0 ? t[at - 1] : QLatin1Char('\n');
                const bool ok_before = brackets ? before.isSpace() : before == QLatin1Char('\n');
                const bool ok_after =
                    at + label.size() < t.size() && t[at + label.size()].isSpace();
                if (ok_before && ok_after) break;
                at += label.size();
            }
            if (at < 0 || at >= to) break;
            qsizetype text = at + label.size();
            while (text < to && t[text].isSpace()) ++text;
            out.append({at, text, label});
            pos = text;
        }
        if (out.size() >= 2) return out;
    }
    out.clear();
    return out;
}

bool is_author_year_start(QStringView line) {
    // "Vaswani, A., Shazeer, N. …", "Ba, J. L., …", "LeCun Y, Bengio Y (2015) …": a surname
    // (one or two words) and a comma, or a surname and an initial. Lines that continue an
    // entry ("arXiv preprint …", "In Proceedings of …") do not start that way.
    static const QRegularExpression re(
        QStringLiteral("^\\p{Lu}[\\p{L}'’\\-]+(?:\\s+\\p{Lu}[\\p{L}'’\\-]+)?,\\s+\\p{Lu}|"
                       "^\\p{Lu}[\\p{L}'’\\-]+\\s+\\p{Lu}{1,2}\\.?,"));
    return re.match(line).hasMatch();
}

// Where the last entry stops: its own paragraph and the ones after it that continue it
// (text: no blank line between; PDF: set in the same type, hanging under its first line).
qsizetype last_entry_end(const Document& doc, const QList<Para>& paras, qsizetype start,
                         qsizetype to) {
    qsizetype i = 0;
    while (i < paras.size() && paras[i].end < start) ++i;
    if (i == paras.size()) return to;
    const Para first = paras[i];
    qsizetype end = std::min(first.end, to);
    const bool boxes = has_boxes(doc);
    for (qsizetype j = i + 1; j < paras.size() && paras[j].start < to; ++j) {
        const Para& p = paras[j];
        if (boxes) {
            const bool same_type = std::abs(p.height - first.height) < 0.1 * first.height;
            const bool hanging = p.page == first.page && p.left > first.left + 1 &&
                                 p.top - paras[j - 1].bottom < 1.5 * first.height;
            if (!same_type || !hanging) break;
        } else if (p.start != paras[j - 1].end + 1 || p.end - p.start > 300) {
            break;
        }
        end = p.end;
    }
    return end;
}

void find_references(const Document& doc, const QList<Para>& paras, PaperStructure& out) {
    const OutlineNode* refs = first_of(doc, StructureKind::References);
    if (!refs) return;
    const QString& t = doc.text;
    const qsizetype from = line_end(t, refs->start), to = refs->end;
    QList<TextSpan> spans;
    QStringList labels;
    const QList<EntryStart> numbered = numbered_entries(t, from, to);
    if (!numbered.isEmpty()) {
        for (qsizetype k = 0; k < numbered.size(); ++k) {
            const qsizetype end = k + 1 < numbered.size()
                                      ? numbered[k + 1].label_start
                                      : last_entry_end(doc, paras, numbered[k].text_start, to);
            spans.append({numbered[k].text_start, end});
            labels.append(numbered[k].label);
        }
    } else {
        // Author-year lists: an entry starts a line with a name and holds a year; lines
        // that do not start that way continue the entry before.
        for (const Para& p : paras) {
            if (p.start < from || p.start >= to) continue;
            const QStringView line = QStringView(t).mid(p.start, p.end - p.start);
            if (is_author_year_start(line))
                spans.append({p.start, p.end});
            else if (!spans.isEmpty() && p.end - p.start < 300)
                spans.back().end = p.end;
        }
        for (qsizetype k = 0; k < spans.size(); ++k) labels.append(QString());
    }
    for (qsizetype k = 0; k < spans.size(); ++k) {
        PaperReference r = parse_reference(t.mid(spans[k].start, spans[k].end - spans[k].start));
        r.label = labels[k];
        r.number = int(k + 1);
        r.span = spans[k];
        out.references.append(r);
    }
}

// Splits a reference at the full stops that end its parts: not those of initials
// ("A. Vaswani", "C.-C. Huang"), "et al." or inside URLs and numbers.
QStringList reference_parts(const QString& s) {
    QStringList parts;
    qsizetype begin = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c != QLatin1Char('.') && c != QLatin1Char('?') && c != QLatin1Char('!')) continue;
        if (i + 1 < s.size() && !s[i + 1].isSpace()) continue;
        if (c == QLatin1Char('.')) {
            qsizetype w = i;
            while (w > 0 && !s[w - 1].isSpace()) --w;
            static const QRegularExpression initial(
                QStringLiteral("^\\(?(?:\\p{Lu}|\\p{Lu}\\.-\\p{Lu}|\\p{Lu}-\\p{Lu}|al|et)$"));
            if (initial.match(QStringView(s).mid(w, i - w)).hasMatch()) {
                // Author-year lists put initials last ("Parmar, N. Attention is all…"): an
                // initial after "Surname," ends the names when a word, not a name, follows.
                static const QRegularExpression after_comma(
                    QStringLiteral(",\\s+(?:\\p{Lu}\\.\\s*)*\\p{Lu}$"));
                static const QRegularExpression next_word(
                    QStringLiteral("^\\s+\\p{Lu}[\\p{L}\\-]+\\s+[\\p{L}\\d]"));
                const bool names_end = after_comma.match(QStringView(s).left(i)).hasMatch() &&
                                       next_word.match(QStringView(s).mid(i + 1)).hasMatch();
                if (!names_end) continue;
            }
        }
        parts.append(s.mid(begin, i - begin).trimmed());
        begin = i + 1;
    }
    if (begin < s.size()) parts.append(s.mid(begin).trimmed());
    parts.removeAll(QString());
    return parts;
}

}  // namespace

int PaperStructure::count_captions(const QString& kind) const {
    return int(std::count_if(captions.begin(), captions.end(),
                             [&](const PaperCaption& c) { return c.kind == kind; }));
}

PaperReference parse_reference(const QString& entry) {
    PaperReference r;
    r.text = entry.simplified();
    QString s = r.text;
    static const QRegularExpression arxiv(
        QStringLiteral("(?:arXiv\\s*:?\\s*|abs/)(\\d{4}\\.\\d{4,5})(?:v\\d+)?"),
        QRegularExpression::CaseInsensitiveOption);
    if (const auto m = arxiv.match(s); m.hasMatch()) r.arxiv = m.captured(1);
    static const QRegularExpression url(QStringLiteral("(?:URL\\s+)?https?://\\S+"));
    s.replace(url, QString());
    static const QRegularExpression year(QStringLiteral("\\b((?:19|20)\\d{2})[a-z]?\\b"));
    {
        QString no_ids = s;
        no_ids.replace(arxiv, QString());
        auto it = year.globalMatch(no_ids);
        while (it.hasNext()) r.year = it.next().captured(1).toInt();
    }
    QStringList parts = reference_parts(s);
    if (parts.isEmpty()) return r;
    // Authors come first when the first part is a list of names ("A, B, and C") or one name.
    const QString& first = parts[0];
    const bool list = first.contains(QLatin1Char(',')) || first.contains(QLatin1String(" and ")) ||
                      first.contains(QLatin1String(" & "));
    const bool one_name = !as_name(first).isEmpty();
    if (parts.size() >= 2 && (list || one_name)) {
        static const QRegularExpression sep(
            QStringLiteral("\\s*(?:,\\s*and\\s+|,|\\band\\b|&)\\s*"));
        for (QString a : first.split(sep, Qt::SkipEmptyParts)) {
            a = a.trimmed();
            a.remove(QRegularExpression(QStringLiteral("\\s*et al\\.?$")));
            if (!a.isEmpty()) r.authors.append(a);
        }
        parts.removeFirst();
    }
    if (!parts.isEmpty()) {
        r.title = parts.takeFirst();
        // "Title, 2022" keeps its year out of the title.
        r.title.remove(QRegularExpression(QStringLiteral(",\\s*(?:19|20)\\d{2}[a-z]?$")));
    }
    QString venue = parts.join(QStringLiteral(". "));
    venue.replace(arxiv, QString());
    venue.replace(year, QString());
    static const QRegularExpression untidy(QStringLiteral("(?:\\s*[,.:;]\\s*)+$"));
    venue = venue.simplified();
    venue.remove(QRegularExpression(QStringLiteral("(?:\\s*[,.:;])+\\s*(?=[,.:;]|$)")));
    venue.replace(untidy, QString());
    r.venue = venue.simplified();
    return r;
}

PaperStructure detect_paper_structure(const Document& doc) {
    PaperStructure out;
    const OutlineNode* abstract = first_of(doc, StructureKind::Abstract);
    const OutlineNode* refs = first_of(doc, StructureKind::References);
    out.is_paper = abstract || refs;
    if (!out.is_paper) return out;
    const QList<Para> paras = paragraphs_of(doc);
    const double body = body_height(paras);
    // The front matter: what precedes the abstract (or the first section).
    qsizetype front_end = doc.text.size();
    if (abstract)
        front_end = abstract->start;
    else if (!doc.outline.isEmpty())
        front_end = doc.outline.front().start;
    find_title(doc, paras, front_end, body, out);
    find_authors(doc, paras, front_end, out);
    if (abstract) {
        // A run-in heading ("Abstract. We …", "Abstract—We …") keeps its text on its line.
        static const QRegularExpression heading(
            QStringLiteral("^\\s*(?:Abstract|ABSTRACT)[\\s.:—–-]*"));
        const auto m = heading.match(QStringView(doc.text).mid(abstract->start));
        out.abstract.start = abstract->start + (m.hasMatch() ? m.capturedLength(0) : 0);
        out.abstract.end = abstract->end;
        while (out.abstract.end > out.abstract.start && doc.text[out.abstract.end - 1].isSpace())
            --out.abstract.end;
    }
    find_sections(doc, out);
    find_captions(doc, paras, out);
    find_footnotes(doc, paras, body, out);
    find_references(doc, paras, out);
    return out;
}

}  // namespace ll
