// How much memory a run will need, said before it starts, and a clear refusal when it
// would not fit (rather than a swap storm or the OOM killer half-way through a document).
#pragma once

#include <cstdint>
#include <string>

#include "kv_cache.h"

namespace ll {

class Model;

struct MemoryEstimate {
    uint64_t weights = 0;   // bytes of the weights (mapped from the file)
    uint64_t kv_cache = 0;  // keys + values for the whole context
    uint64_t scratch = 0;   // activations of one chunk, attention tile, logits
    uint64_t total() const { return weights + kv_cache + scratch; }
    std::string describe() const;  // "1.2 GiB = 0.9 weights + 0.2 KV + 0.1 scratch"
};

// `kv`: the KV cache's element type; its real bytes per token count (kv_bytes_per_token,
// which throws for a type the model's rows do not fit).
MemoryEstimate estimate_memory(const Model& model, int64_t context, int64_t chunk = 512,
                               KvType kv = KvType::F32);

// Bytes the system can still give (MemAvailable, capped by LONGLENS_MEMORY_LIMIT_MIB when
// set), or 0 when unknown.
uint64_t available_memory();

// Throws EngineError("memory", ...) when `e` exceeds what is available.
void check_memory(const MemoryEstimate& e, int64_t context);

}  // namespace ll
