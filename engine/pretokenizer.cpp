#include "pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

#include "error.h"

namespace ll {

const char* const kGpt2Regex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

namespace {

// The expressions real files use, as facts: each model's tokenizer.json (and llama.cpp's
// lists for the names GGUF files carry).
const char* const kLlama3Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kQwen2Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// GPT-2's expression without the final \s+ alternative, as llama.cpp lists it for the
// StarCoder/Falcon families (a lone whitespace left over becomes its own piece anyway).
const char* const kGpt2CoreRegex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))";
const char* const kCjkRun = R"([一-龥ࠀ-一가-퟿]+)";
const char* const kBloomRegex = R"( ?[^(\s|.,!?…。，、।۔،)]+)";

struct Named {
    std::vector<std::string> names;  // (an initializer_list member would dangle)
    PretokenizerSpec spec;
};

std::vector<Named> make_known_pretokenizers() {
    using N = Normalization;
    return {
        {{"llama3", "llama-v3", "llama-bpe", "falcon3"},
         {"llama-bpe", N::None, {kLlama3Regex}, false, true, true}},
        {{"dbrx", "smaug-bpe", "chatglm-bpe"}, {"llama-bpe", N::None, {kLlama3Regex}}},
        {{"qwen2", "deepseek-r1-qwen"}, {"qwen2", N::NFC, {kQwen2Regex}}},
        {{"stablelm2", "megrez"}, {"qwen2", N::None, {kQwen2Regex}}},
        {{"gpt-2", "phi-2", "roberta-bpe", "jina-es", "jina-de", "jina-v1-en", "jina-v2-es",
          "jina-v2-de", "jina-v2-code", "gigachat", "mpt", "olmo", "jais"},
         {"gpt-2", N::None, {kGpt2CoreRegex}}},
        {{"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"},
         {"starcoder", N::None, {R"(\p{N})", kGpt2CoreRegex}}},
        {{"falcon"},
         {"falcon", N::None, {R"([\p{P}\$\+<=>\^~\|`]+)", kGpt2CoreRegex, "[0-9][0-9][0-9]"}}},
        {{"default"},
         {"default",
          N::None,
          {R"([\p{P}\$\+<=>\^~\|]+)", kGpt2CoreRegex, R"(\p{N}+)", "[0-9][0-9][0-9]"}}},
        {{"deepseek-llm"},
         {"deepseek-llm",
          N::None,
          {R"([\r\n])",
           R"(\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+)",
           R"(\s?[!-/:-~！-／：-～‘-‟　-。]+)", R"(\s+$)", R"([一-龥ࠀ-一가-퟿]+)",
           R"(\p{N}+)"}}},
        {{"deepseek-coder"},
         {"deepseek-coder",
          N::None,
          {R"([\r\n])", R"(\s?\p{L}+)", R"(\s?\p{P}+)", kCjkRun, R"(\p{N})"}}},
        {{"deepseek-v3"},
         {"deepseek-v3",
          N::None,
          {R"(\p{N}{1,3})", R"([一-龥぀-ゟ゠-ヿ]+)",
           R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"}}},
        {{"poro-chat", "bloom", "gpt3-finnish"}, {"bloom", N::None, {kBloomRegex}}},
        {{"viking"}, {"viking", N::None, {kBloomRegex, R"(\p{N})"}}},
        {{"tekken"},
         {"tekken",
          N::None,
          {R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)"},
          false,
          true,
          true}},
    };
}

const std::vector<Named>& known_pretokenizers() {
    static const std::vector<Named> known = make_known_pretokenizers();
    return known;
}

}  // namespace

std::optional<PretokenizerSpec> pretokenizer_for_gguf(std::string_view pre) {
    for (const Named& n : known_pretokenizers())
        for (const std::string& name : n.names)
            if (pre == name) return n.spec;
    return std::nullopt;
}

std::vector<std::string> known_pretokenizer_names() {
    std::vector<std::string> names;
    for (const Named& n : known_pretokenizers())
        names.insert(names.end(), n.names.begin(), n.names.end());
    return names;
}

std::string pretokenizer_name(const std::vector<std::string>& regexes) {
    for (const Named& n : known_pretokenizers())
        if (n.spec.regexes == regexes) return n.spec.name;
    return "custom";
}

std::string normalize_text(std::string_view text, Normalization form) {
    if (form == Normalization::None || text.empty()) return std::string(text);
    int options = UTF8PROC_STABLE;
    switch (form) {
        case Normalization::NFC:
            options |= UTF8PROC_COMPOSE;
            break;
        case Normalization::NFD:
            options |= UTF8PROC_DECOMPOSE;
            break;
        case Normalization::NFKC:
            options |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
            break;
        case Normalization::NFKD:
            options |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
            break;
        case Normalization::None:
            break;
    }
    utf8proc_uint8_t* out = nullptr;
    const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                            static_cast<utf8proc_ssize_t>(text.size()), &out,
                                            static_cast<utf8proc_option_t>(options));
    if (n < 0) return std::string(text);  // not valid UTF-8: bytes are tokenized as they are
    std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
    std::free(out);
    return result;
}

struct RegexSplitter::Compiled {
    pcre2_code* code = nullptr;
    ~Compiled() { pcre2_code_free(code); }
};

RegexSplitter::RegexSplitter(const std::vector<std::string>& regexes, const std::string& source)
    : source_(source) {
    for (const std::string& re : regexes) {
        int error = 0;
        PCRE2_SIZE offset = 0;
        // MATCH_INVALID_UTF: text that is not valid UTF-8 is matched around, not refused.
        auto c = std::make_unique<Compiled>();
        c->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.data()), re.size(),
                                PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &error, &offset,
                                nullptr);
        if (!c->code) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(error, message, sizeof message);
            throw EngineError(source, "bad pre-tokenizer regex \"" + re + "\" at offset " +
                                          std::to_string(offset) + ": " +
                                          reinterpret_cast<const char*>(message));
        }
        // JIT is an optimisation: without it (no executable memory) matching still works.
        pcre2_jit_compile(c->code, PCRE2_JIT_COMPLETE);
        compiled_.push_back(std::move(c));
    }
}

