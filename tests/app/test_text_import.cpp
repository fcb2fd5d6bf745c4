// Plain text and Markdown: encoding detection on the corpus' real files and on generated
// samples, the encoding override, line-end normalisation and Markdown clean-up.
#include <gtest/gtest.h>

#include <QStringEncoder>

#include "documents/import_error.h"
#include "documents/text_decoding.h"
#include "import_test_support.h"

using namespace ll;
using lltest::import_shared;
using lltest::write_file;

namespace {

QByteArray encode(const QString& text, const char* encoding) {
    QStringEncoder enc(encoding);
    return enc.encode(text);
}

const QString kChinese = QStringLiteral(
    "第一回　灵根育孕源流出　心性修持大道生\n诗曰：混沌未分天地乱，茫茫渺渺无人见。"
    "自从盘古破鸿蒙，开辟从兹清浊辨。这是我们的国家，他说到了中间的时候就出来了。\n");
const QString kTraditional = QStringLiteral(
    "第一回　靈根育孕源流出　心性修持大道生\n詩曰：混沌未分天地亂，茫茫渺渺無人見。"
    "這是我們的國家，他說到了中間的時候就出來了。這個人在大學裡學習。\n");
const QString kWestern = QStringLiteral(
    "\u201cMy dear Mr. Bennet,\u201d said his lady to him one day, \u201chave you heard "
    "that Netherfield Park is let at last?\u201d \u2014 It\u2019s a caf\u00e9 na\u00efve.\n");

}  // namespace

TEST(TextImport, XiyoujiGbkAndUtf8GiveTheSameText) {
    LL_REQUIRE_SHARED("corpus/novels/journey-to-the-west-xiyouji.gbk.txt");
    const Document gbk = import_shared("corpus/novels/journey-to-the-west-xiyouji.gbk.txt");
    const Document utf8 = import_shared("corpus/novels/journey-to-the-west-xiyouji.utf8.txt");
    EXPECT_EQ(gbk.encoding, "GB18030");
    EXPECT_EQ(utf8.encoding, "UTF-8");
    EXPECT_EQ(gbk.text.size(), 732153);
    EXPECT_TRUE(gbk.text == utf8.text);
    EXPECT_TRUE(gbk.warnings.isEmpty());
}

TEST(TextImport, PrideAndPrejudiceCp1252IsDetectedAndMatchesUtf8) {
    LL_REQUIRE_SHARED("corpus/novels/pride-and-prejudice-austen.pg1342.cp1252.txt");
    const Document cp = import_shared("corpus/novels/pride-and-prejudice-austen.pg1342.cp1252.txt");
    const Document u8 = import_shared("corpus/novels/pride-and-prejudice-austen.pg1342.utf8.txt");
    EXPECT_EQ(cp.encoding, "windows-1252");
    EXPECT_FALSE(cp.text.contains(QLatin1Char('\r')));
    EXPECT_TRUE(cp.text.contains(QStringLiteral("\u201cMy dear Mr. Bennet,\u201d")));
    EXPECT_TRUE(cp.text == u8.text);
}

TEST(TextImport, EncodingOverrideWins) {
    LL_REQUIRE_SHARED("corpus/novels/pride-and-prejudice-austen.pg1342.cp1252.txt");
    ImportOptions latin1;
    latin1.encoding = QStringLiteral("ISO-8859-1");
    const Document doc =
        import_shared("corpus/novels/pride-and-prejudice-austen.pg1342.cp1252.txt", latin1);
    EXPECT_EQ(doc.encoding, "ISO-8859-1");
    EXPECT_FALSE(doc.text.contains(QChar(0x201C)));  // 0x93 stays a C1 control in Latin-1
}

TEST(TextImport, UnknownEncodingOverrideIsAClearError) {
    QTemporaryDir dir;
    const QString path = write_file(dir, "a.txt", "hello\n");
    ImportOptions bogus;
    bogus.encoding = QStringLiteral("no-such-charset");
    try {
        import_document(path, bogus);
        FAIL() << "expected ImportError";
    } catch (const ImportError& e) {
        EXPECT_TRUE(QString::fromStdString(e.what()).contains(path));
        EXPECT_TRUE(QString::fromStdString(e.what()).contains("no-such-charset"));
    }
}

