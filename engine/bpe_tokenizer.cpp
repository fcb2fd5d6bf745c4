#include "bpe_tokenizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <queue>
#include <unordered_map>

#include "byte_level.h"
#include "error.h"

namespace ll {
namespace {

// GGUF token types (sentencepiece's numbering).
constexpr int32_t kTypeNormal = 1;
constexpr int32_t kTypeUnknown = 2;
constexpr int32_t kTypeControl = 3;
constexpr int32_t kTypeUserDefined = 4;
constexpr int32_t kTypeUnused = 5;

struct Merge {
    int32_t rank;
    int32_t id;  // the merged token
};

uint64_t pair_key(int32_t left, int32_t right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) |
           static_cast<uint32_t>(right);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A word character for single_word added tokens (non-ASCII bytes count as letters).
bool is_word_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '_';
}

// An added token found in text: it covers [begin, end) (with the spaces lstrip/rstrip take).
struct Found {
    int32_t id = -1;
    size_t begin = 0;
    size_t end = 0;
};

class BpeTokenizer final : public Tokenizer {
  public:
    BpeTokenizer(const BpeSpec& spec, const std::string& source)
        : source_(source),
          pre_(spec.pre),
          splitter_(spec.pre.regexes, source),
          ignore_merges_(spec.ignore_merges),
          bos_(spec.bos),
          eos_(spec.eos),
          eot_(spec.eot),
          add_bos_(spec.add_bos) {
        index_tokens(spec);
        index_merges(spec);
        index_added(spec);
        check_special_ids();
    }

    std::vector<int32_t> encode(std::string_view text, SpecialTokens special) const override {
        std::vector<int32_t> out;
        WordCache cache;
        size_t plain = 0;  // start of the text before the next added token
        for (size_t at = 0; at < text.size();) {
            const Found f = added_at(text, at, plain, special);
            if (f.id < 0) {
                ++at;
                continue;
            }
            encode_plain(text.substr(plain, f.begin - plain), out, cache);
            out.push_back(f.id);
            plain = at = f.end;
        }
        encode_plain(text.substr(plain), out, cache);
        return out;
    }

    std::string decode(std::span<const int32_t> ids, bool show_special) const override {
        // Through the stream decoder, so that decoding whole and token by token agree.
        TokenStreamDecoder stream(*this);
        std::string text;
        for (const int32_t id : ids) {
            check_id(id);
            if (!special_[static_cast<size_t>(id)]) {
                text += stream.push(id);
            } else if (show_special) {
                text += stream.finish() + tokens_[static_cast<size_t>(id)];
            }
        }
        return text + stream.finish();
    }

    std::string token_bytes(int32_t id) const override {
        check_id(id);
        return bytes_[static_cast<size_t>(id)];
    }

    std::string piece(int32_t id) const override {
        check_id(id);
        return tokens_[static_cast<size_t>(id)];
    }

    std::optional<int32_t> find_token(std::string_view text) const override {
        if (auto it = added_ids_.find(std::string(text)); it != added_ids_.end()) return it->second;
        if (auto it = word_ids_.find(byte_level_encode(text)); it != word_ids_.end())
            return it->second;
        return std::nullopt;
    }

    bool is_special(int32_t id) const override {
        check_id(id);
        return special_[static_cast<size_t>(id)];
    }

    std::string kind() const override { return "byte-level BPE (" + pre_.name + ")"; }
    int32_t vocab_size() const override { return static_cast<int32_t>(tokens_.size()); }
    int32_t bos() const override { return bos_; }
    int32_t eos() const override { return eos_; }
    int32_t unk() const override { return -1; }
    bool add_bos() const override { return add_bos_ && bos_ >= 0; }
    int32_t eot() const override { return eot_; }

  private:
    // Ids of short words seen earlier in the same text: prose repeats its words.
    using WordCache = std::unordered_map<std::string, std::vector<int32_t>>;
    static constexpr size_t kCachedWordBytes = 32;

