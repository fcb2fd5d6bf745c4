#include "session_file.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "atomic_file.h"
#include "checksum.h"
#include "error.h"
#include "mapped_file.h"
#include "model.h"
#include "session.h"

namespace ll {
namespace {

constexpr char kMagic[8] = {'L', 'L', 'K', 'V', 'C', 'A', 'C', 'H'};
// 2: the KV type (kv_cache.h) in the header; K and V rows are stored in that type.
constexpr uint32_t kVersion = 2;

// Fixed-size header; the fingerprint string follows it, then tokens, logits, K and V per
// layer, and finally the checksum of everything before it.
struct Header {
    char magic[8];
    uint32_t version;
    uint32_t fingerprint_bytes;
    uint32_t n_layers;
    uint32_t kv_dim;
    uint32_t vocab;
    uint32_t kv_type;  // KvType's id
    uint64_t n_tokens;
};

class Writer {
  public:
    explicit Writer(AtomicFile& out) : out_(out) {}
    void put(const void* data, size_t bytes) {
        out_.write(data, bytes);
        sum_.add(data, bytes);
    }
    uint64_t checksum() const { return sum_.value(); }

  private:
    AtomicFile& out_;
    Checksum sum_;
};

// Rows are kept as stored, not converted: a file of another KV type is refused (the
// caller rebuilds it) rather than silently losing precision or growing.
template <typename Bad>
void check_kv_type(uint32_t stored, KvType wanted, const Bad& bad) {
    const std::optional<KvType> type = kv_type_from_id(stored);
    if (!type) bad("unknown KV cache type id " + std::to_string(stored));
    if (*type != wanted)
        bad("holds a KV cache of type " + std::string(kv_type_name(*type)) +
            ", but the session uses " + std::string(kv_type_name(wanted)));
}

}  // namespace

void save_session(const Session& session, const std::string& path, const std::string& fingerprint) {
    const ModelConfig& c = session.model().config();
    const int64_t n = session.position();
    // Written beside the old file and renamed over it (atomic_file): a reader sees the old
    // file or the new one, never half of one; a failed write throws naming the file.
    AtomicFile out(path);
    Header h{};
    std::memcpy(h.magic, kMagic, 8);
    h.version = kVersion;
    h.fingerprint_bytes = static_cast<uint32_t>(fingerprint.size());
    h.n_layers = static_cast<uint32_t>(c.n_layers);
    h.kv_dim = static_cast<uint32_t>(c.kv_dim());
    h.vocab = static_cast<uint32_t>(session.logits().size());
    h.kv_type = static_cast<uint32_t>(session.kv_type());
    h.n_tokens = static_cast<uint64_t>(n);
    Writer w(out);
    w.put(&h, sizeof h);
    w.put(fingerprint.data(), fingerprint.size());
    w.put(session.tokens().data(), n * sizeof(int32_t));
    w.put(session.logits().data(), session.logits().size() * sizeof(float));
    const size_t row = session.cache_.row_bytes();
    for (int l = 0; l < c.n_layers; ++l) {
        if (n) w.put(session.cache_.key_bytes(l, 0), n * row);
        if (n) w.put(session.cache_.value_bytes(l, 0), n * row);
    }
    const uint64_t sum = w.checksum();
    out.write(&sum, sizeof sum);
    out.commit();
}

void load_session(Session& session, const std::string& path, const std::string& fingerprint) {
    MappedFile file(path);
    const ModelConfig& c = session.model().config();
    auto bad = [&](const std::string& why) { throw EngineError(path, why); };
    if (file.size() < sizeof(Header) + 8) bad("too short to be a LongLens cache file");
    Header h;
    std::memcpy(&h, file.data(), sizeof h);
    if (std::memcmp(h.magic, kMagic, 8) != 0) bad("not a LongLens cache file");
    if (h.version != kVersion)
        bad("cache format version " + std::to_string(h.version) + " (this build reads " +
            std::to_string(kVersion) + ")");
    if (h.n_layers != static_cast<uint32_t>(c.n_layers) ||
        h.kv_dim != static_cast<uint32_t>(c.kv_dim()) ||
        h.vocab != static_cast<uint32_t>(c.vocab_size))
        bad("made for a model of another shape");
    check_kv_type(h.kv_type, session.kv_type(), bad);
    const size_t row = session.cache_.row_bytes();
    const uint64_t max_tokens = file.size() / (2 * row * h.n_layers + sizeof(int32_t));
    if (h.n_tokens > max_tokens || h.fingerprint_bytes > file.size())
        bad("header sizes exceed the file (truncated?)");
    const size_t expected = sizeof(Header) + h.fingerprint_bytes + h.n_tokens * sizeof(int32_t) +
                            h.vocab * sizeof(float) + 2 * h.n_tokens * row * h.n_layers + 8;
    if (file.size() != expected) bad("size does not match its header (truncated or damaged)");
    Checksum sum;
    sum.add(file.data(), file.size() - 8);
    uint64_t stored;
    std::memcpy(&stored, file.data() + file.size() - 8, 8);
    if (sum.value() != stored) bad("checksum mismatch (damaged)");
    const char* fp = reinterpret_cast<const char*>(file.data() + sizeof(Header));
    if (std::string(fp, h.fingerprint_bytes) != fingerprint)
        bad("made for another model, configuration or document");
    if (static_cast<int64_t>(h.n_tokens) > session.max_context())
        bad("holds more tokens than the session's context");

    const uint8_t* p = file.data() + sizeof(Header) + h.fingerprint_bytes;
    const int64_t n = static_cast<int64_t>(h.n_tokens);
    session.tokens_.resize(n);
    std::memcpy(session.tokens_.data(), p, n * sizeof(int32_t));
    p += n * sizeof(int32_t);
    session.last_logits_.resize(h.vocab);
    std::memcpy(session.last_logits_.data(), p, h.vocab * sizeof(float));
    p += h.vocab * sizeof(float);
    session.cache_.reserve(n);
    for (int l = 0; l < c.n_layers; ++l) {
        if (n) std::memcpy(session.cache_.key_bytes(l, 0), p, n * row);
        p += n * row;
        if (n) std::memcpy(session.cache_.value_bytes(l, 0), p, n * row);
        p += n * row;
    }
}

std::string model_fingerprint(const Model& model) {
    const ModelConfig& c = model.config();
    Checksum sum;
    const Weights& w = model.weights();
    // The embedding and the last layer's down projection: distinct per checkpoint, and
    // bounded to 1 MiB each so this stays cheap for large models.
    for (const Tensor* t : {&w.embedding, &w.layers.back().w_down, &w.output_norm})
        sum.add(t->data, std::min<size_t>(t->bytes, 1u << 20));
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s/%d/%d/%d/%d/%d/%d/%016llx", c.architecture.c_str(),
                  c.n_layers, c.dim, c.n_heads, c.n_kv_heads, c.vocab_size,
                  static_cast<int>(model.weight_bytes() & 0x7fffffff),
                  static_cast<unsigned long long>(sum.value()));
    return buf;
}

}  // namespace ll