TEST(TextDecoding, DetectsGeneratedSamples) {
    EXPECT_EQ(detect_encoding(encode(kChinese, "GB18030")), "GB18030");
    EXPECT_EQ(detect_encoding(encode(kTraditional, "Big5")), "Big5");
    EXPECT_EQ(detect_encoding(encode(kWestern, "windows-1252")), "windows-1252");
    EXPECT_EQ(detect_encoding(
                  encode(QStringLiteral("caf\u00e9 na\u00efve, s\u00e9ance\n"), "ISO-8859-1")),
              "ISO-8859-1");
    EXPECT_EQ(detect_encoding(kChinese.toUtf8()), "UTF-8");
}

TEST(TextDecoding, UchardetKnowsOtherScripts) {
    // Text in the code pages of Cyrillic, Greek, Central European, Japanese and Korean
    // writing, which the rules for Chinese and Western European text took for
    // ISO-8859-1, windows-1252 or GB18030; each detected and decoded back exactly.
    const QString russian = QStringLiteral(
        "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива "
        "по-своему. Всё смешалось в доме Облонских.\n");
    const QString greek = QStringLiteral(
        "Όλες οι ευτυχισμένες οικογένειες μοιάζουν μεταξύ τους, κάθε δυστυχισμένη "
        "οικογένεια είναι δυστυχισμένη με τον δικό της τρόπο.\n");
    const QString polish = QStringLiteral(
        "Litwo! Ojczyzno moja! ty jesteś jak zdrowie. Ile cię trzeba cenić, ten tylko się "
        "dowie, kto cię stracił. Dziś piękność twą w całej ozdobie widzę i opisuję.\n");
    const QString japanese = QStringLiteral(
        "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした"
        "所でニャーニャー泣いていた事だけは記憶している。\n");
    const QString korean = QStringLiteral(
        "모든 행복한 가정은 서로 닮았지만, 불행한 가정은 모두 저마다의 이유로 불행하다. 오블론스키 "
        "집안은 모든 것이 뒤죽박죽이었다.\n");
    const struct {
        QString text;
        const char* written;
        const char* detected;
    } cases[] = {{russian, "windows-1251", "windows-1251"},
                 {russian, "KOI8-R", "KOI8-R"},
                 {greek, "ISO-8859-7", "ISO-8859-7"},
                 {polish, "windows-1250", "windows-1250"},
                 {polish, "ISO-8859-2", "ISO-8859-2"},
                 {japanese, "Shift_JIS", "Shift_JIS"},
                 {japanese, "EUC-JP", "EUC-JP"},
                 {korean, "EUC-KR", "windows-949"}};
    for (const auto& c : cases) {
        const QByteArray bytes = encode(c.text.repeated(3), c.written);
        EXPECT_EQ(detect_encoding(bytes), c.detected) << c.written;
        EXPECT_EQ(decode_text(bytes, detect_encoding(bytes)).text, c.text.repeated(3)) << c.written;
    }
}

TEST(TextDecoding, Utf16WithAndWithoutBom) {
    for (const char* name : {"UTF-16LE", "UTF-16BE"}) {
        const QByteArray body = encode(kWestern + kChinese, name);
        const QByteArray bom =
            QByteArray(name)[6] == 'L' ? QByteArray("\xFF\xFE", 2) : QByteArray("\xFE\xFF", 2);
        for (const QByteArray& bytes : {bom + body, body}) {
            const QString enc = detect_encoding(bytes);
            EXPECT_EQ(enc, name);
            EXPECT_TRUE(decode_text(bytes, enc).text == kWestern + kChinese) << name;
        }
    }
}

TEST(TextDecoding, Utf8BomIsDroppedAndLineEndsNormalised) {
    const QByteArray bytes =
        "\xEF\xBB\xBF"
        "one\r\ntwo\rthree\n";
    const DecodedText d = decode_text(bytes, detect_encoding(bytes));
    EXPECT_EQ(d.encoding, "UTF-8");
    EXPECT_EQ(d.text, "one\ntwo\nthree\n");
}

