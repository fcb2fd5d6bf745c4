// GPT-2's byte-level alphabet: every byte is written as one printable Unicode character, so
// that a vocabulary of strings can hold any byte sequence. Bytes that are printable Latin-1
// ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 take U+0100 onwards in
// byte order (the space is 'Ġ' U+0120, the newline 'Ċ' U+010A).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace ll {

// UTF-8 of the character that stands for each byte.
const std::array<std::string, 256>& byte_level_chars();

// The bytes a token's text stands for; nullopt when it holds a character outside the
// alphabet (such a token is not a byte-level one).
std::optional<std::string> byte_level_decode(std::string_view token_text);

// The token text of raw bytes (each byte replaced by its character).
std::string byte_level_encode(std::string_view bytes);

}  // namespace ll
