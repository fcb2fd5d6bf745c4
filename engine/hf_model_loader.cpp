// Loads a Hugging Face model directory: config.json, model.safetensors (or shards listed
// in model.safetensors.index.json) and tokenizer.model or tokenizer.json.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "architecture.h"
#include "error.h"
#include "hf_rope_config.h"
#include "mapped_file.h"
#include "model.h"
#include "safetensors_reader.h"

namespace ll {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const fs::path& file) {
    require_regular_file(file.string());
    std::ifstream in(file);
    if (!in) throw EngineError(file.string(), "cannot read");
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw EngineError(file.string(), "not valid JSON");
    return j;
}

int get_int(const json& cfg, const char* key, const std::string& where, int fallback = -1) {
    auto it = cfg.find(key);
    if (it == cfg.end() || it->is_null()) {
        if (fallback >= 0) return fallback;
        throw EngineError(where, std::string("config.json has no '") + key + "'");
    }
    if (!it->is_number_integer())
        throw EngineError(where, std::string("'") + key + "' is not an integer");
    int64_t v = it->get<int64_t>();
    if (v < 0 || v > (1 << 30))
        throw EngineError(where, std::string("'") + key + "' is out of range");
    return static_cast<int>(v);
}

ModelConfig parse_config(const json& cfg, const std::string& where) {
    ModelConfig c;
    std::string type = cfg.value("model_type", "llama");
    if (!is_supported_architecture(type)) throw EngineError(where, unsupported_architecture(type));
    if (type == "baichuan" || type == "xverse")  // remote-code models: GGUF only (README)
        throw EngineError(where, "'" + type +
                                     "' is read from GGUF files only; convert this directory "
                                     "with llama.cpp's convert_hf_to_gguf.py");
    apply_architecture(c, type);
    c.n_layers = get_int(cfg, "num_hidden_layers", where);
    c.dim = get_int(cfg, "hidden_size", where);
    c.ffn_dim = get_int(cfg, "intermediate_size", where);
    c.n_heads = get_int(cfg, "num_attention_heads", where);
    c.n_kv_heads = get_int(cfg, "num_key_value_heads", where, c.n_heads);
    // Qwen3 states its head size (not hidden / heads); transformers would assume 128 without it.
    if (type == "qwen3" && !cfg.contains("head_dim"))
        throw EngineError(where, "config.json has no 'head_dim', which a qwen3 model must state");
    c.head_dim = get_int(cfg, "head_dim", where, c.n_heads > 0 ? c.dim / c.n_heads : 0);
    c.vocab_size = get_int(cfg, "vocab_size", where);
    c.trained_window = get_int(cfg, "max_position_embeddings", where);
    c.norm_eps = cfg.value("rms_norm_eps", 1e-6);
    c.tied_embeddings = cfg.value("tie_word_embeddings", false);
    // Qwen configs carry a sliding_window that applies only when use_sliding_window is true.
    const bool window_used = cfg.value("use_sliding_window", true);
    if (window_used && cfg.contains("sliding_window") && cfg["sliding_window"].is_number_integer())
        c.sliding_window = cfg["sliding_window"].get<int>();
    c.rope_layout = RopeLayout::HalfSplit;

    // The rope facts and the file's own scaling (rope_parameters, or the older
    // rope_scaling + rope_theta keys).
    c.rope = rope_base_from_hf_config(cfg);
    c.scaling = spec_from_hf_config(cfg);
    c.trained_window = c.rope.trained_window;
    return c;
}

// name -> tensor, over one file or all shards of an index.
std::map<std::string, Tensor> load_tensors(const fs::path& dir, ModelParts& parts) {
    std::vector<fs::path> files;
    if (fs::exists(dir / "model.safetensors")) {
        files.push_back(dir / "model.safetensors");
    } else if (fs::exists(dir / "model.safetensors.index.json")) {
        json index = read_json(dir / "model.safetensors.index.json");
        std::set<std::string> shards;
        if (!index.contains("weight_map") || !index["weight_map"].is_object())
            throw EngineError((dir / "model.safetensors.index.json").string(), "no weight_map");
        for (const auto& [name, file] : index["weight_map"].items())
            shards.insert(file.get<std::string>());
        for (const std::string& s : shards) {
            if (fs::path(s).has_parent_path())
                throw EngineError((dir / "model.safetensors.index.json").string(),
                                  "shard name '" + s + "' points outside the directory");
            files.push_back(dir / s);
        }
    } else {
        throw EngineError(dir.string(), "no model.safetensors or model.safetensors.index.json");
    }
    std::map<std::string, Tensor> tensors;
    for (const fs::path& f : files) {
        auto file = std::make_shared<SafetensorsFile>(f.string());
        for (const Tensor& t : file->tensors()) tensors[t.name] = t;
        parts.keep_alive.push_back(file);
    }
    return tensors;
}

Tensor take(std::map<std::string, Tensor>& all, const std::string& name, const std::string& where) {
    auto it = all.find(name);
    if (it == all.end()) throw EngineError(where, "missing tensor " + name);
    return it->second;
}

