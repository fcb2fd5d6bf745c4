// Tokenizer: sentencepiece from a tokenizer.model and rebuilt from a GGUF vocabulary,
// checked against the reference encodings in ../shared, plus the streaming decoder.
#include "tokenizer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../shared_data.h"
#include "error.h"
#include "gguf_reader.h"

namespace {

using ll::EngineError;
using ll::Tokenizer;
using ll::TokenStreamDecoder;
using Ids = std::vector<int32_t>;

const std::string kStoriesModel = "models/stories260K-hf/tokenizer.model";
const std::string kRefMiniModel = "models/ref-mini/tokenizer.model";
const std::string kLlamaModel = "models/llama2-tokenizer/tokenizer.model";
const std::string kLlamaGguf = "models/vocab/ggml-vocab-llama-spm.gguf";
const std::string kStoriesGguf = "models/gguf/stories260K-f32.gguf";

// Loading Llama's 32000 pieces takes a moment, so each tokenizer is loaded once.
const Tokenizer& file_tokenizer(const std::string& rel) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[rel];
    if (!slot) slot = Tokenizer::from_file(lltest::shared_path(rel));
    return *slot;
}

ll::Vocab vocab_from_gguf(const std::string& path) {
    const ll::GgufFile gguf(path);
    ll::Vocab v;
    v.model = gguf.get_string("tokenizer.ggml.model").value_or("");
    v.pieces = gguf.get_string_array("tokenizer.ggml.tokens").value_or(std::vector<std::string>{});
    v.scores = gguf.get_float_array("tokenizer.ggml.scores").value_or(std::vector<float>{});
    for (const int64_t t :
         gguf.get_int_array("tokenizer.ggml.token_type").value_or(std::vector<int64_t>{}))
        v.types.push_back(static_cast<int32_t>(t));
    v.bos = static_cast<int32_t>(gguf.get_int("tokenizer.ggml.bos_token_id").value_or(1));
    v.eos = static_cast<int32_t>(gguf.get_int("tokenizer.ggml.eos_token_id").value_or(2));
    v.unk = static_cast<int32_t>(gguf.get_int("tokenizer.ggml.unknown_token_id").value_or(0));
    v.add_bos = gguf.get_bool("tokenizer.ggml.add_bos_token").value_or(true);
    return v;
}

const Tokenizer& gguf_tokenizer(const std::string& rel) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[rel];
    const std::string path = lltest::shared_path(rel);
    if (!slot) slot = Tokenizer::from_vocab(vocab_from_gguf(path), path);
    return *slot;
}

nlohmann::json read_json(const std::string& rel) {
    return nlohmann::json::parse(lltest::read_text(lltest::shared_path(rel)));
}

Ids with_bos(const Tokenizer& tok, const Ids& ids) {
    Ids out{tok.bos()};
    out.insert(out.end(), ids.begin(), ids.end());
    return out;
}

std::string stream_decode(const Tokenizer& tok, const Ids& ids) {
    TokenStreamDecoder dec(tok);
    std::string out;
    for (const int32_t id : ids) out += dec.push(id);
    return out + dec.finish();
}

// --- 1. reference.json tokenizer_cases -----------------------------------------------

void expect_reference_cases(const Tokenizer& tok, const std::string& fixture, int expected_cases) {
    const auto ref = read_json(fixture);
    int n = 0;
    for (const auto& c : ref.at("tokenizer_cases")) {
        const auto text = c.at("text").get<std::string>();
        EXPECT_EQ(tok.encode(text), c.at("ids").get<Ids>()) << "text: \"" << text << "\"";
        ++n;
    }
    EXPECT_EQ(n, expected_cases);
}

TEST(TokenizerReference, Stories260KCases) {
    LL_REQUIRE_SHARED(kStoriesModel);
    LL_REQUIRE_SHARED("fixtures/stories260K/reference.json");
    expect_reference_cases(file_tokenizer(kStoriesModel), "fixtures/stories260K/reference.json",
                           14);
}

TEST(TokenizerReference, RefMiniCases) {
    LL_REQUIRE_SHARED(kRefMiniModel);
    LL_REQUIRE_SHARED("fixtures/ref-mini/reference.json");
    expect_reference_cases(file_tokenizer(kRefMiniModel), "fixtures/ref-mini/reference.json", 14);
}

