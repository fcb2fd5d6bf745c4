// The model architectures the engine runs, and what each one changes in the Llama block:
// which GGUF rotation layout llama.cpp's converter leaves, which extra tensors a layer has
// (q/k/v biases, per-head q/k norms), which projections arrive fused, and the words
// `info` and the model panel use to say so.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model_config.h"
#include "tensor.h"

namespace ll {

// llama, mistral, qwen2, qwen3, phi3, baichuan, xverse (the GGUF / HF `model_type` names).
const std::vector<std::string>& supported_architectures();
bool is_supported_architecture(std::string_view name);
// "unsupported architecture 'mamba' (supported: llama, mistral, ...)"; the caller names the file.
std::string unsupported_architecture(std::string_view name);

// Sets the architecture and its flags (biases, q/k norm, fused projections) on `c`.
void apply_architecture(ModelConfig& c, const std::string& name);

// How GGUF files of this architecture pair rotary dimensions: llama.cpp's converter permutes
// q/k rows of llama-style models (adjacent pairs, ggml's "norm" rope) and leaves qwen2/qwen3/
// phi3 as Hugging Face stores them (half split, ggml's "neox" rope).
RopeLayout gguf_rope_layout(std::string_view name);

// Baichuan's 13B model uses ALiBi and no rotation; llama.cpp tells it from the 7B model by its
// 40 layers (neither the HF config nor the GGUF states it).
bool baichuan_uses_alibi(int n_layers);

// One line per feature that differs from plain Llama, for `info` and the model panel:
// "q/k/v biases", "per-head q/k RMSNorm before the rotation", "fused qkv and gate_up
// projections (split on load)", "ALiBi instead of RoPE (Baichuan 13B layout)", ...
std::vector<std::string> architecture_notes(const ModelConfig& c);

// Rows [first, first + rows) of a 2-D weight as a view (fused projections such as Phi-3's
// qkv_proj and gate_up_proj are stacked along rows, and every row is whole blocks).
Tensor row_slice(const Tensor& t, int64_t first, int64_t rows, const std::string& name);

}  // namespace ll
