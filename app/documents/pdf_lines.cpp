#include "pdf_lines.h"

#include "structure_rules.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace ll {

namespace {

double overlap(double a0, double a1, double b0, double b1) {
    return std::min(a1, b1) - std::max(a0, b0);
}

bool same_baseline(const QRectF& a, const QRectF& b) {
    const double h = std::min(a.height(), b.height());
    return h > 0 && overlap(a.top(), a.bottom(), b.top(), b.bottom()) > 0.6 * h;
}

// Han, kana, hangul and full-width punctuation: lines of these join without a space.
bool is_cjk(QChar c) {
    const char16_t u = c.unicode();
    return (u >= 0x2E80 && u <= 0x9FFF) || (u >= 0xAC00 && u <= 0xD7AF) ||
           (u >= 0xF900 && u <= 0xFAFF) || (u >= 0xFF00 && u <= 0xFFEF) ||
           QChar::isHighSurrogate(u) || QChar::isLowSurrogate(u);
}

void append_word(PdfLine& line, const PdfWord& w) {
    line.words.append(w);
    line.box = line.box.isNull() ? w.box : line.box.united(w.box);
}

// Page numbers as they are printed: "12", "- 12 -", "xii", "Page 12", "第 12 页", "12 / 234".
bool is_page_number(const QString& text) {
    static const QRegularExpression re(QStringLiteral(
        "^(?:[-–—\\s]*\\d{1,4}[-–—\\s]*|[ivxlc]{1,7}|[IVXLC]{1,7}|"
        "(?:Page|page|PAGE)\\s*\\d{1,4}(?:\\s*(?:of|/)\\s*\\d{1,4})?|"
        "\\d{1,4}\\s*/\\s*\\d{1,4}|第\\s*\\d{1,4}\\s*页(?:\\s*共\\s*\\d{1,4}\\s*页)?)$"));
    return re.match(text.trimmed()).hasMatch();
}

bool starts_caption(const QString& line) {
    static const QRegularExpression re(QStringLiteral(
        "^(?:Figure|FIGURE|Fig\\.|FIG\\.|Table|TABLE)\\s*[0-9]{1,3}(?::|\\.\\s+\\p{Lu})"));
    return re.match(line).hasMatch();
}

QString line_text(const PdfLine& line) {
    QString s;
    for (const PdfWord& w : line.words) {
        s += w.text;
        if (w.space_after) s += QLatin1Char(' ');
    }
    return s;
}

// Margin stamps such as arXiv's rotated identifier: a line far taller than it is wide.
bool is_vertical_stamp(const PdfLine& line) {
    return line.box.height() > 50 && line.box.height() > 4 * line.box.width();
}

// The left and right edges of the text block a line sits in, and its usual line gap:
// taken over the nearby lines (a few before and after in reading order) that share most
// of its horizontal extent. Nearby, because an indented abstract and the full-width
// caption under it share extent but are different blocks; two columns give two blocks.
struct Block {
    double left, right, line_gap;
};

QList<Block> blocks_of(const QList<PdfLine>& lines) {
    constexpr qsizetype kReach = 4;
    QList<Block> out;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QRectF& l = lines[i].box;
        Block b{l.left(), l.right(), -1};
        QList<double> gaps;
        const PdfLine* prev = nullptr;
        const qsizetype from = std::max<qsizetype>(0, i - kReach);
        const qsizetype to = std::min<qsizetype>(lines.size(), i + kReach + 1);
        for (qsizetype j = from; j < to; ++j) {
            const PdfLine& o = lines[j];
            if (o.furniture) continue;
            const double ov = overlap(l.left(), l.right(), o.box.left(), o.box.right());
            if (ov < 0.5 * std::min(l.width(), o.box.width())) continue;
            b.left = std::min(b.left, o.box.left());
            b.right = std::max(b.right, o.box.right());
            if (prev && o.box.top() > prev->box.bottom() - 1)
                gaps.append(o.box.top() - prev->box.bottom());
            prev = &o;
        }
        if (!gaps.isEmpty()) {
            std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
            b.line_gap = gaps[gaps.size() / 2];
        }
        out.append(b);
    }
    return out;
}

struct FlowLine {
    const PdfLine* line;
    Block block;
    bool apart = false;  // a margin note: a paragraph of its own
};

