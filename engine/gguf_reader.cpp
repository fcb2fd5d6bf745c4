#include "gguf_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <numeric>

#include "error.h"

// GGUF layout (all little-endian):
//   "GGUF" u32 version, u64 tensor_count, u64 kv_count
//   kv_count x { string key, u32 value_type, value }
//   tensor_count x { string name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset }
//   padding to general.alignment, then the data section; tensor offsets are relative to it.
// A string is u64 length + bytes; an array is u32 element type + u64 count + elements.

namespace ll {

namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" read as a little-endian u32
constexpr int kMaxArrayDepth = 8;        // bounds recursion on hostile nested arrays
constexpr uint32_t kMaxDims = 4;
// Smallest encodings, used to reject counts the remaining bytes cannot possibly hold
// before anything is reserved for them.
constexpr uint64_t kMinKvBytes = 8 + 4 + 1;                  // empty key, type, one byte value
constexpr uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8;  // empty name, one dim
// Parsed entries take more memory than their smallest encoding (a metadata entry ~150
// bytes for 13 in the file), so counts far beyond any real model are refused outright:
// real files have < 100 keys and < 100k tensors; llama.cpp refuses nested arrays at all.
constexpr uint64_t kMaxMetadataCount = 1 << 16;
constexpr uint64_t kMaxTensorCount = 1 << 20;
constexpr uint64_t kMaxNestedArrayCount = 1 << 16;
// Directories grow past this as entries are actually parsed, not on a header's word.
constexpr uint64_t kInitialReserve = 1 << 12;

std::optional<size_t> scalar_size(GgufType t) {
    switch (t) {
        case GgufType::U8:
        case GgufType::I8:
        case GgufType::BOOL:
            return 1;
        case GgufType::U16:
        case GgufType::I16:
            return 2;
        case GgufType::U32:
        case GgufType::I32:
        case GgufType::F32:
            return 4;
        case GgufType::U64:
        case GgufType::I64:
        case GgufType::F64:
            return 8;
        default:
            return std::nullopt;
    }
}

bool valid_type(uint32_t t) {
    return t <= static_cast<uint32_t>(GgufType::F64);
}

bool is_integer(GgufType t) {
    switch (t) {
        case GgufType::U8:
        case GgufType::I8:
        case GgufType::U16:
        case GgufType::I16:
        case GgufType::U32:
        case GgufType::I32:
        case GgufType::U64:
        case GgufType::I64:
            return true;
        default:
            return false;
    }
}

// Bytes the smallest element of an array of `t` takes in the file.
uint64_t min_element_size(GgufType t) {
    if (t == GgufType::STRING) return 8;
    if (t == GgufType::ARRAY) return 4 + 8;
    return *scalar_size(t);
}

template <typename T>
T load(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Stores the scalar of type t at p in the fields GgufValue keeps scalars in.
void decode_scalar(GgufType t, const uint8_t* p, uint64_t* bits, double* real) {
    switch (t) {
        case GgufType::U8:
        case GgufType::BOOL:
            *bits = load<uint8_t>(p);
            break;
        case GgufType::I8:
            *bits = static_cast<uint64_t>(int64_t{load<int8_t>(p)});
            break;
        case GgufType::U16:
            *bits = load<uint16_t>(p);
            break;
        case GgufType::I16:
            *bits = static_cast<uint64_t>(int64_t{load<int16_t>(p)});
            break;
        case GgufType::U32:
            *bits = load<uint32_t>(p);
            break;
        case GgufType::I32:
            *bits = static_cast<uint64_t>(int64_t{load<int32_t>(p)});
            break;
        case GgufType::U64:
            *bits = load<uint64_t>(p);
            break;
        case GgufType::I64:
            *bits = static_cast<uint64_t>(load<int64_t>(p));
            break;
        case GgufType::F32:
            *real = load<float>(p);
            break;
        case GgufType::F64:
            *real = load<double>(p);
            break;
        default:
            break;
    }
}

// The magic as text for an error message, non-printable bytes as \xNN.
std::string printable(const uint8_t* p, size_t n) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        if (p[i] >= 0x20 && p[i] < 0x7F) {
            out += static_cast<char>(p[i]);
        } else {
            out += "\\x";
            out += hex[p[i] >> 4];
            out += hex[p[i] & 15];
        }
    }
    return out;
}

