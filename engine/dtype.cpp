#include "dtype.h"

#include <array>
#include <limits>

namespace ll {

namespace {

struct DTypeEntry {
    DType type;
    DTypeInfo info;
};

// Block layouts of the GGUF formats the engine reads. Bytes per block follow from each
// format's block struct: fp16 scales plus packed quants (see quant.cpp for the layouts).
// IQ4_NL/IQ4_XS are 4-bit indices into a fixed non-linear table of 16 values.
constexpr std::array<DTypeEntry, 15> kTypes = {{
    {DType::F32, {"F32", 1, 4}},
    {DType::F16, {"F16", 1, 2}},
    {DType::BF16, {"BF16", 1, 2}},
    {DType::Q4_0, {"Q4_0", 32, 18}},
    {DType::Q4_1, {"Q4_1", 32, 20}},
    {DType::Q5_0, {"Q5_0", 32, 22}},
    {DType::Q5_1, {"Q5_1", 32, 24}},
    {DType::Q8_0, {"Q8_0", 32, 34}},
    {DType::Q2_K, {"Q2_K", 256, 84}},
    {DType::Q3_K, {"Q3_K", 256, 110}},
    {DType::Q4_K, {"Q4_K", 256, 144}},
    {DType::Q5_K, {"Q5_K", 256, 176}},
    {DType::Q6_K, {"Q6_K", 256, 210}},
    {DType::IQ4_NL, {"IQ4_NL", 32, 18}},
    {DType::IQ4_XS, {"IQ4_XS", 256, 136}},
}};

}  // namespace

std::optional<DTypeInfo> dtype_info(uint32_t ggml_type) {
    for (const auto& e : kTypes) {
        if (static_cast<uint32_t>(e.type) == ggml_type) return e.info;
    }
    return std::nullopt;
}

DTypeInfo dtype_info(DType type) {
    // An enum value outside the table can only come from a bad cast; a zero-sized
    // block makes dtype_bytes refuse it instead of dividing by zero.
    return dtype_info(static_cast<uint32_t>(type)).value_or(DTypeInfo{"unknown", 0, 0});
}

std::string_view dtype_name(DType type) {
    return dtype_info(type).name;
}

std::optional<size_t> dtype_bytes(DType type, uint64_t n) {
    const DTypeInfo info = dtype_info(type);
    if (info.block_elems <= 0 || info.block_bytes <= 0) return std::nullopt;
    const auto block_elems = static_cast<uint64_t>(info.block_elems);
    const auto block_bytes = static_cast<uint64_t>(info.block_bytes);
    if (n % block_elems != 0) return std::nullopt;
    const uint64_t blocks = n / block_elems;
    if (blocks > std::numeric_limits<size_t>::max() / block_bytes) return std::nullopt;
    return static_cast<size_t>(blocks * block_bytes);
}

}  // namespace ll
