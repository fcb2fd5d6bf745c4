// Heading numbers as they are written: Chinese numerals (一千二百六十, 两百, 〇),
// Roman numerals (XXVII) and Arabic digits, full-width ones included.
#pragma once

#include <QStringView>

namespace ll {

// 一千二百六十 → 1260, 十一 → 11, 一〇一 → 101, 二十 → 20; -1 when not a numeral.
int parse_chinese_numeral(QStringView s);
// XXVII → 27, iv → 4; -1 when not a well-formed Roman numeral.
int parse_roman_numeral(QStringView s);
// One, TWENTY-ONE, ninety nine → 1, 21, 99 (up to 99); -1 otherwise.
int parse_english_numeral(QStringView s);
// ASCII or full-width digits; -1 otherwise (or above a billion).
int parse_arabic_numeral(QStringView s);
// Whichever of the three applies; -1 if none.
int parse_any_numeral(QStringView s);

}  // namespace ll
