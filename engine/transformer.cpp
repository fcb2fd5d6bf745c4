#include "transformer.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <string>

#include "error.h"
#include "kernels.h"
#include "thread_pool.h"

namespace ll {
namespace {

// Queries per attention tile: scores for one tile are kQueryBlock x keys, so memory
// stays linear in the context length (never an n x n matrix).
constexpr int64_t kQueryBlock = 64;
// Decode splits a query group's keys over threads in parts of at least this many keys:
// below it a task's fixed cost (its queries, the merge) outweighs the keys it reads.
constexpr int64_t kMinSplitKeys = 256;
// Below this many key and value bytes read in all, attention runs on the calling thread.
constexpr int64_t kInlineAttentionBytes = 256 << 10;
// Captured weights held at once (a batch of packs; a whole prefill captured would not fit).
constexpr size_t kCaptureBytes = size_t{32} << 20;

template <typename T>
void grow(std::vector<T>& v, size_t n) {
    if (v.size() < n) v.resize(n);
}

}  // namespace

Transformer::Transformer(const Model& model) : model_(model), cfg_(model.config()) {
    // The model's own window (Mistral, Phi-3) unless a session says otherwise.
    if (cfg_.sliding_window > 0) {
        variant_.kind = AttentionVariant::Kind::SlidingWindow;
        variant_.window = cfg_.sliding_window;
    }
    const Weights& w = model.weights();
    auto f32_or_empty = [](const Tensor& t) {
        return t.data ? tensor_to_f32(t) : std::vector<float>{};
    };
    for (const LayerWeights& l : w.layers) {
        attn_norms_.push_back(tensor_to_f32(l.attn_norm));
        ffn_norms_.push_back(tensor_to_f32(l.ffn_norm));
        bq_.push_back(f32_or_empty(l.bq));
        bk_.push_back(f32_or_empty(l.bk));
        bv_.push_back(f32_or_empty(l.bv));
        q_norms_.push_back(f32_or_empty(l.q_norm));
        k_norms_.push_back(f32_or_empty(l.k_norm));
    }
    output_norm_ = tensor_to_f32(w.output_norm);
}

namespace {

// Whether v is a finite number (a NaN fails the comparison, an infinity exceeds the largest
// float); no branch, so that loops using it vectorise.
inline bool finite(float v) {
    return std::fabs(v) <= std::numeric_limits<float>::max();
}

bool all_finite(const float* x, int64_t n) {
    int bad = 0;
    for (int64_t i = 0; i < n; ++i) bad |= !finite(x[i]);
    return bad == 0;
}

// x += y over n values; whether every sum is finite (checked in the same pass).
bool add_finite(float* x, const float* y, int64_t n) {
    int bad = 0;
    for (int64_t i = 0; i < n; ++i) bad |= !finite(x[i] += y[i]);
    return bad == 0;
}

// x[t][i] += b[i] for n rows of width b.size(); nothing when the layer has no bias.
void add_bias(float* x, int64_t n, const std::vector<float>& b) {
    const int64_t d = static_cast<int64_t>(b.size());
    for (int64_t t = 0; t < n && d > 0; ++t)
        for (int64_t i = 0; i < d; ++i) x[t * d + i] += b[i];
}

// RMSNorm over each head_dim slice of n x heads vectors (Qwen3's q/k norm), in place.
void norm_heads(float* x, int64_t n, int heads, int head_dim, const std::vector<float>& w,
                float eps) {
    if (w.empty()) return;
    for (int64_t h = 0; h < n * heads; ++h)
        rmsnorm(x + h * head_dim, x + h * head_dim, w.data(), head_dim, eps);
}

}  // namespace

// q, k and v of n normed rows: the projections, then the architecture's biases (qwen2) and
// per-head norms (qwen3), which come before the rotation.
void Transformer::project_qkv(int l, int64_t n) {
    const LayerWeights& lw = model_.weights().layers[l];
    float* const ys[] = {q_.data(), k_.data(), v_.data()};
    const Tensor* const ws[] = {&lw.wq, &lw.wk, &lw.wv};
    matmul_shared(xb_.data(), n, ys, ws, 3);
    add_bias(q_.data(), n, bq_[l]);
    add_bias(k_.data(), n, bk_[l]);
    add_bias(v_.data(), n, bv_[l]);
    norm_heads(q_.data(), n, cfg_.n_heads, cfg_.head_dim, q_norms_[l], cfg_.norm_eps);
    norm_heads(k_.data(), n, cfg_.n_kv_heads, cfg_.head_dim, k_norms_[l], cfg_.norm_eps);
}

// Rotates the first rotary_dim elements of each head of n vectors of n_heads heads.
// Hugging Face checkpoints pair (i, i + d/2); GGUF llama files pair (2i, 2i + 1).
void Transformer::apply_rotary(float* vecs, int64_t n, int n_heads) {
    const int hd = cfg_.head_dim, half = cfg_.rope.rotary_dim / 2;
    const bool adjacent = cfg_.rope_layout == RopeLayout::AdjacentPairs;
    for (int64_t t = 0; t < n; ++t) {
        const float* c = &cos_[t * half];
        const float* s = &sin_[t * half];
        for (int h = 0; h < n_heads; ++h) {
            float* x = vecs + (t * n_heads + h) * hd;
            for (int i = 0; i < half; ++i) {
                float& a = adjacent ? x[2 * i] : x[i];
                float& b = adjacent ? x[2 * i + 1] : x[i + half];
                const float a0 = a, b0 = b;
                a = a0 * c[i] - b0 * s[i];
                b = b0 * c[i] + a0 * s[i];
            }
        }
    }
}

// Rows for this chunk's queries at or after capture_->from_position.
void Transformer::begin_capture(int64_t n, int64_t start) {
    if (capture_) capture_base_ = capture_->rows.size();
    if (!capture_ || capture_->layers.empty()) return;
    if (capture_->per_head) {  // sized once here, so capture_row only adds
        capture_->n_heads = cfg_.n_heads;
        capture_->head_sums.resize(capture_->layers.size() * static_cast<size_t>(cfg_.n_heads));
    }
    capture_first_ = std::max(start, capture_->from_position);
    for (int64_t pos = capture_first_; pos < start + n; ++pos) {
        capture_->positions.push_back(pos);
        capture_->rows.emplace_back(static_cast<size_t>(pos + 1), 0.0f);
    }
}

// A cancelled chunk leaves no captured rows behind.
bool Transformer::drop_capture() {
    if (capture_ && capture_->rows.size() > capture_base_) {
        capture_->rows.resize(capture_base_);
        capture_->positions.resize(capture_base_);
        capture_->head_sums.clear();
    }
    return false;
}

// Whether query head `head` is among the ones averaged into the captured rows.
bool Transformer::averages_head(int head) const {
    const auto& heads = capture_->heads;
    return heads.empty() || std::find(heads.begin(), heads.end(), head) != heads.end();
}

// Adds one query row's weights (keys [k_lo, k_lo + count), every `stride`-th float of
// `weights`) to the captured row of its position and, per head, to the head's sums.
void Transformer::capture_row(int layer, int head, int64_t pos, const float* weights, int64_t k_lo,
                              int64_t count, int64_t stride) {
    if (!capture_ || pos < capture_first_) return;
    const auto& layers = capture_->layers;
    const auto at = std::find(layers.begin(), layers.end(), layer);
    if (at == layers.end()) return;
    if (capture_->per_head) {
        auto& sums = capture_->head_sums[static_cast<size_t>(at - layers.begin()) * cfg_.n_heads +
                                         static_cast<size_t>(head)];
        if (sums.size() < static_cast<size_t>(k_lo + count))
            sums.resize(static_cast<size_t>(k_lo + count), 0.0f);
        for (int64_t j = 0; j < count; ++j) sums[k_lo + j] += weights[j * stride];
    }
    if (!averages_head(head)) return;
    std::vector<float>& row = capture_->rows[capture_base_ + (pos - capture_first_)];
    const auto& heads = capture_->heads;
    const size_t n_heads = heads.empty() ? static_cast<size_t>(cfg_.n_heads) : heads.size();
    const float share = 1.0f / static_cast<float>(n_heads * layers.size());
    for (int64_t j = 0; j < count; ++j) row[k_lo + j] += share * weights[j * stride];
}

// Scores of one query row over its visible keys, in place: ALiBi bias, the StreamingLLM
// sink keys (scored separately, since they sit apart from the window), then one softmax
// over both. Returns the sink weights in `sink_w` (empty when there are none apart).
void Transformer::softmax_row(float* row, int64_t k_lo, int64_t lo, int64_t pos, int head,
                              const float* q, int layer, const PassPositions& pp,
                              const KvCache& cache, float* sink_w) {
    const int64_t nk_row = pos - lo + 1;
    float* vis = row + (lo - k_lo);
    const bool apart = variant_.has_sinks_apart(pos);
    const int64_t n_sinks = apart ? variant_.sinks : 0;
    if (!pp.alibi_slopes.empty()) {
        const float m = pp.alibi_slopes[head];
        for (int64_t j = lo; j <= pos; ++j) vis[j - lo] += m * static_cast<float>(j - pos);
    }
    // Sink keys appear at the distance of their index in the kept cache (§10).
    const int64_t shift = pos - variant_.sinks - variant_.window + 1;
    for (int64_t s = 0; s < n_sinks; ++s) {
        const int kvh = head / (cfg_.n_heads / cfg_.n_kv_heads);
        cache.read_keys(layer, s, 1, kvh * cfg_.head_dim, cfg_.head_dim, sink_key_.data());
        if (pp.alibi_slopes.empty()) rotate_by(sink_key_.data(), shift, pp.rope);
        float dot = 0.0f;
        for (int d = 0; d < cfg_.head_dim; ++d) dot += q[d] * sink_key_[d];
        sink_w[s] = dot / std::sqrt(static_cast<float>(cfg_.head_dim));
        if (!pp.alibi_slopes.empty())
            sink_w[s] += pp.alibi_slopes[head] * static_cast<float>(s - (pos - shift));
    }
    float max = vis[0];
    for (int64_t j = 1; j < nk_row; ++j) max = std::max(max, vis[j]);
    for (int64_t s = 0; s < n_sinks; ++s) max = std::max(max, sink_w[s]);
    float sum = exp_shifted(vis, nk_row, max);
    for (int64_t s = 0; s < n_sinks; ++s) sum += (sink_w[s] = std::exp(sink_w[s] - max));
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < nk_row; ++j) vis[j] *= inv;
    for (int64_t s = 0; s < n_sinks; ++s) sink_w[s] *= inv;
}

