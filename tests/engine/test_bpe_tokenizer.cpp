// Byte-level BPE (Llama 3.1, Qwen3) against HF transformers' own tokenizations
// (data/tokenizer/*.refs.json, made by make_tokenizer_refs.py): every corpus text and every
// edge case, id for id, from the real tokenizer.json and from the vocab-only GGUF that
// llama.cpp's converter wrote; special tokens parsed and not; BOS; decoding and streaming;
// hostile files refused.
#include <gtest/gtest.h>
#include <iconv.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../shared_data.h"
#include "bpe_tokenizer.h"
#include "error.h"
#include "gguf_reader.h"
#include "gguf_vocab.h"
#include "model.h"
#include "pretokenizer.h"
#include "tokenizer.h"

namespace {

using ll::EngineError;
using ll::SpecialTokens;
using ll::Tokenizer;
using Ids = std::vector<int32_t>;
namespace fs = std::filesystem;

const std::string kData = LL_TOKENIZER_DATA;
const std::string kRefs = LL_TOKENIZER_REFS;
const char* const kNames[] = {"llama-3.1", "qwen3"};

enum class Source { TokenizerJson, Gguf };

std::string gguf_path(const std::string& name) {
    return kData + "/" + name + "-vocab.gguf";
}

const Tokenizer& tokenizer(const std::string& name, Source source) {
    static std::map<std::pair<std::string, Source>, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[{name, source}];
    if (!slot) {
        if (source == Source::Gguf) {
            const ll::GgufFile gguf(gguf_path(name));
            slot = Tokenizer::from_vocab(ll::read_gguf_vocab(gguf), gguf.path());
        } else {
            slot = Tokenizer::from_hf_json(kData + "/" + name + "/tokenizer.json",
                                           kData + "/" + name + "/tokenizer_config.json");
        }
    }
    return *slot;
}

const nlohmann::json& refs(const std::string& name) {
    static std::map<std::string, nlohmann::json> cache;
    auto& slot = cache[name];
    if (slot.is_null())
        slot = nlohmann::json::parse(lltest::read_text(kRefs + "/" + name + ".refs.json"));
    return slot;
}

std::string stream_decode(const Tokenizer& tok, const Ids& ids) {
    ll::TokenStreamDecoder dec(tok);
    std::string out;
    for (const int32_t id : ids) out += dec.push(id);
    return out + dec.finish();
}

// The file's bytes in UTF-8, as Python's bytes.decode(encoding) gives them.
std::string to_utf8(const std::string& bytes, const std::string& encoding) {
    if (encoding == "utf-8") return bytes;
    iconv_t cd = iconv_open("UTF-8", encoding == "gb18030" ? "GB18030" : "CP1252");
    EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << encoding;
    std::string out(bytes.size() * 4, '\0');
    char* in = const_cast<char*>(bytes.data());
    char* to = out.data();
    size_t in_left = bytes.size(), out_left = out.size();
    const size_t rc = iconv(cd, &in, &in_left, &to, &out_left);
    iconv_close(cd);
    EXPECT_NE(rc, static_cast<size_t>(-1)) << "iconv from " << encoding;
    out.resize(out.size() - out_left);
    return out;
}

// The first `chars` code points of UTF-8 text.
std::string first_chars(const std::string& text, size_t chars) {
    size_t i = 0;
    for (size_t n = 0; i < text.size() && n < chars; ++n) {
        ++i;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    }
    return text.substr(0, i);
}

std::string shown(const std::string& text) {
    return text.size() > 60 ? text.substr(0, 60) + "…" : text;
}

class BpeReference : public ::testing::TestWithParam<std::tuple<std::string, Source>> {
  protected:
    void SetUp() override {
        if (std::get<1>(GetParam()) == Source::TokenizerJson)
            LL_REQUIRE_SHARED("models/tokenizers/" + std::get<0>(GetParam()) + ".tar.xz");
    }
    const std::string& name() const { return std::get<0>(GetParam()); }
    const Tokenizer& tok() const { return tokenizer(name(), std::get<1>(GetParam())); }
};

TEST_P(BpeReference, EdgeCasesIdForIdInBothSpecialModesAndWithBos) {
    int n = 0;
    for (const auto& c : refs(name()).at("cases")) {
        const auto text = c.at("text").get<std::string>();
        EXPECT_EQ(tok().encode(text, SpecialTokens::Parse), c.at("ids").get<Ids>())
            << "parsed: \"" << shown(text) << "\"";
        EXPECT_EQ(tok().encode(text), c.at("ids_unparsed").get<Ids>())
            << "as text: \"" << shown(text) << "\"";
        Ids with_bos = tok().encode(text, SpecialTokens::Parse);
        if (tok().add_bos()) with_bos.insert(with_bos.begin(), tok().bos());
        EXPECT_EQ(with_bos, c.at("ids_with_bos").get<Ids>())
            << "with BOS: \"" << shown(text) << "\"";
        ++n;
    }
    EXPECT_EQ(n, 63);
}

TEST_P(BpeReference, EdgeCasesDecodeBack) {
    for (const auto& c : refs(name()).at("cases")) {
        const auto ids = c.at("ids").get<Ids>();
        const auto decoded = c.at("decoded").get<std::string>();
        EXPECT_EQ(tok().decode(ids, true), decoded);
        // No special token in these: plain decoding gives the same text. (It is the text
        // after normalisation: Qwen's NFC composes "e\u0301" into "\u00e9".)
        const auto plain = c.at("ids_unparsed").get<Ids>();
        EXPECT_EQ(tok().decode(plain), decoded);
        EXPECT_EQ(stream_decode(tok(), plain), decoded);
    }
}

TEST_P(BpeReference, CorpusIdForIdAndStreamedBack) {
    int n = 0;
    for (const auto& entry : refs(name()).at("corpus")) {
        const std::string rel = "corpus/" + entry.at("file").get<std::string>();
        LL_REQUIRE_SHARED(rel);
        const std::string text = first_chars(to_utf8(lltest::read_text(lltest::shared_path(rel)),
                                                     entry.at("encoding").get<std::string>()),
                                             entry.at("chars").get<size_t>());
        const auto expected = entry.at("ids").get<Ids>();
        const Ids ids = tok().encode(text);
        ASSERT_EQ(ids.size(), expected.size()) << rel;
        size_t first_difference = 0;
        while (first_difference < ids.size() && ids[first_difference] == expected[first_difference])
            ++first_difference;
        EXPECT_EQ(first_difference, ids.size())
            << rel << ": ids differ from token " << first_difference;
        EXPECT_EQ(stream_decode(tok(), ids), tok().decode(ids)) << rel;
        EXPECT_EQ(tok().decode(ids), text) << rel;
        ++n;
    }
    EXPECT_EQ(n, 12);
}

std::string param_name(const ::testing::TestParamInfo<BpeReference::ParamType>& info) {
    std::string s = std::get<0>(info.param) +
                    (std::get<1>(info.param) == Source::Gguf ? "_gguf" : "_tokenizer_json");
    for (char& c : s)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return s;
}

INSTANTIATE_TEST_SUITE_P(RealTokenizers, BpeReference,
                         ::testing::Combine(::testing::Values("llama-3.1", "qwen3"),
                                            ::testing::Values(Source::TokenizerJson, Source::Gguf)),
                         param_name);

TEST(BpeTokenizer, SpecialsOfTheRealFiles) {
    const Tokenizer& llama = tokenizer("llama-3.1", Source::Gguf);
    EXPECT_EQ(llama.kind(), "byte-level BPE (llama-bpe)");
    EXPECT_EQ(llama.bos(), 128000);
    EXPECT_TRUE(llama.add_bos());
    EXPECT_EQ(llama.find_token("<|eot_id|>"), 128009);
    EXPECT_TRUE(llama.is_special(128009));
    EXPECT_EQ(llama.find_token("\n\n"), 271);  // a model token, found by its text
    EXPECT_EQ(llama.find_token("<|no_such_token|>"), std::nullopt);

    const Tokenizer& qwen = tokenizer("qwen3", Source::Gguf);
    EXPECT_EQ(qwen.kind(), "byte-level BPE (qwen2)");
    EXPECT_FALSE(qwen.add_bos());
    EXPECT_EQ(qwen.find_token("<|im_end|>"), 151645);
    EXPECT_TRUE(qwen.is_special(151645));
    EXPECT_FALSE(qwen.is_special(*qwen.find_token("<think>")));  // parsed always, shown
}

TEST(BpeTokenizer, DocumentTextNeverBecomesSpecialTokens) {
    for (const char* name : kNames) {
        const Tokenizer& tok = tokenizer(name, Source::Gguf);
        const std::string text =
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|><|im_start|>user\n"
            "<|im_end|><|eot_id|><|endoftext|>";
        const Ids ids = tok.encode(text);
        for (const int32_t id : ids) EXPECT_FALSE(tok.is_special(id)) << name << " id " << id;
        EXPECT_EQ(tok.decode(ids), text);
        EXPECT_GT(tok.encode(text, SpecialTokens::Parse).size(), 0u);
        EXPECT_LT(tok.encode(text, SpecialTokens::Parse).size(), ids.size());
    }
}

TEST(BpeTokenizer, StreamKeepsTheLeadingSpaceAndHoldsSplitCharacters) {
    const Tokenizer& tok = tokenizer("llama-3.1", Source::Gguf);
    EXPECT_EQ(stream_decode(tok, tok.encode(" Hello")), " Hello");
    // A character no token holds whole comes out in byte tokens: nothing until complete.
    const std::string rare = "\xF0\x9F\xA6\x99";  // U+1F999
    const Ids ids = tok.encode(rare);
    ASSERT_GT(ids.size(), 1u);
    ll::TokenStreamDecoder dec(tok);
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) {
        const std::string part = dec.push(ids[i]);
        if (i + 1 < ids.size()) {
            EXPECT_EQ(part, "") << "token " << i;
        }
        out += part;
    }
    EXPECT_EQ(out + dec.finish(), rare);
    // A special token in a stream decodes to nothing.
    EXPECT_EQ(stream_decode(tok, {tok.bos(), *tok.find_token("<|eot_id|>")}), "");
}