// The line's type size: the median height of its letters' boxes.
double type_size(const PdfLine& line) {
    QList<double> heights;
    for (const PdfWord& w : line.words)
        for (qsizetype i = 0; i < w.text.size() && i < w.chars.size(); ++i)
            if (w.text[i].isLetter()) heights.append(w.chars[i].height());
    if (heights.isEmpty()) return 0;
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    return heights[heights.size() / 2];
}

// Words, not a figure's labels ("Yarn-Llama-2-7b-64k"): letters and spaces, a number or
// a colon here and there.
bool wordy(const QString& text) {
    qsizetype letters = 0;
    for (QChar c : text) letters += c.isLetter() || c == QLatin1Char(' ');
    return letters >= 0.85 * text.size();
}

// A heading wrapped over two lines: the next line in the same type, larger than the body,
// right under it on the page, words both, and no new numbered heading ("3.1 …") of its own.
bool continues_heading(const FlowLine& prev, const FlowLine& cur, double body) {
    const double ps = type_size(*prev.line), cs = type_size(*cur.line);
    if (body <= 0 || ps < 1.15 * body || std::abs(ps - cs) > 0.05 * ps) return false;
    if (prev.line->page != cur.line->page) return false;
    const QRectF& p = prev.line->box;
    const QRectF& c = cur.line->box;
    const double gap = c.top() - p.bottom();
    if (gap < -0.3 * ps || gap > 0.8 * ps) return false;
    const QString text = line_text(*cur.line).trimmed(), before = line_text(*prev.line).trimmed();
    return !text.isEmpty() && !text[0].isDigit() && !before.endsWith(QLatin1Char('.')) &&
           wordy(text) && wordy(before);
}

bool starts_paragraph(const FlowLine& prev, const FlowLine& cur, double body) {
    const QRectF& p = prev.line->box;
    const QRectF& c = cur.line->box;
    const double h = std::max(1.0, std::min(p.height(), c.height()));
    // A change of type size: a heading, a caption or footnote after body text, or back.
    const double ps = type_size(*prev.line), cs = type_size(*cur.line);
    if (ps > 0 && cs > 0 && std::max(ps, cs) > 1.2 * std::min(ps, cs)) return true;
    // 第N章 / 第N条 at a line start begins a heading or an article, even in a contents list
    // whose lines all have the same length.
    if (match_chinese_heading(line_text(*cur.line))) return true;
    // So does a caption ("Figure 3:", "Table 2."), often set right under a figure's labels
    // or a table's last row.
    if (starts_caption(line_text(*cur.line))) return true;
    // A heading's first line stops short of the margin, or is centred, and goes on.
    if (continues_heading(prev, cur, body)) return false;
    if (p.right() < prev.block.right - 2 * h) return true;  // previous line stopped short
    if (c.left() > cur.block.left + 0.8 * h) return true;   // indented or centred line
    const bool same_page = prev.line->page == cur.line->page;
    const bool below = c.top() > p.bottom() - 0.5 * h;
    const bool same_column = overlap(p.left(), p.right(), c.left(), c.right()) > 0;
    if (same_page && below && same_column) {
        const double gap = c.top() - p.bottom();
        const double usual = cur.block.line_gap >= 0 ? cur.block.line_gap : 0.3 * h;
        if (gap > usual + 0.45 * h) return true;  // extra space between paragraphs
    }
    return false;
}

class FlowWriter {
  public:
    FlowWriter(QString* text, QList<CharBox>* boxes) : text_(text), boxes_(boxes) {}

    void glyph(QChar c, int page, QRectF r, const QRectF& fallback) {
        if (r.width() <= 0 || r.height() <= 0) r = fallback;
        if (r.width() <= 0) r.setWidth(1);
        if (r.height() <= 0) r.setHeight(1);
        // Ligatures (ﬁ, ﬂ) read better and search better as their letters.
        if (c.unicode() >= 0xFB00 && c.unicode() <= 0xFB06) {
            const QString letters = QString(c).normalized(QString::NormalizationForm_KC);
            for (QChar l : letters) push(l, page, r);
            return;
        }
        push(c, page, r);
    }

    // A character the importer adds (space, line break): a thin box after the last glyph.
    void inserted(QChar c, double next_left = -1) {
        if (boxes_->isEmpty()) return;
        const CharBox last = boxes_->back();
        CharBox b = last;
        b.x0 = last.x1;
        b.x1 = next_left > last.x1 + 0.5 ? float(next_left) : last.x1 + 1.0f;
        text_->append(c);
        boxes_->append(b);
    }

