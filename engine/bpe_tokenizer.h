// Byte-level BPE (GPT-2 style, as Llama 3, Qwen and most recent models use): text is cut
// into added tokens and plain runs; plain runs are normalised, split into words by the
// pre-tokenizer's regexes, written in the byte-level alphabet (byte_level.h), and each
// word's bytes are merged pair by pair in the order of the merge list. Decoding maps the
// alphabet back to bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pretokenizer.h"
#include "tokenizer.h"

namespace ll {

// A token found in text before the BPE model sees it (HF added_tokens, GGUF control and
// user-defined tokens). Special ones are parsed only with SpecialTokens::Parse and decode
// to nothing by default; the others are always parsed and decode to their content.
struct AddedToken {
    std::string content;
    int32_t id = -1;
    bool special = true;
    bool lstrip = false;       // takes the whitespace before it
    bool rstrip = false;       // takes the whitespace after it
    bool single_word = false;  // only between word boundaries
};

struct BpeSpec {
    // Text of every token by id, model tokens in the byte-level alphabet. An id no token
    // uses is an empty string (it decodes to nothing).
    std::vector<std::string> tokens;
    std::vector<std::pair<std::string, std::string>> merges;  // highest priority first
    std::vector<AddedToken> added;  // ids into `tokens`; their text is content
    std::vector<int32_t> unused;    // ids that are neither model nor added tokens
    PretokenizerSpec pre;
    bool ignore_merges = false;
    int32_t bos = -1;  // -1: none
    int32_t eos = -1;
    int32_t eot = -1;
    bool add_bos = false;
};

// Throws EngineError naming `source` for merges that name unknown tokens, ids out of
// range, duplicate tokens, a missing byte token, or a regex PCRE2 rejects.
std::unique_ptr<Tokenizer> make_bpe_tokenizer(const BpeSpec& spec, const std::string& source);

// A GGUF vocabulary with tokenizer.ggml.model "gpt2": token types 3 (control) are special
// added tokens, 4 (user defined) plain added tokens, 5 (unused) neither; `pre` names the
// pre-tokenizer (an unknown name is refused, naming it); an empty one is llama.cpp's
// "default".
std::unique_ptr<Tokenizer> bpe_tokenizer_from_vocab(const Vocab& vocab, const std::string& source);

}  // namespace ll