TEST(BpeTokenizer, LongRunWithoutSpacesIsOneWordAndStillExact) {
    // 30,000 CJK characters with no space or punctuation are one \p{L}+ word: the merge
    // queue must handle it (a quadratic merge loop would take minutes).
    const Tokenizer& tok = tokenizer("qwen3", Source::Gguf);
    std::string text;
    for (int i = 0; i < 10000; ++i) text += "孙悟空";
    const Ids ids = tok.encode(text);
    EXPECT_EQ(tok.decode(ids), text);
    EXPECT_LT(ids.size(), 20000u);
}

TEST(BpeTokenizer, EveryKnownPretokenizerCompilesAndCoversTheText) {
    const std::string text =
        "Hello, world! It's 2024-12-04; 12345 apples\r\n\n  café 中华人民共和国 \xF0\x9F\xA6\x99  "
        "\t"
        "ÄÖÜ ﬁ don'T  ";
    const auto names = ll::known_pretokenizer_names();
    EXPECT_GE(names.size(), 40u);
    for (const std::string& name : names) {
        const auto spec = ll::pretokenizer_for_gguf(name);
        ASSERT_TRUE(spec) << name;
        const ll::RegexSplitter splitter(spec->regexes, name);
        std::string joined;
        for (const std::string_view word : splitter.split(text)) {
            EXPECT_FALSE(word.empty()) << name;
            joined += word;
        }
        EXPECT_EQ(joined, text) << name;
    }
}

