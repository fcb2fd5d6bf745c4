#include "gguf_writer.h"

#include <cstring>
#include <stdexcept>

namespace llbench {
namespace {

// GGUF metadata value types.
enum : uint32_t { kU32 = 4, kI32 = 5, kF32 = 6, kBool = 7, kString = 8, kArray = 9 };

template <typename T>
void put(std::vector<uint8_t>& out, T v) {
    uint8_t b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.insert(out.end(), b, b + sizeof(T));
}

void put_string(std::vector<uint8_t>& out, const std::string& s) {
    put<uint64_t>(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
}

}  // namespace

void GgufWriter::add_string(const std::string& key, const std::string& value) {
    put_string(kv_, key);
    put<uint32_t>(kv_, kString);
    put_string(kv_, value);
    ++kv_count_;
}

void GgufWriter::add_u32(const std::string& key, uint32_t value) {
    put_string(kv_, key);
    put<uint32_t>(kv_, kU32);
    put<uint32_t>(kv_, value);
    ++kv_count_;
}

void GgufWriter::add_f32(const std::string& key, float value) {
    put_string(kv_, key);
    put<uint32_t>(kv_, kF32);
    put<float>(kv_, value);
    ++kv_count_;
}

void GgufWriter::add_bool(const std::string& key, bool value) {
    put_string(kv_, key);
    put<uint32_t>(kv_, kBool);
    put<uint8_t>(kv_, value ? 1 : 0);
    ++kv_count_;
}

void GgufWriter::add_strings(const std::string& key, const std::vector<std::string>& values) {
    put_string(kv_, key);
    put<uint32_t>(kv_, kArray);
    put<uint32_t>(kv_, kString);
    put<uint64_t>(kv_, values.size());
    for (const std::string& s : values) put_string(kv_, s);
    ++kv_count_;
}

void GgufWriter::add_f32s(const std::string& key, const std::vector<float>& values) {
    put_string(kv_, key);
    put<uint32_t>(kv_, kArray);
    put<uint32_t>(kv_, kF32);
    put<uint64_t>(kv_, values.size());
    for (float v : values) put<float>(kv_, v);
    ++kv_count_;
}

void GgufWriter::add_i32s(const std::string& key, const std::vector<int32_t>& values) {
    put_string(kv_, key);
    put<uint32_t>(kv_, kArray);
    put<uint32_t>(kv_, kI32);
    put<uint64_t>(kv_, values.size());
    for (int32_t v : values) put<int32_t>(kv_, v);
    ++kv_count_;
}

void GgufWriter::begin(const std::string& path) {
    path_ = path;
    std::vector<uint8_t> head;
    head.insert(head.end(), {'G', 'G', 'U', 'F'});
    put<uint32_t>(head, 3);
    put<uint64_t>(head, tensors_.size());
    put<uint64_t>(head, kv_count_);
    head.insert(head.end(), kv_.begin(), kv_.end());
    uint64_t offset = 0;
    for (const TensorInfo& t : tensors_) {
        put_string(head, t.name);
        put<uint32_t>(head, static_cast<uint32_t>(t.shape.size()));
        int64_t elements = 1;
        for (auto it = t.shape.rbegin(); it != t.shape.rend(); ++it) {  // ggml: ne[0] innermost
            put<uint64_t>(head, static_cast<uint64_t>(*it));
            elements *= *it;
        }
        put<uint32_t>(head, static_cast<uint32_t>(t.type));
        put<uint64_t>(head, offset);
        const auto bytes = ll::dtype_bytes(t.type, static_cast<uint64_t>(elements));
        if (!bytes) throw std::runtime_error("tensor " + t.name + " is not whole blocks");
        offset += (*bytes + kAlign - 1) / kAlign * kAlign;
    }
    while (head.size() % kAlign) head.push_back(0);
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) throw std::runtime_error("cannot write " + path);
    write_tensor_data(head.data(), head.size());
    written_ = 0;
}

void GgufWriter::write_tensor_data(const void* data, size_t bytes) {
    if (bytes && std::fwrite(data, 1, bytes, f_) != bytes)
        throw std::runtime_error("write failed: " + path_);
    written_ += bytes;
}

void GgufWriter::end_tensor() {
    static const uint8_t zeros[kAlign] = {};
    const size_t pad = (kAlign - written_ % kAlign) % kAlign;
    write_tensor_data(zeros, pad);
}

void GgufWriter::finish() {
    if (f_ && std::fclose(f_) != 0) throw std::runtime_error("write failed: " + path_);
    f_ = nullptr;
}

GgufWriter::~GgufWriter() {
    if (f_) std::fclose(f_);
}

}  // namespace llbench
