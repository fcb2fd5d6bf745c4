// A loaded model: its configuration, its weights (views into the mapped file, or owned
// buffers where a conversion was needed) and its tokenizer. Immutable once loaded, so
// several sessions can share one Model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model_config.h"
#include "tensor.h"
#include "tokenizer.h"

namespace ll {

struct LayerWeights {
    Tensor attn_norm, wq, wk, wv, wo;
    Tensor ffn_norm, w_gate, w_up, w_down;
    Tensor bq, bk, bv;      // qwen2's projection biases (empty otherwise)
    Tensor q_norm, k_norm;  // qwen3's per-head norms, {head_dim} (empty otherwise)
};

struct Weights {
    Tensor embedding;    // {vocab, dim}
    Tensor output_norm;  // {dim}
    Tensor output;       // {vocab, dim}; the embedding when tied
    std::vector<LayerWeights> layers;
};

// What a file loader produces; Model::load validates it and wraps it.
struct ModelParts {
    std::string path;
    std::string format;
    ModelConfig config;
    Weights weights;
    std::unique_ptr<Tokenizer> tokenizer;
    std::vector<std::shared_ptr<const void>> keep_alive;  // mapped files, owned buffers
};

class Model {
public:
    // `path` is a GGUF file or a Hugging Face model directory, told apart by content.
    // Throws EngineError naming the file and the problem.
    static std::unique_ptr<Model> load(const std::string& path);
    ~Model();

    const ModelConfig& config() const { return config_; }
    const Weights& weights() const { return weights_; }
    const Tokenizer& tokenizer() const { return *tokenizer_; }
    const std::string& path() const { return path_; }
    const std::string& format() const { return format_; }  // "gguf" or "safetensors"
    size_t weight_bytes() const;

    explicit Model(ModelParts parts);

private:
    std::string path_;
    std::string format_;
    ModelConfig config_;
    Weights weights_;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::vector<std::shared_ptr<const void>> keep_alive_;
};

// The two file loaders (hf_model_loader.cpp, gguf_model_loader.cpp).
ModelParts load_hf_directory(const std::string& dir);
ModelParts load_gguf_file(const std::string& path);

}  // namespace ll
