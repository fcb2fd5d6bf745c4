#include "tokenizer.h"

#include <sentencepiece_processor.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "bpe_tokenizer.h"
#include "error.h"
#include "mapped_file.h"
#include "sentencepiece_proto.h"

namespace ll {
namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581, sentencepiece's space
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Sentencepiece token types, as Vocab::types numbers them.
constexpr int32_t kTypeNormal = 1;
constexpr int32_t kTypeUnknown = 2;
constexpr int32_t kTypeControl = 3;
constexpr int32_t kTypeByte = 6;

// How sentencepiece's decode treats the space that starts the first piece: it drops it
// when the normaliser adds a dummy prefix or removes extra whitespace, and with the latter
// it keeps dropping until some text has come out.
struct DecodeRules {
    bool strip_first_space = true;
    bool strip_until_text = false;
};

struct Specials {
    int32_t bos = -1;
    int32_t eos = -1;
    int32_t unk = -1;
    bool add_bos = true;
};

std::string replace_space_symbols(std::string_view piece) {
    std::string out;
    out.reserve(piece.size());
    for (size_t i = 0; i < piece.size();) {
        if (piece.substr(i, kSpaceSymbol.size()) == kSpaceSymbol) {
            out.push_back(' ');
            i += kSpaceSymbol.size();
        } else {
            out.push_back(piece[i++]);
        }
    }
    return out;
}

// The byte a "<0xNN>" piece stands for.
char byte_of_piece(const std::string& piece) {
    return static_cast<char>(std::stoi(piece.substr(3, 2), nullptr, 16));
}

class SentencePieceTokenizer final : public Tokenizer {
  public:
    SentencePieceTokenizer(std::string source,
                           std::unique_ptr<sentencepiece::SentencePieceProcessor> sp,
                           Specials specials, DecodeRules rules)
        : source_(std::move(source)), sp_(std::move(sp)), specials_(specials), rules_(rules) {
        build_token_bytes();
    }

    std::vector<int32_t> encode(std::string_view text, SpecialTokens special) const override {
        if (special == SpecialTokens::AsText) return encode_plain(text);
        // Control pieces written in the text become those tokens; the text between them is
        // encoded on its own (each part gets the dummy prefix, as Llama 2's legacy
        // tokenizer does after a special token).
        std::vector<int32_t> out;
        size_t from = 0;
        for (size_t at = 0; at < text.size();) {
            const auto [id, length] = control_piece_at(text, at);
            if (length == 0) {
                ++at;
                continue;
            }
            append(out, encode_plain(text.substr(from, at - from)));
            out.push_back(id);
            at += length;
            from = at;
        }
        append(out, encode_plain(text.substr(from)));
        return out;
    }

    std::string decode(std::span<const int32_t> ids, bool show_special) const override {
        for (const int32_t id : ids) check_id(id);
        if (!show_special) return decode_plain(ids);
        std::string text;
        size_t from = 0;
        for (size_t i = 0; i < ids.size(); ++i) {
            if (!sp_->IsControl(ids[i])) continue;
            text += decode_plain(ids.subspan(from, i - from)) + sp_->IdToPiece(ids[i]);
            from = i + 1;
        }
        return text + decode_plain(ids.subspan(from));
    }

    std::string token_bytes(int32_t id) const override {
        check_id(id);
        return token_bytes_[static_cast<size_t>(id)];
    }

    std::string piece(int32_t id) const override {
        check_id(id);
        return sp_->IdToPiece(id);
    }

    std::optional<int32_t> find_token(std::string_view text) const override {
        const int id = sp_->PieceToId(text);
        if (id < 0 || id >= vocab_size() || sp_->IdToPiece(id) != text) return std::nullopt;
        return id;
    }

    bool is_special(int32_t id) const override {
        check_id(id);
        return sp_->IsControl(id);
    }

    std::string kind() const override { return "sentencepiece"; }

    int32_t vocab_size() const override { return static_cast<int32_t>(token_bytes_.size()); }
    int32_t bos() const override { return specials_.bos; }
    int32_t eos() const override { return specials_.eos; }
    int32_t unk() const override { return specials_.unk; }
    bool add_bos() const override { return specials_.add_bos; }