    void index_tokens(const BpeSpec& spec) {
        if (spec.tokens.empty()) throw EngineError(source_, "the tokenizer vocabulary is empty");
        if (spec.tokens.size() > (1u << 24))
            throw EngineError(source_, "the tokenizer vocabulary is implausibly large (" +
                                           std::to_string(spec.tokens.size()) + " tokens)");
        tokens_ = spec.tokens;
        bytes_.resize(tokens_.size());
        special_.assign(tokens_.size(), 0);
        std::vector<char> model_token(tokens_.size(), 1);
        for (const AddedToken& a : spec.added) {
            check_spec_id(a.id, "added token \"" + a.content + "\"");
            model_token[static_cast<size_t>(a.id)] = 0;
        }
        for (const int32_t id : spec.unused) {
            check_spec_id(id, "unused token");
            model_token[static_cast<size_t>(id)] = 0;
        }
        for (size_t id = 0; id < tokens_.size(); ++id) {
            if (!model_token[id] || tokens_[id].empty()) continue;
            const auto [it, fresh] = word_ids_.emplace(tokens_[id], static_cast<int32_t>(id));
            if (!fresh)
                throw EngineError(source_, "token \"" + tokens_[id] + "\" appears twice (ids " +
                                               std::to_string(it->second) + " and " +
                                               std::to_string(id) + ")");
            // A token outside the byte-level alphabet (rare, hand-added) stands for its text.
            bytes_[id] = byte_level_decode(tokens_[id]).value_or(tokens_[id]);
        }
        const auto& chars = byte_level_chars();
        for (size_t b = 0; b < 256; ++b) {
            const auto it = word_ids_.find(chars[b]);
            if (it == word_ids_.end())
                throw EngineError(source_, "the vocabulary has no token for byte " +
                                               std::to_string(b) +
                                               ": not a byte-level BPE vocabulary");
            byte_ids_[b] = it->second;
        }
    }

    void index_merges(const BpeSpec& spec) {
        merges_.reserve(spec.merges.size());
        int32_t rank = 0;
        for (const auto& [left, right] : spec.merges) {
            const auto l = word_ids_.find(left), r = word_ids_.find(right),
                       m = word_ids_.find(left + right);
            if (l == word_ids_.end() || r == word_ids_.end() || m == word_ids_.end())
                throw EngineError(source_, "merge " + std::to_string(rank) + " (\"" + left +
                                               "\" \"" + right + "\") names a token " +
                                               "the vocabulary does not have");
            // The first of two identical merges wins, as in HF's map built in order.
            merges_.emplace(pair_key(l->second, r->second), Merge{rank, m->second});
            ++rank;
        }
    }

    void index_added(const BpeSpec& spec) {
        for (const AddedToken& a : spec.added) {
            if (a.content.empty())
                throw EngineError(source_, "added token " + std::to_string(a.id) + " is empty");
            const auto id = static_cast<size_t>(a.id);
            tokens_[id] = a.content;
            special_[id] = a.special;
            bytes_[id] = a.special ? std::string() : a.content;
            added_ids_[a.content] = a.id;
            added_.push_back(a);
        }
        // Longest first, so that the first match at a position is the longest one.
        std::sort(added_.begin(), added_.end(), [](const AddedToken& a, const AddedToken& b) {
            return a.content.size() > b.content.size();
        });
        for (size_t i = 0; i < added_.size(); ++i)
            added_by_first_byte_[static_cast<unsigned char>(added_[i].content[0])].push_back(i);
    }

    void check_spec_id(int32_t id, const std::string& what) const {
        if (id < 0 || static_cast<size_t>(id) >= tokens_.size())
            throw EngineError(source_, what + " has id " + std::to_string(id) +
                                           ", outside the vocabulary of " +
                                           std::to_string(tokens_.size()) + " tokens");
    }

    void check_special_ids() const {
        const std::pair<const char*, int32_t> ids[] = {{"bos", bos_}, {"eos", eos_}, {"eot", eot_}};
        for (const auto& [name, id] : ids)
            if (id != -1) check_spec_id(id, std::string(name) + " token");
    }