    QChar last() const { return text_->isEmpty() ? QChar() : text_->back(); }
    QString last_word() const {
        qsizetype i = text_->size();
        while (i > 0 && !text_->at(i - 1).isSpace()) --i;
        return text_->mid(i);
    }
    QChar before_last() const { return text_->size() < 2 ? QChar() : text_->at(text_->size() - 2); }
    void drop_last() {
        text_->chop(1);
        boxes_->removeLast();
    }
    // The hyphen just written ends a line before a lower-case word: decided once the whole
    // text is known (decide_hyphens).
    void note_hyphen_break() { hyphen_breaks_.append(text_->size() - 1); }

    // Drops each noted line-break hyphen whose joined word the document prints elsewhere
    // ("experiments"), keeps it where the hyphenated word recurs ("self-contained"), and
    // otherwise drops it, as a hyphen between two lower-case halves mostly is.
    void decide_hyphens() {
        if (hyphen_breaks_.isEmpty()) return;
        QHash<QString, int> words;  // lower-cased tokens of letters and hyphens
        const QString& t = *text_;
        for (qsizetype i = 0; i < t.size();) {
            if (!t[i].isLetter()) {
                ++i;
                continue;
            }
            qsizetype j = i;
            while (j < t.size() && (t[j].isLetter() || t[j] == QLatin1Char('-'))) ++j;
            QString w = t.mid(i, j - i).toLower();
            while (w.endsWith(QLatin1Char('-'))) w.chop(1);
            ++words[w];
            // The halves of a compound count as words too ("state-of-the-art").
            if (w.contains(QLatin1Char('-')))
                for (const QString& part : w.split(QLatin1Char('-'), Qt::SkipEmptyParts))
                    ++words[part];
            i = j;
        }
        for (qsizetype k = hyphen_breaks_.size() - 1; k >= 0; --k) {
            const qsizetype p = hyphen_breaks_[k];
            qsizetype a = p, b = p + 1;
            while (a > 0 && t[a - 1].isLetter()) --a;
            while (b < t.size() && t[b].isLetter()) ++b;
            const QString left = t.mid(a, p - a).toLower(),
                          right = t.mid(p + 1, b - p - 1).toLower();
            const bool joined_elsewhere = words.value(left + right) > 0;
            const bool hyphenated_elsewhere = words.value(left + QLatin1Char('-') + right) > 1;
            if (joined_elsewhere || !hyphenated_elsewhere) {
                text_->remove(p, 1);
                boxes_->removeAt(p);
            }
        }
        hyphen_breaks_.clear();
    }

  private:
    void push(QChar c, int page, const QRectF& r) {
        text_->append(c);
        boxes_->append(
            {page, float(r.left()), float(r.top()), float(r.right()), float(r.bottom())});
    }

    QString* text_;
    QList<CharBox>* boxes_;
    QList<qsizetype> hyphen_breaks_;
};

// Latin and Greek letters and digits: the alphabet of formulas' subscripts ("d_ff", "β_1").
bool formula_char(QChar c) {
    return c.isLetterOrNumber() && c.unicode() < 0x0400;
}

// A glyph of a subscript: smaller than the letter it follows and lower, its foot below that
// letter's foot (small capitals share the foot; a superscript is higher), and written on
// from it, left to right (the boxes of rotated text in a figure step down instead).
bool lowered(const QRectF& base, const QRectF& c) {
    return base.height() > 0 && c.height() < 0.85 * base.height() &&
           c.bottom() > base.bottom() + 0.08 * base.height() &&
           c.left() > base.left() + 0.5 * base.width() &&
           c.left() - base.right() < 0.25 * base.height();
}

// Writes a line's glyphs, with a space where a word ends. A subscript run glued to a letter
// is written after an underscore, as plain text writes formulas ("d_ff", "β_1"): run
// together, "dff" reads as a word.
void write_line(FlowWriter& out, const PdfLine& line) {
    QChar prev;
    QRectF base;       // the last glyph on the line's own level
    bool sub = false;  // inside a subscript run
    for (qsizetype w = 0; w < line.words.size(); ++w) {
        const PdfWord& word = line.words[w];
        for (qsizetype i = 0; i < word.text.size(); ++i) {
            const QChar c = word.text[i];
            const QRectF box = i < word.chars.size() ? word.chars[i] : QRectF();
            const bool low = !prev.isNull() && formula_char(c) && lowered(base, box);
            if (low && !sub && formula_char(prev)) {
                out.inserted(QLatin1Char('_'), box.left());
                sub = true;
            } else if (!low) {
                sub = false;
                base = box;
            }
            out.glyph(c, line.page, box, word.box);
            prev = c;
        }
        if (w + 1 < line.words.size() && word.space_after) {
            out.inserted(QLatin1Char(' '), line.words[w + 1].box.left());
            prev = QChar();
            sub = false;
        }
    }
}