    const DecodeRules& decode_rules() const { return rules_; }

  private:
    std::vector<int32_t> encode_plain(std::string_view text) const {
        std::vector<int> ids;
        const auto status = sp_->Encode(text, &ids);
        if (!status.ok()) throw EngineError(source_, "cannot encode text: " + status.ToString());
        return {ids.begin(), ids.end()};
    }

    std::string decode_plain(std::span<const int32_t> ids) const {
        std::string text;
        const auto status = sp_->Decode(std::vector<int>(ids.begin(), ids.end()), &text);
        if (!status.ok()) throw EngineError(source_, "cannot decode tokens: " + status.ToString());
        return text;
    }

    static void append(std::vector<int32_t>& out, const std::vector<int32_t>& more) {
        out.insert(out.end(), more.begin(), more.end());
    }

    // The longest control piece written at text[at], as {id, length}; length 0 for none.
    std::pair<int32_t, size_t> control_piece_at(std::string_view text, size_t at) const {
        std::pair<int32_t, size_t> best{-1, 0};
        for (const auto& [piece, id] : control_pieces_)
            if (piece.size() > best.second && text.substr(at, piece.size()) == piece)
                best = {id, piece.size()};
        return best;
    }

    void check_id(int32_t id) const {
        if (id < 0 || id >= vocab_size())
            throw EngineError(source_, "token id " + std::to_string(id) +
                                           " is outside the vocabulary (0.." +
                                           std::to_string(vocab_size() - 1) + ")");
    }

    // Precomputed so that streaming costs no sentencepiece call per token.
    void build_token_bytes() {
        const int n = sp_->GetPieceSize();
        token_bytes_.resize(static_cast<size_t>(n));
        for (int id = 0; id < n; ++id) {
            std::string& out = token_bytes_[static_cast<size_t>(id)];
            if (sp_->IsControl(id)) {
                control_pieces_.emplace_back(sp_->IdToPiece(id), id);
                continue;
            }
            const std::string& piece = sp_->IdToPiece(id);
            if (sp_->IsUnknown(id))
                out = sp_->DecodeIds({id});  // the model's unk surface, " \u2047 " by default
            else if (sp_->IsByte(id))
                out = std::string(1, byte_of_piece(piece));
            else
                out = replace_space_symbols(piece);
        }
    }

    std::string source_;
    std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
    Specials specials_;
    DecodeRules rules_;
    std::vector<std::string> token_bytes_;
    std::vector<std::pair<std::string, int32_t>> control_pieces_;  // for SpecialTokens::Parse
};

std::string read_model_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) throw EngineError(path, "tokenizer file not found");
    if (fs::is_directory(path, ec))
        throw EngineError(path, "is a directory, not a sentencepiece tokenizer.model");
    require_regular_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw EngineError(path, "cannot open the tokenizer file for reading");
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    if (in.bad()) throw EngineError(path, "error while reading the tokenizer file");
    if (bytes.empty()) throw EngineError(path, "tokenizer file is empty");
    return bytes;
}

std::unique_ptr<sentencepiece::SentencePieceProcessor> load_processor(const std::string& serialized,
                                                                      const std::string& source,
                                                                      const std::string& what) {
    auto sp = std::make_unique<sentencepiece::SentencePieceProcessor>();
    const auto status = sp->LoadFromSerializedProto(serialized);
    if (!status.ok()) throw EngineError(source, what + ": " + status.ToString());
    if (sp->GetPieceSize() <= 0) throw EngineError(source, what + ": the model has no pieces");
    return sp;
}

