#include "attention_kernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "attention_kernel_impl.h"
#include "quant.h"
#include "quant_dot.h"

namespace ll {
namespace {

using attn::kKeyBlock;

constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr int64_t kQ8Bytes = 34;  // a q8_0 block: fp16 scale + 32 int8

uint16_t load_u16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Elements [col, col + n) of one cache row as float32, whatever the type (any offset:
// a q8_0 head narrower than its 32-element blocks may start inside one).
void row_to_f32(KvType type, const uint8_t* row, int64_t col, int n, float* out) {
    for (int i = 0; i < n; ++i) {
        const int64_t e = col + i;
        switch (type) {
            case KvType::F32:
                std::memcpy(&out[i], row + 4 * e, 4);
                break;
            case KvType::F16:
                out[i] = fp16_to_f32(load_u16(row + 2 * e));
                break;
            case KvType::Q8_0: {
                const uint8_t* b = row + (e / 32) * kQ8Bytes;
                out[i] = fp16_to_f32(load_u16(b)) *
                         static_cast<float>(static_cast<int8_t>(b[2 + e % 32]));
                break;
            }
        }
    }
}

// The portable kernel, and the reference for the SIMD ones: the same blocks and the same
// online-softmax steps, one row at a time in plain float arithmetic.
void attend_pack_scalar(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                        PackState& st) {
    const int D = kv.head_dim;
    thread_local std::vector<float> keys, values;
    keys.resize(static_cast<size_t>(kKeyBlock * D));
    values.resize(static_cast<size_t>(kKeyBlock * D));
    float s[kKeyBlock];
    for (int64_t b0 = k0; b0 < k1; b0 += kKeyBlock) {
        const int64_t b1 = std::min(k1, b0 + kKeyBlock);
        for (int64_t j = b0; j < b1; ++j) {
            row_to_f32(kv.type, kv.keys + j * kv.row_bytes, kv.col, D, &keys[(j - b0) * D]);
            row_to_f32(kv.type, kv.values + j * kv.row_bytes, kv.col, D, &values[(j - b0) * D]);
        }
        for (int r = 0; r < pack.rows; ++r) {
            const int64_t a = std::max({b0, pack.lo[r]}), b = std::min(b1, pack.hi[r] + 1);
            if (a >= b) continue;
            float mblk = kNegInf;
            for (int64_t j = a; j < b; ++j) {
                float dot = 0.0f;
                for (int d = 0; d < D; ++d) dot += pack.q[r][d] * keys[(j - b0) * D + d];
                s[j - a] = pack.scale * dot + pack.slope[r] * static_cast<float>(j - pack.hi[r]);
                mblk = std::max(mblk, s[j - a]);
            }
            const float mnew = std::max(st.m[r], mblk);
            const float alpha = std::exp(st.m[r] - mnew);  // 0 when nothing was seen yet
            float sum = 0.0f;
            float* acc = st.acc + r * D;
            for (int d = 0; d < D; ++d) acc[d] *= alpha;
            for (int64_t j = a; j < b; ++j) {
                const float p = std::exp(s[j - a] - mnew);
                sum += p;
                for (int d = 0; d < D; ++d) acc[d] += p * values[(j - b0) * D + d];
            }
            st.l[r] = st.l[r] * alpha + sum;
            st.m[r] = mnew;
        }
    }
}

// The portable weights, and the reference for the SIMD ones.
void pack_weights_scalar(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                         float* w) {
    const int D = kv.head_dim;
    std::fill(w, w + (k1 - k0) * kPackRows, 0.0f);
    thread_local std::vector<float> key, s;
    key.resize(static_cast<size_t>(D));
    s.resize(static_cast<size_t>(k1 - k0));
    for (int r = 0; r < pack.rows; ++r) {
        const int64_t a = std::max(k0, pack.lo[r]), b = std::min(k1, pack.hi[r] + 1);
        if (a >= b) continue;
        float max = kNegInf;
        for (int64_t j = a; j < b; ++j) {
            row_to_f32(kv.type, kv.keys + j * kv.row_bytes, kv.col, D, key.data());
            float dot = 0.0f;
            for (int d = 0; d < D; ++d) dot += pack.q[r][d] * key[d];
            s[j - a] = pack.scale * dot + pack.slope[r] * static_cast<float>(j - pack.hi[r]);
            max = std::max(max, s[j - a]);
        }
        float sum = 0.0f;
        for (int64_t j = a; j < b; ++j) sum += (s[j - a] = std::exp(s[j - a] - max));
        for (int64_t j = a; j < b; ++j) w[(j - k0) * kPackRows + r] = s[j - a] / sum;
    }
}

}  // namespace

void reset_pack_state(PackState& state, int head_dim) {
    std::fill(std::begin(state.m), std::end(state.m), kNegInf);
    std::fill(std::begin(state.l), std::end(state.l), 0.0f);
    std::fill(state.acc, state.acc + kPackRows * head_dim, 0.0f);
}

void attend_pack(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1,
                 PackState& state) {
    // Only the keys some row can see.
    int64_t a = k1, b = k0;
    for (int r = 0; r < pack.rows; ++r) {
        a = std::min(a, std::max(k0, pack.lo[r]));
        b = std::max(b, std::min(k1, pack.hi[r] + 1));
    }
    if (a >= b) return;
    const SimdLevel level = active_simd_level();
    if (level >= SimdLevel::Avx512 && attn::fits_width(kv, 16))
        return attn::attend_pack_avx512(kv, pack, a, b, state);
    if (level >= SimdLevel::Avx2 && attn::fits_width(kv, 8))
        return attn::attend_pack_avx2(kv, pack, a, b, state);
    attend_pack_scalar(kv, pack, a, b, state);
}

void merge_pack_states(PackState& into, const PackState& part, int rows, int head_dim) {
    for (int r = 0; r < rows; ++r) {
        if (part.l[r] == 0.0f) continue;  // that part saw no key of this row
        const float m = std::max(into.m[r], part.m[r]);
        const float a = std::exp(into.m[r] - m), b = std::exp(part.m[r] - m);
        float* acc = into.acc + r * head_dim;
        const float* add = part.acc + r * head_dim;
        for (int d = 0; d < head_dim; ++d) acc[d] = acc[d] * a + add[d] * b;
        into.l[r] = into.l[r] * a + part.l[r] * b;
        into.m[r] = m;
    }
}

void finish_pack(const PackState& state, int rows, int head_dim, float* const* out) {
    for (int r = 0; r < rows; ++r) {
        const float inv = 1.0f / state.l[r];
        const float* acc = state.acc + r * head_dim;
        for (int d = 0; d < head_dim; ++d) out[r][d] = acc[d] * inv;
    }
}

void pack_weights(const KvHeadView& kv, const QueryPack& pack, int64_t k0, int64_t k1, float* w) {
    const SimdLevel level = active_simd_level();
    if (level >= SimdLevel::Avx512 && attn::fits_width(kv, 16))
        return attn::pack_weights_avx512(kv, pack, k0, k1, w);
    if (level >= SimdLevel::Avx2 && attn::fits_width(kv, 8))
        return attn::pack_weights_avx2(kv, pack, k0, k1, w);
    pack_weights_scalar(kv, pack, k0, k1, w);
}

}  // namespace ll