// A key or tensor name for an error message: names in a hostile file can be megabytes of
// binary, so they are escaped and cut short.
std::string quoted(std::string_view s) {
    constexpr size_t kMax = 80;
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    return "'" + printable(p, std::min(s.size(), kMax)) + (s.size() > kMax ? "...'" : "'");
}

}  // namespace

std::string_view gguf_type_name(GgufType type) {
    static constexpr std::string_view kNames[] = {"u8",  "i8",  "u16",  "i16",    "u32",
                                                  "i32", "f32", "bool", "string", "array",
                                                  "u64", "i64", "f64"};
    const auto i = static_cast<uint32_t>(type);
    return i < std::size(kNames) ? kNames[i] : std::string_view("unknown");
}

// ---- GgufValue ----

std::optional<int64_t> GgufValue::as_int() const {
    if (!is_integer(type_)) return std::nullopt;
    if (type_ == GgufType::U64 && bits_ > uint64_t{std::numeric_limits<int64_t>::max()}) {
        return std::nullopt;
    }
    return static_cast<int64_t>(bits_);
}

std::optional<double> GgufValue::as_float() const {
    if (type_ != GgufType::F32 && type_ != GgufType::F64) return std::nullopt;
    return float_;
}

std::optional<bool> GgufValue::as_bool() const {
    if (type_ != GgufType::BOOL) return std::nullopt;
    return bits_ != 0;
}

std::optional<std::string_view> GgufValue::as_string() const {
    if (type_ != GgufType::STRING) return std::nullopt;
    return str_;
}

std::optional<GgufValue> GgufValue::element(size_t i) const {
    if (type_ != GgufType::ARRAY || i >= count_ || elem_type_ == GgufType::ARRAY) {
        return std::nullopt;
    }
    GgufValue v;
    v.type_ = elem_type_;
    if (elem_type_ == GgufType::STRING) {
        v.str_ = strings_[i];
    } else {
        decode_scalar(elem_type_, raw_ + i * *scalar_size(elem_type_), &v.bits_, &v.float_);
    }
    return v;
}

// ---- Parser ----

// Walks the file once with a bounds-checked cursor and fills a GgufFile.
class GgufParser {
  public:
    explicit GgufParser(GgufFile& f) : f_(f), base_(f.file_.data()), size_(f.file_.size()) {}

    void parse() {
        const auto [tensor_count, kv_count] = read_header();
        read_metadata(kv_count);
        read_alignment();
        read_tensor_infos(tensor_count);
        place_tensors();
    }

  private:
    [[noreturn]] void fail(const std::string& problem) const {
        throw EngineError(f_.path(), problem);
    }

    uint64_t remaining() const { return size_ - pos_; }

    // Every read goes through here: `describe` is only called to word an error.
    template <typename Describe>
    void need(uint64_t n, Describe&& describe) const {
        if (n > remaining()) {
            fail("truncated file: " + describe() + " needs " + std::to_string(n) +
                 " bytes at offset " + std::to_string(pos_) + " but only " +
                 std::to_string(remaining()) + " remain");
        }
    }

    template <typename T, typename Describe>
    T read(Describe&& describe) {
        need(sizeof(T), describe);
        const T v = load<T>(base_ + pos_);
        pos_ += sizeof(T);
        return v;
    }

    template <typename Describe>
    std::string_view read_string(Describe&& describe) {
        const auto len = read<uint64_t>([&] { return "length of " + describe(); });
        need(len, describe);
        std::string_view s(reinterpret_cast<const char*>(base_ + pos_), len);
        pos_ += len;
        return s;
    }

    std::pair<uint64_t, uint64_t> read_header() {
        need(4, [] { return std::string("the magic number"); });
        if (load<uint32_t>(base_) != kMagic) {
            fail("not a GGUF file: the magic is '" + printable(base_, 4) + "', expected 'GGUF'");
        }
        pos_ = 4;
        const auto version = read<uint32_t>([] { return std::string("the version"); });
        if (version != 2 && version != 3) {
            if (__builtin_bswap32(version) == 2 || __builtin_bswap32(version) == 3) {
                fail("big-endian GGUF files are not supported");
            }
            fail("unsupported GGUF version " + std::to_string(version) +
                 " (versions 2 and 3 are supported)");
        }
        f_.version_ = version;
        const auto tensors = read<uint64_t>([] { return std::string("the tensor count"); });
        const auto kvs = read<uint64_t>([] { return std::string("the metadata count"); });
        check_count(kvs, kMinKvBytes, "metadata count");
        check_count(tensors, kMinTensorInfoBytes, "tensor count");
        check_limit(kvs, kMaxMetadataCount, "metadata count");
        check_limit(tensors, kMaxTensorCount, "tensor count");
        return {tensors, kvs};
    }

