#include "architecture.h"

#include <algorithm>

#include "dtype.h"
#include "error.h"

namespace ll {

const std::vector<std::string>& supported_architectures() {
    static const std::vector<std::string> names = {"llama", "mistral",  "qwen2", "qwen3",
                                                   "phi3",  "baichuan", "xverse"};
    return names;
}

bool is_supported_architecture(std::string_view name) {
    const auto& all = supported_architectures();
    return std::find(all.begin(), all.end(), name) != all.end();
}

std::string unsupported_architecture(std::string_view name) {
    std::string list;
    for (const std::string& a : supported_architectures()) list += (list.empty() ? "" : ", ") + a;
    return "unsupported architecture '" + std::string(name) + "' (supported: " + list + ")";
}

void apply_architecture(ModelConfig& c, const std::string& name) {
    c.architecture = name;
    c.qkv_bias = name == "qwen2";
    c.qk_norm = name == "qwen3";
    c.fused_qkv = name == "phi3";  // (baichuan's W_pack arrives split by the GGUF converter)
    c.fused_gate_up = name == "phi3";
}

RopeLayout gguf_rope_layout(std::string_view name) {
    const bool neox = name == "qwen2" || name == "qwen3" || name == "phi3";
    return neox ? RopeLayout::HalfSplit : RopeLayout::AdjacentPairs;
}

bool baichuan_uses_alibi(int n_layers) {
    return n_layers == 40;
}

std::vector<std::string> architecture_notes(const ModelConfig& c) {
    std::vector<std::string> notes;
    if (c.qkv_bias) notes.push_back("q/k/v biases");
    if (c.qk_norm) notes.push_back("per-head q/k RMSNorm before the rotation");
    if (c.fused_qkv || c.fused_gate_up)
        notes.push_back("fused qkv and gate_up projections (split on load)");
    if (c.head_dim * c.n_heads != c.dim)
        notes.push_back("head size " + std::to_string(c.head_dim) + " (not hidden size / heads)");
    if (c.architecture == "baichuan")
        notes.push_back(c.scaling.method == "alibi"
                            ? "ALiBi instead of RoPE (Baichuan 13B layout: 40 layers)"
                            : "RoPE (Baichuan 7B layout)");
    if (c.sliding_window > 0)
        notes.push_back("sliding window of " + std::to_string(c.sliding_window) + " tokens");
    return notes;
}

Tensor row_slice(const Tensor& t, int64_t first, int64_t rows, const std::string& name) {
    if (t.shape.size() != 2 || first < 0 || rows <= 0 || first + rows > t.shape[0])
        throw EngineError(name, "cannot take rows " + std::to_string(first) + ".." +
                                    std::to_string(first + rows) + " of " + t.name);
    const auto row_bytes = dtype_bytes(t.type, static_cast<uint64_t>(t.shape[1]));
    if (!row_bytes) throw EngineError(name, "rows of " + t.name + " are not whole blocks");
    Tensor out = t;
    out.name = name;
    out.shape = {rows, t.shape[1]};
    out.data = t.data + static_cast<size_t>(first) * *row_bytes;
    out.bytes = static_cast<size_t>(rows) * *row_bytes;
    return out;
}

}  // namespace ll
