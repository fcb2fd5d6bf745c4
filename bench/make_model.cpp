// make-model: a random-weight Llama GGUF of a real shape, so speed can be measured on
// the shapes that matter without shipping weights. Weights ~ N(0, 0.02) (Irwin-Hall
// approximation), norms 1; quantised with the engine's own quantisers (quantize.h).
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

#include "bench.h"
#include "dtype.h"
#include "gguf_reader.h"
#include "gguf_writer.h"
#include "quantize.h"

namespace llbench {
namespace {

struct Shape {
    std::string name;
    int layers, dim, heads, kv_heads, ffn, vocab, context;
};

Shape shape_named(const std::string& name) {
    if (name == "tinyllama") return {"tinyllama", 22, 2048, 32, 4, 5632, 32000, 2048};
    if (name == "small") return {"small", 4, 256, 4, 2, 704, 512, 2048};
    throw std::runtime_error("unknown shape " + name + " (tinyllama, small)");
}

ll::DType type_named(const std::string& name) {
    if (name == "f32") return ll::DType::F32;
    if (name == "f16") return ll::DType::F16;
    if (name == "bf16") return ll::DType::BF16;
    if (name == "q8_0") return ll::DType::Q8_0;
    if (name == "q4_0") return ll::DType::Q4_0;
    throw std::runtime_error("unknown type " + name + " (f32, f16, bf16, q8_0, q4_0)");
}

// splitmix64: fast and good enough for weights whose values only need to look plausible.
class Rng {
  public:
    explicit Rng(uint64_t seed) : s_(seed) {}
    uint64_t next() {
        uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Sum of four 16-bit uniforms: mean 0, variance 1/3 of the unit range squared.
    float normalish(float stddev) {
        const uint64_t r = next();
        const float s = static_cast<float>((r & 0xFFFF) + ((r >> 16) & 0xFFFF) +
                                           ((r >> 32) & 0xFFFF) + (r >> 48)) /
                            65536.0f -
                        2.0f;
        return s * stddev * 1.7320508f;
    }

  private:
    uint64_t s_;
};

// Sentencepiece-style vocabulary: <unk>, <s>, </s>, the 256 byte tokens, then pieces
// ("▁a", "b", "▁ab", ...) with falling scores, enough to fill `size` ids.
void synthetic_vocab(int size, std::vector<std::string>& pieces, std::vector<float>& scores,
                     std::vector<int32_t>& types) {
    pieces = {"<unk>", "<s>", "</s>"};
    types = {2, 3, 3};
    char hex[8];
    for (int b = 0; b < 256; ++b) {
        std::snprintf(hex, sizeof hex, "<0x%02X>", b);
        pieces.push_back(hex);
        types.push_back(6);
    }
    const std::string space = "\xE2\x96\x81";
    for (int64_t k = 0; static_cast<int>(pieces.size()) < size; ++k) {
        std::string word;
        for (int64_t v = k / 2 + 1; v > 0; v = (v - 1) / 26)
            word.insert(word.begin(), static_cast<char>('a' + (v - 1) % 26));
        pieces.push_back(k % 2 == 0 ? space + word : word);
        types.push_back(1);
    }
    pieces.resize(static_cast<size_t>(size));
    types.resize(static_cast<size_t>(size));
    scores.assign(pieces.size(), 0.0f);
    for (size_t i = 259; i < pieces.size(); ++i) scores[i] = -static_cast<float>(i - 259);
}

// The special ids, merges and templates of a --vocab file; Llama's sentencepiece defaults
// when there is none.
struct VocabExtras {
    std::string model = "llama";
    std::vector<std::string> merges;
    std::optional<std::string> pre, chat_template;
    uint32_t bos = 1, eos = 2;
    std::optional<uint32_t> unk = 0, eot;
    bool add_bos = true;
};

VocabExtras vocab_extras(const ll::GgufFile& f) {
    VocabExtras x;
    x.model = f.get_string("tokenizer.ggml.model").value_or(x.model);
    x.merges = f.get_string_array("tokenizer.ggml.merges").value_or(x.merges);
    x.pre = f.get_string("tokenizer.ggml.pre");
    x.chat_template = f.get_string("tokenizer.chat_template");
    const auto id = [&](const char* key) -> std::optional<uint32_t> {
        if (auto v = f.get_int(key)) return static_cast<uint32_t>(*v);
        return std::nullopt;
    };
    x.bos = id("tokenizer.ggml.bos_token_id").value_or(x.bos);
    x.eos = id("tokenizer.ggml.eos_token_id").value_or(x.eos);
    x.unk = id("tokenizer.ggml.unknown_token_id");
    x.eot = id("tokenizer.ggml.eot_token_id");
    x.add_bos = f.get_bool("tokenizer.ggml.add_bos_token").value_or(x.model == "llama");
    return x;
}

void add_vocab(GgufWriter& w, const Args& args, Shape& shape) {
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;
    VocabExtras extras;
    const std::string from = args.str("vocab", "");
    if (!from.empty()) {
        // The vocabulary of an existing GGUF (e.g. ggml-vocab-llama-spm.gguf, or a
        // byte-level one with its merges), read at run time: the file itself is never copied.
        const ll::GgufFile f(from);
        pieces = f.get_string_array("tokenizer.ggml.tokens").value_or(pieces);
        scores = f.get_float_array("tokenizer.ggml.scores").value_or(scores);
        for (int64_t t :
             f.get_int_array("tokenizer.ggml.token_type").value_or(std::vector<int64_t>{}))
            types.push_back(static_cast<int32_t>(t));
        if (pieces.empty()) throw std::runtime_error(from + " has no tokenizer.ggml.tokens");
        shape.vocab = static_cast<int>(pieces.size());
        extras = vocab_extras(f);
    } else {
        synthetic_vocab(shape.vocab, pieces, scores, types);
    }
    w.add_string("tokenizer.ggml.model", extras.model);
    w.add_strings("tokenizer.ggml.tokens", pieces);
    if (!scores.empty()) w.add_f32s("tokenizer.ggml.scores", scores);
    if (!types.empty()) w.add_i32s("tokenizer.ggml.token_type", types);
    if (!extras.merges.empty()) w.add_strings("tokenizer.ggml.merges", extras.merges);
    if (extras.pre) w.add_string("tokenizer.ggml.pre", *extras.pre);
    w.add_u32("tokenizer.ggml.bos_token_id", extras.bos);
    w.add_u32("tokenizer.ggml.eos_token_id", extras.eos);
    if (extras.unk) w.add_u32("tokenizer.ggml.unknown_token_id", *extras.unk);
    if (extras.eot) w.add_u32("tokenizer.ggml.eot_token_id", *extras.eot);
    w.add_bool("tokenizer.ggml.add_bos_token", extras.add_bos);
    if (extras.chat_template) w.add_string("tokenizer.chat_template", *extras.chat_template);
}

void add_metadata(GgufWriter& w, const Shape& s, const std::string& type) {
    w.add_string("general.architecture", "llama");
    w.add_string("general.name", "random-" + s.name + "-" + type);
    w.add_u32("general.alignment", 32);
    w.add_u32("llama.block_count", static_cast<uint32_t>(s.layers));
    w.add_u32("llama.embedding_length", static_cast<uint32_t>(s.dim));
    w.add_u32("llama.feed_forward_length", static_cast<uint32_t>(s.ffn));
    w.add_u32("llama.attention.head_count", static_cast<uint32_t>(s.heads));
    w.add_u32("llama.attention.head_count_kv", static_cast<uint32_t>(s.kv_heads));
    w.add_u32("llama.context_length", static_cast<uint32_t>(s.context));
    w.add_u32("llama.rope.dimension_count", static_cast<uint32_t>(s.dim / s.heads));
    w.add_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
    w.add_f32("llama.rope.freq_base", 10000.0f);
}

std::vector<GgufWriter::TensorInfo> tensor_list(const Shape& s, ll::DType type) {
    const int64_t hd = s.dim / s.heads, kv = static_cast<int64_t>(s.kv_heads) * hd;
    std::vector<GgufWriter::TensorInfo> t;
    t.push_back({"token_embd.weight", {s.vocab, s.dim}, type});
    for (int l = 0; l < s.layers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        t.push_back({p + "attn_norm.weight", {s.dim}, ll::DType::F32});
        t.push_back({p + "attn_q.weight", {s.dim, s.dim}, type});
        t.push_back({p + "attn_k.weight", {kv, s.dim}, type});
        t.push_back({p + "attn_v.weight", {kv, s.dim}, type});
        t.push_back({p + "attn_output.weight", {s.dim, s.dim}, type});
        t.push_back({p + "ffn_norm.weight", {s.dim}, ll::DType::F32});
        t.push_back({p + "ffn_gate.weight", {s.ffn, s.dim}, type});
        t.push_back({p + "ffn_up.weight", {s.ffn, s.dim}, type});
        t.push_back({p + "ffn_down.weight", {s.dim, s.ffn}, type});
    }
    t.push_back({"output_norm.weight", {s.dim}, ll::DType::F32});
    t.push_back({"output.weight", {s.vocab, s.dim}, type});
    return t;
}

// Streams one tensor: 256 rows at a time are drawn, quantised and written.
void write_tensor(GgufWriter& w, const GgufWriter::TensorInfo& t, Rng& rng) {
    const int64_t cols = t.shape.back();
    const int64_t rows = t.shape.size() == 1 ? 1 : t.shape[0];
    const bool norm = t.shape.size() == 1;
    const int64_t tile = 256;
    std::vector<float> f(static_cast<size_t>(tile * cols));
    std::vector<uint8_t> q;
    for (int64_t r0 = 0; r0 < rows; r0 += tile) {
        const int64_t n = std::min(tile, rows - r0) * cols;
        for (int64_t i = 0; i < n; ++i)
            f[static_cast<size_t>(i)] = norm ? 1.0f : rng.normalish(0.02f);
        q.resize(*ll::dtype_bytes(t.type, static_cast<uint64_t>(n)));
        ll::quantize_row(t.type, f.data(), q.data(), n);
        w.write_tensor_data(q.data(), q.size());
    }
    w.end_tensor();
}

}  // namespace

int run_make_model(const Args& args) {
    Shape shape = shape_named(args.str("shape", "small"));
    const std::string type_name = args.str("type", "q4_0");
    const ll::DType type = type_named(type_name);
    const std::string out = args.required("out");
    Rng rng(static_cast<uint64_t>(args.integer("seed", 1)));
    const double t0 = now_seconds();

    GgufWriter w;
    add_metadata(w, shape, type_name);
    add_vocab(w, args, shape);
    const auto tensors = tensor_list(shape, type);
    for (const auto& t : tensors) w.add_tensor(t);
    w.begin(out);
    for (const auto& t : tensors) write_tensor(w, t, rng);
    w.finish();

    nlohmann::json j{{"study", "make-model"},
                     {"shape", shape.name},
                     {"type", type_name},
                     {"out", out},
                     {"tensors", tensors.size()},
                     {"vocab", shape.vocab},
                     {"seconds", now_seconds() - t0}};
    emit(j, args.flag("json"), "make-model");
    return 0;
}

}  // namespace llbench
