#include "structure_rules.h"

#include <QRegularExpression>

#include "numerals.h"

namespace ll {

namespace {

const QString kChineseDigits =
    QStringLiteral("〇零一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟0-9０-９");

bool is_space(QChar c) {
    return c.isSpace() || c == QChar(0x3000);
}

// Sentence punctuation means the line is prose that merely starts with 第N章, not a heading.
bool looks_like_prose(QStringView rest) {
    for (QChar c : rest)
        if (c == u'。' || c == u'，' || c == u'；' || c == u'？' || c == u'！') return true;
    return false;
}

QString compact(QStringView line) {
    QString out;
    for (QChar c : line)
        if (!is_space(c)) out.append(c);
    return out;
}

}  // namespace

std::optional<HeadingMatch> match_chinese_heading(QStringView line) {
    // An optional short tag before the number ("《》目录 第一回") is seen in web novels.
    static const QRegularExpression re(
        QStringLiteral("^(?:(\\S{1,8})[ \\t\\x{3000}]+)?第([%1]{1,9})(分编|编|章|节|条|回|卷)")
            .arg(kChineseDigits));
    const QString compacted = compact(line);
    if (compacted == QStringLiteral("附则"))
        return make_heading(StructureKind::Supplementary, rank::kPart, -1, "zh-supplementary");
    const auto m = re.match(line);
    if (!m.hasMatch()) return std::nullopt;
    const int number = parse_any_numeral(m.capturedView(2));
    if (number < 0) return std::nullopt;
    const QString unit = m.captured(3);
    const QStringView rest = line.mid(m.capturedEnd(0));
    const bool separated =
        rest.isEmpty() || is_space(rest[0]) || rest[0] == u'：' || rest[0] == u':';
    if (unit == QStringLiteral("条")) {
        // 条 headings carry the article text; anything glued on is a cross-reference
        // ("第十条的规定"), and a tag before the number is not legal style.
        if (!separated || m.capturedLength(1) > 0) return std::nullopt;
        return make_heading(StructureKind::Article, rank::kChineseArticle, number, "zh-article",
                            true);
    }
    if (line.size() > 60 || looks_like_prose(rest)) return std::nullopt;
    if (!separated && rest.size() > 20) return std::nullopt;
    if (unit == QStringLiteral("回") || unit == QStringLiteral("章")) {
        // 章 under 编 restarts; 回 never does. The key keeps their sequences apart.
        return make_heading(StructureKind::Chapter, rank::kChapter, number, "zh-" + unit);
    }
    if (m.capturedLength(1) > 0) return std::nullopt;
    if (unit == QStringLiteral("编") || unit == QStringLiteral("卷"))
        return make_heading(StructureKind::Part, rank::kPart, number, "zh-part");
    if (unit == QStringLiteral("分编"))
        return make_heading(StructureKind::Subpart, rank::kSubpart, number, "zh-subpart");
    return make_heading(StructureKind::Section, rank::kSection, number, "zh-section");
}

std::optional<HeadingMatch> match_english_heading(QStringView line) {
    // "CHAPTER IV.", "Chapter 12", "Chapter I.]" (inside an illustration caption),
    // "ARTICLE VII", "Amendment XXVII", "SECTION. 2.", "Section 3", "§ 4", "PART ONE".
    static const QRegularExpression re(
        QStringLiteral("^(CHAPTER|Chapter|PART|Part|BOOK|Book|ARTICLE|Article|AMENDMENT|"
                       "Amendment|SECTION|Section|§)\\.?\\s*([IVXLCDM]+|[0-9]{1,4})"
                       "(?=$|[\\s.:\\]\\-—–])"));
    // Novels also spell the number out: "CHAPTER TWENTY-ONE", "Part One".
    static const QRegularExpression spelled(
        QStringLiteral("^(CHAPTER|Chapter|PART|Part|BOOK|Book)\\s+([A-Za-z]+(?:-[A-Za-z]+)?)"
                       "(?=$|[\\s.:\\]])"));
    // A Roman numeral alone on its line ("I.", "II") numbers the chapters of many novels.
    static const QRegularExpression bare(QStringLiteral("^([IVXLC]{1,7})\\.?$"));
    if (line.size() > 200) return std::nullopt;
    if (const auto b = bare.match(line); b.hasMatch()) {
        const int number = parse_roman_numeral(b.capturedView(1));
        if (number > 0)
            return make_heading(StructureKind::Chapter, rank::kChapter, number, "en-bare-roman");
    }
    auto m = re.match(line);
    if (!m.hasMatch()) m = spelled.match(line);
    if (!m.hasMatch()) return std::nullopt;
    const QString word = m.captured(1).toLower();
    int number = parse_any_numeral(m.capturedView(2));
    if (number < 0) number = parse_english_numeral(m.capturedView(2));
    if (number <= 0) return std::nullopt;
    const QStringView rest = line.mid(m.capturedEnd(0));
    const bool short_line = line.size() <= 80;
    if (word == QLatin1String("chapter") && short_line)
        return make_heading(StructureKind::Chapter, rank::kChapter, number, "en-chapter");
    if ((word == QLatin1String("part") || word == QLatin1String("book")) && short_line)
        return make_heading(StructureKind::Part, rank::kPart, number, "en-part");
    if (word == QLatin1String("article") && short_line)
        return make_heading(StructureKind::Article, rank::kEnglishArticle, number, "en-article");
    if (word == QLatin1String("amendment") && short_line)
        return make_heading(StructureKind::Amendment, rank::kEnglishArticle, number,
                            "en-amendment");
    if (word == QLatin1String("section") || word == QStringLiteral("§")) {
        // Sections often run on into their text ("SECTION. 1. All legislative Powers").
        return make_heading(StructureKind::Section, rank::kSection, number, "en-section",
                            rest.trimmed().size() > 40);
    }
    return std::nullopt;
}

std::optional<HeadingMatch> match_paper_heading(QStringView line, bool after_references) {
    const QStringView t = line.trimmed();
    if (t.size() > 100) return std::nullopt;
    static const QRegularExpression named(
        QStringLiteral("^(Abstract|ABSTRACT|References|REFERENCES|Bibliography|"
                       "Appendix|APPENDIX|Appendices|Acknowledgements?|Acknowledgments?)"
                       "(?:$|[\\s.:]+([A-Z])?)"));
    if (const auto m = named.match(t); m.hasMatch()) {
        const QString w = m.captured(1).toLower();
        if (w == QLatin1String("abstract"))
            return make_heading(StructureKind::Abstract, rank::kSection, -1, "paper-abstract");
        if (w == QLatin1String("references") || w == QLatin1String("bibliography"))
            return make_heading(StructureKind::References, rank::kSection, -1, "paper-refs");
        if (w.startsWith(QLatin1String("appendi")))
            return make_heading(StructureKind::Appendix, rank::kSection, -1, "paper-appendix");
        if (t.size() < 20)
            return make_heading(StructureKind::Section, rank::kSection, -1, "paper-ack");
        return std::nullopt;
    }
    // "3 Methodology", "3.2. Dynamic Scaling", "A Additional Details" (after References).
    static const QRegularExpression numbered(QStringLiteral(
        "^([0-9]{1,2}|[A-H])((?:\\.[0-9]{1,2}){0,3})\\.?\\s+(\\p{Lu}[^=<>]{1,90})$"));
    const auto m = numbered.match(t);
    if (!m.hasMatch()) return std::nullopt;
    const QString title = m.captured(3);
    // A sentence or a figure caption, not a heading.
    if (title.endsWith(QLatin1Char('.')) || title.endsWith(QLatin1Char(',')) ||
        title.count(QLatin1Char(' ')) > 12)
        return std::nullopt;
    const QString head = m.captured(1);
    const bool letter = head[0].isLetter();
    if (letter && !after_references) return std::nullopt;
    const int depth = int(m.captured(2).count(QLatin1Char('.')));
    // "B" is appendix 2; "B.2" is subsection 2 of it.
    const int number =
        letter && depth == 0
            ? head[0].unicode() - 'A' + 1
            : parse_arabic_numeral(
                  m.capturedView(2).isEmpty()
                      ? m.capturedView(1)
                      : m.capturedView(2).mid(m.capturedView(2).lastIndexOf(u'.') + 1));
    // The key names the parent ("2." for 2.1, 2.2) so numbering checks run per parent.
    const QString parent = head + m.captured(2).left(m.captured(2).lastIndexOf(QLatin1Char('.')));
    const QString key =
        depth == 0 ? (letter ? QStringLiteral("paper-appendix-top") : QStringLiteral("paper-top"))
                   : QStringLiteral("paper-") + parent;
    return make_heading(letter && depth == 0 ? StructureKind::Appendix : StructureKind::Section,
                        rank::kSection + depth, number, key, false, head + m.captured(2));
}

}  // namespace ll
