#include "safetensors_reader.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "error.h"

namespace ll {
namespace {

constexpr uint64_t kMaxHeaderBytes = 100u << 20;  // the format's own limit is 100 MB

DType parse_dtype(const std::string& path, const std::string& name, const std::string& s) {
    if (s == "F32") return DType::F32;
    if (s == "F16") return DType::F16;
    if (s == "BF16") return DType::BF16;
    throw EngineError(
        path, "tensor '" + name + "' has unsupported dtype " + s + " (supported: F32, F16, BF16)");
}

Tensor parse_entry(const MappedFile& file, uint64_t data_start, const std::string& name,
                   const nlohmann::json& entry) {
    const std::string& path = file.path();
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
        !entry.contains("data_offsets"))
        throw EngineError(path, "tensor '" + name + "' lacks dtype, shape or data_offsets");
    Tensor t;
    t.name = name;
    t.type = parse_dtype(path, name, entry["dtype"].get<std::string>());
    uint64_t count = 1;
    for (const auto& d : entry["shape"]) {
        int64_t v = d.get<int64_t>();
        if (v <= 0 || static_cast<uint64_t>(v) > (1ull << 40) / count)
            throw EngineError(path, "tensor '" + name + "' has an absurd shape");
        count *= static_cast<uint64_t>(v);
        t.shape.push_back(v);
    }
    const auto& offs = entry["data_offsets"];
    if (!offs.is_array() || offs.size() != 2)
        throw EngineError(path, "tensor '" + name + "' has malformed data_offsets");
    uint64_t begin = offs[0].get<uint64_t>(), end = offs[1].get<uint64_t>();
    uint64_t data_bytes = file.size() - data_start;
    const std::string range = "[" + std::to_string(begin) + ", " + std::to_string(end) + ")";
    if (begin > end)
        throw EngineError(path, "tensor '" + name + "' has data_offsets out of order " + range);
    if (end > data_bytes)
        throw EngineError(path, "tensor '" + name + "' data_offsets " + range + " lie past the " +
                                    std::to_string(data_bytes) +
                                    " bytes of data in the file (truncated?)");
    if (end - begin != count * (t.type == DType::F32 ? 4 : 2))
        throw EngineError(path, "tensor '" + name + "' size does not match its shape and dtype");
    t.data = file.data() + data_start + begin;
    t.bytes = end - begin;
    return t;
}

// Two tensors sharing bytes would alias each other's weights (a crafted or damaged file; the
// format forbids it): refused naming both and their data_offsets.
void refuse_overlaps(const std::string& path, const uint8_t* data_start,
                     std::vector<const Tensor*> by_start) {
    std::sort(by_start.begin(), by_start.end(),
              [](const Tensor* a, const Tensor* b) { return a->data < b->data; });
    auto range = [&](const Tensor* t) {
        const auto b = static_cast<uint64_t>(t->data - data_start);
        return "[" + std::to_string(b) + ", " + std::to_string(b + t->bytes) + ")";
    };
    for (size_t i = 1; i < by_start.size(); ++i) {
        const Tensor* a = by_start[i - 1];
        const Tensor* b = by_start[i];
        if (a->data + a->bytes > b->data)
            throw EngineError(path, "tensor '" + a->name + "' (data_offsets " + range(a) +
                                        ") overlaps tensor '" + b->name + "' (data_offsets " +
                                        range(b) + ")");
    }
}

}  // namespace

SafetensorsFile::SafetensorsFile(const std::string& path)
    : file_(std::make_unique<MappedFile>(path)) {
    if (file_->size() < 8) throw EngineError(path, "too short to be a safetensors file");
    uint64_t header_len = 0;
    std::memcpy(&header_len, file_->data(), 8);
    if (header_len > kMaxHeaderBytes || header_len > file_->size() - 8)
        throw EngineError(path, "header length " + std::to_string(header_len) +
                                    " exceeds the file (truncated or not safetensors)");
    const char* h = reinterpret_cast<const char*>(file_->data() + 8);
    nlohmann::json header = nlohmann::json::parse(h, h + header_len, nullptr, false);
    if (header.is_discarded() || !header.is_object())
        throw EngineError(path, "header is not valid JSON (not a safetensors file?)");
    try {
        for (const auto& [name, entry] : header.items()) {
            if (name == "__metadata__") continue;
            tensors_.push_back(parse_entry(*file_, 8 + header_len, name, entry));
        }
        std::vector<const Tensor*> all;
        for (const Tensor& t : tensors_) all.push_back(&t);
        refuse_overlaps(path, file_->data() + 8 + header_len, std::move(all));
    } catch (const nlohmann::json::exception& e) {
        throw EngineError(path, std::string("malformed header: ") + e.what());
    }
}

const Tensor* SafetensorsFile::tensor(std::string_view name) const {
    for (const Tensor& t : tensors_)
        if (t.name == name) return &t;
    return nullptr;
}

}  // namespace ll
