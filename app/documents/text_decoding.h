// Bytes → text for plain-text formats: which encoding the bytes are in (BOM, UTF-16
// without BOM, strict or nearly UTF-8, then uchardet's guess, then GB18030 / Big5 /
// Windows-1252 / Latin-1 by how the high bytes pair up and which characters they decode
// to) and line-end normalisation.
#pragma once

#include <QByteArray>
#include <QString>

namespace ll {

struct DecodedText {
    QString text;           // no BOM; CRLF and CR turned into LF
    QString encoding;       // canonical name: UTF-8, UTF-16LE, UTF-16BE, GB18030, Big5,
                            // windows-1252, ISO-8859-1, or uchardet's (KOI8-R, Shift_JIS …)
    qsizetype invalid = 0;  // byte sequences that did not decode (replaced by U+FFFD)
};

// Best guess for `bytes`. Never fails: anything decodes as Windows-1252 at worst.
QString detect_encoding(const QByteArray& bytes);
// Decodes with a named encoding (any name ICU knows); throws AppError for an
// unknown name.
DecodedText decode_text(const QByteArray& bytes, const QString& encoding);
// LF only, and no U+0000 (some viewers stop there).
QString normalise_line_ends(QString text);
// True when the bytes look like a binary file rather than text in some encoding.
bool looks_binary(const QByteArray& bytes, const QString& encoding);

}  // namespace ll
