#include "kv_cache.h"

#include <algorithm>
#include <cstring>

#include "error.h"
#include "quant_dot.h"
#include "quantize.h"

namespace ll {
namespace {

// Bytes of one row of kv_dim elements; refuses a row that is not whole blocks.
size_t row_bytes_of(const ModelConfig& config, KvType type) {
    const auto bytes = dtype_bytes(kv_dtype(type), static_cast<uint64_t>(config.kv_dim()));
    if (!bytes)
        throw EngineError("KV cache type " + std::string(kv_type_name(type)),
                          "stores blocks of 32 values, but this model's key/value rows hold " +
                              std::to_string(config.kv_dim()) + " (" +
                              std::to_string(config.n_kv_heads) + " KV heads x " +
                              std::to_string(config.head_dim) + "); choose f16 or f32");
    return *bytes;
}

}  // namespace

size_t kv_bytes_per_token(const ModelConfig& config, KvType type) {
    return 2 * static_cast<size_t>(config.n_layers) * row_bytes_of(config, type);
}

KvCache::KvCache(const ModelConfig& config, int64_t max_positions, KvType type)
    : type_(type),
      kv_dim_(config.kv_dim()),
      row_bytes_(row_bytes_of(config, type)),
      max_positions_(max_positions),
      k_(config.n_layers),
      v_(config.n_layers) {}

void KvCache::reserve(int64_t n) {
    if (n <= capacity_) return;
    if (n > max_positions_)
        throw EngineError("context", std::to_string(n) +
                                         " positions exceed the session's limit of " +
                                         std::to_string(max_positions_));
    // Grow geometrically so a long generation does not copy the cache at every token.
    int64_t grown = std::min(max_positions_, std::max(n, capacity_ * 2));
    for (auto& layer : k_) layer.resize(static_cast<size_t>(grown) * row_bytes_);
    for (auto& layer : v_) layer.resize(static_cast<size_t>(grown) * row_bytes_);
    capacity_ = grown;
}

void KvCache::store(int layer, int64_t pos, int64_t n, const float* keys, const float* values) {
    // Row by row: a q8_0 block never spans two positions.
    for (int64_t i = 0; i < n; ++i) {
        quantize_row(kv_dtype(type_), keys + i * kv_dim_, key_bytes(layer, pos + i), kv_dim_);
        quantize_row(kv_dtype(type_), values + i * kv_dim_, value_bytes(layer, pos + i), kv_dim_);
    }
}

const float* KvCache::keys_f32(int layer, int64_t pos) const {
    if (type_ != KvType::F32) return nullptr;
    return reinterpret_cast<const float*>(key_bytes(layer, pos));
}

const float* KvCache::values_f32(int layer, int64_t pos) const {
    if (type_ != KvType::F32) return nullptr;
    return reinterpret_cast<const float*>(value_bytes(layer, pos));
}

void KvCache::read_keys(int layer, int64_t pos, int64_t n, int64_t col, int64_t width,
                        float* out) const {
    read(k_[layer], pos, n, col, width, out);
}

void KvCache::read_values(int layer, int64_t pos, int64_t n, int64_t col, int64_t width,
                          float* out) const {
    read(v_[layer], pos, n, col, width, out);
}

void KvCache::read(const std::vector<uint8_t>& rows, int64_t pos, int64_t n, int64_t col,
                   int64_t width, float* out) const {
    const DTypeInfo info = dtype_info(kv_dtype(type_));
    const int64_t block = info.block_elems;
    const int64_t b0 = col / block, b1 = (col + width + block - 1) / block;
    const uint8_t* src = rows.data() + pos * row_bytes_ + b0 * info.block_bytes;
    if (col % block == 0 && width % block == 0) {
        dequantize_rows(kv_dtype(type_), src, row_bytes_, out, width, n, width);
        return;
    }
    // A slice that cuts q8_0 blocks (heads narrower than 32): whole blocks, then the part.
    const int64_t span = (b1 - b0) * block, skip = col - b0 * block;
    std::vector<float> whole(static_cast<size_t>(span));
    for (int64_t i = 0; i < n; ++i) {
        dequantize_rows(kv_dtype(type_), src + i * row_bytes_, row_bytes_, whole.data(), span, 1,
                        span);
        std::copy_n(whole.begin() + skip, width, out + i * width);
    }
}

}  // namespace ll
