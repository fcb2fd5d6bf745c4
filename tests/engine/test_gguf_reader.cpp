// GgufFile on real model files, on synthetic files covering every metadata type, and on
// hostile files (truncated, corrupted, random) that must all be refused with an
// EngineError naming the file: never a crash, never a huge allocation.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "../shared_data.h"
#include "error.h"
#include "gguf_reader.h"

namespace {

constexpr const char* kStories = "models/gguf/stories260K-f32.gguf";
constexpr const char* kStoriesHf = "models/stories260K-hf/model.safetensors";
constexpr const char* kVocab = "models/vocab/ggml-vocab-llama-spm.gguf";

using Bytes = std::vector<uint8_t>;

Bytes read_file(const std::string& path) {
    return lltest::read_binary<uint8_t>(path);
}

// A file under the temp directory with a name unique to this process, removed on scope exit.
class TempFile {
  public:
    explicit TempFile(const Bytes& bytes) {
        static std::atomic<int> counter{0};
        path_ = (std::filesystem::temp_directory_path() /
                 ("ll_gguf_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
                  ".gguf"))
                    .string();
        write(bytes);
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    void write(const Bytes& bytes) const { write(bytes.data(), bytes.size()); }
    // Removes the old file first: truncating a file in place makes ext4 flush it to disk
    // (auto_da_alloc), which turns thousands of rewrites from milliseconds into minutes.
    void write(const uint8_t* data, size_t n) const {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// Parses the file at `path`. Returns "" when it was accepted, else the problem; fails
// the test when the error does not name the file or is not an EngineError.
std::string parse_problem(const std::string& path) {
    try {
        ll::GgufFile file(path);
        return "";
    } catch (const ll::EngineError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        EXPECT_FALSE(e.problem().empty());
        return e.problem();
    }
}

// Expects `bytes` to be refused with a problem containing `expected`.
void expect_rejected(const Bytes& bytes, const std::string& expected) {
    const TempFile f(bytes);
    const std::string problem = parse_problem(f.path());
    EXPECT_FALSE(problem.empty()) << "accepted, expected: " << expected;
    EXPECT_NE(problem.find(expected), std::string::npos)
        << "problem: '" << problem << "', expected it to contain '" << expected << "'";
}

// Writes GGUF files field by field; the header counts are patched as entries are added.
class GgufWriter {
  public:
    // (b starts as a list: GCC 12 flags insert() into an empty vector as an overflow.)
    explicit GgufWriter(uint32_t version = 3) : b{'G', 'G', 'U', 'F'} {
        u32(version);
        u64(0);  // tensor count, offset 8
        u64(0);  // metadata count, offset 16
    }

    GgufWriter& raw(std::string_view s) {
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
    template <typename T>
    GgufWriter& put(T v) {
        uint8_t tmp[sizeof(T)];
        std::memcpy(tmp, &v, sizeof(T));
        b.insert(b.end(), tmp, tmp + sizeof(T));
        return *this;
    }
    GgufWriter& u32(uint32_t v) { return put(v); }
    GgufWriter& u64(uint64_t v) { return put(v); }
    GgufWriter& str(std::string_view s) {
        u64(s.size());
        return raw(s);
    }

    // Starts a metadata entry: key and type; the caller writes the value.
    GgufWriter& key(std::string_view k, ll::GgufType t) {
        patch(16, count_at(16) + 1);
        str(k);
        return u32(static_cast<uint32_t>(t));
    }
    template <typename T>
    GgufWriter& kv(std::string_view k, ll::GgufType t, T v) {
        key(k, t);
        return put(v);
    }
    GgufWriter& kv_str(std::string_view k, std::string_view v) {
        key(k, ll::GgufType::STRING);
        return str(v);
    }

    GgufWriter& tensor(std::string_view name, const std::vector<uint64_t>& ne, uint32_t type,
                       uint64_t offset) {
        patch(8, count_at(8) + 1);
        str(name);
        u32(static_cast<uint32_t>(ne.size()));
        for (uint64_t d : ne) u64(d);
        u32(type);
        return u64(offset);
    }

    GgufWriter& pad(size_t alignment) {
        while (b.size() % alignment) b.push_back(0);
        return *this;
    }
    GgufWriter& zeros(size_t n) {
        b.insert(b.end(), n, 0);
        return *this;
    }

    void patch(size_t at, uint64_t v) { std::memcpy(b.data() + at, &v, 8); }
    uint64_t count_at(size_t at) const {
        uint64_t v;
        std::memcpy(&v, b.data() + at, 8);
        return v;
    }

    Bytes b;
};

constexpr uint32_t kF32 = 0, kQ4_0 = 2;

// A small valid file: one f32 tensor of 4x8 at data offset 0, and `extra` bytes of data.
Bytes one_tensor_file(std::vector<uint64_t> ne = {8, 4}, uint32_t type = kF32, uint64_t offset = 0,
                      size_t data_bytes = 128) {
    GgufWriter w;
    w.kv_str("general.architecture", "llama");
    w.tensor("w", ne, type, offset);
    w.pad(32).zeros(data_bytes);
    return w.b;
}

// ---- Real files ----

TEST(GgufRealFiles, Stories260KMetadata) {
    LL_REQUIRE_SHARED(kStories);
    const ll::GgufFile f(lltest::shared_path(kStories));
    EXPECT_EQ(f.path(), lltest::shared_path(kStories));
    EXPECT_EQ(f.version(), 3u);
    EXPECT_EQ(f.alignment(), 32u);
    EXPECT_EQ(f.data_offset() % 32, 0u);
    EXPECT_EQ(f.get_string("general.architecture"), "llama");
    EXPECT_EQ(f.get_int("llama.block_count"), 5);
    EXPECT_EQ(f.get_int("llama.embedding_length"), 64);
    EXPECT_EQ(f.get_int("llama.context_length"), 512);
    EXPECT_EQ(f.get_int("llama.feed_forward_length"), 172);
    EXPECT_EQ(f.get_int("llama.attention.head_count"), 8);
    EXPECT_EQ(f.get_int("llama.attention.head_count_kv"), 4);
    EXPECT_EQ(f.get_int("llama.rope.dimension_count"), 8);
    EXPECT_EQ(f.get_float("llama.rope.freq_base"), 10000.0);
    EXPECT_EQ(f.get_float("llama.attention.layer_norm_rms_epsilon"), double{1e-5f});
    EXPECT_EQ(f.get_bool("tokenizer.ggml.add_bos_token"), true);
    EXPECT_EQ(f.get_bool("tokenizer.ggml.add_eos_token"), false);
    const auto tokens = f.get_string_array("tokenizer.ggml.tokens");
    ASSERT_TRUE(tokens);
    EXPECT_EQ(tokens->size(), 512u);
    EXPECT_EQ((*tokens)[1], "<s>");
    const auto keys = f.keys();
    EXPECT_EQ(keys.front(), "general.architecture");
    EXPECT_NE(std::find(keys.begin(), keys.end(), "tokenizer.ggml.scores"), keys.end());
    // Wrong-type and missing lookups are nullopt, not errors.
    EXPECT_FALSE(f.get_string("llama.block_count"));
    EXPECT_FALSE(f.get_int("general.architecture"));
    EXPECT_FALSE(f.get_float("llama.block_count"));
    EXPECT_FALSE(f.get_int("no.such.key"));
    EXPECT_EQ(f.find("no.such.key"), nullptr);
    EXPECT_FALSE(f.get_float_array("tokenizer.ggml.tokens"));
}

TEST(GgufRealFiles, Stories260KTensors) {
    LL_REQUIRE_SHARED(kStories);
    const ll::GgufFile f(lltest::shared_path(kStories));
    EXPECT_EQ(f.tensors().size(), 5u * 9u + 2u);  // 9 per block, embedding, final norm
    const auto shape = [&](const std::string& name) {
        const ll::Tensor* t = f.tensor(name);
        EXPECT_NE(t, nullptr) << name;
        return t ? t->shape : std::vector<int64_t>{};
    };
    EXPECT_EQ(shape("token_embd.weight"), (std::vector<int64_t>{512, 64}));
    EXPECT_EQ(shape("output_norm.weight"), (std::vector<int64_t>{64}));
    EXPECT_EQ(shape("blk.0.attn_q.weight"), (std::vector<int64_t>{64, 64}));
    EXPECT_EQ(shape("blk.4.attn_k.weight"), (std::vector<int64_t>{32, 64}));
    EXPECT_EQ(shape("blk.2.ffn_down.weight"), (std::vector<int64_t>{64, 172}));
    EXPECT_EQ(shape("blk.2.ffn_up.weight"), (std::vector<int64_t>{172, 64}));
    EXPECT_EQ(f.tensor("output.weight"), nullptr);  // tied embeddings
    const ll::Tensor* emb = f.tensor("token_embd.weight");
    ASSERT_NE(emb, nullptr);
    EXPECT_EQ(emb->type, ll::DType::F32);
    EXPECT_EQ(emb->bytes, 512u * 64u * 4u);
    EXPECT_EQ(emb->rows(), 512);
    EXPECT_EQ(emb->cols(), 64);
    for (const ll::Tensor& t : f.tensors()) {
        EXPECT_EQ(t.bytes, static_cast<size_t>(t.elements()) * 4) << t.name;
        EXPECT_EQ((t.data - emb->data) % 32, 0) << t.name;
    }
}

// The embedding and an MLP weight are stored unpermuted, so their bytes equal the
// Hugging Face checkpoint's: this pins down the data-section offset arithmetic.
TEST(GgufRealFiles, Stories260KDataMatchesSafetensors) {
    LL_REQUIRE_SHARED(kStories);
    LL_REQUIRE_SHARED(kStoriesHf);
    const ll::GgufFile f(lltest::shared_path(kStories));
    const Bytes st = read_file(lltest::shared_path(kStoriesHf));
    ASSERT_GT(st.size(), 8u);
    uint64_t header_len;
    std::memcpy(&header_len, st.data(), 8);
    const auto header = nlohmann::json::parse(st.begin() + 8, st.begin() + 8 + header_len);
    const auto compare = [&](const char* gguf_name, const char* hf_name) {
        const ll::Tensor* t = f.tensor(gguf_name);
        ASSERT_NE(t, nullptr);
        const auto offsets = header.at(hf_name).at("data_offsets");
        const size_t begin = offsets[0].get<size_t>(), end = offsets[1].get<size_t>();
        ASSERT_EQ(end - begin, t->bytes) << gguf_name;
        EXPECT_EQ(std::memcmp(t->data, st.data() + 8 + header_len + begin, t->bytes), 0)
            << gguf_name;
    };
    compare("token_embd.weight", "model.embed_tokens.weight");
    compare("blk.0.ffn_down.weight", "model.layers.0.mlp.down_proj.weight");
    compare("output_norm.weight", "model.norm.weight");
}

TEST(GgufRealFiles, LlamaSpmVocabOnly) {
    LL_REQUIRE_SHARED(kVocab);
    const ll::GgufFile f(lltest::shared_path(kVocab));
    EXPECT_TRUE(f.tensors().empty());
    EXPECT_EQ(f.get_string("tokenizer.ggml.model"), "llama");
    const auto tokens = f.get_string_array("tokenizer.ggml.tokens");
    const auto scores = f.get_float_array("tokenizer.ggml.scores");
    const auto types = f.get_int_array("tokenizer.ggml.token_type");
    ASSERT_TRUE(tokens && scores && types);
    ASSERT_EQ(tokens->size(), 32000u);
    ASSERT_EQ(scores->size(), 32000u);
    ASSERT_EQ(types->size(), 32000u);
    EXPECT_EQ((*tokens)[0], "<unk>");
    EXPECT_EQ((*tokens)[1], "<s>");
    EXPECT_EQ((*tokens)[2], "</s>");
    EXPECT_EQ((*tokens)[3], "<0x00>");
    EXPECT_EQ((*tokens)[258], "<0xFF>");
    EXPECT_EQ((*types)[0], 2);    // unknown
    EXPECT_EQ((*types)[1], 3);    // control
    EXPECT_EQ((*types)[3], 6);    // byte
    EXPECT_EQ((*types)[259], 1);  // normal
    EXPECT_EQ((*scores)[0], 0.0f);
    EXPECT_EQ((*scores)[259], -1e9f);        // "▁▁", never merged by sentencepiece
    EXPECT_EQ((*scores)[31999], -31740.0f);  // later merges score lower
    EXPECT_EQ(f.get_int("tokenizer.ggml.bos_token_id"), 1);
    EXPECT_EQ(f.get_int("tokenizer.ggml.eos_token_id"), 2);
    EXPECT_EQ(f.get_int("tokenizer.ggml.unknown_token_id"), 0);
    EXPECT_EQ(f.get_int("llama.vocab_size"), 32000);
    const ll::GgufValue* v = f.find("tokenizer.ggml.tokens");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(v->type(), ll::GgufType::ARRAY);
    EXPECT_EQ(v->elem_type(), ll::GgufType::STRING);
    EXPECT_EQ(v->element(31999)->as_string(), (*tokens)[31999]);
    EXPECT_FALSE(v->element(32000));
}

// ---- Synthetic valid files ----

TEST(GgufSynthetic, EveryMetadataType) {
    GgufWriter w(2);  // version 2 has the same layout as 3
    using T = ll::GgufType;
    w.kv("u8", T::U8, uint8_t{200});
    w.kv("i8", T::I8, int8_t{-100});
    w.kv("u16", T::U16, uint16_t{60000});
    w.kv("i16", T::I16, int16_t{-30000});
    w.kv("u32", T::U32, uint32_t{4000000000u});
    w.kv("i32", T::I32, int32_t{-2000000000});
    w.kv("f32", T::F32, 1.5f);
    w.kv("bool", T::BOOL, uint8_t{1});
    w.kv_str("string", "hello \xE4\xB8\x96");
    w.kv("u64", T::U64, uint64_t{1} << 40);
    w.kv("u64big", T::U64, ~uint64_t{0});
    w.kv("i64", T::I64, int64_t{-(int64_t{1} << 50)});
    w.kv("f64", T::F64, 0.1);
    w.kv_str("empty", "");
    w.key("ints", T::ARRAY).u32(static_cast<uint32_t>(T::I16)).u64(3);
    w.put(int16_t{-1}).put(int16_t{2}).put(int16_t{3});
    w.key("floats", T::ARRAY).u32(static_cast<uint32_t>(T::F64)).u64(2).put(0.25).put(-8.0);
    w.key("strings", T::ARRAY).u32(static_cast<uint32_t>(T::STRING)).u64(2).str("a").str("");
    w.key("none", T::ARRAY).u32(static_cast<uint32_t>(T::U8)).u64(0);
    // [[1, 2], [[]]]: arrays of arrays, one of them holding an empty array.
    w.key("nested", T::ARRAY).u32(static_cast<uint32_t>(T::ARRAY)).u64(2);
    w.u32(static_cast<uint32_t>(T::U32)).u64(2).u32(1).u32(2);
    w.u32(static_cast<uint32_t>(T::ARRAY)).u64(1).u32(static_cast<uint32_t>(T::BOOL)).u64(0);
    const TempFile file(w.b);
    const ll::GgufFile f(file.path());

    EXPECT_EQ(f.version(), 2u);
    EXPECT_EQ(f.keys().size(), 19u);
    EXPECT_EQ(f.keys()[3], "i16");
    EXPECT_EQ(f.get_int("u8"), 200);
    EXPECT_EQ(f.get_int("i8"), -100);
    EXPECT_EQ(f.get_int("u16"), 60000);
    EXPECT_EQ(f.get_int("i16"), -30000);
    EXPECT_EQ(f.get_int("u32"), 4000000000);
    EXPECT_EQ(f.get_int("i32"), -2000000000);
    EXPECT_EQ(f.get_float("f32"), 1.5);
    EXPECT_EQ(f.get_bool("bool"), true);
    EXPECT_EQ(f.get_string("string"), "hello \xE4\xB8\x96");
    EXPECT_EQ(f.get_string("empty"), "");
    EXPECT_EQ(f.get_int("u64"), int64_t{1} << 40);
    EXPECT_FALSE(f.get_int("u64big"));  // does not fit int64
    EXPECT_EQ(f.find("u64big")->type(), T::U64);
    EXPECT_EQ(f.get_int("i64"), -(int64_t{1} << 50));
    EXPECT_EQ(f.get_float("f64"), 0.1);
    EXPECT_FALSE(f.get_bool("u8"));
    EXPECT_FALSE(f.get_float("i32"));
    EXPECT_EQ(f.get_int_array("ints"), (std::vector<int64_t>{-1, 2, 3}));
    EXPECT_EQ(f.get_float_array("floats"), (std::vector<float>{0.25f, -8.0f}));
    EXPECT_EQ(f.get_string_array("strings"), (std::vector<std::string>{"a", ""}));
    EXPECT_EQ(f.get_int_array("none"), std::vector<int64_t>{});
    EXPECT_FALSE(f.get_int_array("floats"));
    EXPECT_FALSE(f.get_string_array("ints"));
    EXPECT_FALSE(f.get_int_array("nested"));
    EXPECT_FALSE(f.get_int_array("u8"));

    const ll::GgufValue* nested = f.find("nested");
    ASSERT_NE(nested, nullptr);
    EXPECT_EQ(nested->elem_type(), T::ARRAY);
    ASSERT_EQ(nested->nested().size(), 2u);
    EXPECT_FALSE(nested->element(0));
    const ll::GgufValue& first = nested->nested()[0];
    EXPECT_EQ(first.elem_type(), T::U32);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first.element(1)->as_int(), 2);
    const ll::GgufValue& second = nested->nested()[1];
    ASSERT_EQ(second.nested().size(), 1u);
    EXPECT_EQ(second.nested()[0].elem_type(), T::BOOL);
    EXPECT_EQ(second.nested()[0].size(), 0u);
    EXPECT_EQ(ll::gguf_type_name(T::F64), "f64");
}

TEST(GgufSynthetic, TensorsShapesAndCustomAlignment) {
    GgufWriter w;
    w.kv("general.alignment", ll::GgufType::U32, uint32_t{64});
    w.tensor("a", {8, 3, 2}, kF32, 0);     // 192 bytes
    w.tensor("q", {64, 2}, kQ4_0, 192);    // 4 blocks of 18 bytes = 72
    w.tensor("h", {4}, 1 /* F16 */, 320);  // 8 bytes
    w.pad(64);
    const size_t data_start = w.b.size();
    for (int i = 0; i < 336; ++i) w.b.push_back(static_cast<uint8_t>(i));
    const TempFile file(w.b);
    const ll::GgufFile f(file.path());
    EXPECT_EQ(f.alignment(), 64u);
    EXPECT_EQ(f.data_offset(), data_start);
    ASSERT_EQ(f.tensors().size(), 3u);
    EXPECT_EQ(f.tensors()[0].name, "a");
    EXPECT_EQ(f.tensors()[0].shape, (std::vector<int64_t>{2, 3, 8}));  // ne reversed
    EXPECT_EQ(f.tensors()[0].bytes, 192u);
    const ll::Tensor* q = f.tensor("q");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->type, ll::DType::Q4_0);
    EXPECT_EQ(q->shape, (std::vector<int64_t>{2, 64}));
    EXPECT_EQ(q->bytes, 72u);
    EXPECT_EQ(q->data[0], 192);  // data points at its bytes in the map
    EXPECT_EQ(f.tensor("h")->data[0], 320 % 256);
    EXPECT_EQ(f.tensor("missing"), nullptr);
}

// ---- Hostile synthetic files ----

TEST(GgufHostile, HeaderProblems) {
    expect_rejected({'G', 'G'}, "truncated file: the magic number");
    expect_rejected({'G', 'G', 'U', 'X', 3, 0, 0, 0}, "not a GGUF file");
    expect_rejected({0x7F, 'E', 'L', 'F', 3, 0, 0, 0}, "\\x7fELF");
    expect_rejected({'G', 'G', 'U', 'F', 3, 0}, "truncated file: the version");
    expect_rejected(GgufWriter(1).b, "unsupported GGUF version 1");
    expect_rejected(GgufWriter(4).b, "unsupported GGUF version 4");
    expect_rejected(GgufWriter(0x03000000).b, "big-endian");
    Bytes cut = GgufWriter().b;
    cut.resize(20);
    expect_rejected(cut, "truncated file: the metadata count");
}

TEST(GgufHostile, HugeCounts) {
    GgufWriter w;
    w.patch(8, uint64_t{1} << 62);
    expect_rejected(w.b, "tensor count 4611686018427387904 cannot fit");
    GgufWriter k;
    k.patch(16, ~uint64_t{0});
    expect_rejected(k.b, "metadata count");
    GgufWriter s;
    s.patch(16, 1);
    s.u64(~uint64_t{0} - 3).raw("key").zeros(16);  // key length beyond the file
    expect_rejected(s.b, "truncated file: the key of metadata entry 0 needs");
    GgufWriter v;
    v.key("k", ll::GgufType::STRING).u64(uint64_t{1} << 40).raw("abc");
    expect_rejected(v.b, "the value of 'k' needs 1099511627776 bytes");
    GgufWriter a;
    a.key("arr", ll::GgufType::ARRAY).u32(static_cast<uint32_t>(ll::GgufType::U64));
    a.u64(uint64_t{1} << 61).u64(0);
    expect_rejected(a.b, "element count of array 'arr'");
    GgufWriter sa;  // a string array whose count fits 1-byte elements but not 8-byte lengths
    sa.key("toks", ll::GgufType::ARRAY).u32(static_cast<uint32_t>(ll::GgufType::STRING));
    sa.u64(100).zeros(99);
    expect_rejected(sa.b, "element count of array 'toks'");
    // Counts that the bytes could hold but no real model has.
    GgufWriter many;
    many.patch(16, 70000);
    many.zeros(70000 * 13);
    expect_rejected(many.b, "metadata count 70000 is implausibly large");
    GgufWriter wide;
    wide.key("wide", ll::GgufType::ARRAY).u32(static_cast<uint32_t>(ll::GgufType::ARRAY));
    wide.u64(70000).zeros(70000 * 12);
    expect_rejected(wide.b, "element count of nested array 'wide' 70000 is implausibly large");
    GgufWriter se;
    se.key("toks", ll::GgufType::ARRAY).u32(static_cast<uint32_t>(ll::GgufType::STRING));
    se.u64(3).str("a").u64(1000).raw("b").u64(0);
    expect_rejected(se.b, "element 1 of 'toks'");
}

TEST(GgufHostile, BadMetadataTypes) {
    GgufWriter t;
    t.key("k", static_cast<ll::GgufType>(13)).u32(0);
    expect_rejected(t.b, "metadata key 'k' has unknown value type 13");
    GgufWriter e;
    e.key("k", ll::GgufType::ARRAY).u32(99).u64(0);
    expect_rejected(e.b, "metadata array 'k' has unknown element type 99");
    GgufWriter d;
    d.kv("dup", ll::GgufType::U8, uint8_t{1}).kv("dup", ll::GgufType::U8, uint8_t{2});
    expect_rejected(d.b, "duplicate metadata key 'dup'");
    GgufWriter deep;  // arrays nested 100 deep, each claiming one element
    deep.key("deep", ll::GgufType::ARRAY);
    for (int i = 0; i < 100; ++i) deep.u32(static_cast<uint32_t>(ll::GgufType::ARRAY)).u64(1);
    deep.u32(0).u64(0);
    expect_rejected(deep.b, "nested deeper than");
    GgufWriter cut;
    cut.key("k", ll::GgufType::U64).u32(7);
    expect_rejected(cut.b, "truncated file: the value of 'k' needs 8 bytes");
    GgufWriter al;
    al.kv_str("general.alignment", "32");
    expect_rejected(al.b, "general.alignment has type string");
    for (uint32_t bad : {0u, 3u, 48u, 0x80000000u}) {
        GgufWriter a;
        a.kv("general.alignment", ll::GgufType::U32, bad);
        expect_rejected(a.b, "is not a power of two");
    }
}

TEST(GgufHostile, BadTensorInfos) {
    expect_rejected(one_tensor_file({8, 4, 1, 1, 1}), "has 5 dimensions");
    expect_rejected(one_tensor_file({}), "has 0 dimensions");
    expect_rejected(one_tensor_file({8, 0}), "invalid dimension 1 = 0");
    expect_rejected(one_tensor_file({8, ~uint64_t{0}}), "invalid dimension 1");
    expect_rejected(one_tensor_file({uint64_t{1} << 32, uint64_t{1} << 32}),
                    "element count of tensor 'w' overflows");
    expect_rejected(one_tensor_file({uint64_t{1} << 62, 1}), "byte size of tensor 'w' overflows");
    expect_rejected(one_tensor_file({8, 4}, 99), "unknown or unsupported type id 99");
    expect_rejected(one_tensor_file({8, 4}, 4), "unknown or unsupported type id 4");
    expect_rejected(one_tensor_file({16, 4}, kQ4_0), "not a multiple of the Q4_0 block size 32");
    expect_rejected(one_tensor_file({8, 4}, kF32, 4), "not a multiple of the alignment 32");
    expect_rejected(one_tensor_file({8, 4}, kF32, 0, 127), "extends past the end of the file");
    expect_rejected(one_tensor_file({8, 4}, kF32, 1024), "extends past the end of the file");
    expect_rejected(one_tensor_file({8, 4}, kF32, ~uint64_t{0} & ~uint64_t{31}),
                    "extends past the end of the file");
    expect_rejected(one_tensor_file({1024, 1024}), "extends past the end of the file");

    // A megabyte of binary as a tensor name: the message shows it escaped and cut short.
    GgufWriter binary;
    binary.tensor(std::string(1 << 20, '\x01'), {0}, kF32, 0).pad(32);
    {
        const TempFile f(binary.b);
        const std::string problem = parse_problem(f.path());
        EXPECT_NE(problem.find("tensor '\\x01\\x01"), std::string::npos) << problem;
        EXPECT_NE(problem.find("...' has invalid dimension 0 = 0"), std::string::npos) << problem;
        EXPECT_LT(problem.size(), 400u);
    }
    GgufWriter dup;
    dup.tensor("w", {8}, kF32, 0).tensor("w", {8}, kF32, 32).pad(32).zeros(64);
    expect_rejected(dup.b, "duplicate tensor name 'w'");
    GgufWriter overlap;
    overlap.tensor("a", {16}, kF32, 0).tensor("b", {8}, kF32, 32).pad(32).zeros(64);
    expect_rejected(overlap.b, "tensors 'a' and 'b' overlap");
    GgufWriter nodata;  // infos end exactly at the end of the file
    nodata.tensor("a", {8}, kF32, 0);
    nodata.b.resize(nodata.b.size() + 1);
    expect_rejected(nodata.b, "past the end of the file");
}

// ---- Hostile variants of the real file ----

// Offset of the n_dims field of tensor `name` in a GGUF image (right after its name).
size_t tensor_info_at(const Bytes& file, const std::string& name) {
    Bytes needle(8);
    const uint64_t len = name.size();
    std::memcpy(needle.data(), &len, 8);
    needle.insert(needle.end(), name.begin(), name.end());
    const auto it = std::search(file.begin(), file.end(), needle.begin(), needle.end());
    EXPECT_NE(it, file.end()) << name;
    return static_cast<size_t>(it - file.begin()) + needle.size();
}

template <typename T>
Bytes patched(Bytes b, size_t at, T v) {
    std::memcpy(b.data() + at, &v, sizeof v);
    return b;
}

TEST(GgufHostile, CorruptedStoriesTensorInfos) {
    LL_REQUIRE_SHARED(kStories);
    const Bytes good = read_file(lltest::shared_path(kStories));
    // output_norm.weight: n_dims u32 = 1, ne[0] u64 = 64, type u32, offset u64.
    const size_t at = tensor_info_at(good, "output_norm.weight");
    const size_t ne0 = at + 4, type = at + 12, offset = at + 16;
    {
        const TempFile f(good);
        ASSERT_EQ(parse_problem(f.path()), "");
    }
    expect_rejected(patched(good, at, uint32_t{5}), "has 5 dimensions");
    expect_rejected(patched(good, at, uint32_t{0xFFFFFFFF}), "has 4294967295 dimensions");
    expect_rejected(patched(good, ne0, uint64_t{0}), "invalid dimension 0 = 0");
    expect_rejected(patched(good, ne0, uint64_t{1} << 40), "extends past the end");
    expect_rejected(patched(good, ne0, ~uint64_t{0}), "invalid dimension 0");
    expect_rejected(patched(good, type, uint32_t{1000}), "unknown or unsupported type id 1000");
    expect_rejected(patched(good, type, uint32_t{12}), "not a multiple of the Q4_K block size");
    uint64_t off;
    std::memcpy(&off, good.data() + offset, 8);
    expect_rejected(patched(good, offset, off + 1), "not a multiple of the alignment");
    expect_rejected(patched(good, offset, off + (uint64_t{1} << 40)), "extends past the end");
    expect_rejected(patched(good, offset, ~uint64_t{0} - 31), "extends past the end");
    expect_rejected(patched(good, offset, uint64_t{0}), "overlap");
    // attn_k's name turned into attn_q's: 'k' is the 8th letter from the end.
    Bytes dup = good;
    dup[tensor_info_at(good, "blk.0.attn_k.weight") - 8] = 'q';
    expect_rejected(dup, "duplicate tensor name 'blk.0.attn_q.weight'");
}

// Every cut inside the header and metadata must be refused, as must a sample of cuts in
// the tensor data (the last tensor then overhangs the end).
TEST(GgufHostile, TruncatedStoriesAtEveryHeaderOffset) {
    LL_REQUIRE_SHARED(kStories);
    const Bytes good = read_file(lltest::shared_path(kStories));
    size_t data_end = 0, header_end = 0;
    {
        const ll::GgufFile f(lltest::shared_path(kStories));
        header_end = f.data_offset();
        // The lowest tensor starts the data section (offset 0) in a file written by gguf-py.
        const uint8_t* base = f.tensors()[0].data;
        for (const ll::Tensor& t : f.tensors()) base = std::min(base, t.data);
        for (const ll::Tensor& t : f.tensors()) {
            data_end =
                std::max(data_end, header_end + static_cast<size_t>(t.data - base) + t.bytes);
        }
    }
    ASSERT_LE(data_end, good.size());
    const TempFile f(Bytes{});
    size_t refused = 0;
    std::vector<size_t> cuts;
    for (size_t n = 0; n <= header_end; ++n) cuts.push_back(n);
    for (size_t n = header_end + 1; n < data_end; n += 997) cuts.push_back(n);
    cuts.push_back(data_end - 1);
    for (size_t n : cuts) {
        f.write(good.data(), n);
        if (!parse_problem(f.path()).empty())
            ++refused;
        else
            ADD_FAILURE() << "accepted a file cut at " << n;
    }
    EXPECT_EQ(refused, cuts.size());
}

TEST(GgufHostile, TruncatedVocabSample) {
    LL_REQUIRE_SHARED(kVocab);
    const Bytes good = read_file(lltest::shared_path(kVocab));
    const TempFile f(Bytes{});
    std::mt19937 rng(1234);
    std::vector<size_t> cuts;
    for (size_t n = 0; n < 1024; ++n) cuts.push_back(n);
    std::uniform_int_distribution<size_t> pick(1024, good.size() - 1);
    for (int i = 0; i < 200; ++i) cuts.push_back(pick(rng));
    for (size_t n : cuts) {
        f.write(good.data(), n);
        EXPECT_FALSE(parse_problem(f.path()).empty()) << "accepted a file cut at " << n;
    }
}

TEST(GgufHostile, RandomBytes) {
    const TempFile f(Bytes{});
    for (uint32_t seed = 0; seed < 300; ++seed) {
        std::mt19937 rng(seed);
        Bytes b(1 + rng() % 4096);
        for (auto& x : b) x = static_cast<uint8_t>(rng());
        if (seed % 2 == 1) {  // a valid magic and version, then noise
            const uint8_t head[] = {'G', 'G', 'U', 'F', 3, 0, 0, 0};
            std::memcpy(b.data(), head, std::min(b.size(), sizeof head));
        }
        f.write(b);
        EXPECT_FALSE(parse_problem(f.path()).empty()) << "seed " << seed;
    }
}

// Random byte flips in the real header: the file may still be valid (a changed letter
// in a name), but parsing must end in success or an EngineError, never anything else.
TEST(GgufHostile, MutatedStoriesHeaderNeverCrashes) {
    LL_REQUIRE_SHARED(kStories);
    const Bytes good = read_file(lltest::shared_path(kStories));
    size_t header_end = 0;
    {
        const ll::GgufFile g(lltest::shared_path(kStories));
        header_end = g.data_offset();
    }
    // Only the header and a little data: keeps each iteration cheap.
    const TempFile f(Bytes{});
    int refused = 0;
    for (uint32_t seed = 0; seed < 1500; ++seed) {
        std::mt19937 rng(seed);
        Bytes b = good;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < flips; ++i) {
            const size_t at = rng() % header_end;
            b[at] = (rng() % 2) ? static_cast<uint8_t>(rng()) : static_cast<uint8_t>(0xFF);
        }
        f.write(b);
        if (!parse_problem(f.path()).empty()) ++refused;
    }
    EXPECT_GT(refused, 0);
}

TEST(GgufHostile, MissingAndEmptyFiles) {
    const std::string missing =
        (std::filesystem::temp_directory_path() / "ll_gguf_test_does_not_exist.gguf").string();
    EXPECT_NE(parse_problem(missing).find("cannot open"), std::string::npos);
    expect_rejected(Bytes{}, "empty");
}

}  // namespace
