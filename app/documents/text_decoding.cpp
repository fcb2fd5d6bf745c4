#include "text_decoding.h"

#include <QStringDecoder>

#include <uchardet.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "app_error.h"

namespace ll {

namespace {

bool starts_with(const QByteArray& b, const char* prefix, int n) {
    return b.size() >= n && std::memcmp(b.constData(), prefix, size_t(n)) == 0;
}

// UTF-16 without a BOM: Latin and CJK text alike put a zero in one byte of most code
// units of ASCII characters, and never in the other.
QString sniff_utf16(const QByteArray& b) {
    const qsizetype n = std::min<qsizetype>(b.size() & ~qsizetype(1), 4096);
    if (n < 4) return {};
    qsizetype even = 0, odd = 0;
    for (qsizetype i = 0; i < n; i += 2) {
        even += b[i] == 0;
        odd += b[i + 1] == 0;
    }
    // Zeros crowd into one byte position; CJK code units such as U+3000 or U+4E00 put a
    // few into the other, so compare the two rather than expect none.
    const qsizetype units = n / 2;
    if (odd > units / 8 && even * 8 < odd) return QStringLiteral("UTF-16LE");
    if (even > units / 8 && odd * 8 < even) return QStringLiteral("UTF-16BE");
    return {};
}

bool is_strict_utf8(const QByteArray& b) {
    QStringDecoder d(QStringDecoder::Utf8);  // stateful: sequences may straddle slices
    // Decode in slices so a multi-megabyte file does not need a second full-size copy.
    constexpr qsizetype kChunk = 1 << 20;
    for (qsizetype i = 0; i < b.size(); i += kChunk) {
        const QString part = d.decode(QByteArrayView(b).sliced(i, std::min(kChunk, b.size() - i)));
        Q_UNUSED(part);  // decoding is lazy; the conversion above is what sets hasError()
        if (d.hasError()) return false;
    }
    return true;
}

// How a sample decodes under a CJK candidate: errors weigh heavily; frequent Han
// characters (shared by simplified and traditional text) and CJK punctuation count in
// favour. A wrong double-byte guess produces rare characters and errors.
int cjk_score(const QByteArray& sample, const char* name) {
    QStringDecoder d(name);
    if (!d.isValid()) return -1000000;
    const QString s = d.decode(sample);
    static const QString kCommon = QStringLiteral(
        "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年"
        "过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心"
        "她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间"
        "由"
        "问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世"
        "位"
        "次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神"
        "总"
        "何電們這個來說時會對過發後裡學現當動進還點說");
    int score = d.hasError() ? -10000 : 0;
    for (QChar c : s) {
        if (c == QChar::ReplacementCharacter)
            score -= 50;
        else if (kCommon.contains(c))
            score += 3;
        else if (c.unicode() >= 0x3000 && c.unicode() <= 0x303F)
            score += 2;  // 。、「」
        else if (c.unicode() >= 0xFF00 && c.unicode() <= 0xFFEF)
            score += 1;  // ，！？
        else if (c.unicode() >= 0xE000 && c.unicode() <= 0xF8FF)
            score -= 20;  // private use
    }
    return score;
}

bool has_c1_bytes(const QByteArray& b) {
    for (char c : b)
        if (uchar(c) >= 0x80 && uchar(c) <= 0x9F) return true;
    return false;
}

// Western single-byte text: high bytes mostly stand alone between ASCII bytes.
bool high_bytes_stand_alone(const QByteArray& b) {
    qsizetype high = 0, alone = 0;
    for (qsizetype i = 0; i < b.size(); ++i) {
        if (uchar(b[i]) < 0x80) continue;
        ++high;
        const bool prev_ascii = i == 0 || uchar(b[i - 1]) < 0x80;
        const bool next_ascii = i + 1 == b.size() || uchar(b[i + 1]) < 0x80;
        alone += prev_ascii && next_ascii;
    }
    return high > 0 && alone * 10 >= high * 6;
}

}  // namespace

namespace {

// uchardet's guess for a sample, under the names the rest of LongLens uses for the
// encodings it knew before ("WINDOWS-1252" → "windows-1252", "BIG5" → "Big5"); empty
// when it has none, calls the bytes ASCII or UTF-8 (decided here already), or names an
// encoding ICU cannot decode.
QString uchardet_guess(const QByteArray& sample) {
    const std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> detector(
        uchardet_new(), uchardet_delete);
    if (!detector ||
        uchardet_handle_data(detector.get(), sample.constData(), size_t(sample.size())) != 0)
        return {};
    uchardet_data_end(detector.get());
    QString name = QString::fromLatin1(uchardet_get_charset(detector.get()));
    if (name.isEmpty() || name == QLatin1String("ASCII") || name == QLatin1String("UTF-8"))
        return {};
    if (name.startsWith(QLatin1String("WINDOWS-"))) name = name.toLower();
    if (name == QLatin1String("BIG5")) name = QStringLiteral("Big5");
    if (name == QLatin1String("SHIFT_JIS")) name = QStringLiteral("Shift_JIS");
    // Unified Hangul Code is Windows' Korean code page, which ICU knows by its number.
    if (name == QLatin1String("UHC")) name = QStringLiteral("windows-949");
    if (!QStringDecoder(name.toLatin1().constData()).isValid()) return {};
    return name;
}

}  // namespace

QString detect_encoding(const QByteArray& bytes) {
    if (starts_with(bytes, "\xEF\xBB\xBF", 3)) return QStringLiteral("UTF-8");
    if (starts_with(bytes, "\xFF\xFE", 2)) return QStringLiteral("UTF-16LE");
    if (starts_with(bytes, "\xFE\xFF", 2)) return QStringLiteral("UTF-16BE");
    if (const QString u16 = sniff_utf16(bytes); !u16.isEmpty()) return u16;
    if (is_strict_utf8(bytes)) return QStringLiteral("UTF-8");
    // UTF-8 with a few broken bytes decodes better as UTF-8 than as anything else.
    const QByteArray sample = bytes.left(256 * 1024);
    {
        QStringDecoder u8(QStringDecoder::Utf8);
        const QString s = u8.decode(sample);
        qsizetype decoded = 0, broken = 0;
        for (QChar c : s) {
            broken += c == QChar::ReplacementCharacter;
            decoded += c.unicode() >= 0x80 && c != QChar::ReplacementCharacter;
        }
        if (broken * 20 < decoded) return QStringLiteral("UTF-8");  // under 5 % broken
    }
    // uchardet knows the single- and double-byte encodings of many languages (Cyrillic,
    // Greek, Central European, Japanese, Korean …), where the rules below only tell
    // Chinese from Western European text.
    if (const QString guess = uchardet_guess(sample); !guess.isEmpty()) return guess;
    if (high_bytes_stand_alone(bytes))
        return has_c1_bytes(bytes) ? QStringLiteral("windows-1252") : QStringLiteral("ISO-8859-1");
    // Mostly paired high bytes: a CJK double-byte encoding, decided on a sample.
    const int gb = cjk_score(sample, "GB18030");
    const int big5 = cjk_score(sample, "Big5");
    if (std::max(gb, big5) > 0)
        return gb >= big5 ? QStringLiteral("GB18030") : QStringLiteral("Big5");
    return has_c1_bytes(bytes) ? QStringLiteral("windows-1252") : QStringLiteral("ISO-8859-1");
}

DecodedText decode_text(const QByteArray& bytes, const QString& encoding) {
    QStringDecoder decoder(encoding.toLatin1().constData(), QStringDecoder::Flag::Stateless);
    if (!decoder.isValid())
        throw AppError(QStringLiteral("encoding"),
                       QStringLiteral("unknown encoding '%1'").arg(encoding));
    QByteArrayView view(bytes);
    // Strip the BOM of the named encoding; QStringDecoder keeps it for some names.
    if (encoding.startsWith(QLatin1String("UTF-8"), Qt::CaseInsensitive) &&
        starts_with(bytes, "\xEF\xBB\xBF", 3))
        view = view.sliced(3);
    if (encoding.startsWith(QLatin1String("UTF-16"), Qt::CaseInsensitive) &&
        (starts_with(bytes, "\xFF\xFE", 2) || starts_with(bytes, "\xFE\xFF", 2)))
        view = view.sliced(2);
    DecodedText out;
    out.text = decoder.decode(view);
    if (!out.text.isEmpty() && out.text[0] == QChar(0xFEFF)) out.text.remove(0, 1);
    out.invalid = decoder.hasError() ? out.text.count(QChar::ReplacementCharacter) : 0;
    out.text = normalise_line_ends(std::move(out.text));
    out.encoding = encoding;
    return out;
}

QString normalise_line_ends(QString text) {
    if (!text.contains(QLatin1Char('\r')) && !text.contains(QChar(0))) return text;
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\r')) {
            out.append(QLatin1Char('\n'));
            if (i + 1 < text.size() && text[i + 1] == QLatin1Char('\n')) ++i;
        } else if (c != QChar(0)) {
            out.append(c);
        }
    }
    return out;
}

bool looks_binary(const QByteArray& bytes, const QString& encoding) {
    if (encoding.startsWith(QLatin1String("UTF-16"))) return false;
    const qsizetype n = std::min<qsizetype>(bytes.size(), 64 * 1024);
    qsizetype control = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const uchar c = uchar(bytes[i]);
        if (c == 0) return true;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B) ++control;
    }
    return control * 100 > n;  // more than 1 % control bytes
}

}  // namespace ll