void check_vocab_arrays(const Vocab& v, const std::string& source) {
    const size_t n = v.pieces.size();
    if (n == 0) throw EngineError(source, "the tokenizer vocabulary is empty");
    if (n > static_cast<size_t>(INT32_MAX))
        throw EngineError(source, "the tokenizer vocabulary is too large");
    if (v.scores.size() != n)
        throw EngineError(source, "the tokenizer vocabulary has " + std::to_string(n) +
                                      " pieces but " + std::to_string(v.scores.size()) + " scores");
    if (v.types.size() != n)
        throw EngineError(source, "the tokenizer vocabulary has " + std::to_string(n) +
                                      " pieces but " + std::to_string(v.types.size()) +
                                      " token types");
    for (size_t i = 0; i < n; ++i) {
        if (v.pieces[i].empty())
            throw EngineError(source, "token " + std::to_string(i) + " has an empty piece");
        if (v.types[i] < kTypeNormal || v.types[i] > kTypeByte)
            throw EngineError(source, "token " + std::to_string(i) + " has token type " +
                                          std::to_string(v.types[i]) + " (valid: 1..6)");
    }
}

void check_special_id(const Vocab& v, const char* name, int32_t id, const std::string& source) {
    if (id < 0 || static_cast<size_t>(id) >= v.pieces.size())
        throw EngineError(source, std::string(name) + " token id " + std::to_string(id) +
                                      " is outside the vocabulary of " +
                                      std::to_string(v.pieces.size()) + " pieces");
}

bool is_byte_piece(const std::string& piece) {
    const auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
    return piece.size() == 6 && piece.starts_with("<0x") && hex(piece[3]) && hex(piece[4]) &&
           piece[5] == '>';
}

// A GGUF may leave out scores and token types (llama.cpp then uses 0 and "normal"). Fill
// them in so sentencepiece gets the unknown, control and byte pieces it relies on.
Vocab with_defaults(const Vocab& vocab) {
    Vocab v = vocab;
    const size_t n = v.pieces.size();
    if (v.scores.empty()) v.scores.assign(n, 0.0f);
    if (v.types.empty()) {
        v.types.assign(n, kTypeNormal);
        for (size_t i = 0; i < n; ++i) {
            const auto id = static_cast<int32_t>(i);
            if (id == v.unk)
                v.types[i] = kTypeUnknown;
            else if (id == v.bos || id == v.eos)
                v.types[i] = kTypeControl;
            else if (is_byte_piece(v.pieces[i]))
                v.types[i] = kTypeByte;
        }
    }
    // XVERSE's converter types <unk> as a control token (a special added token there) and
    // leaves no unknown piece; sentencepiece needs one, and it is the unk id's.
    const bool has_unknown =
        std::find(v.types.begin(), v.types.end(), kTypeUnknown) != v.types.end();
    if (!has_unknown && v.unk >= 0 && static_cast<size_t>(v.unk) < v.types.size() &&
        v.types[v.unk] == kTypeControl)
        v.types[v.unk] = kTypeUnknown;
    return v;
}

void check_vocab(const Vocab& v, const std::string& source) {
    if (v.model != "llama")
        throw EngineError(source, "unsupported tokenizer \"" + v.model +
                                      "\" (tokenizer.ggml.model); only \"llama\" "
                                      "(sentencepiece BPE) and \"gpt2\" (byte-level BPE) "
                                      "are supported");
    check_vocab_arrays(v, source);
    check_special_id(v, "bos", v.bos, source);
    check_special_id(v, "eos", v.eos, source);
    check_special_id(v, "unk", v.unk, source);
    if (v.types[static_cast<size_t>(v.unk)] != kTypeUnknown)
        throw EngineError(source, "unk token id " + std::to_string(v.unk) +
                                      " does not have the unknown token type (2)");
}

// Bytes in the UTF-8 sequence a lead byte starts; 0 for a byte that cannot start one.
int utf8_sequence_length(uint8_t lead) {
    if (lead < 0x80) return 1;
    if ((lead & 0xE0) == 0xC0) return 2;
    if ((lead & 0xF0) == 0xE0) return 3;
    if ((lead & 0xF8) == 0xF0) return 4;
    return 0;
}

