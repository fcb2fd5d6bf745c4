#include "unit_reference.h"

#include <QRegularExpression>

#include "documents/numerals.h"

namespace ll {

namespace {

std::optional<StructureKind> chinese_kind(QStringView unit) {
    if (unit == u"条") return StructureKind::Article;
    if (unit == u"章" || unit == u"回") return StructureKind::Chapter;
    if (unit == u"节") return StructureKind::Section;
    if (unit == u"编" || unit == u"卷") return StructureKind::Part;
    if (unit == u"分编") return StructureKind::Subpart;
    return std::nullopt;
}

// The English word's kind; unset with `word` set for units the outline does not hold.
bool english_kind(const QString& w, std::optional<StructureKind>& kind, QString& word) {
    const QString l = w.toLower();
    if (l == "article" || l == "art.") {
        kind = StructureKind::Article;
    } else if (l == "section" || l == "sec." || l == "§" || l == "§§") {
        kind = StructureKind::Section;
    } else if (l == "chapter" || l == "chap." || l == "ch.") {
        kind = StructureKind::Chapter;
    } else if (l == "part" || l == "book") {
        kind = StructureKind::Part;
    } else if (l == "amendment") {
        kind = StructureKind::Amendment;
    } else if (l == "appendix") {
        kind = StructureKind::Appendix;
    } else if (l == "table") {
        word = "Table";
    } else if (l == "figure" || l == "fig.") {
        word = "Figure";
    } else if (l == "clause") {
        word = "Clause";
    } else {
        return false;
    }
    return true;
}

bool is_space(QChar c) {
    return c.isSpace() || c == QChar(0x3000);
}

// The first word of a heading or line ("3.1", "第十二条", "A.1"), without a trailing dot.
QString first_word(QStringView line) {
    qsizetype i = 0;
    while (i < line.size() && is_space(line[i])) ++i;
    qsizetype j = i;
    while (j < line.size() && !is_space(line[j])) ++j;
    QString w = line.mid(i, j - i).toString();
    while (w.endsWith(u'.') || w.endsWith(u':')) w.chop(1);
    return w;
}

// The end of the paragraph that starts at `pos`: the next blank line, or the text's end.
qsizetype paragraph_end(const QString& text, qsizetype pos) {
    for (qsizetype i = text.indexOf(u'\n', pos); i >= 0; i = text.indexOf(u'\n', i + 1)) {
        qsizetype j = i + 1;
        while (j < text.size() && text[j] != u'\n' && is_space(text[j])) ++j;
        if (j >= text.size() || text[j] == u'\n') return i;
    }
    return text.size();
}

}  // namespace

std::vector<UnitReference> find_unit_references(QStringView question) {
    std::vector<UnitReference> out;
    static const QRegularExpression zh(QStringLiteral(
        "第([〇零一二两三四五六七八九十百千万0-9０-９]{1,9})(分编|编|章|节|条|回|卷)"));
    static const QRegularExpression en(
        QStringLiteral(
            "(?<![\\w.])(articles?|art\\.|sections?|sec\\.|§§?|chapters?|chap\\.|ch\\.|parts?|"
            "books?|"
            "amendments?|appendix|tables?|figures?|fig\\.|clauses?)\\s*"
            "([0-9]{1,4}(?:\\.[0-9]{1,3}){0,3}|[A-H](?:\\.[0-9]{1,2})+|[ivxlcdm]{1,7}\\b|"
            "[a-z]+(?:-[a-z]+)?)"),
        QRegularExpression::CaseInsensitiveOption);
    const QString q = question.toString();
    for (auto it = zh.globalMatch(q); it.hasNext();) {
        const auto m = it.next();
        UnitReference r;
        r.start = m.capturedStart(0);
        r.end = m.capturedEnd(0);
        r.text = m.captured(0);
        r.kind = chinese_kind(m.capturedView(2));
        r.number = parse_any_numeral(m.capturedView(1));
        if (r.number < 0) continue;
        r.chained = !out.empty() && out.back().end == r.start;
        out.push_back(r);
    }
    for (auto it = en.globalMatch(q); it.hasNext();) {
        const auto m = it.next();
        QString word = m.captured(1);
        if (word.size() > 3 && word.endsWith(u's', Qt::CaseInsensitive)) word.chop(1);
        UnitReference r;
        if (!english_kind(word, r.kind, r.word)) continue;
        const QString value = m.captured(2);
        if (value.contains(u'.')) {
            r.path = value;
            r.number = parse_arabic_numeral(QStringView(value).left(value.indexOf(u'.')));
            if (r.number < 0 && value[0].isLetter()) r.number = 0;  // "A.1"
        } else if (value.size() == 1 && value[0].isUpper() && r.kind == StructureKind::Appendix) {
            r.path = value;  // "Appendix A"
        } else {
            r.number = parse_arabic_numeral(value);
            if (r.number < 0 && value.size() > 1) r.number = parse_roman_numeral(value);
            if (r.number < 0) r.number = parse_english_numeral(value);
            if (r.number < 0) continue;  // "part of", "section about": not a reference
        }
        r.start = m.capturedStart(0);
        r.end = m.capturedEnd(0);
        r.text = m.captured(0).trimmed();
        out.push_back(r);
    }
    std::sort(out.begin(), out.end(),
              [](const UnitReference& a, const UnitReference& b) { return a.start < b.start; });
    return out;
}

std::vector<UnitMatch> match_unit(const Document& doc, const UnitReference& ref,
                                  qsizetype within_start, qsizetype within_end) {
    if (within_end < 0) within_end = doc.text.size();
    std::vector<UnitMatch> out;
    auto inside = [&](qsizetype s) { return within_start <= s && s < within_end; };
    if (ref.kind) {
        for (const OutlineNode& n : doc.outline) {
            if (n.kind != *ref.kind || !inside(n.start)) continue;
            const bool hit = ref.path.isEmpty()
                                 ? n.number == ref.number
                                 : first_word(n.title).compare(ref.path, Qt::CaseInsensitive) == 0;
            if (hit) out.push_back({n.start, n.end, n.title});
        }
        if (!out.empty() || ref.path.isEmpty()) return out;
    }
    // A dotted number the outline files under another kind ("Appendix A.1" is a section).
    if (!ref.path.isEmpty()) {
        for (const OutlineNode& n : doc.outline)
            if (inside(n.start) && first_word(n.title).compare(ref.path, Qt::CaseInsensitive) == 0)
                out.push_back({n.start, n.end, n.title});
        if (!out.empty()) return out;
    }
    // Captions and clauses: lines starting with "Table 2" (captions) or "14.6" / "Clause 14.6".
    const QString number = ref.path.isEmpty() ? QString::number(ref.number) : ref.path;
    const QString pattern =
        ref.word == "Table" || ref.word == "Figure"
            ? QStringLiteral("^[ \\t]*(?:%1|%2)\\.?[ \\t]*%3(?=[:.\\s])")
                  .arg(ref.word, ref.word.toUpper(), QRegularExpression::escape(number))
            : QStringLiteral("^[ \\t]*(?:Clause[ \\t]+)?%1(?=[.)]?[ \\t])")
                  .arg(QRegularExpression::escape(number));
    const QRegularExpression line_start(pattern, QRegularExpression::MultilineOption);
    for (auto it = line_start.globalMatch(doc.text); it.hasNext();) {
        const auto m = it.next();
        const qsizetype s =
            m.capturedStart(0) +
            (m.capturedLength(0) - m.captured(0).trimmed().size());  // leading blanks
        if (!inside(s)) continue;
        qsizetype e = std::min(paragraph_end(doc.text, s), within_end);
        qsizetype eol = doc.text.indexOf(u'\n', s);
        if (eol < 0) eol = doc.text.size();
        out.push_back({s, e, doc.text.mid(s, eol - s).trimmed()});
    }
    return out;
}

}  // namespace ll
