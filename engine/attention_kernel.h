// Tiled attention with online softmax, read straight from the KV cache's own type.
//
// The kernel works on a "pack": up to kPackRows query rows that share one KV head (in GQA
// the n_heads / n_kv_heads query heads of a group, and for prefill several positions), so
// every key and value row of that head is read from memory once per pack, converted in
// registers (f16 through F16C, q8_0 as int8 times its block scale, f32 as it is), and
// used for all rows while it is in cache. Keys are visited in blocks; each row keeps a
// running maximum m, a running sum l of exp(score - m) and an unnormalised weighted sum of
// values, rescaled by exp(m_old - m_new) when the maximum grows. No score matrix is ever
// stored beyond one block.
//
// A pack may cover only part of the keys (split-K, "flash decoding"): the partial states
// of the parts merge exactly (merge_pack_states), so decode spreads one query group's
// keys over the engine's threads.
//
// Runtime dispatch by SimdLevel (quant_dot.h): AVX-512 (16 floats per register), AVX2
// (8), or portable code, which is also the reference the others must agree with.
// A level runs only the head sizes its loads fit (AVX2 head_dim % 8, AVX-512 % 16); other
// shapes take the level below.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kv_cache.h"

namespace ll {

constexpr int kPackRows = 8;

// One KV head's keys and values in the cache: position j's row starts at keys + j *
// row_bytes (values likewise), and the head's elements are [col, col + head_dim) of it.
struct KvHeadView {
    KvType type = KvType::F32;
    const uint8_t* keys = nullptr;
    const uint8_t* values = nullptr;
    size_t row_bytes = 0;
    int64_t col = 0;
    int head_dim = 0;
};

// Up to kPackRows query rows. Row r sees keys [lo[r], hi[r]] (inclusive; hi is the query's
// own position) and adds slope[r] * (j - hi[r]) to the score of key j (ALiBi; 0 without).
struct QueryPack {
    int rows = 0;
    const float* q[kPackRows] = {};
    int64_t lo[kPackRows] = {};
    int64_t hi[kPackRows] = {};
    float slope[kPackRows] = {};
    float scale = 1.0f;  // scores are scale * dot(q, k), before the ALiBi bias
};

// The online-softmax state of a pack over the keys seen so far: per row the maximum score
// m, the sum l of exp(score - m), and acc (kPackRows x head_dim floats, caller's memory)
// = sum of exp(score - m) * value. A row that saw no key has m = -inf, l = 0, acc = 0.
struct PackState {
    float m[kPackRows];
    float l[kPackRows];
    float* acc = nullptr;
};

// Sets a state to "no keys seen" (acc: kPackRows x head_dim zeros).
void reset_pack_state(PackState& state, int head_dim);

// Adds keys [k0, k1) (intersected with each row's own range) to `state`.
void attend_pack(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                 PackState& state);

// Folds `part` into `into` (both over disjoint key ranges of the same pack).
void merge_pack_states(PackState& into, const PackState& part, int rows, int head_dim);

// out[r] = acc[r] / l[r] for rows [0, rows): each row's attention output.
void finish_pack(const PackState& state, int rows, int head_dim, float* const* out);

// The exact softmax weights of the pack's rows over keys [k0, k1), which must hold each
// row's whole visible range: w[(j - k0) * kPackRows + r] (0 where row r cannot see key j,
// and in lanes past pack.rows). The online softmax never holds a normalised row; attention
// capture gets its weights from here, read from the cache's own type like attend_pack.
void pack_weights(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1, float* w);

}  // namespace ll