    // A count whose smallest encoding cannot fit in the rest of the file is a lie.
    void check_count(uint64_t count, uint64_t min_each, const std::string& what) const {
        if (count > remaining() / min_each) {
            fail(what + " " + std::to_string(count) + " cannot fit in the " +
                 std::to_string(remaining()) + " bytes that remain at offset " +
                 std::to_string(pos_));
        }
    }

    void check_limit(uint64_t count, uint64_t limit, const std::string& what) const {
        if (count > limit) {
            fail(what + " " + std::to_string(count) + " is implausibly large (the limit is " +
                 std::to_string(limit) + ")");
        }
    }

    void read_metadata(uint64_t count) {
        f_.metadata_.reserve(std::min<uint64_t>(count, kInitialReserve));
        for (uint64_t i = 0; i < count; ++i) {
            const std::string_view key =
                read_string([&] { return "the key of metadata entry " + std::to_string(i); });
            const auto type = read<uint32_t>([&] { return "the type of " + quoted(key); });
            if (!valid_type(type)) {
                fail("metadata key " + quoted(key) + " has unknown value type " +
                     std::to_string(type));
            }
            GgufValue value = read_value(static_cast<GgufType>(type), key, 0);
            if (!f_.metadata_index_.emplace(key, f_.metadata_.size()).second) {
                fail("duplicate metadata key " + quoted(key));
            }
            f_.metadata_.emplace_back(key, std::move(value));
        }
    }

    GgufValue read_value(GgufType type, std::string_view key, int depth) {
        GgufValue v;
        v.type_ = type;
        if (type == GgufType::STRING) {
            v.str_ = read_string([&] { return "the value of " + quoted(key); });
        } else if (type == GgufType::ARRAY) {
            read_array(v, key, depth);
        } else {
            const size_t n = *scalar_size(type);
            need(n, [&] { return "the value of " + quoted(key); });
            decode_scalar(type, base_ + pos_, &v.bits_, &v.float_);
            pos_ += n;
        }
        return v;
    }

    void read_array(GgufValue& v, std::string_view key, int depth) {
        if (depth >= kMaxArrayDepth) {
            fail("metadata array " + quoted(key) + " is nested deeper than " +
                 std::to_string(kMaxArrayDepth) + " levels");
        }
        const auto elem = read<uint32_t>([&] { return "the element type of " + quoted(key); });
        if (!valid_type(elem)) {
            fail("metadata array " + quoted(key) + " has unknown element type " +
                 std::to_string(elem));
        }
        v.elem_type_ = static_cast<GgufType>(elem);
        const auto count = read<uint64_t>([&] { return "the length of " + quoted(key); });
        check_count(count, min_element_size(v.elem_type_),
                    "element count of array " + quoted(key) + ":");
        v.count_ = static_cast<size_t>(count);
        if (v.elem_type_ == GgufType::STRING) {
            v.strings_.reserve(v.count_);
            for (size_t i = 0; i < v.count_; ++i) {
                v.strings_.push_back(read_string(
                    [&] { return "element " + std::to_string(i) + " of " + quoted(key); }));
            }
        } else if (v.elem_type_ == GgufType::ARRAY) {
            check_limit(count, kMaxNestedArrayCount,
                        "element count of nested array " + quoted(key));
            v.nested_.reserve(v.count_);
            for (size_t i = 0; i < v.count_; ++i) {
                v.nested_.push_back(read_value(GgufType::ARRAY, key, depth + 1));
            }
        } else {
            // check_count has proven that count * element size fits.
            v.raw_ = base_ + pos_;
            pos_ += v.count_ * *scalar_size(v.elem_type_);
        }
    }

