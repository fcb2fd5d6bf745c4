// How byte-level BPE cuts text into words before merging: Unicode normalisation, then a
// sequence of regular expressions, each splitting every piece the previous one left into
// its matches and the text between them (HF's Split with behaviour "Isolated"; llama.cpp
// applies its lists of expressions the same way). The expressions use Unicode properties
// and look-ahead, so they run on PCRE2 (UTF + UCP, JIT-compiled).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ll {

enum class Normalization { None, NFC, NFD, NFKC, NFKD };

// Everything a pre-tokenizer is made of.
struct PretokenizerSpec {
    std::string name;  // "llama-bpe", "qwen2", ... or "tokenizer.json"
    Normalization normalization = Normalization::None;
    std::vector<std::string> regexes;  // applied in order
    bool prefix_space = false;         // HF ByteLevel add_prefix_space: " " before a text
    // Pre-tokenizer-specific defaults llama.cpp applies to GGUF vocabularies.
    bool ignore_merges = false;  // a word that is a whole token is not merged
    bool add_bos = false;
};

// The pre-tokenizer a GGUF's tokenizer.ggml.pre names, nullopt for a name not known here.
// The regexes are those of the models' tokenizer.json files (as llama.cpp lists them);
// "qwen2" also normalises to NFC as Qwen's tokenizer.json does.
std::optional<PretokenizerSpec> pretokenizer_for_gguf(std::string_view pre);

// Every tokenizer.ggml.pre name pretokenizer_for_gguf knows.
std::vector<std::string> known_pretokenizer_names();

// The name of the known pre-tokenizer with exactly these regexes, or "custom".
std::string pretokenizer_name(const std::vector<std::string>& regexes);

// GPT-2's own expression (HF ByteLevel with use_regex).
extern const char* const kGpt2Regex;

// `text` in the given normal form; text that is not valid UTF-8 comes back unchanged.
std::string normalize_text(std::string_view text, Normalization form);

// Compiled expressions; splitting is thread-safe.
class RegexSplitter {
  public:
    // Throws EngineError naming `source` and the expression for a regex PCRE2 rejects.
    RegexSplitter(const std::vector<std::string>& regexes, const std::string& source);
    ~RegexSplitter();
    RegexSplitter(const RegexSplitter&) = delete;
    RegexSplitter& operator=(const RegexSplitter&) = delete;

    // The words of `text`, in order, covering it exactly (views into `text`).
    std::vector<std::string_view> split(std::string_view text) const;

  private:
    struct Compiled;
    std::vector<std::unique_ptr<Compiled>> compiled_;
    std::string source_;
};

}  // namespace ll
