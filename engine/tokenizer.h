// The tokenizer interface and its two kinds: sentencepiece (a tokenizer.model file, or
// rebuilt from the vocabulary a GGUF file carries: pieces, scores, token types, special
// ids) and byte-level BPE (GPT-2 style, as Llama 3 and Qwen use; bpe_tokenizer.h), loaded
// from a GGUF vocabulary (tokenizer.ggml.model "gpt2") or an HF tokenizer.json.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ll {

// A vocabulary as GGUF stores it. Token types use sentencepiece's numbering
// (1 normal, 2 unknown, 3 control, 4 user defined, 5 unused, 6 byte).
struct Vocab {
    std::string model = "llama";  // tokenizer.ggml.model; "llama" is sentencepiece BPE,
                                  // "gpt2" byte-level BPE
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;
    std::vector<std::string> merges;  // "gpt2" only: "left right", highest priority first
    std::string pre;                  // "gpt2" only: tokenizer.ggml.pre (pre-tokenizer name)
    int32_t bos = 1;
    int32_t eos = 2;
    int32_t unk = 0;
    int32_t eot = -1;  // tokenizer.ggml.eot_token_id, -1 when the file has none
    bool add_bos = true;
};

// Whether special tokens written inside a text are read as those tokens. Only prompts we
// build parse them; document text never does, so a document that contains
// "<|im_start|>" is tokenized as those characters.
enum class SpecialTokens { AsText, Parse };

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
    // A vocabulary with model "gpt2" becomes a byte-level BPE tokenizer (see
    // bpe_tokenizer.h for what it needs).
    static std::unique_ptr<Tokenizer> from_vocab(const Vocab& vocab, const std::string& source);
    // A byte-level BPE tokenizer from an HF tokenizer.json and, when it exists, the
    // tokenizer_config.json beside it (bos/eos, add_bos_token). Defined in
    // hf_tokenizer_json.cpp.
    static std::unique_ptr<Tokenizer> from_hf_json(const std::string& tokenizer_json,
                                                   const std::string& tokenizer_config);

    // Token ids of `text`, without BOS (the caller adds it per add_bos()). With
    // SpecialTokens::Parse, control/special tokens written in the text become those tokens;
    // with AsText they are tokenized as plain characters.
    virtual std::vector<int32_t> encode(std::string_view text,
                                        SpecialTokens special = SpecialTokens::AsText) const = 0;
    // Text of a whole sequence (control/special tokens dropped, or written out as their
    // text with `show_special`).
    virtual std::string decode(std::span<const int32_t> ids, bool show_special = false) const = 0;
    // The bytes one token contributes in the middle of a stream: "▁" becomes a space,
    // byte tokens <0xNN> become that byte, control tokens nothing, the unknown token the
    // model's unk surface (" \u2047 "). decode, token_bytes and piece throw EngineError
    // for an id outside the vocabulary.
    virtual std::string token_bytes(int32_t id) const = 0;
    virtual std::string piece(int32_t id) const = 0;
    // The id of the token whose text is `text` exactly (e.g. "<|eot_id|>"), nullopt when
    // the vocabulary has none.
    virtual std::optional<int32_t> find_token(std::string_view text) const = 0;
    // Whether `id` is a control/special token (decodes to nothing by default).
    virtual bool is_special(int32_t id) const = 0;
    // "sentencepiece" or "byte-level BPE (<pre-tokenizer>)", for the effective configuration.
    virtual std::string kind() const = 0;

    virtual int32_t vocab_size() const = 0;
    virtual int32_t bos() const = 0;
    virtual int32_t eos() const = 0;
    virtual int32_t unk() const = 0;  // -1 when the vocabulary has none (byte-level BPE)
    virtual bool add_bos() const = 0;
    // End of turn (Llama 3's <|eot_id|>), -1 when the vocabulary names none.
    virtual int32_t eot() const { return -1; }
};

// Turns a stream of generated token ids into text as it comes, emitting only complete
// UTF-8 characters (a character split over byte tokens is held back until whole) and, for
// sentencepiece only, dropping the leading space of the first piece as its decode does
// (byte-level BPE keeps every space).
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
