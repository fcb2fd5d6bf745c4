// Keys (after rotation) and values of every position seen so far, per layer.
// Stored as float32, [position][kv_dim] per layer, grown on demand up to a limit.
#pragma once

#include <cstdint>
#include <vector>

#include "model_config.h"

namespace ll {

class KvCache {
public:
    KvCache(const ModelConfig& config, int64_t max_positions);

    // Makes room for positions [0, n); throws EngineError past max_positions().
    void reserve(int64_t n);
    float* keys(int layer, int64_t pos) { return &k_[layer][pos * kv_dim_]; }
    float* values(int layer, int64_t pos) { return &v_[layer][pos * kv_dim_]; }
    const float* keys(int layer, int64_t pos) const { return &k_[layer][pos * kv_dim_]; }
    const float* values(int layer, int64_t pos) const { return &v_[layer][pos * kv_dim_]; }

    int64_t max_positions() const { return max_positions_; }
    int64_t capacity() const { return capacity_; }
    int64_t kv_dim() const { return kv_dim_; }
    size_t bytes_per_token() const { return 2 * k_.size() * kv_dim_ * sizeof(float); }

private:
    int64_t kv_dim_;
    int64_t max_positions_;
    int64_t capacity_ = 0;
    std::vector<std::vector<float>> k_, v_;
};

}  // namespace ll