// A fused projection's rows [first, first + rows), after checking it has `total` rows.
Tensor part_of(const Tensor& fused, int64_t total, int64_t first, int64_t rows,
               const std::string& what, const std::string& where) {
    if (fused.shape.size() != 2 || fused.shape[0] != total)
        throw EngineError(where, "tensor " + fused.name + " has " +
                                     std::to_string(fused.shape.empty() ? 0 : fused.shape[0]) +
                                     " rows, expected " + std::to_string(total) + " (" + what +
                                     ")");
    return row_slice(fused, first, rows, fused.name + " [" + what + "]");
}

LayerWeights take_layer(std::map<std::string, Tensor>& all, const std::string& p,
                        const ModelConfig& c, const std::string& where) {
    LayerWeights l;
    l.attn_norm = take(all, p + "input_layernorm.weight", where);
    if (c.fused_qkv) {  // Phi-3: q, k and v stacked in one qkv_proj
        const Tensor qkv = take(all, p + "self_attn.qkv_proj.weight", where);
        const int64_t q = int64_t{c.n_heads} * c.head_dim;  // 64 bits: not validated yet
        const int64_t kv = int64_t{c.n_kv_heads} * c.head_dim, total = q + 2 * kv;
        l.wq = part_of(qkv, total, 0, q, "q", where);
        l.wk = part_of(qkv, total, q, kv, "k", where);
        l.wv = part_of(qkv, total, q + kv, kv, "v", where);
    } else {
        l.wq = take(all, p + "self_attn.q_proj.weight", where);
        l.wk = take(all, p + "self_attn.k_proj.weight", where);
        l.wv = take(all, p + "self_attn.v_proj.weight", where);
    }
    if (c.qkv_bias) {
        l.bq = take(all, p + "self_attn.q_proj.bias", where);
        l.bk = take(all, p + "self_attn.k_proj.bias", where);
        l.bv = take(all, p + "self_attn.v_proj.bias", where);
    }
    if (c.qk_norm) {
        l.q_norm = take(all, p + "self_attn.q_norm.weight", where);
        l.k_norm = take(all, p + "self_attn.k_norm.weight", where);
    }
    l.wo = take(all, p + "self_attn.o_proj.weight", where);
    l.ffn_norm = take(all, p + "post_attention_layernorm.weight", where);
    if (c.fused_gate_up) {  // Phi-3: gate (first half) and up in one gate_up_proj
        const Tensor gu = take(all, p + "mlp.gate_up_proj.weight", where);
        l.w_gate = part_of(gu, 2 * int64_t{c.ffn_dim}, 0, c.ffn_dim, "gate", where);
        l.w_up = part_of(gu, 2 * int64_t{c.ffn_dim}, c.ffn_dim, c.ffn_dim, "up", where);
    } else {
        l.w_gate = take(all, p + "mlp.gate_proj.weight", where);
        l.w_up = take(all, p + "mlp.up_proj.weight", where);
    }
    l.w_down = take(all, p + "mlp.down_proj.weight", where);
    return l;
}

// Whether tokenizer.json describes byte-level BPE (cheaper than parsing its megabytes).
bool says_byte_level(const fs::path& tokenizer_json) {
    std::ifstream in(tokenizer_json, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    return text.find("\"ByteLevel\"") != std::string::npos;
}

// Sentencepiece's tokenizer.model when the directory has one, unless tokenizer.json says
// byte-level BPE (a Llama 2 directory has both, describing the same sentencepiece model).
std::unique_ptr<Tokenizer> load_tokenizer(const fs::path& dir) {
    const fs::path spm = dir / "tokenizer.model", json_file = dir / "tokenizer.json";
    if (fs::exists(json_file) && (!fs::exists(spm) || says_byte_level(json_file)))
        return Tokenizer::from_hf_json(json_file.string(),
                                       (dir / "tokenizer_config.json").string());
    if (!fs::exists(spm))
        throw EngineError(dir.string(),
                          "no tokenizer.model (sentencepiece) or tokenizer.json "
                          "(byte-level BPE) in the directory");
    return Tokenizer::from_file(spm.string());
}

}  // namespace

ModelParts load_hf_directory(const std::string& dir_str) {
    fs::path dir(dir_str);
    ModelParts parts;
    parts.path = dir_str;
    parts.format = "safetensors";
    fs::path config_file = dir / "config.json";
    if (!fs::exists(config_file)) throw EngineError(dir_str, "no config.json in this directory");
    json cfg = read_json(config_file);
    try {
        parts.config = parse_config(cfg, config_file.string());
    } catch (const json::exception& e) {
        throw EngineError(config_file.string(), std::string("malformed: ") + e.what());
    }
    parts.config.name = dir.filename().string();
    if (parts.config.n_layers > 1024)
        throw EngineError(config_file.string(), "implausible layer count");

    auto all = load_tensors(dir, parts);
    Weights& w = parts.weights;
    w.embedding = take(all, "model.embed_tokens.weight", dir_str);
    w.output_norm = take(all, "model.norm.weight", dir_str);
    if (all.count("lm_head.weight")) {
        w.output = all["lm_head.weight"];
    } else {
        w.output = w.embedding;  // tied embeddings
        parts.config.tied_embeddings = true;
    }
    for (int i = 0; i < parts.config.n_layers; ++i)
        w.layers.push_back(
            take_layer(all, "model.layers." + std::to_string(i) + ".", parts.config, dir_str));
    parts.tokenizer = load_tokenizer(dir);
    return parts;
}

}  // namespace ll