TEST(BpeTokenizer, InvalidUtf8IsTokenizedAsBytes) {
    const Tokenizer& tok = tokenizer("qwen3", Source::Gguf);
    const std::string bad = "ok \xFF\xFE then \xE4\xB8";  // stray bytes, truncated character
    const Ids ids = tok.encode(bad);
    std::string bytes;
    for (const int32_t id : ids) bytes += tok.token_bytes(id);
    EXPECT_EQ(bytes, bad);
}

// An HF directory takes tokenizer.json when it has no tokenizer.model, or when the JSON is
// byte-level; otherwise sentencepiece's tokenizer.model. stories260K's weights (512 rows)
// with Llama 3's 128,256-token tokenizer.json are refused for exactly that mismatch, which
// shows the JSON was the one read.
TEST(BpeTokenizer, HfDirectoryPicksTheTokenizerItHas) {
    LL_REQUIRE_SHARED("models/stories260K-hf/model.safetensors");
    LL_REQUIRE_SHARED("models/tokenizers/llama-3.1.tar.xz");
    const fs::path dir = fs::temp_directory_path() / ("ll-hf-bpe-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (const char* f : {"config.json", "model.safetensors"})
        fs::copy_file(lltest::shared_path(std::string("models/stories260K-hf/") + f), dir / f);
    fs::copy_file(kData + "/llama-3.1/tokenizer.json", dir / "tokenizer.json");
    try {
        ll::Model::load(dir.string());
        ADD_FAILURE() << "a 128,256-token tokenizer was accepted for 512 embedding rows";
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "the tokenizer has 128256 tokens but the embedding has 512 rows"),
                  std::string::npos)
            << e.what();
    }
    // With sentencepiece's tokenizer.model beside a tokenizer.json that is not byte-level,
    // the model keeps its sentencepiece tokenizer.
    fs::copy_file(lltest::shared_path("models/stories260K-hf/tokenizer.model"),
                  dir / "tokenizer.model");
    std::ofstream(dir / "tokenizer.json", std::ios::trunc) << R"({"model": {"type": "BPE"}})";
    EXPECT_EQ(ll::Model::load(dir.string())->tokenizer().kind(), "sentencepiece");
    fs::remove_all(dir);
}

