// The types a KV cache can store, by name: a value the run configuration and the session
// files carry without the cache itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dtype.h"

namespace ll {

// The values are the ggml type ids (the same as DType's), also written to session files.
enum class KvType : uint32_t { F32 = 0, F16 = 1, Q8_0 = 8 };

inline DType kv_dtype(KvType t) {
    return static_cast<DType>(t);
}
std::string_view kv_type_name(KvType t);  // "f32", "f16", "q8_0"
// Parses those names; throws EngineError(where, ...) naming the choices otherwise.
KvType parse_kv_type(std::string_view text, const std::string& where = "--kv");
// nullopt for a stored id that is not a KV type.
std::optional<KvType> kv_type_from_id(uint32_t id);

}  // namespace ll
