#include "question_answerer.h"

#include <QRegularExpression>

#include <algorithm>
#include <vector>

#include "qa/passage_chunker.h"

namespace ll {
namespace {

// The innermost outline node containing `offset`, for a chip label like "第十二条".
const OutlineNode* innermost_node(const Document& doc, qsizetype offset) {
    const OutlineNode* best = nullptr;
    for (const OutlineNode& n : doc.outline) {
        if (n.kind == StructureKind::ContentsEntry) continue;  // a line of the contents list
        if (n.start <= offset && offset < n.end && (!best || n.level >= best->level)) best = &n;
    }
    return best;
}

// A numbered heading is known by its number: "第十二条 …" → "第十二条", "Article 4. …" →
// "Article 4", "Chapter 2. The Rules" → "Chapter 2"; the rest of the line is in the
// tooltip's quote.
QString heading_label(const QString& heading, bool numbered, StructureKind kind) {
    const QStringList words = heading.simplified().split(' ');
    if (!numbered || words.size() < 2) return heading.simplified();
    // A CJK heading is known by its 第…回/章/条 word, wherever a tag puts it ("《》目录 第十二回").
    static const QRegularExpression cjk_number(QStringLiteral("^第\\S+[回章节条编卷]$"));
    for (const QString& w : words)
        if (cjk_number.match(w).hasMatch()) return w;
    const auto has_digit = [](const QString& w) {
        return std::any_of(w.begin(), w.end(), [](QChar ch) { return ch.isDigit(); });
    };
    // "Chapter 2", "Article IV", "§ 3": a word and the number after it. A CJK heading
    // ("第十二条") or "1. Introduction" carries its number in the first word.
    const bool word_then_number = !has_digit(words[0]) && words[0].front().unicode() < 0x2E80;
    QString label = word_then_number ? words[0] + ' ' + words[1] : words[0];
    while (label.size() > 1 && QStringLiteral(".:;,").contains(label.back())) label.chop(1);
    // A paper's "3.2 Loss of …" is section 3.2.
    const bool dotted_number = std::all_of(label.begin(), label.end(),
                                           [](QChar ch) { return ch.isDigit() || ch == u'.'; });
    if (kind == StructureKind::Section && dotted_number) label = QStringLiteral("§ ") + label;
    return label;
}

}  // namespace

namespace {

bool blank_line_at(const QString& t, qsizetype newline, qsizetype end) {
    qsizetype j = newline + 1;
    while (j < end && t[j] != u'\n' && t[j].isSpace()) ++j;
    return j < end && t[j] == u'\n';
}

// Paragraph starts in [start, end): blank lines separate paragraphs where the range has any
// (hard-wrapped prose); where it has none, every line is one (a PDF's paragraphs, a legal
// text's 款). The first paragraph starts at `start`.
std::vector<qsizetype> paragraph_starts(const QString& t, qsizetype start, qsizetype end) {
    bool blank = false;
    for (qsizetype i = t.indexOf(u'\n', start); i >= 0 && i < end; i = t.indexOf(u'\n', i + 1))
        if (blank_line_at(t, i, end)) {
            blank = true;
            break;
        }
    std::vector<qsizetype> out{start};
    for (qsizetype i = t.indexOf(u'\n', start); i >= 0 && i < end; i = t.indexOf(u'\n', i + 1)) {
        if (blank && !blank_line_at(t, i, end)) continue;
        qsizetype j = i + 1;
        while (j < end && t[j].isSpace()) ++j;
        if (j < end && j > out.back()) out.push_back(j);
        i = std::max(i, j - 1);
    }
    return out;
}

// 1-based index of the paragraph holding `pos` among `starts`.
int paragraph_index(const std::vector<qsizetype>& starts, qsizetype pos) {
    const auto it = std::upper_bound(starts.begin(), starts.end(), pos);
    return int(it - starts.begin());
}

QString chinese_count(int n) {
    static const QString digits = QStringLiteral("〇一二三四五六七八九");
    if (n < 10) return digits.mid(n, 1);
    if (n < 20) return QStringLiteral("十") + (n % 10 ? digits.mid(n % 10, 1) : QString());
    if (n < 100)
        return digits.mid(n / 10, 1) + QStringLiteral("十") +
               (n % 10 ? digits.mid(n % 10, 1) : QString());
    return QString::number(n);
}

QString short_label(QString label) {
    if (label.size() > 18) label = label.left(17) + QStringLiteral("…");
    return label;
}

// "14.6 The Supplier shall…" or "Clause 14.6 …" at the start of a paragraph: its number.
QString clause_number(QStringView paragraph) {
    static const QRegularExpression re(
        QStringLiteral("^(?:Clause\\s+)?([0-9]{1,3}(?:\\.[0-9]{1,3}){1,3})\\.?\\s"));
    const auto m = re.match(paragraph);
    return m.hasMatch() ? m.captured(1) : QString();
}

// Where the paragraphs holding `pos` are counted from: its innermost unit, else its page (a
// PDF), else the whole text.
std::pair<qsizetype, qsizetype> counting_range(const Document& doc, qsizetype pos) {
    if (const OutlineNode* node = innermost_node(doc, pos)) return {node->start, node->end};
    const int page = doc.page_of(pos);
    if (page < 0) return {0, doc.text.size()};
    qsizetype s = pos;
    while (s > 0 && doc.page_of(s - 1) == page) --s;
    return {s, doc.text.size()};
}

}  // namespace

AnswerCitation make_citation(const Document& document, qsizetype start, qsizetype end) {
    AnswerCitation c;
    c.start = std::clamp<qsizetype>(start, 0, document.text.size());
    c.end = std::clamp<qsizetype>(end, c.start, document.text.size());
    c.page = document.page_of(c.start);
    c.rects = document.rects_for(c.start, c.end);
    c.text = document.text.mid(c.start, c.end - c.start).simplified();
    const QString& t = document.text;
    // The page as printed (its /PageLabels label), as the reader finds it in the margin.
    const QString page =
        c.page >= 0 ? QObject::tr("p. %1").arg(document.page_label(c.page)) : QString();
    if (const OutlineNode* node = innermost_node(document, c.start)) {
        QString label = short_label(heading_label(node->title, node->number >= 0, node->kind));
        std::vector<qsizetype> starts = paragraph_starts(t, node->start, node->end);
        // A heading alone on its line ("CHAPTER II.") is not a paragraph of the text; an
        // article's heading line is its first paragraph (第十二条 carries its text).
        const bool carries_text =
            node->kind == StructureKind::Article || node->kind == StructureKind::Amendment;
        if (starts.size() > 1 && !carries_text &&
            t.mid(starts[0], starts[1] - starts[0]).simplified() == node->title.simplified())
            starts.erase(starts.begin());
        qsizetype body_end = node->end;
        while (body_end > node->start && t[body_end - 1].isSpace()) --body_end;
        const bool whole = c.start <= starts.front() && c.end >= body_end;
        if (starts.size() > 1 && !whole) {
            const int k = std::max(1, paragraph_index(starts, c.start));
            const bool zh_article = node->kind == StructureKind::Article &&
                                    label.startsWith(u'第') && label.endsWith(u'条');
            label = zh_article ? label + QStringLiteral("第%1款").arg(chinese_count(k))
                               : QObject::tr("¶ %1 of %2").arg(k).arg(label);
        }
        c.label = page.isEmpty() ? label : label + " · " + page;
        return c;
    }
    // No outline: the paragraph, by its clause number when it has one.
    const qsizetype from = counting_range(document, c.start).first;
    const std::vector<qsizetype> starts = paragraph_starts(t, from, std::max(c.end, from + 1));
    const int k = std::max(1, paragraph_index(starts, c.start));
    const qsizetype para = starts[size_t(k - 1)];
    const QString clause =
        clause_number(QStringView(t).mid(para, std::min<qsizetype>(40, t.size() - para)));
    if (!clause.isEmpty())
        c.label = QObject::tr("Clause %1").arg(clause);
    else if (!page.isEmpty())
        c.label = k > 1 ? QObject::tr("¶ %1").arg(k) : QString();
    else
        c.label = QObject::tr("¶ %1").arg(k);
    if (!page.isEmpty()) c.label = c.label.isEmpty() ? page : c.label + " · " + page;
    return c;
}

void distinguish_labels(const Document& document, QList<AnswerCitation>& citations) {
    QStringList labels;
    for (const AnswerCitation& c : citations) labels << c.label;
    for (qsizetype i = 0; i < citations.size(); ++i) {
        if (labels.count(labels[i]) < 2) continue;
        // The sentence the citation starts in, counted in its paragraph.
        const QString& t = document.text;
        const qsizetype at = citations[i].start;
        const auto [from, to] = counting_range(document, at);
        const std::vector<qsizetype> starts = paragraph_starts(t, from, std::max(to, at + 1));
        const qsizetype para = starts[size_t(std::max(1, paragraph_index(starts, at)) - 1)];
        int sentence = 1;
        for (const auto& [s, e] : sentence_ranges(t, para, std::max(citations[i].start, para + 1)))
            if (s < citations[i].start && e <= citations[i].start) ++sentence;
        // Before the page: "第一千零四十三条第二款第2句 · p. 193", "¶ 3 of Chapter 2, sentence 4".
        QString& label = citations[i].label;
        const qsizetype page = label.indexOf(QStringLiteral(" · "));
        const QString unit = page < 0 ? label : label.left(page);
        const QString qualified = unit.endsWith(u'款')
                                      ? unit + QStringLiteral("第%1句").arg(sentence)
                                      : unit + QObject::tr(", sentence %1").arg(sentence);
        label = qualified + (page < 0 ? QString() : label.mid(page));
    }
    // Two citations in the same sentence (rare: units are sentences) are told apart by order.
    for (qsizetype i = 0; i < citations.size(); ++i) {
        int seen = 1;
        for (qsizetype j = 0; j < i; ++j) seen += citations[j].label == citations[i].label;
        if (seen > 1) citations[i].label += QStringLiteral(" (%1)").arg(seen);
    }
}

}  // namespace ll