    void check_id(int32_t id) const {
        if (id < 0 || id >= vocab_size())
            throw EngineError(source_, "token id " + std::to_string(id) +
                                           " is outside the vocabulary (0.." +
                                           std::to_string(vocab_size() - 1) + ")");
    }

    // The added token that starts at text[at] (with the spaces it strips), if any may be
    // parsed here. `plain` is where the current run of plain text began: lstrip takes no
    // space from before it.
    Found added_at(std::string_view text, size_t at, size_t plain, SpecialTokens mode) const {
        for (const size_t i : added_by_first_byte_[static_cast<unsigned char>(text[at])]) {
            const AddedToken& a = added_[i];
            if (a.special && mode == SpecialTokens::AsText) continue;
            if (text.compare(at, a.content.size(), a.content) != 0) continue;
            size_t begin = at, end = at + a.content.size();
            if (a.single_word && ((begin > 0 && is_word_byte(text[begin - 1])) ||
                                  (end < text.size() && is_word_byte(text[end]))))
                continue;
            if (a.lstrip)
                while (begin > plain && is_space(text[begin - 1])) --begin;
            if (a.rstrip)
                while (end < text.size() && is_space(text[end])) ++end;
            return {a.id, begin, end};
        }
        return {};
    }

    void encode_plain(std::string_view text, std::vector<int32_t>& out, WordCache& cache) const {
        if (text.empty()) return;
        std::string normal = normalize_text(text, pre_.normalization);
        if (pre_.prefix_space && normal.front() != ' ') normal.insert(0, 1, ' ');
        for (const std::string_view word : splitter_.split(normal)) {
            if (word.size() > kCachedWordBytes) {
                encode_word(word, out);
                continue;
            }
            auto [it, fresh] = cache.try_emplace(std::string(word));
            if (fresh) encode_word(word, it->second);
            out.insert(out.end(), it->second.begin(), it->second.end());
        }
    }

    // BPE over one word: always merge the adjacent pair of lowest rank (leftmost on ties)
    // until none is in the merge list. A priority queue keeps this O(n log n): one word can
    // be a whole chapter of CJK text without spaces.
    void encode_word(std::string_view word, std::vector<int32_t>& out) const {
        if (ignore_merges_) {
            if (auto it = word_ids_.find(byte_level_encode(word)); it != word_ids_.end()) {
                out.push_back(it->second);
                return;
            }
        }
        struct Symbol {
            int32_t id;
            int32_t prev, next;  // neighbours in the word, -1 at the ends
        };
        struct Candidate {
            int32_t rank, pos;  // the pair (symbol pos, its next)
            int32_t left, right, merged;
            bool operator>(const Candidate& o) const {
                return rank != o.rank ? rank > o.rank : pos > o.pos;
            }
        };
        const auto n = static_cast<int32_t>(word.size());
        std::vector<Symbol> symbols(static_cast<size_t>(n));
        for (int32_t i = 0; i < n; ++i)
            symbols[static_cast<size_t>(i)] = {
                byte_ids_[static_cast<unsigned char>(word[static_cast<size_t>(i)])], i - 1,
                i + 1 < n ? i + 1 : -1};
        std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
        const auto consider = [&](int32_t pos) {
            if (pos < 0) return;
            const Symbol& s = symbols[static_cast<size_t>(pos)];
            if (s.next < 0) return;
            const int32_t right = symbols[static_cast<size_t>(s.next)].id;
            if (auto it = merges_.find(pair_key(s.id, right)); it != merges_.end())
                queue.push({it->second.rank, pos, s.id, right, it->second.id});
        };
        for (int32_t i = 0; i + 1 < n; ++i) consider(i);
        while (!queue.empty()) {
            const Candidate c = queue.top();
            queue.pop();
            Symbol& s = symbols[static_cast<size_t>(c.pos)];
            // Stale when either side has merged with something else since it was queued.
            if (s.id != c.left || s.next < 0 || symbols[static_cast<size_t>(s.next)].id != c.right)
                continue;
            Symbol& gone = symbols[static_cast<size_t>(s.next)];
            s.id = c.merged;
            s.next = gone.next;
            if (gone.next >= 0) symbols[static_cast<size_t>(gone.next)].prev = c.pos;
            gone.id = -1;
            consider(s.prev);
            consider(c.pos);
        }
        for (int32_t i = 0; i >= 0; i = symbols[static_cast<size_t>(i)].next)
            out.push_back(symbols[static_cast<size_t>(i)].id);
    }

