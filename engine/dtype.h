// Element types of model tensors. The numeric values are ggml's type ids, so a GGUF
// tensor's type field maps onto this enum directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ll {

enum class DType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    IQ4_NL = 20,
    IQ4_XS = 23,
    BF16 = 30,
};

struct DTypeInfo {
    std::string_view name;
    int block_elems;  // elements per block (1 for plain floats)
    int block_bytes;  // bytes per block
};

// Layout of a type, or nullopt for a ggml type id this engine does not support.
std::optional<DTypeInfo> dtype_info(uint32_t ggml_type);
DTypeInfo dtype_info(DType type);
std::string_view dtype_name(DType type);

// Bytes taken by n consecutive elements (n must be a multiple of the block size),
// or nullopt when it is not or when the size would overflow.
std::optional<size_t> dtype_bytes(DType type, uint64_t n);

}  // namespace ll