TEST(TokenizerReference, RefMiniCasesWithVocabRebuiltFromGguf) {
    // ref-mini uses the Llama 2 vocabulary, which the vocab-only GGUF carries.
    LL_REQUIRE_SHARED(kLlamaGguf);
    LL_REQUIRE_SHARED("fixtures/ref-mini/reference.json");
    expect_reference_cases(gguf_tokenizer(kLlamaGguf), "fixtures/ref-mini/reference.json", 14);
}

bool has_extra_spaces(const std::string& text) {
    return text.find("  ") != std::string::npos || text.starts_with(' ') || text.ends_with(' ');
}

TEST(TokenizerReference, Stories260KGgufVocabularyKeepsExtraSpaces) {
    // A GGUF carries no normaliser settings. Like llama.cpp, from_vocab keeps every space,
    // while stories260K's tokenizer.model removes leading, trailing and repeated ones; the
    // two agree wherever a text has no such spaces.
    LL_REQUIRE_SHARED(kStoriesGguf);
    LL_REQUIRE_SHARED("fixtures/stories260K/reference.json");
    const Tokenizer& tok = gguf_tokenizer(kStoriesGguf);
    EXPECT_EQ(tok.vocab_size(), 512);
    int same = 0;
    const auto ref = read_json("fixtures/stories260K/reference.json");
    for (const auto& c : ref.at("tokenizer_cases")) {
        const auto text = c.at("text").get<std::string>();
        if (has_extra_spaces(text)) {
            EXPECT_NE(tok.encode(text), c.at("ids").get<Ids>()) << text;
        } else {
            EXPECT_EQ(tok.encode(text), c.at("ids").get<Ids>()) << text;
            ++same;
        }
    }
    EXPECT_EQ(same, 11);
    const std::string stories =
        lltest::read_text(lltest::shared_path("fixtures/stories260K/text_stories.txt"));
    ASSERT_FALSE(has_extra_spaces(stories));
    EXPECT_EQ(with_bos(tok, tok.encode(stories)), lltest::read_binary<int32_t>(lltest::shared_path(
                                                      "fixtures/stories260K/tokens_stories.i32")));
}

TEST(TokenizerReference, RefMiniCasesDecodeBack) {
    LL_REQUIRE_SHARED(kRefMiniModel);
    LL_REQUIRE_SHARED("fixtures/ref-mini/reference.json");
    const Tokenizer& tok = file_tokenizer(kRefMiniModel);
    const auto ref = read_json("fixtures/ref-mini/reference.json");
    for (const auto& c : ref.at("tokenizer_cases")) {
        const auto ids = c.at("ids").get<Ids>();
        EXPECT_EQ(tok.decode(ids), c.at("text").get<std::string>());
        EXPECT_EQ(stream_decode(tok, with_bos(tok, ids)), c.at("text").get<std::string>());
    }
}

// --- 2. llama.cpp's vocab test: 46 cases ---------------------------------------------

struct VocabCase {
    std::string text;
    Ids ids;
};

std::vector<VocabCase> llama_vocab_cases() {
    const std::string inp = lltest::read_text(lltest::shared_path(kLlamaGguf + ".inp"));
    const std::string out = lltest::read_text(lltest::shared_path(kLlamaGguf + ".out"));
    const std::string sep = "\n__ggml_vocab_test__\n";
    std::vector<VocabCase> cases;
    for (size_t pos = 0; pos < inp.size();) {
        const size_t end = inp.find(sep, pos);
        if (end == std::string::npos) break;
        cases.push_back({inp.substr(pos, end - pos), {}});
        pos = end + sep.size();
    }
    std::istringstream lines(out);
    std::string line;
    for (auto& c : cases) {
        if (!std::getline(lines, line)) break;
        std::istringstream nums(line);
        for (int32_t id; nums >> id;) c.ids.push_back(id);
    }
    return cases;
}

void expect_llama_vocab_cases(const Tokenizer& tok) {
    const auto cases = llama_vocab_cases();
    ASSERT_EQ(cases.size(), 46u);
    for (const auto& c : cases)
        EXPECT_EQ(tok.encode(c.text), c.ids) << "text: \"" << c.text << "\"";
}