// The keys and values of KV head `kvh` that a tile of queries [first, end) can see, as
// float32: an f32 cache's rows in place; other types converted once per KV head, so the
// `group` query heads sharing it reuse one conversion.
Transformer::KvTile Transformer::kv_tile(int layer, int kvh, int64_t first, int64_t end,
                                         const KvCache& cache) {
    const int hd = cfg_.head_dim, group = cfg_.n_heads / cfg_.n_kv_heads;
    if (cache.type() == KvType::F32)
        return {cache.keys_f32(layer, 0) + kvh * hd, cache.values_f32(layer, 0) + kvh * hd,
                cfg_.kv_dim(), 0};
    int64_t lo = end;
    for (int h = kvh * group; h < (kvh + 1) * group; ++h)
        lo = std::min(lo, variant_.first_key(first, h, cfg_.n_heads));
    const int64_t count = end - lo;
    grow(k_tile_, static_cast<size_t>(count * hd));
    grow(v_tile_, static_cast<size_t>(count * hd));
    cache.read_keys(layer, lo, count, kvh * hd, hd, k_tile_.data());
    cache.read_values(layer, lo, count, kvh * hd, hd, v_tile_.data());
    return {k_tile_.data(), v_tile_.data(), hd, lo};
}

// Which path a layer's attention takes. The tiled kernel (attention_kernel.h) unless
// StreamingLLM keeps its sinks apart from the window for a query of the chunk (sinks are
// re-rotated to their distance in the kept cache; has_sinks_apart grows with the position,
// so the chunk's last query decides) or the exact path is asked for. Everything else (full, sliding
// window, S2 shifted groups; rotary or ALiBi; any KV type) takes the kernel.
bool Transformer::needs_exact_attention(int, int64_t n, int64_t start) const {
    return exact_attention_ || variant_.has_sinks_apart(start + n - 1);
}

