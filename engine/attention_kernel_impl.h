// Internal to the attention kernel (attention_kernel*.cpp): the per-level entry points and
// what the level files share. Not part of the engine's interface; include
// attention_kernel.h.
#pragma once

#include <cstdint>

#include "attention_kernel.h"

namespace ll::attn {

// Keys per block: one block's scores (kKeyBlock x kPackRows floats) and its key and value
// rows (8 KiB each for a 64-wide f16 head) stay in L1 between the three passes over them.
constexpr int64_t kKeyBlock = 64;

// Whether a level's loads fit this head: whole registers of the head's elements, never
// across a q8_0 block (blocks are 32 elements, so an offset that is a multiple of the
// register width stays inside one).
inline bool fits_width(const KvHeadView& kv, int width) {
    return kv.head_dim % width == 0 && kv.col % width == 0;
}

void attend_pack_avx2(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                      PackState& state);
void attend_pack_avx512(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                        PackState& state);
void pack_weights_avx2(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                       float* w);
void pack_weights_avx512(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                         float* w);

}  // namespace ll::attn
