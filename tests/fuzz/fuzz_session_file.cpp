// The document cache file (session_file): any bytes give a restored session that then goes
// on evaluating, or an EngineError naming the file; never a crash or an out-of-bounds read.
// The file's checksum guards everything after the header, so random bytes would almost
// never get past it: the first input byte chooses fix-ups the harness applies first (bit 0:
// the right magic, version, shape and KV type; bit 1: the expected fingerprint; bit 2: the
// checksum recomputed), so what lies behind each check is reached too. The model is
// ../shared's stories260K (loaded once). With LONGLENS_FUZZ_SEED=FILE set, the target writes
// a seed (a real cache file of 24 tokens, all fix-ups on) to FILE and exits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "checksum.h"
#include "error.h"
#include "fuzz_input.h"
#include "model.h"
#include "session.h"
#include "session_file.h"

namespace {

const char* const kFingerprint = "fuzz|stories260K|none|full|doc";
constexpr int64_t kContext = 64;

const ll::Model& model() {
    static const auto m = ll::Model::load(LONGLENS_SHARED_DIR "/models/stories260K-hf");
    return *m;
}

std::unique_ptr<ll::Session> new_session() {
    const ll::Model& m = model();
    return std::make_unique<ll::Session>(
        m, ll::PositionEncoding(m.config().scaling, m.config().rope), kContext, ll::KvType::F32);
}

// The fixed-size header as session_file.cpp writes it (magic, version 2, then the sizes).
struct Header {
    char magic[8];
    uint32_t version, fingerprint_bytes, n_layers, kv_dim, vocab, kv_type;
    uint64_t n_tokens;
};

std::vector<uint8_t> with_fixups(uint8_t flags, const uint8_t* data, size_t size) {
    std::vector<uint8_t> file(data, data + size);
    const ll::ModelConfig& c = model().config();
    if ((flags & 1) && file.size() >= sizeof(Header)) {
        Header h;
        std::memcpy(&h, file.data(), sizeof h);
        std::memcpy(h.magic, "LLKVCACH", 8);
        h.version = 2;
        h.n_layers = uint32_t(c.n_layers);
        h.kv_dim = uint32_t(c.kv_dim());
        h.vocab = uint32_t(c.vocab_size);
        h.kv_type = uint32_t(ll::KvType::F32);
        std::memcpy(file.data(), &h, sizeof h);
    }
    const size_t fp = std::strlen(kFingerprint);
    if ((flags & 2) && file.size() >= sizeof(Header) + fp) {
        const uint32_t n = uint32_t(fp);
        std::memcpy(file.data() + offsetof(Header, fingerprint_bytes), &n, sizeof n);
        std::memcpy(file.data() + sizeof(Header), kFingerprint, fp);
    }
    if ((flags & 4) && file.size() >= 8) {
        ll::Checksum sum;
        sum.add(file.data(), file.size() - 8);
        const uint64_t v = sum.value();
        std::memcpy(file.data() + file.size() - 8, &v, 8);
    }
    return file;
}

void write_seed(const char* path) {
    auto s = new_session();
    std::vector<int32_t> tokens;
    for (int32_t i = 0; i < 24; ++i)
        tokens.push_back(1 + (i * 37) % (model().config().vocab_size - 1));
    s->eval(tokens);
    const std::string tmp = std::string(path) + ".llkv";
    ll::save_session(*s, tmp, kFingerprint);
    FILE* in = std::fopen(tmp.c_str(), "rb");
    FILE* out = std::fopen(path, "wb");
    std::fputc(7, out);
    for (int ch; (ch = std::fgetc(in)) != EOF;) std::fputc(ch, out);
    std::fclose(in);
    std::fclose(out);
    std::remove(tmp.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (const char* seed = std::getenv("LONGLENS_FUZZ_SEED")) {
        write_seed(seed);
        std::exit(0);
    }
    (void)model();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static lltest::FuzzInput input;
    const std::vector<uint8_t> file = with_fixups(data[0], data + 1, size - 1);
    const std::string path = input.set(file.data(), file.size());
    auto session = new_session();
    try {
        ll::load_session(*session, path, kFingerprint);
    } catch (const ll::EngineError&) {
        return 0;
    }
    // A restored session must go on exactly as a live one would: one more token, finite
    // logits, unless the restored state is full.
    if (session->position() < kContext) {
        const int32_t next = 1;
        try {
            session->eval(std::span(&next, 1));
        } catch (const ll::EngineError&) {  // NaN/Inf from restored values is reported
        }
    }
    return 0;
}