    std::string source_;
    PretokenizerSpec pre_;
    RegexSplitter splitter_;
    bool ignore_merges_;
    int32_t bos_, eos_, eot_;
    bool add_bos_;

    std::vector<std::string> tokens_;  // text by id (added tokens: their content)
    std::vector<std::string> bytes_;   // what each id contributes to decoded text
    std::vector<char> special_;
    std::unordered_map<std::string, int32_t> word_ids_;   // model tokens by text
    std::unordered_map<std::string, int32_t> added_ids_;  // added tokens by content
    std::array<int32_t, 256> byte_ids_{};
    std::unordered_map<uint64_t, Merge> merges_;
    std::vector<AddedToken> added_;  // longest first
    std::array<std::vector<size_t>, 256> added_by_first_byte_;
};

}  // namespace

std::unique_ptr<Tokenizer> make_bpe_tokenizer(const BpeSpec& spec, const std::string& source) {
    return std::make_unique<BpeTokenizer>(spec, source);
}

std::unique_ptr<Tokenizer> bpe_tokenizer_from_vocab(const Vocab& v, const std::string& source) {
    const std::string pre_name = v.pre.empty() ? "default" : v.pre;
    auto pre = pretokenizer_for_gguf(pre_name);
    if (!pre)
        throw EngineError(source, "unknown pre-tokenizer \"" + pre_name +
                                      "\" (tokenizer.ggml.pre); its splitting rules are not "
                                      "known here, so the text would be tokenized wrongly");
    if (v.merges.empty())
        throw EngineError(source, "byte-level BPE vocabulary without tokenizer.ggml.merges");
    if (!v.types.empty() && v.types.size() != v.pieces.size())
        throw EngineError(source, "the tokenizer vocabulary has " +
                                      std::to_string(v.pieces.size()) + " tokens but " +
                                      std::to_string(v.types.size()) + " token types");
    BpeSpec spec;
    spec.tokens = v.pieces;
    for (size_t i = 0; i < v.types.size(); ++i) {
        const auto id = static_cast<int32_t>(i);
        switch (v.types[i]) {
            case kTypeNormal:
                break;
            case kTypeControl:
            case kTypeUnknown:
                spec.added.push_back({v.pieces[i], id, true});
                break;
            case kTypeUserDefined:
                spec.added.push_back({v.pieces[i], id, false});
                break;
            case kTypeUnused:
                spec.unused.push_back(id);
                break;
            default:
                throw EngineError(source, "token " + std::to_string(i) + " has token type " +
                                              std::to_string(v.types[i]) +
                                              ", not one a byte-level BPE vocabulary uses");
        }
    }
    for (size_t i = 0; i < v.merges.size(); ++i) {
        const std::string& m = v.merges[i];
        const size_t space = m.find(' ', 1);
        if (space == std::string::npos)
            throw EngineError(source, "merge " + std::to_string(i) + " (\"" + m +
                                          "\") is not two tokens separated by a space");
        spec.merges.emplace_back(m.substr(0, space), m.substr(space + 1));
    }
    spec.pre = *pre;
    spec.ignore_merges = pre->ignore_merges;
    spec.bos = v.bos;
    spec.eos = v.eos;
    spec.eot = v.eot;
    spec.add_bos = v.add_bos;
    return make_bpe_tokenizer(spec, source);
}

}  // namespace ll