// Joins the next line of the same paragraph. A hyphen between two lowercase halves of a
// plain word may be a line-break hyphen ("experi-" "ment"; decided by the words the
// document prints elsewhere, see decide_hyphens); in a word that already has
// hyphens ("state-of-the-" "art") or before a capital it is real and stays, unspaced.
// CJK needs no space; everything else gets one.
void join_lines(FlowWriter& out, const PdfLine& next) {
    const QString first = next.words.isEmpty() ? QString() : next.words[0].text;
    const QChar head = first.isEmpty() ? QChar() : first[0];
    if (out.last() == QChar(0x00AD)) {  // a soft hyphen only ever marks a break point
        out.drop_last();
        return;
    }
    if (out.last() == QLatin1Char('-') && out.before_last().isLetter()) {
        if (head.isLower() && !out.last_word().chopped(1).contains(QLatin1Char('-')))
            out.note_hyphen_break();
        return;
    }
    if (is_cjk(out.last()) || is_cjk(head)) return;
    out.inserted(QLatin1Char(' '));
}

// Letter-spaced words come out of Poppler one letter at a time ("C O N S E N T"): within a
// run of three or more one-letter pieces, the gaps that are the letter spacing (the run's
// smallest, give or take half) close up, and the wider ones stay as the spaces between
// words.
void rejoin_letter_spacing(PdfLine& line) {
    // One letter: three one-letter words in a row are rare in prose ("a I o" is not set
    // with the tight, even gaps of letter spacing either), two-letter ones are not ("it is to").
    auto piece = [](const PdfWord& w) { return w.text.size() == 1 && w.text[0].isLetter(); };
    QList<PdfWord> out;
    qsizetype i = 0;
    const QList<PdfWord>& words = line.words;
    while (i < words.size()) {
        qsizetype j = i;
        while (j < words.size() && piece(words[j]) && (j == i || words[j - 1].space_after)) ++j;
        if (j - i < 3) {
            out.append(words[i]);
            ++i;
            continue;
        }
        double smallest = 1e9;
        for (qsizetype k = i + 1; k < j; ++k)
            smallest = std::min(smallest, words[k].box.left() - words[k - 1].box.right());
        const double h = std::max(1.0, words[i].box.height());
        if (smallest > 0.4 * h) {  // ordinary spaces between one-letter words
            for (qsizetype k = i; k < j; ++k) out.append(words[k]);
            i = j;
            continue;
        }
        out.append(words[i]);
        for (qsizetype k = i + 1; k < j; ++k) {
            const double gap = words[k].box.left() - words[k - 1].box.right();
            if (gap <= 1.5 * std::max(smallest, 0.0) + 0.05 * h) {
                PdfWord& w = out.back();
                w.text += words[k].text;
                w.chars += words[k].chars;
                w.box = w.box.united(words[k].box);
                w.space_after = words[k].space_after;
            } else {
                out.append(words[k]);
            }
        }
        i = j;
    }
    line.words = out;
}

// Small capitals set with a little tracking come out split where a gap just passes
// Poppler's word break ("Ab c de"): two pieces of one or two letters, one of them a single
// letter, closer than any space between words (0.15 of the type height) are one word.
void rejoin_small_caps(PdfLine& line) {
    auto short_piece = [](const PdfWord& w) {
        return w.text.size() <= 2 &&
               std::all_of(w.text.begin(), w.text.end(), [](QChar c) { return c.isLetter(); });
    };
    QList<PdfWord> out;
    bool merged = false;  // out.back() was put together here: its pieces go on
    for (const PdfWord& w : line.words) {
        if (!out.isEmpty() && out.back().space_after) {
            PdfWord& prev = out.back();
            const double h = std::max(1.0, std::min(prev.box.height(), w.box.height()));
            const QString tail = prev.text.right(2);
            const bool pieces =
                short_piece(w) &&
                (prev.text.size() <= 2
                     ? short_piece(prev)
                     : std::all_of(tail.begin(), tail.end(), [](QChar c) { return c.isLetter(); }));
            const bool single = w.text.size() == 1 || prev.text.size() == 1 || merged;
            // One type size and baseline throughout: a subscript or superscript ("q_i k_i",
            // "QK^T") is not small capitals.
            QList<QRectF> glyphs = w.chars;
            glyphs += prev.chars.mid(std::max<qsizetype>(0, prev.chars.size() - 2));
            const bool uniform =
                !glyphs.isEmpty() &&
                std::all_of(glyphs.begin(), glyphs.end(), [&](const QRectF& g) {
                    return std::abs(g.height() - glyphs[0].height()) < 0.05 * glyphs[0].height() &&
                           std::abs(g.bottom() - glyphs[0].bottom()) < 0.1 * glyphs[0].height();
                });
            if (pieces && single && uniform && w.box.left() - prev.box.right() < 0.15 * h &&
                same_baseline(prev.box, w.box)) {
                prev.text += w.text;
                prev.chars += w.chars;
                prev.box = prev.box.united(w.box);
                prev.space_after = w.space_after;
                merged = true;
                continue;
            }
        }
        out.append(w);
        merged = false;
    }
    line.words = out;
}

}  // namespace