// Whether this layer is captured and the chunk has a query at or after the capture's first
// position.
bool Transformer::captures(int layer, int64_t n, int64_t start) const {
    if (!capture_ || start + n - 1 < capture_->from_position) return false;
    const auto& layers = capture_->layers;
    return std::find(layers.begin(), layers.end(), layer) != layers.end();
}

// Layer `layer` of the cache as the attention kernel reads it (col set per KV head).
KvHeadView Transformer::kv_view(int layer, const KvCache& cache) const {
    KvHeadView kv;
    kv.type = cache.type();
    kv.keys = cache.key_bytes(layer, 0);
    kv.values = cache.value_bytes(layer, 0);
    kv.row_bytes = cache.row_bytes();
    kv.head_dim = cfg_.head_dim;
    return kv;
}

// The weights of the captured rows, beside the kernel: an online softmax never holds a row
// normalised over all its keys, so the captured rows are scored again by the kernel's
// pack_weights (read from the cache's own type, a KV head's keys once per pack of its
// query rows), on the engine's pool, then added to the capture in order. Only the captured
// rows pay, and only for keys: a decoded token is one pack per KV head.
void Transformer::capture_weights(int layer, int64_t n, int64_t start, const KvCache& cache,
                                  const PassPositions& pp) {
    const int hd = cfg_.head_dim, group = cfg_.n_heads / cfg_.n_kv_heads;
    const int64_t q_dim = cfg_.q_dim(), first = std::max(start, capture_->from_position);
    struct Pack {
        int kvh = 0;
        int rows = 0;
        int64_t pos[kPackRows];
        int head[kPackRows];
        int64_t k0 = 0, k1 = 0;  // the keys its rows see
    };
    std::vector<Pack> packs;
    for (int kvh = 0; kvh < cfg_.n_kv_heads; ++kvh)
        for (int64_t pos = first; pos < start + n; ++pos)
            for (int h = kvh * group; h < (kvh + 1) * group; ++h) {
                if (!capture_->per_head && !averages_head(h)) continue;
                if (packs.empty() || packs.back().kvh != kvh || packs.back().rows == kPackRows)
                    packs.push_back(Pack{kvh, 0, {}, {}, pos, 0});
                Pack& p = packs.back();
                p.pos[p.rows] = pos;
                p.head[p.rows++] = h;
                p.k0 = std::min(p.k0, variant_.first_key(pos, h, cfg_.n_heads));
                p.k1 = pos + 1;
            }
    const KvHeadView kv = kv_view(layer, cache);
    // Batches of packs whose weights fit kCaptureBytes (a prefill captured whole would not).
    size_t done = 0;
    while (done < packs.size()) {
        size_t end = done, floats = 0;
        std::vector<size_t> at;
        while (end < packs.size() && (end == done || floats * sizeof(float) < kCaptureBytes)) {
            at.push_back(floats);
            floats += static_cast<size_t>(packs[end].k1 - packs[end].k0) * kPackRows;
            ++end;
        }
        grow(capture_w_, floats);
        const std::function<void(int)> task = [&](int i) {
            const Pack& p = packs[done + static_cast<size_t>(i)];
            QueryPack q;
            q.scale = 1.0f / std::sqrt(static_cast<float>(hd));
            q.rows = p.rows;
            for (int r = 0; r < p.rows; ++r) {
                q.q[r] = &q_[(p.pos[r] - start) * q_dim + p.head[r] * hd];
                q.lo[r] = variant_.first_key(p.pos[r], p.head[r], cfg_.n_heads);
                q.hi[r] = p.pos[r];
                q.slope[r] = pp.alibi_slopes.empty() ? 0.0f : pp.alibi_slopes[p.head[r]];
            }
            KvHeadView head = kv;
            head.col = static_cast<int64_t>(p.kvh) * hd;
            pack_weights(head, q, p.k0, p.k1, &capture_w_[at[static_cast<size_t>(i)]]);
        };
        engine_pool().run(static_cast<int>(end - done), task);
        for (size_t i = done; i < end; ++i) {
            const Pack& p = packs[i];
            for (int r = 0; r < p.rows; ++r)
                capture_row(layer, p.head[r], p.pos[r], &capture_w_[at[i - done] + r], p.k0,
                            p.pos[r] - p.k0 + 1, kPackRows);
        }
        done = end;
    }
}