TEST(TokenizerLlamaVocab, RebuiltFromGgufVocabulary) {
    LL_REQUIRE_SHARED(kLlamaGguf);
    LL_REQUIRE_SHARED(kLlamaGguf + ".inp");
    const Tokenizer& tok = gguf_tokenizer(kLlamaGguf);
    EXPECT_EQ(tok.vocab_size(), 32000);
    EXPECT_EQ(tok.bos(), 1);
    EXPECT_EQ(tok.eos(), 2);
    EXPECT_EQ(tok.unk(), 0);
    EXPECT_TRUE(tok.add_bos());
    expect_llama_vocab_cases(tok);
}

TEST(TokenizerLlamaVocab, FromTokenizerModel) {
    LL_REQUIRE_SHARED(kLlamaModel);
    LL_REQUIRE_SHARED(kLlamaGguf + ".inp");
    expect_llama_vocab_cases(file_tokenizer(kLlamaModel));
}

TEST(TokenizerLlamaVocab, RebuiltModelDecodesLikeTheFile) {
    LL_REQUIRE_SHARED(kLlamaModel);
    LL_REQUIRE_SHARED(kLlamaGguf);
    const Tokenizer& file = file_tokenizer(kLlamaModel);
    const Tokenizer& gguf = gguf_tokenizer(kLlamaGguf);
    ASSERT_EQ(file.vocab_size(), gguf.vocab_size());
    for (int32_t id = 0; id < file.vocab_size(); ++id) {
        ASSERT_EQ(file.piece(id), gguf.piece(id)) << id;
        ASSERT_EQ(file.token_bytes(id), gguf.token_bytes(id)) << id;
    }
    for (const auto& c : llama_vocab_cases()) EXPECT_EQ(gguf.decode(c.ids), file.decode(c.ids));
}

// --- 3. tokens_<text>.i32 = BOS + encode(text_<text>.txt) ----------------------------

void expect_token_files(const Tokenizer& tok, const std::string& dir) {
    const auto ref = read_json(dir + "/reference.json");
    ASSERT_FALSE(ref.at("texts").empty());
    for (const auto& [name, info] : ref.at("texts").items()) {
        const std::string text =
            lltest::read_text(lltest::shared_path(dir + "/text_" + name + ".txt"));
        const auto expected =
            lltest::read_binary<int32_t>(lltest::shared_path(dir + "/tokens_" + name + ".i32"));
        const Ids got = with_bos(tok, tok.encode(text));
        EXPECT_EQ(got.size(), info.at("n_tokens").get<size_t>()) << name;
        EXPECT_EQ(got, expected) << name;
    }
}

TEST(TokenizerTokenFiles, Stories260K) {
    LL_REQUIRE_SHARED(kStoriesModel);
    LL_REQUIRE_SHARED("fixtures/stories260K/tokens_alice.i32");
    expect_token_files(file_tokenizer(kStoriesModel), "fixtures/stories260K");
}

TEST(TokenizerTokenFiles, RefMini) {
    LL_REQUIRE_SHARED(kRefMiniModel);
    LL_REQUIRE_SHARED("fixtures/ref-mini/tokens_pride.i32");
    expect_token_files(file_tokenizer(kRefMiniModel), "fixtures/ref-mini");
}

TEST(TokenizerTokenFiles, RefMiniWithVocabRebuiltFromGguf) {
    LL_REQUIRE_SHARED(kLlamaGguf);
    LL_REQUIRE_SHARED("fixtures/ref-mini/tokens_pride.i32");
    expect_token_files(gguf_tokenizer(kLlamaGguf), "fixtures/ref-mini");
}

// --- 4. streaming --------------------------------------------------------------------

TEST(TokenStreamDecoder, WholeTextsPieceByPieceEqualDecode) {
    LL_REQUIRE_SHARED(kStoriesModel);
    LL_REQUIRE_SHARED(kRefMiniModel);
    const std::vector<std::pair<std::string, std::vector<std::string>>> sets = {
        {kStoriesModel, {"stories260K/text_alice.txt", "stories260K/text_stories.txt"}},
        {kRefMiniModel,
         {"ref-mini/text_pride.txt", "ref-mini/text_xiyouji.txt", "ref-mini/text_civilcode.txt",
          "ref-mini/text_stories.txt"}}};
    for (const auto& [model, texts] : sets) {
        const Tokenizer& tok = file_tokenizer(model);
        for (const auto& rel : texts) {
            const std::string text = lltest::read_text(lltest::shared_path("fixtures/" + rel));
            Ids ids = with_bos(tok, tok.encode(text));
            ids.push_back(tok.eos());
            const std::string whole = tok.decode(ids);
            EXPECT_EQ(stream_decode(tok, ids), whole) << rel;
        }
    }
}

