// Sentencepiece tokenizer: loaded from a tokenizer.model file, or rebuilt from the
// vocabulary a GGUF file carries (pieces, scores, token types, special ids), so that a
// GGUF model needs no side file.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ll {

// A vocabulary as GGUF stores it. Token types use sentencepiece's numbering
// (1 normal, 2 unknown, 3 control, 4 user defined, 5 unused, 6 byte).
struct Vocab {
    std::string model = "llama";  // tokenizer.ggml.model; "llama" is sentencepiece BPE
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;
    int32_t bos = 1;
    int32_t eos = 2;
    int32_t unk = 0;
    bool add_bos = true;
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Throws EngineError naming the file when it is missing or not a sentencepiece model.
    static std::unique_ptr<Tokenizer> from_file(const std::string& path);
    // `source` names where the vocabulary came from, for error messages. The model is
    // rebuilt with llama's normaliser (dummy prefix, every space kept), as llama.cpp uses
    // it; a tokenizer.model that removes extra spaces (stories260K's) encodes leading,
    // trailing and repeated spaces differently. Empty `scores` mean all 0 and empty `types`
    // are inferred (unk unknown, bos/eos control, "<0xNN>" byte, the rest normal), as a
    // GGUF may omit them. Throws EngineError for a tokenizer other than "llama", arrays of
    // mismatched lengths or special ids outside the vocabulary.
    static std::unique_ptr<Tokenizer> from_vocab(const Vocab& vocab, const std::string& source);

    // Token ids of `text`, without BOS (the caller adds it).
    virtual std::vector<int32_t> encode(std::string_view text) const = 0;
    // Text of a whole sequence, as sentencepiece decodes it (control tokens dropped).
    virtual std::string decode(std::span<const int32_t> ids) const = 0;
    // The bytes one token contributes in the middle of a stream: "▁" becomes a space,
    // byte tokens <0xNN> become that byte, control tokens nothing, the unknown token the
    // model's unk surface (" \u2047 "). decode, token_bytes and piece throw EngineError
    // for an id outside the vocabulary.
    virtual std::string token_bytes(int32_t id) const = 0;
    virtual std::string piece(int32_t id) const = 0;

    virtual int32_t vocab_size() const = 0;
    virtual int32_t bos() const = 0;
    virtual int32_t eos() const = 0;
    virtual int32_t unk() const = 0;
    virtual bool add_bos() const = 0;
};

// Turns a stream of generated token ids into text as it comes, emitting only complete
// UTF-8 characters (a character split over byte tokens is held back until whole) and
// dropping the leading space of the first piece as sentencepiece's decode does.
class TokenStreamDecoder {
public:
    explicit TokenStreamDecoder(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
    std::string push(int32_t id);  // text that became complete with this token
    std::string finish();          // whatever is still held back (invalid bytes as U+FFFD)

private:
    // Emits the complete characters of pending_; with `final`, an incomplete tail too,
    // one U+FFFD per byte.
    std::string drain(bool final);

    const Tokenizer& tokenizer_;
    std::string pending_;  // bytes of a character not complete yet
    bool at_start_ = true;
};

}  // namespace ll