    void read_alignment() {
        const GgufValue* a = f_.find("general.alignment");
        if (!a) return;
        const auto value = a->as_int();
        if (!value) {
            fail("general.alignment has type " + std::string(gguf_type_name(a->type())) +
                 ", expected an integer");
        }
        if (*value <= 0 || *value > (int64_t{1} << 30) || !std::has_single_bit(uint64_t(*value))) {
            fail("general.alignment " + std::to_string(*value) +
                 " is not a power of two between 1 and 2^30");
        }
        f_.alignment_ = static_cast<uint64_t>(*value);
    }

    struct TensorInfo {
        std::string_view name;
        uint64_t offset = 0;
    };

    void read_tensor_infos(uint64_t count) {
        f_.tensors_.reserve(std::min<uint64_t>(count, kInitialReserve));
        infos_.reserve(std::min<uint64_t>(count, kInitialReserve));
        for (uint64_t i = 0; i < count; ++i) read_tensor_info(i);
    }

    void read_tensor_info(uint64_t index) {
        const std::string_view name =
            read_string([&] { return "the name of tensor " + std::to_string(index); });
        const auto what = [&](const char* field) { return field + (" of tensor " + quoted(name)); };
        const auto n_dims = read<uint32_t>([&] { return what("the dimension count"); });
        if (n_dims == 0 || n_dims > kMaxDims) {
            fail("tensor " + quoted(name) + " has " + std::to_string(n_dims) +
                 " dimensions (1 to 4 are supported)");
        }
        uint64_t ne[kMaxDims] = {};
        for (uint32_t d = 0; d < n_dims; ++d) {
            ne[d] = read<uint64_t>([&] { return what("the dimensions"); });
        }
        const auto type = read<uint32_t>([&] { return what("the type"); });
        const auto offset = read<uint64_t>([&] { return what("the data offset"); });

        Tensor t;
        t.name = std::string(name);
        if (!dtype_info(type)) {
            fail("tensor " + quoted(name) + " has unknown or unsupported type id " +
                 std::to_string(type));
        }
        t.type = static_cast<DType>(type);
        t.bytes = checked_size(name, ne, n_dims, t.type);
        // ggml lists the fastest-varying dimension first; Tensor is row-major.
        for (uint32_t d = n_dims; d-- > 0;) t.shape.push_back(static_cast<int64_t>(ne[d]));
        f_.tensors_.push_back(std::move(t));
        infos_.push_back({name, offset});
    }

    // Validates the dimensions and returns the tensor's size in bytes.
    size_t checked_size(std::string_view name, const uint64_t* ne, uint32_t n_dims,
                        DType type) const {
        const DTypeInfo info = dtype_info(type);
        uint64_t elements = 1;
        for (uint32_t d = 0; d < n_dims; ++d) {
            if (ne[d] == 0 || ne[d] > uint64_t{std::numeric_limits<int64_t>::max()}) {
                fail("tensor " + quoted(name) + " has invalid dimension " + std::to_string(d) +
                     " = " + std::to_string(ne[d]));
            }
            if (__builtin_mul_overflow(elements, ne[d], &elements) ||
                elements > uint64_t{std::numeric_limits<int64_t>::max()}) {
                fail("the element count of tensor " + quoted(name) + " overflows");
            }
        }
        if (ne[0] % static_cast<uint64_t>(info.block_elems) != 0) {
            fail("tensor " + quoted(name) + " has rows of " + std::to_string(ne[0]) +
                 " elements, not a multiple of the " + std::string(info.name) + " block size " +
                 std::to_string(info.block_elems));
        }
        const auto bytes = dtype_bytes(type, elements);
        if (!bytes) fail("the byte size of tensor " + quoted(name) + " overflows");
        return *bytes;
    }

