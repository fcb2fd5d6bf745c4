#include "model.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "error.h"
#include "mapped_file.h"

namespace ll {
namespace {

bool is_gguf(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return false;
    require_regular_file(path);
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && std::string(magic, 4) == "GGUF";
}

std::string shape_text(const std::vector<int64_t>& shape) {
    std::string out;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) out.push_back('x');
        out.append(std::to_string(shape[i]));
    }
    return out;
}

void expect_shape(const std::string& path, const Tensor& t, std::vector<int64_t> shape) {
    if (!t.data) throw EngineError(path, "missing tensor for " + t.name);
    if (t.shape != shape)
        throw EngineError(path, "tensor " + t.name + " has shape " + shape_text(t.shape) +
                                    ", expected " + shape_text(shape));
}

// Sizes must be sane before anything is allocated from them.
void validate_config(const std::string& path, const ModelConfig& c) {
    auto bad = [&](const std::string& what) { throw EngineError(path, what); };
    if (c.n_layers <= 0 || c.n_layers > 1024) bad("implausible layer count");
    if (c.dim <= 0 || c.dim > 65536) bad("implausible hidden size");
    if (c.ffn_dim <= 0 || c.ffn_dim > 262144) bad("implausible feed-forward size");
    if (c.n_heads <= 0 || c.n_kv_heads <= 0 || c.n_heads > 65536 || c.n_heads % c.n_kv_heads != 0)
        bad("head counts " + std::to_string(c.n_heads) + "/" + std::to_string(c.n_kv_heads) +
            " are not a valid grouped-query layout");
    if (c.head_dim <= 0 || c.head_dim > 1024 || c.head_dim % 2 != 0) bad("implausible head size");
    if (c.vocab_size <= 0 || c.vocab_size > 1 << 22) bad("implausible vocabulary size");
    if (c.rope.rotary_dim <= 0 || c.rope.rotary_dim > c.head_dim || c.rope.rotary_dim % 2)
        bad("rotary dimension does not fit the head size");
    if (c.trained_window <= 0) bad("no trained context length");
    if (!std::isfinite(c.norm_eps) || c.norm_eps < 0 || c.norm_eps > 1)
        bad("RMSNorm epsilon " + std::to_string(c.norm_eps) +
            " is not a small non-negative number");
}

// A tokenizer from another model is refused here rather than failing later on an id past
// the embedding, or reading the wrong rows. Models pad the embedding past the tokenizer
// (Qwen2/3: 151936 rows for 151665-151669 tokens, Phi-3: 32064 for 32011) but not by more
// than a few hundred rows; 1024 leaves room and still refuses a 32000-token tokenizer
// beside a 128256-row embedding.
constexpr int64_t kMaxEmbeddingPadding = 1024;

void check_vocabulary(const std::string& path, int64_t tokens, int64_t rows) {
    if (tokens > rows || rows - tokens > kMaxEmbeddingPadding)
        throw EngineError(path, "the tokenizer has " + std::to_string(tokens) +
                                    " tokens but the embedding has " + std::to_string(rows) +
                                    " rows: the tokenizer belongs to another model");
}

void validate_weights(const std::string& path, const ModelConfig& c, const Weights& w) {
    expect_shape(path, w.embedding, {c.vocab_size, c.dim});
    expect_shape(path, w.output_norm, {c.dim});
    expect_shape(path, w.output, {c.vocab_size, c.dim});
    if (static_cast<int>(w.layers.size()) != c.n_layers) throw EngineError(path, "layer count");
    for (const LayerWeights& l : w.layers) {
        expect_shape(path, l.attn_norm, {c.dim});
        expect_shape(path, l.wq, {c.q_dim(), c.dim});
        expect_shape(path, l.wk, {c.kv_dim(), c.dim});
        expect_shape(path, l.wv, {c.kv_dim(), c.dim});
        expect_shape(path, l.wo, {c.dim, c.q_dim()});
        expect_shape(path, l.ffn_norm, {c.dim});
        expect_shape(path, l.w_gate, {c.ffn_dim, c.dim});
        expect_shape(path, l.w_up, {c.ffn_dim, c.dim});
        expect_shape(path, l.w_down, {c.dim, c.ffn_dim});
        if (c.qkv_bias) {
            expect_shape(path, l.bq, {c.q_dim()});
            expect_shape(path, l.bk, {c.kv_dim()});
            expect_shape(path, l.bv, {c.kv_dim()});
        }
        if (c.qk_norm) {
            expect_shape(path, l.q_norm, {c.head_dim});
            expect_shape(path, l.k_norm, {c.head_dim});
        }
    }
}

}  // namespace

Model::Model(ModelParts parts)
    : path_(std::move(parts.path)),
      format_(std::move(parts.format)),
      config_(std::move(parts.config)),
      weights_(std::move(parts.weights)),
      tokenizer_(std::move(parts.tokenizer)),
      keep_alive_(std::move(parts.keep_alive)) {}

Model::~Model() = default;

std::unique_ptr<Model> Model::load(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) throw EngineError(path, "no such file or directory");
    ModelParts parts;
    if (fs::is_directory(path, ec)) {
        parts = load_hf_directory(path);
    } else if (is_gguf(path)) {
        parts = load_gguf_file(path);
    } else {
        throw EngineError(path,
                          "not a model: expected a GGUF file or a Hugging Face directory "
                          "with config.json and safetensors weights");
    }
    validate_config(parts.path, parts.config);
    validate_weights(parts.path, parts.config, parts.weights);
    if (!parts.tokenizer) throw EngineError(parts.path, "no tokenizer found");
    check_vocabulary(parts.path, parts.tokenizer->vocab_size(), parts.config.vocab_size);
    return std::make_unique<Model>(std::move(parts));
}

size_t Model::weight_bytes() const {
    size_t n = weights_.embedding.bytes + weights_.output_norm.bytes;
    if (weights_.output.data != weights_.embedding.data) n += weights_.output.bytes;
    for (const LayerWeights& l : weights_.layers)
        for (const Tensor* t : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.wo, &l.ffn_norm, &l.w_gate,
                                &l.w_up, &l.w_down, &l.bq, &l.bk, &l.bv, &l.q_norm, &l.k_norm})
            n += t->bytes;
    return n;
}

}  // namespace ll
