#include "passage_chunker.h"

#include <algorithm>
#include <map>

#include "text_terms.h"

namespace ll {

int estimate_tokens(QStringView text) {
    int cjk = 0, other = 0;
    for (const QChar c : text) {
        if (c.isHighSurrogate() || is_cjk(c.unicode()))
            ++cjk;
        else
            ++other;
    }
    return cjk + (other + 3) / 4;
}

namespace {

using Range = std::pair<qsizetype, qsizetype>;

Range trimmed(const QString& t, qsizetype s, qsizetype e) {
    while (s < e && t[s].isSpace()) ++s;
    while (e > s && t[e - 1].isSpace()) --e;
    return {s, e};
}

// True when the line after the newline at i is blank (a paragraph break).
bool blank_line_follows(const QString& t, qsizetype i, qsizetype end) {
    qsizetype j = i + 1;
    while (j < end && t[j] != u'\n' && t[j].isSpace()) ++j;
    return j < end && t[j] == u'\n';
}

bool is_terminator(QChar c) {
    return c == u'.' || c == u'!' || c == u'?' || c == u'。' || c == u'！' || c == u'？' ||
           c == u'；';
}

bool is_closer(QChar c) {
    return c == u'"' || c == u'\'' || c == u'”' || c == u'’' || c == u')' || c == u'）' ||
           c == u'」' || c == u'』' || c == u']';
}

// "Mr." "Mrs." "St." and initials: a short capitalised word before the full stop.
bool is_abbreviation(const QString& t, qsizetype start, qsizetype dot) {
    qsizetype w = dot;
    while (w > start && t[w - 1].isLetter()) --w;
    const qsizetype len = dot - w;
    return len >= 1 && len <= 3 && t[w].isUpper() && (len == 1 || t[dot - 1].isLower());
}

// Paragraphs of [s, e): separated by blank lines, trimmed, none empty.
std::vector<Range> paragraphs(const QString& t, qsizetype s, qsizetype e) {
    std::vector<Range> out;
    auto add = [&](qsizetype a, qsizetype b) {
        const Range r = trimmed(t, a, b);
        if (r.first < r.second) out.push_back(r);
    };
    qsizetype p = s;
    for (qsizetype i = s; i < e; ++i) {
        if (t[i] != u'\n' || !blank_line_follows(t, i, e)) continue;
        add(p, i);
        p = i;
        while (p < e && t[p].isSpace()) ++p;
        i = p;
    }
    add(p, e);
    return out;
}

struct Piece {
    Range range;
    int tokens;
};

// Pieces of a paragraph no longer than max_tokens: whole sentences, and sentences longer than
// the budget cut into equal character spans.
void split_long(const QString& t, Range para, int max_tokens, const TokenCounter& count,
                std::vector<Piece>& out) {
    for (const Range& s : sentence_ranges(t, para.first, para.second)) {
        const int n = count(QStringView(t).sliced(s.first, s.second - s.first));
        if (n <= max_tokens) {
            out.push_back({s, n});
            continue;
        }
        const qsizetype len = s.second - s.first;
        const qsizetype parts = (n + max_tokens - 1) / max_tokens;
        const qsizetype step = (len + parts - 1) / parts;
        for (qsizetype a = s.first; a < s.second; a += step) {
            qsizetype b = std::min(s.second, a + step);
            if (b < s.second && t[b].isLowSurrogate()) ++b;  // never split a surrogate pair
            const Range r = trimmed(t, a, b);
            if (r.first < r.second)
                out.push_back({r, count(QStringView(t).sliced(r.first, r.second - r.first))});
            a = b - step;
        }
    }
}

// The structure node (deepest) that starts at each unit boundary.
std::map<qsizetype, const OutlineNode*> nodes_by_start(const Document& doc) {
    std::map<qsizetype, const OutlineNode*> out;
    for (const OutlineNode& n : doc.outline) {
        if (n.kind == StructureKind::ContentsEntry) continue;  // a contents list is one unit
        auto [it, added] = out.emplace(n.start, &n);
        if (!added && n.level > it->second->level) it->second = &n;
    }
    return out;
}

QString heading_at(const Document& doc, qsizetype pos) {
    const OutlineNode* best = nullptr;
    for (const OutlineNode& n : doc.outline)
        if (n.kind != StructureKind::ContentsEntry && n.start <= pos && pos < n.end &&
            (!best || n.level >= best->level))
            best = &n;
    return best ? best->title : QString();
}

// Greedy packing of consecutive pieces of one unit; `carry` (when >= 0) is a heading's start
// that the first passage takes in.
void pack(const QString& t, const std::vector<Piece>& pieces, int max_tokens,
          const TokenCounter& count, qsizetype& carry, std::vector<Passage>& out) {
    Passage cur;
    bool open = false;
    auto flush = [&] {
        if (!open) return;
        cur.tokens = count(QStringView(t).sliced(cur.start, cur.end - cur.start));
        out.push_back(cur);
        open = false;
    };
    for (const Piece& p : pieces) {
        if (open && cur.tokens + p.tokens + 1 <= max_tokens) {
            cur.end = p.range.second;
            cur.tokens += p.tokens + 1;
            continue;
        }
        flush();
        cur = {p.range.first, p.range.second, p.tokens, {}};
        if (carry >= 0) cur.start = std::exchange(carry, -1);
        open = true;
    }
    flush();
}

}  // namespace

std::vector<Range> sentence_ranges(const QString& t, qsizetype start, qsizetype end) {
    std::vector<Range> out;
    qsizetype s = start;
    auto cut = [&](qsizetype e) {
        const Range r = trimmed(t, s, e);
        if (r.first < r.second) out.push_back(r);
        s = e;
    };
    for (qsizetype i = start; i < end; ++i) {
        const QChar c = t[i];
        if (c == u'\n' && blank_line_follows(t, i, end)) {
            cut(i);
            continue;
        }
        if (!is_terminator(c) || (c == u'.' && is_abbreviation(t, start, i))) continue;
        qsizetype j = i + 1;
        while (j < end && is_closer(t[j])) ++j;
        const bool fullwidth = c.unicode() > 0x2000;
        qsizetype k = j;  // "Is it?" she said: a lower-case word goes on the same sentence
        while (k < end && t[k].isSpace()) ++k;
        const bool continues = k < end && t[k].isLower();
        if ((j >= end || t[j].isSpace() || fullwidth) && !continues) {
            cut(j);
            i = j - 1;
        }
    }
    cut(end);
    return out;
}

std::vector<Passage> chunk_document(const Document& doc, int max_tokens,
                                    const TokenCounter& count) {
    const QString& t = doc.text;
    max_tokens = std::max(max_tokens, 8);
    const auto nodes = nodes_by_start(doc);
    std::vector<qsizetype> bounds{0, t.size()};
    for (const auto& [start, node] : nodes)
        if (start > 0 && start < t.size()) bounds.push_back(start);
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());