// Random sequences hit what encode never produces: stray byte tokens, a control token in
// the middle of a character, lone spaces at the start, unknown tokens.
void expect_random_sequences_match(const Tokenizer& tok, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int32_t> any(0, tok.vocab_size() - 1);
    std::uniform_int_distribution<int32_t> byte_token(3, 258);
    std::uniform_int_distribution<int32_t> special(0, 2);
    std::uniform_int_distribution<int> kind(0, 9);
    std::uniform_int_distribution<int> length(0, 24);
    for (int round = 0; round < 3000; ++round) {
        Ids ids;
        for (int n = length(rng); n > 0; --n) {
            const int k = kind(rng);
            ids.push_back(k < 4 ? byte_token(rng) : k < 5 ? special(rng) : any(rng));
        }
        ASSERT_EQ(stream_decode(tok, ids), tok.decode(ids)) << "round " << round;
    }
}

TEST(TokenStreamDecoder, RandomSequencesEqualDecode) {
    LL_REQUIRE_SHARED(kStoriesModel);
    LL_REQUIRE_SHARED(kLlamaModel);
    expect_random_sequences_match(file_tokenizer(kStoriesModel), 1);
    expect_random_sequences_match(file_tokenizer(kLlamaModel), 2);
}

TEST(TokenStreamDecoder, RandomSequencesEqualDecodeWithRebuiltVocab) {
    LL_REQUIRE_SHARED(kLlamaGguf);
    expect_random_sequences_match(gguf_tokenizer(kLlamaGguf), 3);
}

TEST(TokenStreamDecoder, LoneSpacePiecesAtTheStart) {
    // stories260K removes extra whitespace, so its decode drops every leading space
    // piece until text appears; Llama drops only the first.
    LL_REQUIRE_SHARED(kStoriesModel);
    LL_REQUIRE_SHARED(kLlamaModel);
    for (const auto* rel : {&kStoriesModel, &kLlamaModel}) {
        const Tokenizer& tok = file_tokenizer(*rel);
        int32_t space = -1;  // the piece "▁"
        for (int32_t id = 0; id < tok.vocab_size() && space < 0; ++id)
            if (tok.piece(id) == "\xE2\x96\x81") space = id;
        ASSERT_GE(space, 0) << *rel;
        const Ids hi = tok.encode("hi");
        for (const int n_spaces : {1, 2, 3}) {
            Ids ids(static_cast<size_t>(n_spaces), space);
            ids.insert(ids.end(), hi.begin(), hi.end());
            EXPECT_EQ(stream_decode(tok, with_bos(tok, ids)), tok.decode(ids)) << *rel;
        }
    }
}

TEST(TokenStreamDecoder, ChineseCharacterOverByteTokensComesOutWhole) {
    LL_REQUIRE_SHARED(kStoriesModel);
    const Tokenizer& tok = file_tokenizer(kStoriesModel);
    const Ids ids = tok.encode("中");  // stories260K has no CJK pieces: "▁" + 3 byte tokens
    ASSERT_EQ(ids, (Ids{410, 0xE4 + 3, 0xB8 + 3, 0xAD + 3}));
    TokenStreamDecoder dec(tok);
    EXPECT_EQ(dec.push(tok.bos()), "");
    EXPECT_EQ(dec.push(ids[0]), "");  // the dummy-prefix space is dropped
    EXPECT_EQ(dec.push(ids[1]), "");
    EXPECT_EQ(dec.push(ids[2]), "");
    EXPECT_EQ(dec.push(ids[3]), "中");
    EXPECT_EQ(dec.finish(), "");
}

TEST(TokenStreamDecoder, LeadingSpaceOfFirstPieceOnly) {
    LL_REQUIRE_SHARED(kRefMiniModel);
    const Tokenizer& tok = file_tokenizer(kRefMiniModel);
    const Ids ids = tok.encode("Hello world");
    TokenStreamDecoder dec(tok);
    EXPECT_EQ(dec.push(tok.bos()), "");
    EXPECT_EQ(dec.push(ids[0]), "Hello");
    EXPECT_EQ(dec.push(ids[1]), " world");
    EXPECT_EQ(dec.push(tok.eos()), "");
    EXPECT_EQ(dec.finish(), "");
}

