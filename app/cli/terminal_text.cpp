#include "terminal_text.h"

#include <cstdio>

namespace ll::cli {

std::string terminal_text(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    char escape[8];
    for (size_t i = 0; i < in.size(); ++i) {
        const auto c = static_cast<unsigned char>(in[i]);
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
            std::snprintf(escape, sizeof escape, "\\x%02X", c);
            out += escape;
        } else if (c == 0xC2 && i + 1 < in.size() &&
                   static_cast<unsigned char>(in[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(in[i + 1]) <= 0x9F) {
            // U+0080..U+009F in UTF-8: C1 controls (U+009B is CSI, as ESC [ is)
            std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned char>(in[++i]));
            out += escape;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

QByteArray terminal_text(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    const std::string escaped =
        terminal_text(std::string_view(utf8.constData(), size_t(utf8.size())));
    return QByteArray(escaped.data(), qsizetype(escaped.size()));
}

}  // namespace ll::cli
