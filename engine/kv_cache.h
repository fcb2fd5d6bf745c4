// Keys (after rotation) and values of every position seen so far, per layer, stored as
// [position][kv_dim] rows of the session's KV type and grown on demand up to a limit.
//   f32   exact; 4 bytes per element.
//   f16   IEEE half; 2 bytes. Keys and values are O(1) numbers, far inside its range,
//         so the only loss is the 11-bit mantissa.
//   q8_0  GGML's Q8_0: blocks of 32 int8 with one fp16 scale, 34 bytes per 32 elements.
// Attention reads rows back as float32 (read_keys / read_values); an f32 cache also hands
// out its rows in place so the default path copies nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dtype.h"
#include "kv_type.h"
#include "model_config.h"

namespace ll {

// Bytes one position takes over all layers (keys and values). Throws EngineError naming
// the setting when the type cannot hold rows of this model (q8_0 needs kv_dim % 32 == 0).
size_t kv_bytes_per_token(const ModelConfig& config, KvType type);

class KvCache {
  public:
    KvCache(const ModelConfig& config, int64_t max_positions, KvType type = KvType::F32);

    // Makes room for positions [0, n); throws EngineError past max_positions().
    void reserve(int64_t n);
    // Stores n rows of kv_dim floats of keys and of values at positions [pos, pos + n).
    void store(int layer, int64_t pos, int64_t n, const float* keys, const float* values);
    // Elements [col, col + width) of the rows at positions [pos, pos + n), as float32
    // rows of `width` values at `out`.
    void read_keys(int layer, int64_t pos, int64_t n, int64_t col, int64_t width, float* out) const;
    void read_values(int layer, int64_t pos, int64_t n, int64_t col, int64_t width,
                     float* out) const;
    // Rows in place when the cache holds float32 (stride kv_dim); nullptr otherwise.
    const float* keys_f32(int layer, int64_t pos) const;
    const float* values_f32(int layer, int64_t pos) const;

    // The stored bytes from position `pos` on (row_bytes() per position), for saving.
    uint8_t* key_bytes(int layer, int64_t pos) { return &k_[layer][pos * row_bytes_]; }
    uint8_t* value_bytes(int layer, int64_t pos) { return &v_[layer][pos * row_bytes_]; }
    const uint8_t* key_bytes(int layer, int64_t pos) const { return &k_[layer][pos * row_bytes_]; }
    const uint8_t* value_bytes(int layer, int64_t pos) const {
        return &v_[layer][pos * row_bytes_];
    }

    KvType type() const { return type_; }
    int64_t max_positions() const { return max_positions_; }
    int64_t capacity() const { return capacity_; }
    int64_t kv_dim() const { return kv_dim_; }
    size_t row_bytes() const { return row_bytes_; }
    size_t bytes_per_token() const { return 2 * k_.size() * row_bytes_; }

  private:
    void read(const std::vector<uint8_t>& rows, int64_t pos, int64_t n, int64_t col, int64_t width,
              float* out) const;

    KvType type_;
    int64_t kv_dim_;
    size_t row_bytes_;
    int64_t max_positions_;
    int64_t capacity_ = 0;
    // Bytes, whatever the type; float32 rows are read through keys_f32 (the buffers come
    // from operator new, aligned for any scalar type).
    std::vector<std::vector<uint8_t>> k_, v_;
};

}  // namespace ll