QList<PdfLine> group_lines(int page, const QList<PdfWord>& words, const QList<bool>& line_breaks) {
    QList<PdfLine> lines;
    for (qsizetype i = 0; i < words.size(); ++i) {
        if (words[i].text.isEmpty()) continue;
        if (lines.isEmpty() || line_breaks.value(i, true)) {
            lines.append(PdfLine{page, {}, QRectF(), false, false});
        }
        append_word(lines.back(), words[i]);
    }
    // Poppler sometimes splits one printed line in two; put the pieces back together.
    auto continues = [](const PdfLine& m, const PdfLine& l) {
        const double h = std::max(1.0, l.box.height());
        return same_baseline(m.box, l.box) && l.box.left() >= m.box.right() - h &&
               l.box.left() - m.box.right() < 3 * h;
    };
    auto join = [](PdfLine& m, const PdfLine& l) {
        const double h = std::max(1.0, l.box.height());
        if (l.box.left() - m.box.right() > 0.15 * h) m.words.back().space_after = true;
        for (const PdfWord& w : l.words) append_word(m, w);
    };
    QList<PdfLine> merged;
    for (PdfLine& l : lines) {
        if (!merged.isEmpty() && continues(merged.back(), l)) {
            join(merged.back(), l);
            continue;
        }
        // A short piece from elsewhere (an equation's number) can come between the halves
        // ("A.2", "(24)", "The impact of …"): join the halves, the piece goes before them
        // when it sits higher on the page.
        if (merged.size() >= 2 && line_text(merged.back()).size() <= 12 &&
            continues(merged[merged.size() - 2], l)) {
            PdfLine piece = merged.takeLast();
            join(merged.back(), l);
            piece.ends_paragraph = true;
            if (piece.box.top() < merged.back().box.top())
                merged.insert(merged.size() - 1, std::move(piece));
            else
                merged.append(std::move(piece));
            continue;
        }
        merged.append(std::move(l));
    }
    for (PdfLine& l : merged) {
        rejoin_letter_spacing(l);
        rejoin_small_caps(l);
        l.words.back().space_after = false;
    }
    return merged;
}

void order_columns(QList<PdfLine>& lines, const QSizeF& page_size) {
    const double width = page_size.width() > 0 ? page_size.width() : 612;
    const double wide = 0.25 * width;
    // The gutter: the x near the middle crossed by the fewest wide lines.
    double gutter = -1;
    int best = -1;
    for (double x = 0.35 * width; x <= 0.65 * width; x += 2) {
        int left = 0, right = 0, across = 0;
        for (const PdfLine& l : lines) {
            if (l.box.width() < wide) continue;
            if (l.box.right() <= x)
                ++left;
            else if (l.box.left() >= x)
                ++right;
            else
                ++across;
        }
        const int score = std::min(left, right) - 2 * across;
        if (left >= 5 && right >= 5 && score > best) {
            best = score;
            gutter = x;
        }
    }
    if (gutter < 0 || best <= 0) return;
    auto side = [&](const PdfLine& l) {
        if (l.box.right() <= gutter) return 0;
        if (l.box.left() >= gutter) return 1;
        return -1;  // spans both columns
    };
    QList<qsizetype> by_top(lines.size());
    for (qsizetype i = 0; i < lines.size(); ++i) by_top[i] = i;
    std::stable_sort(by_top.begin(), by_top.end(), [&](qsizetype a, qsizetype b) {
        return lines[a].box.top() < lines[b].box.top();
    });
    QList<qsizetype> order, band[2];
    int wide_lines[2] = {0, 0};
    auto flush = [&] {
        // A stretch without wide lines on both sides (an author grid, a table) is left in
        // Poppler's order.
        if (wide_lines[0] >= 2 && wide_lines[1] >= 2) {
            order += band[0];
            order += band[1];
        } else {
            QList<qsizetype> both = band[0] + band[1];
            std::sort(both.begin(), both.end());
            order += both;
        }
        band[0].clear();
        band[1].clear();
        wide_lines[0] = wide_lines[1] = 0;
    };
    double bottom = -1;  // of everything read so far
    for (qsizetype i : by_top) {
        const int s = side(lines[i]);
        // A strip of white space across the whole page also ends a stretch (between a
        // byline and the columns).
        const QRectF& b = lines[i].box;
        if (bottom >= 0 && b.top() > bottom + 1.5 * b.height()) flush();
        bottom = std::max(bottom, b.bottom());
        if (s < 0) {
            flush();
            order.append(i);
        } else {
            band[s].append(i);
            wide_lines[s] += lines[i].box.width() >= wide;
        }
    }
    flush();
    QList<PdfLine> out;
    out.reserve(lines.size());
    for (qsizetype i : order) out.append(std::move(lines[i]));
    lines = std::move(out);
}