RegexSplitter::~RegexSplitter() = default;

namespace {

// Bytes in the UTF-8 character that starts with `lead` (1 for a stray byte).
size_t char_length(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

struct MatchData {
    pcre2_match_data* data;
    pcre2_match_context* context;
    pcre2_jit_stack* stack;
    explicit MatchData(const pcre2_code* code)
        : data(pcre2_match_data_create_from_pattern(code, nullptr)),
          context(pcre2_match_context_create(nullptr)),
          // Long runs of one class (a chapter of CJK) need more than the 32 KiB default.
          stack(pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, nullptr)) {
        pcre2_jit_stack_assign(context, nullptr, stack);
    }
    ~MatchData() {
        pcre2_jit_stack_free(stack);
        pcre2_match_context_free(context);
        pcre2_match_data_free(data);
    }
};

}  // namespace

std::vector<std::string_view> RegexSplitter::split(std::string_view text) const {
    std::vector<std::string_view> pieces{text};
    if (text.empty()) return {};
    for (const auto& c : compiled_) {
        MatchData md(c->code);
        std::vector<std::string_view> next;
        next.reserve(pieces.size() * 2);
        for (const std::string_view piece : pieces) {
            const auto* subject = reinterpret_cast<PCRE2_SPTR>(piece.data());
            size_t gap = 0;   // start of text not yet emitted
            size_t from = 0;  // where the next search starts
            while (from < piece.size()) {
                const int rc =
                    pcre2_match(c->code, subject, piece.size(), from, 0, md.data, md.context);
                if (rc == PCRE2_ERROR_NOMATCH) break;
                if (rc < 0) {
                    PCRE2_UCHAR message[256];
                    pcre2_get_error_message(rc, message, sizeof message);
                    throw EngineError(source_, std::string("pre-tokenizer regex failed: ") +
                                                   reinterpret_cast<const char*>(message));
                }
                const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.data);
                const size_t begin = ov[0], end = ov[1];
                if (end == begin) {  // an empty match is no split point: search on after it
                    from = begin + char_length(static_cast<unsigned char>(piece[begin]));
                    continue;
                }
                if (begin > gap) next.push_back(piece.substr(gap, begin - gap));
                next.push_back(piece.substr(begin, end - begin));
                gap = from = end;
            }
            if (gap < piece.size()) next.push_back(piece.substr(gap));
        }
        pieces = std::move(next);
    }
    return pieces;
}

}  // namespace ll