bool Transformer::attention(int layer, int64_t n, int64_t start, KvCache& cache,
                            const PassPositions& pp) {
    if (!needs_exact_attention(layer, n, start)) {
        if (!attention_tiled(layer, n, start, cache, pp)) return false;
        if (captures(layer, n, start)) capture_weights(layer, n, start, cache, pp);
        return true;
    }
    const int group = cfg_.n_heads / cfg_.n_kv_heads;
    grow(sink_key_, static_cast<size_t>(cfg_.head_dim));
    // Heads run in index order within each query tile, so captured weights add up in the
    // same order as with one loop over heads.
    for (int kvh = 0; kvh < cfg_.n_kv_heads; ++kvh) {
        for (int64_t q0 = 0; q0 < n; q0 += kQueryBlock) {
            const int64_t bq = std::min(kQueryBlock, n - q0);
            const KvTile tile = kv_tile(layer, kvh, start + q0, start + q0 + bq, cache);
            for (int h = kvh * group; h < (kvh + 1) * group; ++h) {
                if (cancelled()) return false;
                attend_tile(layer, h, q0, bq, start, tile, cache, pp);
            }
        }
    }
    return true;
}

// The chunk's query rows of KV head kvh, row = t * group + g (position start + t, head
// kvh * group + g), in packs of kPackRows: pack p's rows, their queries, visible ranges,
// ALiBi slopes, and where their outputs go.
QueryPack Transformer::query_pack(int kvh, int64_t p, int64_t n, int64_t start,
                                  const PassPositions& pp, float** out) {
    const int hd = cfg_.head_dim, group = cfg_.n_heads / cfg_.n_kv_heads;
    const int64_t q_dim = cfg_.q_dim();
    QueryPack pack;
    pack.scale = 1.0f / std::sqrt(static_cast<float>(hd));
    for (int64_t row = p * kPackRows; row < std::min(n * group, (p + 1) * kPackRows); ++row) {
        const int64_t t = row / group, pos = start + t;
        const int h = kvh * group + static_cast<int>(row % group);
        const int r = pack.rows++;
        pack.q[r] = &q_[t * q_dim + h * hd];
        pack.lo[r] = variant_.first_key(pos, h, cfg_.n_heads);
        pack.hi[r] = pos;
        pack.slope[r] = pp.alibi_slopes.empty() ? 0.0f : pp.alibi_slopes[h];
        out[r] = &att_out_[t * q_dim + h * hd];
    }
    return pack;
}