void mark_page_furniture(QList<PdfPageLines>& pages) {
    // Count, per edge, on how many pages a line's text (digits removed) appears.
    auto key_of = [](const PdfLine& l, bool top) {
        QString k = line_text(l).toLower();
        k.remove(QRegularExpression(QStringLiteral("[\\d\\s]")));
        return (top ? QStringLiteral("T:") : QStringLiteral("B:")) + k;
    };
    auto edge_of = [](const PdfLine& l, const QSizeF& size, bool* top) {
        const double h = size.height() > 0 ? size.height() : 842;
        *top = l.box.top() < 0.1 * h;
        return *top || l.box.bottom() > 0.9 * h;
    };
    // Furniture set further in (a footer 120 pt up, under the footnotes) is known by its
    // repeating at the same height: the line's text (a page number: '#') and its top in
    // 3-point steps, counted in the outer fifth of the page.
    auto band_key = [&](const PdfLine& l, const QSizeF& size) {
        const double h = size.height() > 0 ? size.height() : 842;
        if (l.box.top() >= 0.2 * h && l.box.bottom() <= 0.8 * h) return QString();
        // The text exactly, digits too: body lines there differ in them ("page 3").
        const QString text =
            is_page_number(line_text(l)) ? QStringLiteral("#") : line_text(l).simplified();
        if (text.isEmpty()) return QString();
        return QStringLiteral("Y%1:").arg(qRound(l.box.top() / 3)) + text;
    };
    QHash<QString, int> pages_with;
    for (const PdfPageLines& p : pages) {
        QSet<QString> seen;
        for (const PdfLine& l : p.lines) {
            bool top = false;
            if (edge_of(l, p.size, &top)) seen.insert(key_of(l, top));
            if (const QString b = band_key(l, p.size); !b.isEmpty()) seen.insert(b);
        }
        for (const QString& k : seen) ++pages_with[k];
    }
    const int repeat = std::max(3, int(pages.size()) / 4);
    for (PdfPageLines& p : pages) {
        // A line repeating at its height is furniture only with nothing but furniture
        // between it and the page's edge: a body line that happens to recur has text
        // beyond it.
        QList<bool> repeats(p.lines.size());
        for (qsizetype i = 0; i < p.lines.size(); ++i) {
            const QString b = band_key(p.lines[i], p.size);
            bool top = false;
            repeats[i] = (!b.isEmpty() && pages_with.value(b) >= repeat) ||
                         edge_of(p.lines[i], p.size, &top);
        }
        const double h = p.size.height() > 0 ? p.size.height() : 842;
        for (qsizetype i = 0; i < p.lines.size(); ++i) {
            const QRectF& r = p.lines[i].box;
            if (!repeats[i] || band_key(p.lines[i], p.size).isEmpty()) continue;
            const bool upper = r.center().y() < h / 2;
            bool outermost = true;
            for (qsizetype j = 0; j < p.lines.size() && outermost; ++j) {
                const QRectF& o = p.lines[j].box;
                const bool beyond = upper ? o.bottom() <= r.top() : o.top() >= r.bottom();
                outermost = repeats[j] || !beyond;
            }
            if (outermost && pages_with.value(band_key(p.lines[i], p.size)) >= repeat)
                p.lines[i].furniture = true;
        }
        for (PdfLine& l : p.lines) {
            bool top = false;
            if (is_vertical_stamp(l)) l.furniture = true;
            if (!edge_of(l, p.size, &top)) continue;
            const QString k = key_of(l, top);
            if (is_page_number(line_text(l)) || (k.size() > 2 && pages_with.value(k) >= repeat))
                l.furniture = true;
        }
    }
}

