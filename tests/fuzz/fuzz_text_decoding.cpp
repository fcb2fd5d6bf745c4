// Text decoding: encoding detection, decoding and the binary test on any bytes (the text
// importer's first steps) never crash or hang.
#include <QByteArray>

#include <cstdint>

#include "documents/text_decoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const QString encoding = ll::detect_encoding(bytes);
    (void)ll::looks_binary(bytes, encoding);
    try {
        const ll::DecodedText text = ll::decode_text(bytes, encoding);
        (void)ll::normalise_line_ends(text.text);
    } catch (const std::exception&) {  // AppError for an encoding Qt does not know
    }
    return 0;
}