    void place_tensors() {
        const uint64_t a = f_.alignment_;
        const uint64_t start = (uint64_t{pos_} + a - 1) / a * a;  // pos_ <= size_, a <= 2^30
        f_.data_offset_ = static_cast<size_t>(start);
        const uint64_t data_size = start <= size_ ? size_ - start : 0;
        if (start > size_ && !f_.tensors_.empty()) {
            fail("the tensor data section would start at offset " + std::to_string(start) +
                 ", past the end of the file (" + std::to_string(size_) + " bytes)");
        }
        for (size_t i = 0; i < f_.tensors_.size(); ++i) {
            Tensor& t = f_.tensors_[i];
            const uint64_t off = infos_[i].offset;
            if (off % a != 0) {
                fail("tensor " + quoted(t.name) + " has data offset " + std::to_string(off) +
                     ", not a multiple of the alignment " + std::to_string(a));
            }
            if (off > data_size || t.bytes > data_size - off) {
                fail("tensor " + quoted(t.name) + " (" + std::to_string(t.bytes) +
                     " bytes at data offset " + std::to_string(off) +
                     ") extends past the end of the file; the data section holds " +
                     std::to_string(data_size) + " bytes");
            }
            t.data = base_ + start + off;
            if (!f_.tensor_index_.emplace(infos_[i].name, i).second) {
                fail("duplicate tensor name " + quoted(t.name));
            }
        }
        check_overlaps();
    }

    void check_overlaps() const {
        std::vector<size_t> order(f_.tensors_.size());
        std::iota(order.begin(), order.end(), size_t{0});
        std::sort(order.begin(), order.end(),
                  [&](size_t x, size_t y) { return infos_[x].offset < infos_[y].offset; });
        for (size_t k = 1; k < order.size(); ++k) {
            const size_t prev = order[k - 1], cur = order[k];
            if (infos_[prev].offset + f_.tensors_[prev].bytes > infos_[cur].offset) {
                fail("the data of tensors " + quoted(f_.tensors_[prev].name) + " and " +
                     quoted(f_.tensors_[cur].name) + " overlap");
            }
        }
    }

    GgufFile& f_;
    const uint8_t* base_;
    size_t size_;
    size_t pos_ = 0;
    std::vector<TensorInfo> infos_;
};

// ---- GgufFile ----

GgufFile::GgufFile(const std::string& path) : file_(path) {
    GgufParser(*this).parse();
}

std::vector<std::string> GgufFile::keys() const {
    std::vector<std::string> out;
    out.reserve(metadata_.size());
    for (const auto& kv : metadata_) out.emplace_back(kv.first);
    return out;
}

const GgufValue* GgufFile::find(std::string_view key) const {
    const auto it = metadata_index_.find(key);
    return it == metadata_index_.end() ? nullptr : &metadata_[it->second].second;
}

std::optional<std::string> GgufFile::get_string(std::string_view key) const {
    const GgufValue* v = find(key);
    if (!v || !v->as_string()) return std::nullopt;
    return std::string(*v->as_string());
}

std::optional<int64_t> GgufFile::get_int(std::string_view key) const {
    const GgufValue* v = find(key);
    return v ? v->as_int() : std::nullopt;
}

std::optional<double> GgufFile::get_float(std::string_view key) const {
    const GgufValue* v = find(key);
    return v ? v->as_float() : std::nullopt;
}

std::optional<bool> GgufFile::get_bool(std::string_view key) const {
    const GgufValue* v = find(key);
    return v ? v->as_bool() : std::nullopt;
}

namespace {

// Decodes every element of an array with `get`, or nullopt if any element does not fit.
template <typename T, typename Get>
std::optional<std::vector<T>> array_of(const GgufValue* v, Get get) {
    if (!v || v->type() != GgufType::ARRAY || v->elem_type() == GgufType::ARRAY) {
        return std::nullopt;
    }
    std::vector<T> out;
    out.reserve(v->size());
    for (size_t i = 0; i < v->size(); ++i) {
        auto x = get(*v->element(i));
        if (!x) return std::nullopt;
        out.push_back(static_cast<T>(*x));
    }
    return out;
}

}  // namespace

std::optional<std::vector<std::string>> GgufFile::get_string_array(std::string_view key) const {
    return array_of<std::string>(find(key), [](const GgufValue& e) { return e.as_string(); });
}

std::optional<std::vector<float>> GgufFile::get_float_array(std::string_view key) const {
    return array_of<float>(find(key), [](const GgufValue& e) { return e.as_float(); });
}

std::optional<std::vector<int64_t>> GgufFile::get_int_array(std::string_view key) const {
    return array_of<int64_t>(find(key), [](const GgufValue& e) { return e.as_int(); });
}

const Tensor* GgufFile::tensor(std::string_view name) const {
    const auto it = tensor_index_.find(name);
    return it == tensor_index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace ll