namespace {

// The type size most characters of the document are set in.
double body_type_size(const QList<PdfPageLines>& pages) {
    QHash<int, qsizetype> chars_by_size;  // quarter points
    for (const PdfPageLines& p : pages)
        for (const PdfLine& l : p.lines) {
            if (l.furniture) continue;
            qsizetype n = 0;
            for (const PdfWord& w : l.words) n += w.text.size();
            chars_by_size[int(std::lround(type_size(l) * 4))] += n;
        }
    int body = 0;
    qsizetype most = -1;
    for (auto it = chars_by_size.cbegin(); it != chars_by_size.cend(); ++it)
        if (it.value() > most) most = it.value(), body = it.key();
    return body / 4.0;
}

// The footnotes at the foot of a page: the trailing lines in smaller type than the body,
// in the lower part of the page, the first of them opening with a marker ("1 See …",
// "* Equal contribution"). Returns how many of the page's flow lines they are.
qsizetype footnote_lines(const QList<FlowLine>& page_lines, double body, double page_height) {
    static const QRegularExpression marker(QStringLiteral("^(?:[0-9]{1,3}|[*†‡§])\\s?\\S"));
    qsizetype first = -1;
    for (qsizetype i = page_lines.size() - 1; i >= 0; --i) {
        const PdfLine& l = *page_lines[i].line;
        const double size = type_size(l);
        if (size <= 0 || size > 0.85 * body || l.box.top() < 0.6 * page_height) break;
        if (marker.match(line_text(l)).hasMatch()) first = i;
    }
    if (first < 0) return 0;
    return page_lines.size() - first;
}

}  // namespace

namespace {

// Notes set in the margin beside the text ("See 2.1", a reviewer's remark): short lines
// entirely left or right of the page's text lines (those a third of the page wide or more),
// on a page that has a few of those.
QList<bool> margin_notes(const QList<PdfLine>& lines, const QSizeF& size) {
    const double width = size.width() > 0 ? size.width() : 612;
    double left = 1e9, right = -1e9;
    int wide = 0;
    for (const PdfLine& l : lines) {
        if (l.furniture || l.box.width() < width / 3) continue;
        left = std::min(left, l.box.left());
        right = std::max(right, l.box.right());
        ++wide;
    }
    QList<bool> out(lines.size(), false);
    if (wide < 3) return out;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QRectF& b = lines[i].box;
        const double gap = 0.5 * std::max(1.0, b.height());
        out[i] = !lines[i].furniture && b.width() < width / 4 &&
                 (b.right() < left - gap || b.left() > right + gap);
    }
    return out;
}

}  // namespace

void flow_text(const QList<PdfPageLines>& pages, QString* text, QList<CharBox>* boxes) {
    // The lines in reading order, with a page's footnotes and margin notes moved after the
    // paragraph that runs on from it to the next page, so they do not cut a sentence in two.
    const double body = body_type_size(pages);
    QList<FlowLine> order, held;  // held: notes waiting for their paragraph to end
    for (const PdfPageLines& p : pages) {
        const QList<Block> blocks = blocks_of(p.lines);
        const QList<bool> in_margin = margin_notes(p.lines, p.size);
        QList<FlowLine> page_lines, margin;
        for (qsizetype i = 0; i < p.lines.size(); ++i) {
            if (p.lines[i].furniture || p.lines[i].words.isEmpty()) continue;
            if (in_margin[i])
                margin.append({&p.lines[i], blocks[i], true});
            else
                page_lines.append({&p.lines[i], blocks[i]});
        }
        const double height = p.size.height() > 0 ? p.size.height() : 842;
        const qsizetype notes = body > 0 ? footnote_lines(page_lines, body, height) : 0;
        for (qsizetype i = 0; i < page_lines.size() - notes; ++i) {
            const FlowLine& cur = page_lines[i];
            if (!held.isEmpty() && !order.isEmpty() &&
                (order.back().line->ends_paragraph || starts_paragraph(order.back(), cur, body))) {
                order += held;
                held.clear();
            }
            order.append(cur);
        }
        order += held;  // a page with nothing to continue: they wait no longer
        held = margin + page_lines.mid(page_lines.size() - notes);
    }
    order += held;

    FlowWriter out(text, boxes);
    const FlowLine* prev = nullptr;
    for (const FlowLine& cur : order) {
        if (prev) {
            if (prev->line->ends_paragraph || prev->apart || cur.apart ||
                starts_paragraph(*prev, cur, body))
                out.inserted(QLatin1Char('\n'));
            else
                join_lines(out, *cur.line);
        }
        write_line(out, *cur.line);
        prev = &cur;
    }
    out.decide_hyphens();
}

}  // namespace ll