// --- hostile files -------------------------------------------------------------------

class TempDir {
  public:
    TempDir() : path_(fs::temp_directory_path() / ("ll-bpe-" + std::to_string(::getpid()))) {
        fs::create_directories(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    std::string write(const std::string& name, const std::string& text) const {
        const fs::path p = path_ / name;
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }

  private:
    fs::path path_;
};

// A small valid byte-level tokenizer.json: the 256 byte characters, one merge, one special.
nlohmann::json small_tokenizer_json() {
    nlohmann::json vocab = nlohmann::json::object();
    // The byte-level alphabet: printable Latin-1 stands for itself, the rest from U+0100.
    int next = 0x100, id = 0;
    for (int b = 0; b < 256; ++b) {
        const bool self = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        const int cp = self ? b : next++;
        std::string s;
        if (cp < 0x80) {
            s.push_back(static_cast<char>(cp));
        } else {
            s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        vocab[s] = id++;
    }
    vocab["ab"] = id++;
    return {{"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", {"a b"}}}},
            {"added_tokens", {{{"id", id}, {"content", "<|end|>"}, {"special", true}}}},
            {"normalizer", nullptr},
            {"pre_tokenizer",
             {{"type", "Sequence"},
              {"pretokenizers",
               {{{"type", "Split"},
                 {"pattern", {{"Regex", "\\p{L}+|\\s+|."}}},
                 {"behavior", "Isolated"}},
                {{"type", "ByteLevel"}, {"use_regex", false}}}}}},
            {"decoder", {{"type", "ByteLevel"}}}};
}

void expect_json_error(const TempDir& dir, const nlohmann::json& j, const std::string& needle) {
    const std::string path = dir.write("tokenizer.json", j.dump());
    try {
        Tokenizer::from_hf_json(path, "");
        ADD_FAILURE() << "accepted a tokenizer.json that should fail with \"" << needle << "\"";
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

TEST(BpeHostile, SmallTokenizerJsonWorks) {
    TempDir dir;
    const auto tok =
        Tokenizer::from_hf_json(dir.write("tokenizer.json", small_tokenizer_json().dump()), "");
    // ids are byte values, then "ab" (256): "ab", " ", "a" are the words.
    EXPECT_EQ(tok->encode("ab a"), (Ids{256, ' ', 'a'}));
    EXPECT_EQ(tok->encode("<|end|>", ll::SpecialTokens::Parse), Ids{257});
}

TEST(BpeHostile, MalformedTokenizerJsonIsRefusedByName) {
    TempDir dir;
    const std::string not_json = dir.write("tokenizer.json", "{\"model\": [1, 2");
    EXPECT_THROW(Tokenizer::from_hf_json(not_json, ""), EngineError);

    auto j = small_tokenizer_json();
    j["model"]["type"] = "WordPiece";
    expect_json_error(dir, j, "WordPiece");

    j = small_tokenizer_json();
    j["model"]["merges"].push_back("a zz");
    expect_json_error(dir, j, "names a token");

    j = small_tokenizer_json();
    j["model"]["vocab"]["xyz"] = 99999999;
    expect_json_error(dir, j, "out of range");

    j = small_tokenizer_json();
    j["model"]["vocab"]["xyz"] = -3;
    expect_json_error(dir, j, "out of range");

    j = small_tokenizer_json();
    j["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"] = "(\\p{L}+";
    expect_json_error(dir, j, "bad pre-tokenizer regex");

    j = small_tokenizer_json();
    j["pre_tokenizer"] = nullptr;
    expect_json_error(dir, j, "not a byte-level");

    j = small_tokenizer_json();
    j["normalizer"] = {{"type", "Lowercase"}};
    expect_json_error(dir, j, "Lowercase");

    j = small_tokenizer_json();
    j["model"]["vocab"].erase("a");
    expect_json_error(dir, j, "byte");

    j = small_tokenizer_json();
    j["model"]["merges"] = 7;
    expect_json_error(dir, j, "model.merges");

    j = small_tokenizer_json();
    j["added_tokens"][0]["id"] = "x";
    expect_json_error(dir, j, "no integer id");
}

ll::Vocab small_gguf_vocab() {
    ll::Vocab v;
    v.model = "gpt2";
    v.pre = "llama-bpe";
    const auto j = small_tokenizer_json();
    v.pieces.resize(258);
    for (const auto& [text, id] : j["model"]["vocab"].items()) v.pieces[id.get<size_t>()] = text;
    v.pieces[257] = "<|end|>";
    v.types.assign(258, 1);
    v.types[257] = 3;
    v.merges = {"a b"};
    v.bos = 257;
    v.eos = 257;
    v.unk = -1;
    return v;
}

void expect_vocab_error(const ll::Vocab& v, const std::string& needle) {
    try {
        Tokenizer::from_vocab(v, "vocab.gguf");
        ADD_FAILURE() << "accepted a vocabulary that should fail with \"" << needle << "\"";
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("vocab.gguf"), std::string::npos) << e.what();
    }
}

TEST(BpeHostile, BadGgufVocabulariesAreRefusedByName) {
    EXPECT_EQ(Tokenizer::from_vocab(small_gguf_vocab(), "vocab.gguf")->encode("ab"), Ids{256});

    ll::Vocab v = small_gguf_vocab();
    v.pre = "some-new-model";
    expect_vocab_error(v, "\"some-new-model\"");

    v = small_gguf_vocab();
    v.merges.push_back("q zz");
    expect_vocab_error(v, "names a token");

    v = small_gguf_vocab();
    v.merges.push_back("nospace");
    expect_vocab_error(v, "nospace");

    v = small_gguf_vocab();
    v.merges.clear();
    expect_vocab_error(v, "merges");

    v = small_gguf_vocab();
    v.bos = 1000;
    expect_vocab_error(v, "bos token has id 1000");

    v = small_gguf_vocab();
    v.types[3] = 42;
    expect_vocab_error(v, "token type 42");

    v = small_gguf_vocab();
    v.types.pop_back();
    expect_vocab_error(v, "token types");

    v = small_gguf_vocab();
    v.pieces[5] = v.pieces[6];
    expect_vocab_error(v, "appears twice");
}

TEST(BpeHostile, IdsOutsideTheVocabularyAreRefused) {
    const auto tok = Tokenizer::from_vocab(small_gguf_vocab(), "vocab.gguf");
    EXPECT_THROW(tok->decode(Ids{0, 258}), EngineError);
    EXPECT_THROW(tok->token_bytes(-1), EngineError);
    EXPECT_THROW(tok->piece(1 << 20), EngineError);
}

}  // namespace