// Length of the UTF-8 character at the start of `s` when it is complete and valid, 0 when
// `s` ends inside what may still become a valid character, -1 when it is invalid. Valid
// means what sentencepiece accepts: shortest form, no surrogates, at most U+10FFFF.
int utf8_char_length(std::string_view s) {
    const auto lead = static_cast<uint8_t>(s[0]);
    const int len = utf8_sequence_length(lead);
    if (len == 0) return -1;
    if (len == 1) return 1;
    uint32_t cp = lead & (0x7Fu >> len);
    const int have = static_cast<int>(std::min<size_t>(s.size(), static_cast<size_t>(len)));
    for (int i = 1; i < have; ++i) {
        const auto b = static_cast<uint8_t>(s[static_cast<size_t>(i)]);
        if ((b & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (have < len) return 0;
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    const bool valid = cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    return valid ? len : -1;
}

DecodeRules decode_rules_of(const Tokenizer& tokenizer) {
    if (const auto* sp = dynamic_cast<const SentencePieceTokenizer*>(&tokenizer))
        return sp->decode_rules();
    // Byte-level BPE has no dummy prefix: a leading space is text and stays.
    return {false, false};
}

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::from_file(const std::string& path) {
    const std::string bytes = read_model_file(path);
    // The library accepts some truncated files (a prefix that ends on a field boundary is
    // valid protobuf), so check that the three parts every model has are all there.
    const spm::ModelProtoSummary summary = spm::summarize_model_proto(bytes, path);
    if (summary.pieces == 0 || !summary.has_trainer_spec || !summary.has_normalizer_spec)
        throw EngineError(path,
                          "incomplete sentencepiece model (pieces, trainer_spec or "
                          "normalizer_spec missing); the file may be truncated");
    auto sp = load_processor(bytes, path, "not a usable sentencepiece model");
    const Specials specials{sp->bos_id(), sp->eos_id(), sp->unk_id(), sp->bos_id() >= 0};
    const DecodeRules rules{summary.add_dummy_prefix || summary.remove_extra_whitespaces,
                            summary.remove_extra_whitespaces};
    return std::make_unique<SentencePieceTokenizer>(path, std::move(sp), specials, rules);
}

std::unique_ptr<Tokenizer> Tokenizer::from_vocab(const Vocab& vocab, const std::string& source) {
    if (vocab.model == "gpt2") return bpe_tokenizer_from_vocab(vocab, source);
    const Vocab full = with_defaults(vocab);
    check_vocab(full, source);
    auto sp = load_processor(spm::build_model_proto(full), source,
                             "cannot rebuild a sentencepiece model from the vocabulary");
    const Specials specials{full.bos, full.eos, full.unk, full.add_bos};
    // build_model_proto writes llama's normaliser: dummy prefix, whitespace kept.
    const DecodeRules rules{true, false};
    return std::make_unique<SentencePieceTokenizer>(source, std::move(sp), specials, rules);
}

std::string TokenStreamDecoder::push(int32_t id) {
    std::string bytes = tokenizer_.token_bytes(id);
    const DecodeRules rules = decode_rules_of(tokenizer_);
    if (at_start_ && rules.strip_first_space && !bytes.empty() && bytes[0] == ' ' &&
        tokenizer_.piece(id).starts_with(kSpaceSymbol)) {
        bytes.erase(0, 1);
        at_start_ = rules.strip_until_text;
    }
    if (bytes.empty()) {
        // Only control tokens (or a stripped lone space) are empty. Sentencepiece ends a run
        // of byte tokens at any other token, so bytes held back can no longer complete.
        return drain(true);
    }
    at_start_ = false;
    pending_ += bytes;
    return drain(false);
}

std::string TokenStreamDecoder::finish() {
    return drain(true);
}

std::string TokenStreamDecoder::drain(bool final) {
    std::string out;
    size_t i = 0;
    while (i < pending_.size()) {
        const int len = utf8_char_length(std::string_view(pending_).substr(i));
        if (len > 0) {
            out.append(pending_, i, static_cast<size_t>(len));
            i += static_cast<size_t>(len);
        } else if (len == 0 && !final) {
            break;  // an incomplete character: wait for its remaining bytes
        } else {
            out += kReplacement;  // one U+FFFD per bad byte, as sentencepiece's decode
            ++i;
        }
    }
    pending_.erase(0, i);
    return out;
}

}  // namespace ll