namespace ll {

namespace {

struct SizedLine {
    qsizetype start, end;
    double size;  // median height of its letters
};

// The flow's lines with their type size, and the body's size in quarter points (the size
// most characters are set in).
QList<SizedLine> sized_lines(const QString& text, const QList<CharBox>& boxes, int* body_out) {
    using Line = SizedLine;
    QList<Line> lines;
    QHash<int, qsizetype> chars_by_size;  // quarter points
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype eol = text.indexOf(QLatin1Char('\n'), pos);
        if (eol < 0) eol = text.size();
        QList<double> heights;
        for (qsizetype i = pos; i < eol; ++i)
            if (text[i].isLetter()) heights.append(double(boxes[i].y1) - double(boxes[i].y0));
        if (!heights.isEmpty()) {
            std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
            const double size = heights[heights.size() / 2];
            lines.append({pos, eol, size});
            chars_by_size[int(std::lround(size * 4))] += eol - pos;
        }
        pos = eol + 1;
    }
    int body = 0;
    qsizetype most = -1;
    for (auto it = chars_by_size.cbegin(); it != chars_by_size.cend(); ++it)
        if (it.value() > most) {
            most = it.value();
            body = it.key();
        }
    *body_out = body;
    return lines;
}

}  // namespace

QSet<qsizetype> larger_lines(const QString& text, const QList<CharBox>& boxes) {
    QSet<qsizetype> out;
    if (boxes.size() != text.size()) return out;
    int body = 0;
    for (const SizedLine& l : sized_lines(text, boxes, &body))
        if (body > 0 && l.size > 1.05 * body / 4.0) out.insert(l.start);
    return out;
}

QSet<qsizetype> display_lines(const QString& text, const QList<CharBox>& boxes) {
    QSet<qsizetype> out;
    if (boxes.size() != text.size()) return out;
    using Line = SizedLine;
    int body = 0;
    const QList<Line> lines = sized_lines(text, boxes, &body);
    // The type of the document's numbered top-level headings ("1 Introduction"): an
    // unnumbered heading of the same rank is set in it, figure labels are not.
    QList<double> heading_sizes, heading_lefts;
    for (const Line& l : lines) {
        const auto m = match_paper_heading(QStringView(text).mid(l.start, l.end - l.start), false);
        if (m && m->kind == StructureKind::Section && m->number >= 0 &&
            !m->path.contains(QLatin1Char('.')))
            heading_sizes.append(l.size);
        if (m && m->kind == StructureKind::Section && m->number >= 0)
            heading_lefts.append(boxes[l.start].x0);
    }
    if (heading_sizes.size() < 2) return out;
    std::nth_element(heading_sizes.begin(), heading_sizes.begin() + heading_sizes.size() / 2,
                     heading_sizes.end());
    const double heading = heading_sizes[heading_sizes.size() / 2];
    static const QRegularExpression long_word(QStringLiteral("\\p{L}{4,}"));
    for (const Line& l : lines) {
        if (body <= 0 || heading < 1.1 * body / 4.0 || std::abs(l.size - heading) > 0.04 * heading)
            continue;
        const QString t = text.mid(l.start, l.end - l.start).trimmed();
        if (t.isEmpty() || t.size() > 80 || !t[0].isUpper() || t.endsWith(QLatin1Char('.')) ||
            t.count(QLatin1Char(' ')) > 9 || !long_word.match(t).hasMatch())
            continue;
        qsizetype letters = 0;
        for (QChar c : t) letters += c.isLetter() || c.isSpace();
        if (letters < 0.8 * t.size()) continue;
        // Flush with the numbered headings, as a centred figure label is not.
        const double left = boxes[l.start].x0;
        if (std::none_of(heading_lefts.begin(), heading_lefts.end(),
                         [&](double x) { return std::abs(x - left) < 2; }))
            continue;
        out.insert(l.start);
    }
    return out;
}

}  // namespace ll
