// Reader for GGUF model files (versions 2 and 3): metadata, tensor directory and the
// tensor data, used in place from a memory map. Every malformed file is reported as an
// EngineError naming the file and the exact problem; nothing in a file is trusted before
// it has been checked against the file's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mapped_file.h"
#include "tensor.h"

namespace ll {

// Metadata value types; the numeric values are GGUF's.
enum class GgufType : uint32_t {
    U8 = 0,
    I8 = 1,
    U16 = 2,
    I16 = 3,
    U32 = 4,
    I32 = 5,
    F32 = 6,
    BOOL = 7,
    STRING = 8,
    ARRAY = 9,
    U64 = 10,
    I64 = 11,
    F64 = 12,
};

std::string_view gguf_type_name(GgufType type);

// One metadata value. Strings and array elements are views into the mapped file: a
// GgufValue is valid as long as the GgufFile it came from.
class GgufValue {
  public:
    GgufType type() const { return type_; }

    // Scalars. as_int accepts every integer type (nullopt for a u64 above INT64_MAX),
    // as_float f32 and f64; each returns nullopt for any other type.
    std::optional<int64_t> as_int() const;
    std::optional<double> as_float() const;
    std::optional<bool> as_bool() const;
    std::optional<std::string_view> as_string() const;

    // Arrays (type() == ARRAY).
    GgufType elem_type() const { return elem_type_; }
    size_t size() const { return count_; }
    // Element i of an array of scalars or strings, decoded; nullopt when out of range
    // or when the elements are arrays themselves (use nested()).
    std::optional<GgufValue> element(size_t i) const;
    // The elements of an array of arrays.
    const std::vector<GgufValue>& nested() const { return nested_; }

  private:
    friend class GgufParser;
    GgufType type_ = GgufType::U8;
    uint64_t bits_ = 0;  // integers (two's complement, sign-extended) and bool
    double float_ = 0;
    std::string_view str_;
    GgufType elem_type_ = GgufType::U8;
    size_t count_ = 0;
    const uint8_t* raw_ = nullptr;           // scalar array elements, packed as in the file
    std::vector<std::string_view> strings_;  // string array elements
    std::vector<GgufValue> nested_;          // array array elements
};

class GgufFile {
  public:
    // Maps and parses `path`; throws EngineError(path, problem) for any malformed file.
    explicit GgufFile(const std::string& path);

    const std::string& path() const { return file_.path(); }
    uint32_t version() const { return version_; }
    uint64_t alignment() const { return alignment_; }
    // Start of the tensor data section (header end rounded up to the alignment); in a
    // file without tensors it may lie past the end of the file.
    size_t data_offset() const { return data_offset_; }

    // Metadata keys in file order.
    std::vector<std::string> keys() const;
    const GgufValue* find(std::string_view key) const;

    // Typed getters: nullopt when the key is missing or holds another type.
    std::optional<std::string> get_string(std::string_view key) const;
    std::optional<int64_t> get_int(std::string_view key) const;   // any integer type
    std::optional<double> get_float(std::string_view key) const;  // f32 or f64
    std::optional<bool> get_bool(std::string_view key) const;
    std::optional<std::vector<std::string>> get_string_array(std::string_view key) const;
    std::optional<std::vector<float>> get_float_array(std::string_view key) const;  // f32/f64
    std::optional<std::vector<int64_t>> get_int_array(std::string_view key) const;  // integers

    // Tensors in file order; their data points into the map, valid while *this lives.
    const std::vector<Tensor>& tensors() const { return tensors_; }
    const Tensor* tensor(std::string_view name) const;

  private:
    friend class GgufParser;
    MappedFile file_;
    uint32_t version_ = 0;
    uint64_t alignment_ = 32;
    size_t data_offset_ = 0;
    std::vector<std::pair<std::string_view, GgufValue>> metadata_;
    std::unordered_map<std::string_view, size_t> metadata_index_;
    std::vector<Tensor> tensors_;
    std::unordered_map<std::string_view, size_t> tensor_index_;
};

}  // namespace ll
