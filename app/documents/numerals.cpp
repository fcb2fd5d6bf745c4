#include "numerals.h"

#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <algorithm>

namespace ll {

namespace {

int chinese_digit(QChar c) {
    static const QString kDigits = QStringLiteral("〇一二三四五六七八九");
    const int i = int(kDigits.indexOf(c));
    if (i >= 0) return i;
    if (c == u'零') return 0;
    if (c == u'两') return 2;
    if (c == u'壹') return 1;
    if (c == u'贰') return 2;
    if (c == u'叁') return 3;
    if (c == u'肆') return 4;
    if (c == u'伍') return 5;
    if (c == u'陆') return 6;
    if (c == u'柒') return 7;
    if (c == u'捌') return 8;
    if (c == u'玖') return 9;
    return -1;
}

int chinese_unit(QChar c) {
    switch (c.unicode()) {
        case u'十':
        case u'拾':
            return 10;
        case u'百':
        case u'佰':
            return 100;
        case u'千':
        case u'仟':
            return 1000;
        case u'万':
            return 10000;
        default:
            return -1;
    }
}

}  // namespace

int parse_chinese_numeral(QStringView s) {
    if (s.isEmpty()) return -1;
    // Digit-by-digit form without units (一〇一, 二〇二〇) reads positionally.
    bool has_unit = false;
    for (QChar c : s) {
        if (chinese_unit(c) > 0)
            has_unit = true;
        else if (chinese_digit(c) < 0)
            return -1;
    }
    if (!has_unit) {
        if (s.size() > 9) return -1;
        int v = 0;
        for (QChar c : s) v = v * 10 + chinese_digit(c);
        return v;
    }
    // Unit form: digits multiply the unit that follows; 十 alone at the start means 10;
    // 零 only marks a skipped place. 万 scales everything before it.
    long total = 0, section = 0;
    int digit = -1;
    for (QChar c : s) {
        const int d = chinese_digit(c);
        if (d >= 0) {
            digit = d;
            continue;
        }
        const int unit = chinese_unit(c);
        if (unit == 10000) {
            section = (section + std::max(digit, 0)) * 10000;
            total += section;
            section = 0;
        } else {
            section += long(digit < 0 ? 1 : digit) * unit;
        }
        digit = -1;
        if (total + section > 1000000000L) return -1;
    }
    return int(total + section + std::max(digit, 0));
}

int parse_roman_numeral(QStringView s) {
    if (s.isEmpty() || s.size() > 15) return -1;
    auto value = [](QChar c) {
        switch (c.toUpper().unicode()) {
            case 'I':
                return 1;
            case 'V':
                return 5;
            case 'X':
                return 10;
            case 'L':
                return 50;
            case 'C':
                return 100;
            case 'D':
                return 500;
            case 'M':
                return 1000;
            default:
                return -1;
        }
    };
    int total = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const int v = value(s[i]);
        if (v < 0) return -1;
        const int next = i + 1 < s.size() ? value(s[i + 1]) : 0;
        if (next < 0) return -1;
        total += v < next ? -v : v;
    }
    return total > 0 ? total : -1;
}

int parse_english_numeral(QStringView s) {
    static const QStringList kUnits = {"zero",    "one",     "two",       "three",    "four",
                                       "five",    "six",     "seven",     "eight",    "nine",
                                       "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                       "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    static const QStringList kTens = {"",      "",      "twenty",  "thirty", "forty",
                                      "fifty", "sixty", "seventy", "eighty", "ninety"};
    const QString lower = s.toString().toLower();
    const QStringList words =
        lower.split(QRegularExpression(QStringLiteral("[- ]")), Qt::SkipEmptyParts);
    if (words.isEmpty() || words.size() > 2) return -1;
    const int tens = int(kTens.indexOf(words[0]));
    if (words.size() == 1) {
        if (tens >= 2) return tens * 10;
        const int unit = int(kUnits.indexOf(words[0]));
        return unit >= 1 ? unit : -1;
    }
    const int unit = int(kUnits.indexOf(words[1]));
    return tens >= 2 && unit >= 1 && unit <= 9 ? tens * 10 + unit : -1;
}

int parse_arabic_numeral(QStringView s) {
    if (s.isEmpty() || s.size() > 9) return -1;
    int v = 0;
    for (QChar c : s) {
        const int d = c.digitValue();  // covers full-width digits too
        if (d < 0) return -1;
        v = v * 10 + d;
    }
    return v;
}

int parse_any_numeral(QStringView s) {
    int v = parse_arabic_numeral(s);
    if (v < 0) v = parse_roman_numeral(s);
    if (v < 0) v = parse_chinese_numeral(s);
    return v;
}

}  // namespace ll