// Attention through the tiled kernel on the engine's pool. Tasks are (KV head x pack of
// query rows x key split): prefill has many packs and keeps each pack's keys whole; decode
// and short chunks have few, so their keys are split until every thread has several tasks,
// and the splits' partial states merge afterwards (flash decoding). The tasks never call
// BLAS, so OpenBLAS's pool and the engine's are still never busy at once (threads.h).
bool Transformer::attention_tiled(int layer, int64_t n, int64_t start, const KvCache& cache,
                                  const PassPositions& pp) {
    const int hd = cfg_.head_dim, group = cfg_.n_heads / cfg_.n_kv_heads;
    const int64_t packs = (n * group + kPackRows - 1) / kPackRows;  // per KV head
    const int64_t units = cfg_.n_kv_heads * packs;
    ThreadPool& pool = engine_pool();
    // Little to read in all (short contexts): the caller does it alone, as the decode kernels
    // keep small matrices, since waking a worker on a busy machine costs more than the work.
    const int64_t bytes =
        units * (start + n) * 2 * static_cast<int64_t>(cache.row_bytes()) / cfg_.n_kv_heads;
    const bool inline_run = bytes < kInlineAttentionBytes;
    const int64_t wanted = inline_run ? 1 : 4 * static_cast<int64_t>(pool.size());
    const int64_t splits =
        units >= wanted ? 1
                        : std::clamp<int64_t>((wanted + units - 1) / units, 1,
                                              std::max<int64_t>(1, (start + n) / kMinSplitKeys));
    const int64_t tasks = units * splits;
    const size_t acc_size = static_cast<size_t>(kPackRows * hd);
    if (splits > 1) {
        grow(split_states_, static_cast<size_t>(tasks));
        grow(split_acc_, static_cast<size_t>(tasks) * acc_size);
    }
    const KvHeadView kv = kv_view(layer, cache);
    const std::function<void(int)> task = [&](int i) {
        if (cancelled()) return;
        const int64_t unit = i / splits, part = i % splits;
        const int kvh = static_cast<int>(unit / packs);
        float* out[kPackRows];
        const QueryPack pack = query_pack(kvh, unit % packs, n, start, pp, out);
        KvHeadView head = kv;
        head.col = static_cast<int64_t>(kvh) * hd;
        int64_t a = pack.hi[0], b = 0;
        for (int r = 0; r < pack.rows; ++r) {
            a = std::min(a, pack.lo[r]);
            b = std::max(b, pack.hi[r] + 1);
        }
        thread_local std::vector<float> acc;
        PackState state;
        if (splits > 1) {
            state.acc = &split_acc_[static_cast<size_t>(i) * acc_size];
        } else {
            acc.resize(acc_size);
            state.acc = acc.data();
        }
        reset_pack_state(state, hd);
        attend_pack(head, pack, a + (b - a) * part / splits, a + (b - a) * (part + 1) / splits,
                    state);
        if (splits > 1)
            split_states_[i] = state;
        else
            finish_pack(state, pack.rows, hd, out);
    };
    if (inline_run)
        for (int i = 0; i < tasks; ++i) task(i);
    else
        pool.run(static_cast<int>(tasks), task);
    if (cancelled()) return false;
    for (int64_t unit = 0; splits > 1 && unit < units; ++unit) {
        PackState& into = split_states_[unit * splits];
        float* out[kPackRows];
        const QueryPack pack =
            query_pack(static_cast<int>(unit / packs), unit % packs, n, start, pp, out);
        for (int64_t part = 1; part < splits; ++part)
            merge_pack_states(into, split_states_[unit * splits + part], pack.rows, hd);
        finish_pack(into, pack.rows, hd, out);
    }
    return true;
}

