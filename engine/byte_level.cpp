#include "byte_level.h"

#include <cstdint>

namespace ll {
namespace {

bool stands_for_itself(int byte) {
    return (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) ||
           (byte >= 0xAE && byte <= 0xFF);
}

std::string utf8_of(uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s.push_back(static_cast<char>(cp));
    } else {  // the alphabet stays below U+0800: two bytes
        s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    return s;
}

struct Alphabet {
    std::array<std::string, 256> chars;
    std::array<int16_t, 0x200> byte_of_cp;  // code point -> byte, -1 when not in the alphabet

    Alphabet() {
        byte_of_cp.fill(-1);
        uint32_t next = 0x100;
        for (int b = 0; b < 256; ++b) {
            const uint32_t cp = stands_for_itself(b) ? static_cast<uint32_t>(b) : next++;
            chars[static_cast<size_t>(b)] = utf8_of(cp);
            byte_of_cp[cp] = static_cast<int16_t>(b);
        }
    }
};

const Alphabet& alphabet() {
    static const Alphabet a;
    return a;
}

}  // namespace

const std::array<std::string, 256>& byte_level_chars() {
    return alphabet().chars;
}

std::optional<std::string> byte_level_decode(std::string_view text) {
    const Alphabet& a = alphabet();
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const auto b0 = static_cast<uint8_t>(text[i]);
        uint32_t cp = 0;
        if (b0 < 0x80) {
            cp = b0;
            i += 1;
        } else if ((b0 & 0xE0) == 0xC0 && i + 1 < text.size() &&
                   (static_cast<uint8_t>(text[i + 1]) & 0xC0) == 0x80) {
            cp = ((b0 & 0x1Fu) << 6) | (static_cast<uint8_t>(text[i + 1]) & 0x3Fu);
            i += 2;
        } else {
            return std::nullopt;  // three-byte characters and beyond are not in the alphabet
        }
        if (cp >= a.byte_of_cp.size() || a.byte_of_cp[cp] < 0) return std::nullopt;
        out.push_back(static_cast<char>(a.byte_of_cp[cp]));
    }
    return out;
}

std::string byte_level_encode(std::string_view bytes) {
    const auto& chars = alphabet().chars;
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) out += chars[static_cast<uint8_t>(c)];
    return out;
}

}  // namespace ll