    std::vector<Passage> out;
    qsizetype carry = -1;
    for (size_t u = 0; u + 1 < bounds.size(); ++u) {
        std::vector<Piece> pieces;
        for (const Range& para : paragraphs(t, bounds[u], bounds[u + 1])) {
            const int n = count(QStringView(t).sliced(para.first, para.second - para.first));
            if (n <= max_tokens)
                pieces.push_back({para, n});
            else
                split_long(t, para, max_tokens, count, pieces);
        }
        // A bare heading whose node has sub-nodes (a chapter title before its first article)
        // goes with the text it introduces.
        const auto here = nodes.find(bounds[u]);
        const auto next = nodes.find(bounds[u + 1]);
        const bool bare_heading =
            pieces.size() == 1 && here != nodes.end() && next != nodes.end() &&
            next->second->level > here->second->level &&
            !QStringView(t)
                 .sliced(pieces[0].range.first, pieces[0].range.second - pieces[0].range.first)
                 .contains(u'\n');
        if (bare_heading) {
            if (carry < 0) carry = pieces[0].range.first;
            continue;
        }
        pack(t, pieces, max_tokens, count, carry, out);
    }
    if (carry >= 0) {  // a heading at the very end
        const Range r = trimmed(t, carry, t.size());
        out.push_back(
            {r.first, r.second, count(QStringView(t).sliced(r.first, r.second - r.first)), {}});
    }
    for (Passage& p : out) p.heading = heading_at(doc, p.start);
    return out;
}

}  // namespace ll
