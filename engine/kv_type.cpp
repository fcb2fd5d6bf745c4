#include "kv_type.h"

#include "error.h"

namespace ll {
namespace {

constexpr struct {
    KvType type;
    std::string_view name;
} kKvTypes[] = {{KvType::F32, "f32"}, {KvType::F16, "f16"}, {KvType::Q8_0, "q8_0"}};

}  // namespace

std::string_view kv_type_name(KvType t) {
    for (const auto& k : kKvTypes)
        if (k.type == t) return k.name;
    return "unknown";
}

KvType parse_kv_type(std::string_view text, const std::string& where) {
    for (const auto& k : kKvTypes)
        if (k.name == text) return k.type;
    throw EngineError(
        where, "unknown KV cache type '" + std::string(text) + "'; expected f32, f16 or q8_0");
}

std::optional<KvType> kv_type_from_id(uint32_t id) {
    for (const auto& k : kKvTypes)
        if (static_cast<uint32_t>(k.type) == id) return k.type;
    return std::nullopt;
}

}  // namespace ll
