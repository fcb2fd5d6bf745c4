#include "memory_estimate.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "error.h"
#include "model.h"

namespace ll {
namespace {

std::string gib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f GiB", static_cast<double>(bytes) / (1ull << 30));
    return buf;
}

}  // namespace

std::string MemoryEstimate::describe() const {
    return gib(total()) + " = " + gib(weights) + " weights + " + gib(kv_cache) + " KV cache + " +
           gib(scratch) + " scratch";
}

MemoryEstimate estimate_memory(const Model& model, int64_t context, int64_t chunk, KvType kv) {
    const ModelConfig& c = model.config();
    MemoryEstimate e;
    e.weights = model.weight_bytes();
    const auto ctx = static_cast<uint64_t>(context);
    e.kv_cache = kv_bytes_per_token(c, kv) * ctx;
    const uint64_t n = static_cast<uint64_t>(std::min(chunk, context));
    // Per chunk: residual, normed copy, q, k, v, attention output, two FFN buffers,
    // one 64-query score tile over the whole context, and the chunk's logits.
    const uint64_t per_token = 2 * c.dim + 2 * c.q_dim() + 2 * c.kv_dim() + 2 * c.ffn_dim;
    // A non-f32 cache is read through one KV head's keys and values in float32.
    const uint64_t tile = kv == KvType::F32 ? 0 : 2 * ctx * static_cast<uint64_t>(c.head_dim);
    e.scratch = sizeof(float) * (n * per_token + 64 * ctx + tile + n * c.vocab_size);
    return e;
}

// LONGLENS_MEMORY_LIMIT_MIB caps what a run may use (a machine shared with other work, or
// a test of the refusal); otherwise, and when it is not a positive number, MemAvailable.
static uint64_t memory_limit() {
    const char* env = std::getenv("LONGLENS_MEMORY_LIMIT_MIB");
    const long long mib = env ? std::atoll(env) : 0;
    return mib > 0 ? static_cast<uint64_t>(mib) << 20 : 0;
}

static uint64_t mem_available() {
    std::ifstream in("/proc/meminfo");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("MemAvailable:", 0) != 0) continue;
        std::istringstream fields(line.substr(13));
        uint64_t kib = 0;
        fields >> kib;
        return kib * 1024;
    }
    return 0;
}

uint64_t available_memory() {
    const uint64_t limit = memory_limit(), system = mem_available();
    if (limit == 0) return system;
    return system == 0 ? limit : std::min(limit, system);
}

void check_memory(const MemoryEstimate& e, int64_t context) {
    const uint64_t available = available_memory();
    if (available == 0 || e.total() <= available) return;
    throw EngineError("memory", "a context of " + std::to_string(context) + " tokens needs " +
                                    e.describe() + ", but only " + gib(available) +
                                    " are available; use a shorter context or a smaller model");
}

}  // namespace ll