// Queries [q0, q0 + bq) of the chunk in head h: scores, softmax, weighted values.
void Transformer::attend_tile(int layer, int h, int64_t q0, int64_t bq, int64_t start,
                              const KvTile& tile, const KvCache& cache, const PassPositions& pp) {
    const int hd = cfg_.head_dim;
    const int64_t q_dim = cfg_.q_dim();
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    const int64_t first = start + q0;  // absolute position of the tile's first query
    const int64_t k_lo = variant_.first_key(first, h, cfg_.n_heads);
    const int64_t nk = first + bq - k_lo;
    const int64_t sink_stride = std::max<int64_t>(1, variant_.sinks);
    grow(scores_, static_cast<size_t>(bq * nk));
    grow(sink_w_, static_cast<size_t>(bq * sink_stride));
    float* S = scores_.data();
    const int64_t off = (k_lo - tile.first) * tile.ld;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, bq, nk, hd, scale,
                &q_[q0 * q_dim + h * hd], q_dim, tile.keys + off, tile.ld, 0.0f, S, nk);
    for (int64_t r = 0; r < bq; ++r) {
        const int64_t pos = first + r;
        const int64_t lo = variant_.first_key(pos, h, cfg_.n_heads);
        float* row = S + r * nk;
        float* sink_w = &sink_w_[r * sink_stride];
        softmax_row(row, k_lo, lo, pos, h, &q_[(q0 + r) * q_dim + h * hd], layer, pp, cache,
                    sink_w);
        std::fill(row, row + (lo - k_lo), 0.0f);
        std::fill(row + (pos - k_lo + 1), row + nk, 0.0f);
        capture_row(layer, h, pos, row, k_lo, pos - k_lo + 1);
        if (variant_.has_sinks_apart(pos)) capture_row(layer, h, pos, sink_w, 0, variant_.sinks);
    }
    float* out = &att_out_[q0 * q_dim + h * hd];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, bq, hd, nk, 1.0f, S, nk,
                tile.values + off, tile.ld, 0.0f, out, q_dim);
    add_sink_values(out, bq, first, layer, h / (cfg_.n_heads / cfg_.n_kv_heads), cache);
}

