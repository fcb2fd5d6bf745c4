#include "structure_rules.h"

#include <QRegularExpression>

#include <algorithm>

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
    // A reference in running text, not a heading: "Section 2.2(a)(i) of this Agreement",
    // "Chapter 3 of the report".
    static const QRegularExpression reference(QStringLiteral("^(?:\\.?[0-9(]|[.:]?\\s*\\p{Ll})"));
    if (reference.match(rest).hasMatch()) return std::nullopt;
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

namespace {

// The words of a line that are set in capitals ("NONEXCLUSIVE RESELLER." in
// "NONEXCLUSIVE RESELLER. Subject to …"): their length, 0 if the line starts in lower case.
qsizetype capitals_prefix(QStringView s) {
    qsizetype end = 0, i = 0, letters = 0;
    while (i < s.size()) {
        qsizetype j = i;
        while (j < s.size() && !s[j].isSpace()) ++j;
        const QStringView word = s.mid(i, j - i);
        if (std::any_of(word.begin(), word.end(), [](QChar c) { return c.isLower(); })) break;
        letters += std::count_if(word.begin(), word.end(), [](QChar c) { return c.isUpper(); });
        end = j;
        if (word.endsWith(QLatin1Char('.'))) break;  // the title's full stop
        while (j < s.size() && s[j].isSpace()) ++j;
        i = j;
    }
    return letters >= 3 ? end : 0;
}

// Every word capitalised but the small ones ("Acceptance Not Required for Having Copies").
bool title_case_words(QStringView s, int max_words) {
    static const QStringList small = {"a",  "an", "and", "for", "from", "in", "into", "not",
                                      "of", "on", "or",  "the", "this", "to", "with"};
    const QList<QStringView> words = s.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.isEmpty() || words.size() > max_words) return false;
    for (const QStringView w : words)
        if (w[0].isLetter() && !w[0].isUpper() && !small.contains(w.toString())) return false;
    return true;
}

// A run-in title ("Termination for Cause. Either party …", "Late payment. Rent more than
// …"): a heading that runs into its text ends at its first full stop when that comes
// within a few words, starting with a capital and holding no figures, and the text goes on
// with a capital or an item "(a)". Its length up to and including the full stop, 0 when
// the line has none.
qsizetype run_in_title(QStringView s) {
    const qsizetype stop = s.indexOf(QLatin1String(". "));
    if (stop <= 0 || stop > 40 || stop + 2 >= s.size()) return 0;
    const QChar next = s[stop + 2];
    if (!next.isUpper() && next != QLatin1Char('(')) return 0;
    const QStringView title = s.left(stop);
    if (!title[0].isUpper() || title.split(QLatin1Char(' '), Qt::SkipEmptyParts).size() > 5 ||
        std::any_of(title.begin(), title.end(), [](QChar c) { return c.isDigit(); }))
        return 0;
    return stop + 1;
}

}  // namespace

