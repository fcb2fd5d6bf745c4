// Loads a Llama-family model from a GGUF file: hyperparameters from `{arch}.*` keys,
// tensors by llama.cpp's names, and the tokenizer rebuilt from the file's vocabulary.
#include <memory>

#include "error.h"
#include "gguf_reader.h"
#include "gguf_vocab.h"
#include "model.h"
#include "scaling_spec.h"

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
        if (v < 0 || v > (1 << 30)) throw EngineError(f_.path(), arch_ + "." + key + " is out of range");
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

ModelConfig read_config(const GgufFile& f) {
    auto arch = f.get_string("general.architecture");
    if (!arch) throw EngineError(f.path(), "no general.architecture: not a model file (vocabulary only?)");
    if (*arch != "llama" && *arch != "mistral")
        throw EngineError(f.path(), "unsupported architecture '" + *arch + "' (llama and mistral are)");
    Keys k(f, *arch);
    ModelConfig c;
    c.architecture = *arch;
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
    c.rope_layout = RopeLayout::AdjacentPairs;  // llama.cpp's converter permuted q/k rows
    c.rope.theta = k.number("rope.freq_base").value_or(10000.0);
    c.rope.rotary_dim = k.optional_int("rope.dimension_count", c.head_dim);
    c.scaling = scaling_from_keys(f, *arch);
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
    parts.config.vocab_size = static_cast<int>(w.embedding.shape.empty() ? 0 : w.embedding.shape[0]);
    for (int i = 0; i < parts.config.n_layers; ++i) {
        const std::string p = "blk." + std::to_string(i) + ".";
        LayerWeights l;
        l.attn_norm = take(*file, p + "attn_norm.weight");
        l.wq = take(*file, p + "attn_q.weight");
        l.wk = take(*file, p + "attn_k.weight");
        l.wv = take(*file, p + "attn_v.weight");
        l.wo = take(*file, p + "attn_output.weight");
        l.ffn_norm = take(*file, p + "ffn_norm.weight");
        l.w_gate = take(*file, p + "ffn_gate.weight");
        l.w_up = take(*file, p + "ffn_up.weight");
        l.w_down = take(*file, p + "ffn_down.weight");
        w.layers.push_back(std::move(l));
    }
    parts.tokenizer = Tokenizer::from_vocab(read_gguf_vocab(*file), path);
    parts.keep_alive.push_back(file);
    return parts;
}

}  // namespace ll
