// A minimal GGUF v3 writer for synthetic benchmark models: metadata first, then tensors
// streamed one after another, so a multi-gigabyte model never sits in memory whole.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "dtype.h"

namespace llbench {

class GgufWriter {
  public:
    struct TensorInfo {
        std::string name;
        std::vector<int64_t> shape;  // row-major {rows, cols} or {n}
        ll::DType type;
    };

    void add_string(const std::string& key, const std::string& value);
    void add_u32(const std::string& key, uint32_t value);
    void add_f32(const std::string& key, float value);
    void add_bool(const std::string& key, bool value);
    void add_strings(const std::string& key, const std::vector<std::string>& values);
    void add_f32s(const std::string& key, const std::vector<float>& values);
    void add_i32s(const std::string& key, const std::vector<int32_t>& values);
    void add_tensor(TensorInfo info) { tensors_.push_back(std::move(info)); }

    // Writes the header and tensor directory; then write_tensor_data must be called once
    // per tensor, in add_tensor order, with exactly that tensor's bytes (in pieces).
    void begin(const std::string& path);
    void write_tensor_data(const void* data, size_t bytes);
    void end_tensor();  // pads to the alignment after each tensor's last piece
    void finish();
    ~GgufWriter();

  private:
    static constexpr uint64_t kAlign = 32;
    std::vector<uint8_t> kv_;
    uint64_t kv_count_ = 0;
    std::vector<TensorInfo> tensors_;
    FILE* f_ = nullptr;
    std::string path_;
    uint64_t written_ = 0;  // bytes of tensor data so far (for padding)
};

}  // namespace llbench