TEST(TokenStreamDecoder, InvalidTrailingBytesBecomeReplacementCharacters) {
    LL_REQUIRE_SHARED(kRefMiniModel);
    const Tokenizer& tok = file_tokenizer(kRefMiniModel);
    const std::string two_fffd = "\xEF\xBF\xBD\xEF\xBF\xBD";
    const Ids hi = tok.encode("hi");
    Ids ids = hi;
    ids.push_back(0xE4 + 3);  // first two bytes of 中
    ids.push_back(0xB8 + 3);
    TokenStreamDecoder dec(tok);
    std::string out;
    for (const int32_t id : ids) out += dec.push(id);
    EXPECT_EQ(out, "hi");  // the incomplete character is held back
    EXPECT_EQ(dec.finish(), two_fffd);
    EXPECT_EQ(tok.decode(ids), "hi" + two_fffd);

    // A lone continuation byte can never complete: it comes out at once.
    TokenStreamDecoder dec2(tok);
    EXPECT_EQ(dec2.push(0x80 + 3), "\xEF\xBF\xBD");
    EXPECT_EQ(dec2.finish(), "");
}

TEST(TokenStreamDecoder, ControlTokenEndsAByteRun) {
    // sentencepiece decodes byte runs separately: E4 </s> B8 AD is not 中.
    LL_REQUIRE_SHARED(kRefMiniModel);
    const Tokenizer& tok = file_tokenizer(kRefMiniModel);
    const Ids ids = {0xE4 + 3, tok.eos(), 0xB8 + 3, 0xAD + 3};
    EXPECT_EQ(stream_decode(tok, ids), tok.decode(ids));
    EXPECT_EQ(tok.decode(ids), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TokenStreamDecoder, MalformedUtf8ComesOutAsDecodeHasIt) {
    LL_REQUIRE_SHARED(kRefMiniModel);
    const Tokenizer& tok = file_tokenizer(kRefMiniModel);
    const std::vector<std::vector<int>> byte_runs = {
        {0xF0, 0x9F, 0x98, 0x80},  // 😀, whole
        {0xC0, 0x80},              // overlong
        {0xED, 0xA0, 0x80},        // surrogate
        {0xF4, 0x90, 0x80, 0x80},  // above U+10FFFF
        {0xF0, 0x9F, 0x98},        // truncated at the end
        {0xE4, 0x41},              // interrupted by ASCII
        {0x80, 0x80, 0xFF},        // never valid
    };
    for (const auto& run : byte_runs) {
        Ids ids = {tok.bos()};
        for (const int b : run) ids.push_back(b + 3);
        EXPECT_EQ(stream_decode(tok, ids), tok.decode(ids)) << ids.size();
    }
    TokenStreamDecoder dec(tok);
    EXPECT_EQ(dec.push(0xF0 + 3), "");
    EXPECT_EQ(dec.push(0x9F + 3), "");
    EXPECT_EQ(dec.push(0x98 + 3), "");
    EXPECT_EQ(dec.push(0x80 + 3), "\xF0\x9F\x98\x80");
}

// --- 5. greedy sample round trip -----------------------------------------------------

TEST(TokenizerGreedySample, ReencodedAndDecodedRoundTrips) {
    LL_REQUIRE_SHARED(kStoriesModel);
    LL_REQUIRE_SHARED("fixtures/stories260K/greedy_from_bos.txt");
    const Tokenizer& tok = file_tokenizer(kStoriesModel);
    const std::string text =
        lltest::read_text(lltest::shared_path("fixtures/stories260K/greedy_from_bos.txt"));
    ASSERT_FALSE(text.empty());
    const Ids ids = with_bos(tok, tok.encode(text));
    EXPECT_EQ(tok.decode(ids), text);
    EXPECT_EQ(stream_decode(tok, ids), text);
}

// --- token_bytes / piece -------------------------------------------------------------

TEST(TokenizerPieces, TokenBytesByKind) {
    LL_REQUIRE_SHARED(kLlamaModel);
    const Tokenizer& tok = file_tokenizer(kLlamaModel);
    EXPECT_EQ(tok.piece(1), "<s>");
    EXPECT_EQ(tok.token_bytes(1), "");                // control
    EXPECT_EQ(tok.token_bytes(2), "");                // control
    EXPECT_EQ(tok.token_bytes(0), " \xE2\x81\x87 ");  // unknown: sentencepiece's surface
    EXPECT_EQ(tok.token_bytes(0x0A + 3), "\n");       // byte
    EXPECT_EQ(tok.piece(15043), "\xE2\x96\x81Hello");
    EXPECT_EQ(tok.token_bytes(15043), " Hello");  // normal: ▁ becomes a space
    EXPECT_THROW(tok.token_bytes(32000), EngineError);
    EXPECT_THROW(tok.piece(-1), EngineError);
    EXPECT_THROW(tok.decode(Ids{5, 32000}), EngineError);
    EXPECT_EQ(tok.decode(Ids{}), "");
    EXPECT_EQ(tok.encode(""), Ids{});
}

// --- hostile input -------------------------------------------------------------------

class TempFile {
public:
    explicit TempFile(const std::string& name, const std::string& bytes)
        // The pid keeps concurrent runs (ctest -j, several build trees) apart.
        : path_((std::filesystem::path(testing::TempDir()) /
                 ("ll_tok_" + std::to_string(getpid()) + "_" + name))
                    .string()) {
        std::ofstream(path_, std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    ~TempFile() { std::filesystem::remove(path_); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

void expect_error_naming(const std::string& path) {
    try {
        Tokenizer::from_file(path);
        ADD_FAILURE() << "no error for " << path;
    } catch (const EngineError& e) {
        EXPECT_EQ(e.where(), path);
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
        EXPECT_FALSE(e.problem().empty());
    }
}

TEST(TokenizerHostile, MissingFile) {
    expect_error_naming((std::filesystem::path(testing::TempDir()) / "ll_tok_nope.model").string());
}

TEST(TokenizerHostile, EmptyFile) {
    const TempFile f("empty.model", "");
    expect_error_naming(f.path());
}

TEST(TokenizerHostile, Directory) {
    expect_error_naming(testing::TempDir());
}

TEST(TokenizerHostile, RandomBytes) {
    std::mt19937 rng(42);
    for (int round = 0; round < 20; ++round) {
        std::string bytes(1 + rng() % 4096, '\0');
        for (char& c : bytes) c = static_cast<char>(rng());
        const TempFile f("random.model", bytes);
        expect_error_naming(f.path());
    }
}

TEST(TokenizerHostile, OtherFileFormats) {
    // A GGUF, a JSON file and llama2.c's tokenizer.bin, given where a tokenizer.model goes.
    for (const std::string& rel : {kStoriesGguf, std::string("fixtures/ref-mini/reference.json"),
                                   std::string("models/stories260K/tok512.bin")}) {
        LL_REQUIRE_SHARED(rel);
        expect_error_naming(lltest::shared_path(rel));
    }
}

TEST(TokenizerHostile, TruncatedModel) {
    LL_REQUIRE_SHARED(kStoriesModel);
    LL_REQUIRE_SHARED(kLlamaModel);
    for (const auto* rel : {&kStoriesModel, &kLlamaModel}) {
        const std::string full = lltest::read_text(lltest::shared_path(*rel));
        for (const size_t keep : {size_t{1}, size_t{7}, size_t{100}, full.size() / 3,
                                  full.size() / 2, full.size() - 200, full.size() - 1}) {
            SCOPED_TRACE(*rel + " truncated to " + std::to_string(keep));
            const TempFile f("truncated.model", full.substr(0, keep));
            expect_error_naming(f.path());
        }
    }
}

TEST(TokenizerHostile, TruncatedOnAPieceBoundary) {
    // A prefix ending between two pieces is still valid protobuf; it must not load as a
    // model without its trainer and normaliser settings.
    LL_REQUIRE_SHARED(kStoriesModel);
    const std::string full = lltest::read_text(lltest::shared_path(kStoriesModel));
    // The first piece, <unk>: tag 0x0A, length, {piece "<unk>", score, type}.
    ASSERT_EQ(full[0], '\x0A');
    const size_t first_piece = 2 + static_cast<uint8_t>(full[1]);
    const TempFile f("one_piece.model", full.substr(0, first_piece));
    expect_error_naming(f.path());
}

ll::Vocab small_vocab() {
    // A complete byte-fallback vocabulary: specials, 256 bytes, a few merges.
    ll::Vocab v;
    v.pieces = {"<unk>", "<s>", "</s>"};
    v.types = {2, 3, 3};
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        v.pieces.push_back(name);
        v.types.push_back(6);
    }
    for (const char* p : {"\xE2\x96\x81", "a", "b",
                          "\xE2\x96\x81"
                          "a",
                          "ab",
                          "\xE2\x96\x81"
                          "ab"}) {
        v.pieces.push_back(p);
        v.types.push_back(1);
    }
    v.scores.assign(v.pieces.size(), 0.0f);
    for (size_t i = 259; i < v.pieces.size(); ++i) v.scores[i] = -static_cast<float>(i - 259);
    return v;
}

void expect_vocab_error(const ll::Vocab& v, const std::string& needle) {
    try {
        Tokenizer::from_vocab(v, "test.gguf");
        ADD_FAILURE() << "no error; expected one about " << needle;
    } catch (const EngineError& e) {
        EXPECT_EQ(e.where(), "test.gguf");
        EXPECT_NE(e.problem().find(needle), std::string::npos) << e.what();
    }
}

TEST(TokenizerFromVocab, SmallVocabularyWorks) {
    const auto tok = Tokenizer::from_vocab(small_vocab(), "test.gguf");
    EXPECT_EQ(tok->vocab_size(), 265);
    const Ids ids = tok->encode("ab a\xC3\xA9");
    EXPECT_EQ(ids, (Ids{264, 262, 3 + 0xC3, 3 + 0xA9}));
    EXPECT_EQ(tok->decode(ids), "ab a\xC3\xA9");
}

TEST(TokenizerFromVocab, MissingScoresAndTypesGetDefaults) {
    ll::Vocab v = small_vocab();
    v.types.clear();
    const auto inferred = Tokenizer::from_vocab(v, "test.gguf");
    EXPECT_EQ(inferred->token_bytes(0), " \xE2\x81\x87 ");  // unknown
    EXPECT_EQ(inferred->token_bytes(1), "");                // control
    EXPECT_EQ(inferred->token_bytes(3 + 'A'), "A");         // byte
    EXPECT_EQ(inferred->encode("ab a\xC3\xA9"), (Ids{264, 262, 3 + 0xC3, 3 + 0xA9}));

    v = small_vocab();
    v.scores.clear();  // all 0: merges then go left to right
    const auto unscored = Tokenizer::from_vocab(v, "test.gguf");
    EXPECT_EQ(unscored->decode(unscored->encode("ab ab")), "ab ab");
}

TEST(TokenizerFromVocab, RejectsBadVocabularies) {
    ll::Vocab v = small_vocab();
    v.model = "rwkv";  // "gpt2" is byte-level BPE (test_bpe_tokenizer)
    expect_vocab_error(v, "unsupported tokenizer");

    v = small_vocab();
    v.scores.pop_back();
    expect_vocab_error(v, "scores");

    v = small_vocab();
    v.types.push_back(1);
    expect_vocab_error(v, "token types");

    v = small_vocab();
    v.bos = 265;
    expect_vocab_error(v, "bos token id 265");

    v = small_vocab();
    v.eos = -1;
    expect_vocab_error(v, "eos token id -1");

    v = small_vocab();
    v.unk = 1000;
    expect_vocab_error(v, "unk token id 1000");

    v = small_vocab();
    v.unk = 1;  // <s> is a control token, not the unknown one
    expect_vocab_error(v, "unknown token type");

    v = small_vocab();
    v.types[100] = 9;
    expect_vocab_error(v, "token type 9");

    v = small_vocab();
    v.pieces[262] = "";
    expect_vocab_error(v, "empty piece");

    expect_vocab_error(ll::Vocab{}, "empty");
}

TEST(TokenizerFromVocab, LibraryRejectionsBecomeEngineErrors) {
    ll::Vocab v = small_vocab();
    v.pieces[262] = "a";  // a duplicate piece
    expect_vocab_error(v, "a");

    v = small_vocab();
    v.types[10] = 1;  // only 255 byte pieces left
    expect_vocab_error(v, "256");
}

}  // namespace