// The sinks' share of each row's output (they are outside the GEMM's key range).
void Transformer::add_sink_values(float* out, int64_t bq, int64_t first, int layer, int kvh,
                                  const KvCache& cache) {
    if (variant_.kind != AttentionVariant::Kind::Sinks) return;
    const int hd = cfg_.head_dim;
    const int64_t q_dim = cfg_.q_dim();
    grow(sink_values_, static_cast<size_t>(variant_.sinks * hd));
    cache.read_values(layer, 0, variant_.sinks, kvh * hd, hd, sink_values_.data());
    for (int64_t r = 0; r < bq; ++r) {
        if (!variant_.has_sinks_apart(first + r)) continue;
        const float* w = &sink_w_[r * variant_.sinks];
        for (int64_t s = 0; s < variant_.sinks; ++s) {
            const float* v = &sink_values_[s * hd];
            for (int d = 0; d < hd; ++d) out[r * q_dim + d] += w[s] * v[d];
        }
    }
}

// A pure rotation of one head vector by `delta` positions (no attention factor: the key
// already carries it once, scaling-methods.md §12.8).
void Transformer::rotate_by(float* x, int64_t delta, const RopeFrequencies& rope) {
    const int half = cfg_.rope.rotary_dim / 2;
    const bool adjacent = cfg_.rope_layout == RopeLayout::AdjacentPairs;
    for (int i = 0; i < half; ++i) {
        const double angle = static_cast<double>(static_cast<float>(delta) * rope.inv_freq[i]);
        const float c = static_cast<float>(std::cos(angle)),
                    s = static_cast<float>(std::sin(angle));
        float& a = adjacent ? x[2 * i] : x[i];
        float& b = adjacent ? x[2 * i + 1] : x[i + half];
        const float a0 = a, b0 = b;
        a = a0 * c - b0 * s;
        b = b0 * c + a0 * s;
    }
}

