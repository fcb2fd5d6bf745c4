// Heading numbers in the notations real documents use.
#include <gtest/gtest.h>

#include "documents/numerals.h"

using namespace ll;

TEST(ChineseNumerals, UnitForms) {
    EXPECT_EQ(parse_chinese_numeral(u"一"), 1);
    EXPECT_EQ(parse_chinese_numeral(u"十"), 10);
    EXPECT_EQ(parse_chinese_numeral(u"十一"), 11);
    EXPECT_EQ(parse_chinese_numeral(u"二十"), 20);
    EXPECT_EQ(parse_chinese_numeral(u"一百零五"), 105);
    EXPECT_EQ(parse_chinese_numeral(u"一百一十"), 110);
    EXPECT_EQ(parse_chinese_numeral(u"一千二百六十"), 1260);
    EXPECT_EQ(parse_chinese_numeral(u"一千零一"), 1001);
    EXPECT_EQ(parse_chinese_numeral(u"两百"), 200);
    EXPECT_EQ(parse_chinese_numeral(u"一万零三"), 10003);
    EXPECT_EQ(parse_chinese_numeral(u"壹佰贰拾叁"), 123);
}

TEST(ChineseNumerals, DigitFormsAndRejects) {
    EXPECT_EQ(parse_chinese_numeral(u"一〇一"), 101);
    EXPECT_EQ(parse_chinese_numeral(u"二〇二〇"), 2020);
    EXPECT_EQ(parse_chinese_numeral(u""), -1);
    EXPECT_EQ(parse_chinese_numeral(u"三人"), -1);
}

TEST(RomanNumerals, ValuesAndRejects) {
    EXPECT_EQ(parse_roman_numeral(u"I"), 1);
    EXPECT_EQ(parse_roman_numeral(u"IV"), 4);
    EXPECT_EQ(parse_roman_numeral(u"XXVII"), 27);
    EXPECT_EQ(parse_roman_numeral(u"lxi"), 61);
    EXPECT_EQ(parse_roman_numeral(u"MCMXCIV"), 1994);
    EXPECT_EQ(parse_roman_numeral(u"ABC"), -1);
}

TEST(AnyNumeral, PicksTheNotation) {
    EXPECT_EQ(parse_any_numeral(u"42"), 42);
    EXPECT_EQ(parse_any_numeral(u"４２"), 42);  // full-width digits
    EXPECT_EQ(parse_any_numeral(u"XII"), 12);
    EXPECT_EQ(parse_any_numeral(u"十二"), 12);
}

TEST(EnglishNumerals, SpelledOut) {
    EXPECT_EQ(parse_english_numeral(u"One"), 1);
    EXPECT_EQ(parse_english_numeral(u"TWELVE"), 12);
    EXPECT_EQ(parse_english_numeral(u"twenty"), 20);
    EXPECT_EQ(parse_english_numeral(u"Twenty-One"), 21);
    EXPECT_EQ(parse_english_numeral(u"ninety nine"), 99);
    EXPECT_EQ(parse_english_numeral(u"Beginnings"), -1);
}
