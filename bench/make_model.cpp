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
    float rope_base = 10000.0f;
    bool llama3_rope = false;  // Llama 3.1's rope scaling, as rope_freqs.weight
};

Shape shape_named(const std::string& name) {
    if (name == "tinyllama") return {"tinyllama", 22, 2048, 32, 4, 5632, 32000, 2048};
    if (name == "small") return {"small", 4, 256, 4, 2, 704, 512, 2048};
    // Llama-3.1-8B: 128k context through llama3 scaling of a 8k-trained rope base 500000.
    if (name == "llama3-8b")
        return {"llama3-8b", 32, 4096, 32, 8, 14336, 128256, 131072, 500000.0f, true};
    throw std::runtime_error("unknown shape " + name + " (tinyllama, small, llama3-8b)");
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

// The vocabulary of an existing GGUF (e.g. ggml-vocab-llama-spm.gguf, or a byte-level BPE
// one such as Llama 3's), copied key by key at run time: the file itself is never copied.
void copy_vocab(GgufWriter& w, const std::string& from, Shape& shape) {
    const ll::GgufFile f(from);
    const auto pieces = f.get_string_array("tokenizer.ggml.tokens");
    if (!pieces || pieces->empty())
        throw std::runtime_error(from + " has no tokenizer.ggml.tokens");
    shape.vocab = static_cast<int>(pieces->size());
    w.add_string("tokenizer.ggml.model", f.get_string("tokenizer.ggml.model").value_or("llama"));
    if (auto pre = f.get_string("tokenizer.ggml.pre")) w.add_string("tokenizer.ggml.pre", *pre);
    w.add_strings("tokenizer.ggml.tokens", *pieces);
    if (auto merges = f.get_string_array("tokenizer.ggml.merges"))
        w.add_strings("tokenizer.ggml.merges", *merges);
    if (auto scores = f.get_float_array("tokenizer.ggml.scores"))
        w.add_f32s("tokenizer.ggml.scores", *scores);
    if (auto t = f.get_int_array("tokenizer.ggml.token_type"))
        w.add_i32s("tokenizer.ggml.token_type", std::vector<int32_t>(t->begin(), t->end()));
    for (const char* key : {"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
                            "tokenizer.ggml.eot_token_id", "tokenizer.ggml.unknown_token_id",
                            "tokenizer.ggml.padding_token_id"})
        if (auto id = f.get_int(key)) w.add_u32(key, static_cast<uint32_t>(*id));
    for (const char* key : {"tokenizer.ggml.add_bos_token", "tokenizer.ggml.add_eos_token"})
        if (auto b = f.get_bool(key)) w.add_bool(key, *b);
    if (auto tmpl = f.get_string("tokenizer.chat_template"))
        w.add_string("tokenizer.chat_template", *tmpl);
}

void add_vocab(GgufWriter& w, const Args& args, Shape& shape) {
    const std::string from = args.str("vocab", "");
    if (!from.empty()) return copy_vocab(w, from, shape);
    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;
    synthetic_vocab(shape.vocab, pieces, scores, types);
    w.add_string("tokenizer.ggml.model", "llama");
    w.add_strings("tokenizer.ggml.tokens", pieces);
    w.add_f32s("tokenizer.ggml.scores", scores);
    w.add_i32s("tokenizer.ggml.token_type", types);
    w.add_u32("tokenizer.ggml.bos_token_id", 1);
    w.add_u32("tokenizer.ggml.eos_token_id", 2);
    w.add_u32("tokenizer.ggml.unknown_token_id", 0);
    w.add_bool("tokenizer.ggml.add_bos_token", true);
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
    w.add_f32("llama.rope.freq_base", s.rope_base);
}

// Llama 3.1's rope scaling as llama.cpp's converter stores it: no rope.scaling keys, but a
// rope_freqs tensor of head_dim/2 factors that divide each pair's frequency (factor 8,
// low_freq_factor 1, high_freq_factor 4, original window 8192: the published config).
std::vector<float> llama3_rope_factors(const Shape& s) {
    const int half = s.dim / s.heads / 2;
    const double factor = 8, low = 1, high = 4, original = 8192;
    const double low_wavelen = original / low, high_wavelen = original / high;
    std::vector<float> out(static_cast<size_t>(half));
    for (int i = 0; i < half; ++i) {
        const double freq = 1.0 / std::pow(s.rope_base, 2.0 * i / (2.0 * half));
        const double wavelen = 2 * M_PI / freq;
        double f = 1;
        if (wavelen > low_wavelen) {
            f = factor;
        } else if (wavelen > high_wavelen) {
            const double smooth = (original / wavelen - low) / (high - low);
            f = 1 / ((1 - smooth) / factor + smooth);
        }
        out[static_cast<size_t>(i)] = static_cast<float>(f);
    }
    return out;
}

std::vector<GgufWriter::TensorInfo> tensor_list(const Shape& s, ll::DType type) {
    const int64_t hd = s.dim / s.heads, kv = static_cast<int64_t>(s.kv_heads) * hd;
    std::vector<GgufWriter::TensorInfo> t;
    t.push_back({"token_embd.weight", {s.vocab, s.dim}, type});
    if (s.llama3_rope) t.push_back({"rope_freqs.weight", {hd / 2}, ll::DType::F32});
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
void write_tensor(GgufWriter& w, const GgufWriter::TensorInfo& t, const Shape& s, Rng& rng) {
    if (t.name == "rope_freqs.weight") {
        const auto f = llama3_rope_factors(s);
        w.write_tensor_data(f.data(), f.size() * sizeof(float));
        return w.end_tensor();
    }
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
    for (const auto& t : tensors) write_tensor(w, t, shape, rng);
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