bool Transformer::forward(std::span<const int32_t> tokens, int64_t start, const PassPositions& pp,
                          KvCache& cache, LogitsMode mode, std::vector<float>& logits,
                          const std::atomic<bool>* cancel) {
    cancel_ = cancel;
    const RopeFrequencies& rope = pp.rope;
    const bool rotary = pp.alibi_slopes.empty();
    const int64_t n = static_cast<int64_t>(tokens.size());
    if (n == 0) return true;
    const Weights& w = model_.weights();
    const int64_t dim = cfg_.dim, q_dim = cfg_.q_dim(), kv_dim = cfg_.kv_dim();
    const int64_t ffn = cfg_.ffn_dim, vocab = cfg_.vocab_size;
    const int half = cfg_.rope.rotary_dim / 2;
    if (rotary && static_cast<int>(rope.inv_freq.size()) != half)
        throw EngineError("position encoding", "frequency count does not match the rotary size");
    if (!rotary && static_cast<int>(pp.alibi_slopes.size()) != cfg_.n_heads)
        throw EngineError("position encoding", "ALiBi slope count does not match the head count");
    cache.reserve(start + n);

    grow(x_, n * dim);
    grow(xb_, n * dim);
    grow(q_, n * q_dim);
    grow(att_out_, n * q_dim);
    grow(k_, n * kv_dim);
    grow(v_, n * kv_dim);
    grow(gate_, n * ffn);
    grow(up_, n * ffn);
    grow(cos_, n * half);
    grow(sin_, n * half);

    // cos/sin as transformers forms them: angle = float(pos) * inv_freq in float32, then
    // cos and sin, each times the attention factor.
    for (int64_t t = 0; rotary && t < n; ++t) {
        const float p = static_cast<float>(start + t);
        for (int i = 0; i < half; ++i) {
            const float angle = p * rope.inv_freq[i];
            cos_[t * half + i] =
                static_cast<float>(std::cos(static_cast<double>(angle))) * rope.attention_factor;
            sin_[t * half + i] =
                static_cast<float>(std::sin(static_cast<double>(angle))) * rope.attention_factor;
        }
    }

    for (int64_t t = 0; t < n; ++t) {
        const int32_t id = tokens[t];
        if (id < 0 || id >= vocab)
            throw EngineError("input",
                              "token id " + std::to_string(id) + " is outside the vocabulary");
        tensor_row(&x_[t * dim], w.embedding, id);
    }

    begin_capture(n, start);
    for (int l = 0; l < cfg_.n_layers; ++l) {
        if (cancelled()) return drop_capture();
        const LayerWeights& lw = w.layers[l];
        for (int64_t t = 0; t < n; ++t)
            rmsnorm(&xb_[t * dim], &x_[t * dim], attn_norms_[l].data(), dim, cfg_.norm_eps);
        project_qkv(l, n);
        if (rotary) {
            apply_rotary(q_.data(), n, cfg_.n_heads);
            apply_rotary(k_.data(), n, cfg_.n_kv_heads);
        }
        cache.store(l, start, n, k_.data(), v_.data());
        if (!attention(l, n, start, cache, pp)) return drop_capture();
        matmul(xb_.data(), att_out_.data(), n, lw.wo);
        for (int64_t i = 0; i < n * dim; ++i) x_[i] += xb_[i];

        for (int64_t t = 0; t < n; ++t)
            rmsnorm(&xb_[t * dim], &x_[t * dim], ffn_norms_[l].data(), dim, cfg_.norm_eps);
        float* const ys[] = {gate_.data(), up_.data()};
        const Tensor* const ws[] = {&lw.w_gate, &lw.w_up};
        matmul_shared(xb_.data(), n, ys, ws, 2);
        swiglu(gate_.data(), up_.data(), n * ffn);
        matmul(xb_.data(), gate_.data(), n, lw.w_down);
        // A NaN or infinity never goes away once in the residual stream: stop at the layer
        // where it first appears (checked while adding, no second pass over the stream).
        if (!add_finite(x_.data(), xb_.data(), n * dim))
            refuse_non_finite("after layer " + std::to_string(l));
    }

    if (mode == LogitsMode::None) return true;
    const int64_t first = mode == LogitsMode::All ? 0 : n - 1;
    const int64_t rows = n - first;
    for (int64_t t = first; t < n; ++t)
        rmsnorm(&xb_[(t - first) * dim], &x_[t * dim], output_norm_.data(), dim, cfg_.norm_eps);
    logits.resize(static_cast<size_t>(rows * vocab));
    matmul(logits.data(), xb_.data(), rows, w.output);
    if (!all_finite(logits.data(), rows * vocab)) refuse_non_finite("in the output layer");
    return true;
}

void Transformer::refuse_non_finite(const std::string& where) {
    drop_capture();
    throw EngineError(model_.path(),
                      "the computation produced NaN or infinite values " + where + " (of " +
                          std::to_string(cfg_.n_layers) +
                          " layers, counted from 0): the model's weights or settings are "
                          "broken; generation stopped");
}

}  // namespace ll
