// The architecture of a Llama-family model, as read from its file.
#pragma once

#include <cstdint>
#include <string>

#include "position_encoding.h"

namespace ll {

// How q and k rows are laid out for the rotation: Hugging Face checkpoints rotate the
// pair (i, i + d/2) ("half split"); llama.cpp's converter permutes q/k rows so that
// GGUF llama models rotate adjacent pairs (2i, 2i+1). See scaling-methods.md §0.
enum class RopeLayout { HalfSplit, AdjacentPairs };

struct ModelConfig {
    std::string architecture = "llama";  // one of supported_architectures() (architecture.h)
    std::string name;
    int n_layers = 0;
    int dim = 0;          // hidden size
    int ffn_dim = 0;      // intermediate size of the SwiGLU MLP
    int n_heads = 0;
    int n_kv_heads = 0;
    int head_dim = 0;
    int vocab_size = 0;
    int trained_window = 0;  // context the model was trained at
    float norm_eps = 1e-5f;
    bool tied_embeddings = false;
    int sliding_window = 0;  // 0: full attention
    RopeLayout rope_layout = RopeLayout::HalfSplit;
    // What the architecture adds to the Llama block (apply_architecture sets these).
    bool qkv_bias = false;       // qwen2: the q/k/v projections have biases
    bool qk_norm = false;        // qwen3: RMSNorm over each head of q and k, before the rotation
    bool fused_qkv = false;      // phi3 qkv_proj, baichuan W_pack: one matrix, split on load
    bool fused_gate_up = false;  // phi3 gate_up_proj
    RopeBase rope;         // base, rotary dims, windows
    ScalingSpec scaling;   // what the file asks for (method "none" when nothing)

    int kv_dim() const { return n_kv_heads * head_dim; }
    int q_dim() const { return n_heads * head_dim; }
};

}  // namespace ll
