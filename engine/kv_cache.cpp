#include "kv_cache.h"

#include <algorithm>

#include "error.h"

namespace ll {

KvCache::KvCache(const ModelConfig& config, int64_t max_positions)
    : kv_dim_(config.kv_dim()),
      max_positions_(max_positions),
      k_(config.n_layers),
      v_(config.n_layers) {}

void KvCache::reserve(int64_t n) {
    if (n <= capacity_) return;
    if (n > max_positions_)
        throw EngineError("context", std::to_string(n) + " positions exceed the session's limit of " +
                                         std::to_string(max_positions_));
    // Grow geometrically so a long generation does not copy the cache at every token.
    int64_t grown = std::min(max_positions_, std::max(n, capacity_ * 2));
    for (auto& layer : k_) layer.resize(static_cast<size_t>(grown * kv_dim_));
    for (auto& layer : v_) layer.resize(static_cast<size_t>(grown * kv_dim_));
    capacity_ = grown;
}

}  // namespace ll