std::optional<HeadingMatch> match_matter_heading(QStringView line) {
    const QStringView t = line.trimmed();
    if (t.size() > 70 || t.isEmpty() || !t[0].isUpper()) return std::nullopt;
    static const QRegularExpression re(
        QStringLiteral("^(PREFACE|FOREWORD|INTRODUCTION|PROLOGUE|PREAMBLE|DEDICATION|ETYMOLOGY|"
                       "EXTRACTS|"
                       "LETTER|PREFATORY NOTE|AUTHOR'S NOTE|AUTHOR’S NOTE|TO THE READER|"
                       "EPILOGUE|AFTERWORD|POSTSCRIPT|APPENDIX|NOTES|FOOTNOTES|GLOSSARY|"
                       "SCHEDULE|ANNEX|EXHIBIT|ATTACHMENT)"
                       "(?: ((?-i:[IVXLC]{1,6}|[A-Z])|[0-9]{1,3}))?\\.?"
                       "(?:\\s*[(:—–-].{0,60})?$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(t);
    if (!m.hasMatch()) return std::nullopt;
    // "Preface" or "PREFACE", not "PrEfAcE"; a sentence starting "Notes …" has no capital
    // after the first letter and never gets here (the whole line must match).
    const QString word = m.captured(1);
    if (word != word.toUpper() && word.mid(1) != word.mid(1).toLower()) return std::nullopt;
    const QString w = word.toLower();
    const bool numbered = m.capturedLength(2) > 0;
    if (w == QLatin1String("letter") && !numbered) return std::nullopt;
    int number = -1;
    if (numbered) {
        // "Schedule A", "Annex B": lettered in order; a lone I, V or X reads as a numeral.
        const QStringView id = m.capturedView(2);
        const bool letter =
            id.size() == 1 && id[0].isUpper() && !QStringLiteral("IVX").contains(id[0]);
        number = letter ? id[0].unicode() - 'A' + 1 : parse_any_numeral(id);
        if (number <= 0) return std::nullopt;
    }
    // Schedules, annexes and exhibits follow a contract's clauses, as appendices a book.
    static const QStringList back = {"epilogue", "afterword", "postscript", "appendix",
                                     "notes",    "footnotes", "glossary",   "schedule",
                                     "annex",    "exhibit",   "attachment"};
    const bool after = back.contains(w);
    return make_heading(after ? StructureKind::BackMatter : StructureKind::FrontMatter,
                        rank::kMatter, number, QStringLiteral("matter-") + w);
}

std::optional<HeadingMatch> match_contents_heading(QStringView line) {
    static const QRegularExpression re(
        QStringLiteral("^(?:TABLE OF CONTENTS|Table of Contents|CONTENTS|Contents)\\.?$"));
    if (!re.match(line.trimmed()).hasMatch() && compact(line) != QStringLiteral("目录"))
        return std::nullopt;
    return make_heading(StructureKind::Contents, rank::kMatter, -1, QStringLiteral("contents"));
}

std::optional<HeadingMatch> match_clause_heading(QStringView line) {
    const QStringView t = line.trimmed();
    static const QRegularExpression re(
        QStringLiteral("^([0-9]{1,2})((?:\\.[0-9]{1,2}){0,3})\\.?\\s+(\\S.*)$"));
    const auto m = re.match(t);
    if (!m.hasMatch()) return std::nullopt;
    const QStringView rest = m.capturedView(3);
    const int depth = int(m.capturedView(2).count(QLatin1Char('.')));
    qsizetype caps = capitals_prefix(rest);
    // A top-level clause is titled in capitals, or in title case alone on its line
    // ("0. Definitions."); a sub-clause may run straight into its text.
    if (depth == 0 && caps == 0) {
        if (rest.size() > 70 || !rest.endsWith(QLatin1Char('.')) ||
            !title_case_words(rest.chopped(1), 10))
            return std::nullopt;
        caps = rest.size();
    }
    if (depth > 0 && !rest[0].isUpper() && rest[0] != QLatin1Char('(') && rest[0] != u'“' &&
        rest[0] != QLatin1Char('"'))
        return std::nullopt;
    if (caps == 0) caps = run_in_title(rest);
    const QString head = m.captured(1) + m.captured(2);
    const int number = parse_arabic_numeral(head.mid(head.lastIndexOf(QLatin1Char('.')) + 1));
    const QString parent = head.left(std::max<qsizetype>(0, head.lastIndexOf(QLatin1Char('.'))));
    const QString key =
        depth == 0 ? QStringLiteral("clause-top") : QStringLiteral("clause-") + parent;
    const bool body = caps < rest.size() && (caps > 0 || rest.size() > 40);
    HeadingMatch h = make_heading(StructureKind::Section, rank::kSection + depth, number, key, body,
                                  QStringLiteral("clause:") + head);
    if (body && caps > 0) h.title_length = int(m.capturedStart(3) + caps);
    return h;
}

}  // namespace ll
