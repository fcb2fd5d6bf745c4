// Loads a Llama-family model from a GGUF file: hyperparameters from `{arch}.*` keys,
// tensors by llama.cpp's names, and the tokenizer rebuilt from the file's vocabulary.
#include <memory>

#include "architecture.h"
#include "error.h"
#include "gguf_reader.h"
#include "gguf_vocab.h"
#include "kernels.h"
#include "model.h"
#include "gguf_rope_config.h"

namespace ll {
namespace {

class Keys {
  public:
    Keys(const GgufFile& f, std::string arch) : f_(f), arch_(std::move(arch)) {}

    int required_int(const std::string& key) const {
        auto v = f_.get_int(arch_ + "." + key);
        if (!v) throw EngineError(f_.path(), "missing metadata " + arch_ + "." + key);
        return checked(key, *v);
    }
    int optional_int(const std::string& key, int fallback) const {
        auto v = f_.get_int(arch_ + "." + key);
        return v ? checked(key, *v) : fallback;
    }
    std::optional<double> number(const std::string& key) const {
        return f_.get_float(arch_ + "." + key);
    }

  private:
    int checked(const std::string& key, int64_t v) const {
        if (v < 0 || v > (1 << 30))
            throw EngineError(f_.path(), arch_ + "." + key + " is out of range");
        return static_cast<int>(v);
    }
    const GgufFile& f_;
    std::string arch_;
};

// rope.* keys as a ScalingSpec (scaling-methods.md §11).
ScalingSpec scaling_from_keys(const GgufFile& f, const std::string& arch) {
    const std::string r = arch + ".rope.";
    GgufRopeValues v;
    if (auto t = f.get_string(r + "scaling.type")) v.type = *t;
    v.factor = f.get_float(r + "scaling.factor");
    if (auto orig = f.get_int(r + "scaling.original_context_length"))
        v.original_context_length = static_cast<double>(*orig);
    v.freq_base = f.get_float(r + "freq_base");
    v.attn_factor = f.get_float(r + "scaling.attn_factor");
    v.yarn_beta_fast = f.get_float(r + "scaling.yarn_beta_fast");
    v.yarn_beta_slow = f.get_float(r + "scaling.yarn_beta_slow");
    v.scale_linear = f.get_float(r + "scale_linear");
    return spec_from_gguf_values(v);
}

std::vector<double> f32_values(const GgufFile& f, const Tensor& t) {
    if (t.shape.size() != 1) throw EngineError(f.path(), t.name + " is not a vector");
    std::vector<float> v = tensor_to_f32(t);
    return {v.begin(), v.end()};
}

// Per-pair frequency tensors: Llama 3's rope_freqs (divisors) and Phi-3's LongRoPE factor
// lists, which llama.cpp's converter stores as tensors rather than metadata. A Phi-3 file
// states no rope.scaling.type: the factor tensors are what make it LongRoPE.
void frequency_tensors(const GgufFile& f, const std::string& arch, ModelConfig& c) {
    if (const Tensor* ff = f.tensor("rope_freqs.weight"))
        c.scaling.freq_factors = f32_values(f, *ff);
    const Tensor* lf = f.tensor("rope_factors_long.weight");
    const Tensor* sf = f.tensor("rope_factors_short.weight");
    if (!lf && !sf) return;
    if (!lf || !sf)
        throw EngineError(f.path(), "has one of rope_factors_long/rope_factors_short but not both");
    ScalingSpec s;
    s.method = "longrope";
    s.long_factor = f32_values(f, *lf);
    s.short_factor = f32_values(f, *sf);
    s.freq_factors = c.scaling.freq_factors;
    const std::string r = arch + ".rope.scaling.";
    if (auto orig = f.get_int(r + "original_context_length"))
        s.params["original"] = static_cast<double>(*orig);
    if (auto a = f.get_float(r + "attn_factor")) s.params["attention_factor"] = *a;
    c.scaling = s;
}

ModelConfig read_config(const GgufFile& f) {
    auto arch = f.get_string("general.architecture");
    if (!arch)
        throw EngineError(f.path(), "no general.architecture: not a model file (vocabulary only?)");
    if (!is_supported_architecture(*arch))
        throw EngineError(f.path(), unsupported_architecture(*arch));
    Keys k(f, *arch);
    ModelConfig c;
    apply_architecture(c, *arch);
    c.name = f.get_string("general.name").value_or("");
    c.n_layers = k.required_int("block_count");
    c.dim = k.required_int("embedding_length");
    c.ffn_dim = k.required_int("feed_forward_length");
    c.n_heads = k.required_int("attention.head_count");
    c.n_kv_heads = k.optional_int("attention.head_count_kv", c.n_heads);
    c.head_dim = k.optional_int("attention.key_length", c.n_heads > 0 ? c.dim / c.n_heads : 0);
    c.trained_window = k.required_int("context_length");
    c.norm_eps = static_cast<float>(k.number("attention.layer_norm_rms_epsilon").value_or(1e-5));
    c.sliding_window = k.optional_int("attention.sliding_window", 0);
    c.rope_layout = gguf_rope_layout(*arch);  // permuted q/k rows (adjacent pairs) or not
    c.rope.theta = k.number("rope.freq_base").value_or(10000.0);
    c.rope.rotary_dim = k.optional_int("rope.dimension_count", c.head_dim);
    c.scaling = scaling_from_keys(f, *arch);
    frequency_tensors(f, *arch, c);
    if (*arch == "baichuan" && baichuan_uses_alibi(c.n_layers)) {
        c.scaling = ScalingSpec{};  // llama.cpp: 13B, ALiBi with max bias 8, no rotation
        c.scaling.method = "alibi";
    }
    c.rope.trained_window = c.trained_window;
    if (auto it = c.scaling.params.find("original"); it != c.scaling.params.end())
        c.rope.trained_window = static_cast<int>(it->second);
    c.rope.max_position_embeddings = c.trained_window;
    c.trained_window = c.rope.trained_window;
    return c;
}

Tensor take(const GgufFile& f, const std::string& name) {
    const Tensor* t = f.tensor(name);
    if (!t) throw EngineError(f.path(), "missing tensor " + name);
    return *t;
}

// q/k/v as three tensors, or Phi-3's attn_qkv split into views.
void take_attention(const GgufFile& f, const std::string& p, const ModelConfig& c,
                    LayerWeights& l) {
    // In 64 bits: the sizes are not validated yet (Model::load does that after loading).
    const int64_t q = int64_t{c.n_heads} * c.head_dim, kv = int64_t{c.n_kv_heads} * c.head_dim;
    if (const Tensor* qkv = f.tensor(p + "attn_qkv.weight")) {
        if (qkv->shape.size() != 2 || qkv->shape[0] != q + 2 * kv)
            throw EngineError(f.path(), qkv->name + " does not hold q, k and v for " +
                                            std::to_string(c.n_heads) + "/" +
                                            std::to_string(c.n_kv_heads) + " heads");
        l.wq = row_slice(*qkv, 0, q, p + "attn_q (of attn_qkv)");
        l.wk = row_slice(*qkv, q, kv, p + "attn_k (of attn_qkv)");
        l.wv = row_slice(*qkv, q + kv, kv, p + "attn_v (of attn_qkv)");
    } else {
        l.wq = take(f, p + "attn_q.weight");
        l.wk = take(f, p + "attn_k.weight");
        l.wv = take(f, p + "attn_v.weight");
    }
    if (c.qkv_bias) {
        l.bq = take(f, p + "attn_q.bias");
        l.bk = take(f, p + "attn_k.bias");
        l.bv = take(f, p + "attn_v.bias");
    }
    if (c.qk_norm) {
        l.q_norm = take(f, p + "attn_q_norm.weight");
        l.k_norm = take(f, p + "attn_k_norm.weight");
    }
}

// gate and up as two tensors, or Phi-3's ffn_up holding gate (first half) and up.
void take_ffn(const GgufFile& f, const std::string& p, const ModelConfig& c, LayerWeights& l) {
    const Tensor up = take(f, p + "ffn_up.weight");
    if (const Tensor* gate = f.tensor(p + "ffn_gate.weight")) {
        l.w_gate = *gate;
        l.w_up = up;
    } else {
        if (up.shape.size() != 2 || up.shape[0] != 2 * static_cast<int64_t>(c.ffn_dim))
            throw EngineError(f.path(), "no " + p + "ffn_gate.weight, and " + up.name +
                                            " is not a fused gate_up of 2 x " +
                                            std::to_string(c.ffn_dim) + " rows");
        l.w_gate = row_slice(up, 0, c.ffn_dim, p + "ffn_gate (of ffn_up)");
        l.w_up = row_slice(up, c.ffn_dim, c.ffn_dim, p + "ffn_up (of ffn_up)");
    }
    l.w_down = take(f, p + "ffn_down.weight");
}

LayerWeights take_layer(const GgufFile& f, const std::string& p, const ModelConfig& c) {
    LayerWeights l;
    l.attn_norm = take(f, p + "attn_norm.weight");
    take_attention(f, p, c, l);
    l.wo = take(f, p + "attn_output.weight");
    l.ffn_norm = take(f, p + "ffn_norm.weight");
    take_ffn(f, p, c, l);
    return l;
}

}  // namespace

ModelParts load_gguf_file(const std::string& path) {
    auto file = std::make_shared<GgufFile>(path);
    ModelParts parts;
    parts.path = path;
    parts.format = "gguf";
    parts.config = read_config(*file);
    if (parts.config.n_layers > 1024) throw EngineError(path, "implausible layer count");

    Weights& w = parts.weights;
    w.embedding = take(*file, "token_embd.weight");
    w.output_norm = take(*file, "output_norm.weight");
    if (const Tensor* out = file->tensor("output.weight")) {
        w.output = *out;
    } else {
        w.output = w.embedding;
        parts.config.tied_embeddings = true;
    }
    parts.config.vocab_size =
        static_cast<int>(w.embedding.shape.empty() ? 0 : w.embedding.shape[0]);
    for (int i = 0; i < parts.config.n_layers; ++i)
        w.layers.push_back(take_layer(*file, "blk." + std::to_string(i) + ".", parts.config));
    parts.tokenizer = Tokenizer::from_vocab(read_gguf_vocab(*file), path);
    parts.keep_alive.push_back(file);
    return parts;
}

}  // namespace ll