TEST(TextImport, InvalidUtf8DegradesWithAWarning) {
    QTemporaryDir dir;
    QByteArray bytes = kChinese.toUtf8().repeated(20);
    bytes.insert(100, "\xFF\xC3");  // a stray byte and a truncated sequence
    const Document doc = import_document(write_file(dir, "broken.txt", bytes));
    EXPECT_EQ(doc.encoding, "UTF-8");
    EXPECT_TRUE(doc.text.contains(QChar::ReplacementCharacter));
    ASSERT_EQ(doc.warnings.size(), 1);
}

TEST(TextImport, Utf8SequencesAcrossTheDetectionSliceBoundary) {
    // 3-byte characters over more than 1 MiB: some straddle the slices detection reads.
    QTemporaryDir dir;
    const QByteArray bytes = QStringLiteral("甲乙丙丁戊己庚辛壬癸\n").toUtf8().repeated(40000);
    const Document doc = import_document(write_file(dir, "big.txt", bytes));
    EXPECT_EQ(doc.encoding, "UTF-8");
    EXPECT_TRUE(doc.warnings.isEmpty());
}

TEST(MarkdownImport, HeadingsAndInlineMarkupBecomeText) {
    QTemporaryDir dir;
    const QByteArray md =
        "# Title\n\nSome **bold** and *em* text with a [link](http://x.y) and `code`.\n\n"
        "## Chapter 1 Beginnings\n\nText.\n\n<!-- hidden -->\n## Chapter 2\n\nMore.\n";
    const Document doc = import_document(write_file(dir, "notes.md", md));
    EXPECT_EQ(doc.format, DocumentFormat::Markdown);
    EXPECT_TRUE(doc.text.startsWith("Title\n"));
    EXPECT_TRUE(doc.text.contains("Some bold and em text with a link and code."));
    EXPECT_FALSE(doc.text.contains("hidden"));
    EXPECT_EQ(doc.count(StructureKind::Chapter), 2);
    EXPECT_EQ(doc.count(StructureKind::Title), 1);
    // Line numbers are those of the source file, comment line included.
    EXPECT_EQ(doc.position_of(doc.text.indexOf("Chapter 2")).line, 10);
}

TEST(MarkdownImport, SetextHeadingsAndCodeFences) {
    QTemporaryDir dir;
    const QByteArray md = "Overview\n========\n\ntext\n\n```\n# not a heading\n```\n";
    const Document doc = import_document(lltest::write_file(dir, "s.md", md));
    ASSERT_EQ(doc.outline.size(), 1);
    EXPECT_EQ(doc.outline[0].title, "Overview");
    EXPECT_TRUE(doc.text.contains("# not a heading"));
    EXPECT_EQ(doc.position_of(doc.text.indexOf("# not")).line, 7);
}

TEST(FormatSniffing, ContentDecidesNotTheExtension) {
    QTemporaryDir dir;
    // Markdown by its headings even when named .txt; text when named .pdf.
    const QString md = write_file(dir, "a.txt", "# One\n\ntext\n\n## Two\n\nx\n\n## Three\n");
    EXPECT_EQ(import_document(md).format, DocumentFormat::Markdown);
    const QString txt = write_file(dir, "b.pdf", "just some words\n");
    EXPECT_EQ(import_document(txt).format, DocumentFormat::PlainText);
}

TEST(TextLocation, LineAndColumn) {
    QTemporaryDir dir;
    const Document doc = import_document(write_file(dir, "l.txt", "ab\ncde\n\nf"));
    EXPECT_EQ(doc.position_of(0).line, 1);
    EXPECT_EQ(doc.position_of(4).line, 2);
    EXPECT_EQ(doc.position_of(4).column, 2);
    EXPECT_EQ(doc.position_of(8).line, 4);
    EXPECT_EQ(doc.position_of(8).column, 1);
    EXPECT_TRUE(doc.rects_for(0, 3).isEmpty());
    EXPECT_EQ(doc.page_of(1), -1);
}
