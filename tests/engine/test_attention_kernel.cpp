// The tiled attention kernel (attention_kernel.h) against a straightforward double-precision
// reference (scores, softmax, weighted sum of the values the cache holds), for f32, f16 and
// q8_0 caches, GQA packs of 1, 4 and 8 rows and mixed prefill packs, sliding windows, per-row
// ranges (S2), ALiBi, odd lengths, at every SIMD level this CPU has, and split-K merges.
// Then the forward pass: the kernel path against the exact path on a real model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "attention_kernel.h"
#include "kv_cache.h"
#include "model.h"
#include "quant_dot.h"
#include "scaling_spec.h"
#include "session.h"
#include "shared_data.h"

namespace {

using ll::KvType;
using ll::SimdLevel;

struct LevelGuard {
    SimdLevel before = ll::active_simd_level();
    ~LevelGuard() { ll::force_simd_level(before); }
};

std::vector<SimdLevel> levels_here() {
    std::vector<SimdLevel> out;
    for (int l = 0; l <= static_cast<int>(ll::detected_simd_level()); ++l)
        out.push_back(static_cast<SimdLevel>(l));
    return out;
}

std::vector<float> randn(size_t n, uint32_t seed, float sigma) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, sigma);
    std::vector<float> x(n);
    for (float& v : x) v = normal(rng);
    return x;
}

// A one-layer cache of `keys` random positions for n_kv heads of head_dim.
struct Cache {
    ll::ModelConfig config;
    std::unique_ptr<ll::KvCache> kv;

    Cache(KvType type, int n_kv, int head_dim, int64_t keys) {
        config.n_layers = 1;
        config.n_kv_heads = n_kv;
        config.n_heads = n_kv;
        config.head_dim = head_dim;
        kv = std::make_unique<ll::KvCache>(config, keys, type);
        kv->reserve(keys);
        const auto k = randn(static_cast<size_t>(keys * config.kv_dim()), 11, 1.0f);
        const auto v = randn(static_cast<size_t>(keys * config.kv_dim()), 12, 1.0f);
        kv->store(0, 0, keys, k.data(), v.data());
    }

    ll::KvHeadView head(int kvh) const {
        ll::KvHeadView h;
        h.type = kv->type();
        h.keys = kv->key_bytes(0, 0);
        h.values = kv->value_bytes(0, 0);
        h.row_bytes = kv->row_bytes();
        h.col = static_cast<int64_t>(kvh) * config.head_dim;
        h.head_dim = config.head_dim;
        return h;
    }
};

// softmax(scale q.k_j + slope (j - hi)) over [lo, hi] in double, from the rows the cache
// returns (so the type's rounding is in both): the weights of keys lo..hi.
std::vector<double> reference_weights(const Cache& c, int kvh, const ll::QueryPack& pack, int r) {
    const int D = c.config.head_dim;
    const int64_t n = pack.hi[r] - pack.lo[r] + 1;
    std::vector<float> k(static_cast<size_t>(n * D));
    c.kv->read_keys(0, pack.lo[r], n, kvh * D, D, k.data());
    std::vector<double> s(static_cast<size_t>(n));
    double max = -INFINITY;
    for (int64_t j = 0; j < n; ++j) {
        double dot = 0;
        for (int d = 0; d < D; ++d) dot += static_cast<double>(pack.q[r][d]) * k[j * D + d];
        s[j] = pack.scale * dot + pack.slope[r] * static_cast<double>(j + pack.lo[r] - pack.hi[r]);
        max = std::max(max, s[j]);
    }
    double sum = 0;
    for (double& x : s) sum += (x = std::exp(x - max));
    for (double& x : s) x /= sum;
    return s;
}

// The pack's weights over its keys (pack_weights) against the double reference, and 0
// outside each row's range.
void check_weights(const Cache& c, int kvh, const ll::QueryPack& pack, int64_t a, int64_t b,
                   const std::string& what) {
    std::vector<float> w(static_cast<size_t>((b - a) * ll::kPackRows), -1.0f);
    ll::pack_weights(c.head(kvh), pack, a, b, w.data());
    for (int r = 0; r < ll::kPackRows; ++r) {
        const auto want =
            r < pack.rows ? reference_weights(c, kvh, pack, r) : std::vector<double>{};
        for (int64_t j = a; j < b; ++j) {
            const bool seen = r < pack.rows && j >= pack.lo[r] && j <= pack.hi[r];
            const double expect = seen ? want[static_cast<size_t>(j - pack.lo[r])] : 0.0;
            ASSERT_NEAR(w[(j - a) * ll::kPackRows + r], expect, 1e-6 + 2e-5 * expect)
                << what << " weights row " << r << " key " << j;
        }
    }
}

// softmax(scale q.k_j + slope (j - hi)) over [lo, hi], times the values, in double, from
// the rows the cache returns (so the type's rounding is in both).
std::vector<double> reference(const Cache& c, int kvh, const ll::QueryPack& pack, int r) {
    const int D = c.config.head_dim;
    const int64_t n = pack.hi[r] - pack.lo[r] + 1;
    std::vector<float> v(static_cast<size_t>(n * D));
    c.kv->read_values(0, pack.lo[r], n, kvh * D, D, v.data());
    const std::vector<double> w = reference_weights(c, kvh, pack, r);
    std::vector<double> out(static_cast<size_t>(D), 0.0);
    for (int64_t j = 0; j < n; ++j)
        for (int d = 0; d < D; ++d) out[d] += w[j] * v[j * D + d];
    return out;
}

// Runs the pack over its keys in `splits` parts merged together and checks each row.
void check_pack(const Cache& c, int kvh, const ll::QueryPack& pack, int splits,
                const std::string& what) {
    const int D = c.config.head_dim;
    int64_t a = pack.hi[0], b = 0;
    for (int r = 0; r < pack.rows; ++r) {
        a = std::min(a, pack.lo[r]);
        b = std::max(b, pack.hi[r] + 1);
    }
    std::vector<float> acc(static_cast<size_t>(splits * ll::kPackRows * D));
    std::vector<ll::PackState> states(static_cast<size_t>(splits));
    for (int p = 0; p < splits; ++p) {
        states[p].acc = &acc[static_cast<size_t>(p * ll::kPackRows * D)];
        ll::reset_pack_state(states[p], D);
        ll::attend_pack(c.head(kvh), pack, a + (b - a) * p / splits, a + (b - a) * (p + 1) / splits,
                        states[p]);
    }
    for (int p = 1; p < splits; ++p) ll::merge_pack_states(states[0], states[p], pack.rows, D);
    if (splits == 1) check_weights(c, kvh, pack, a, b, what);
    std::vector<float> out(static_cast<size_t>(pack.rows * D));
    float* rows[ll::kPackRows];
    for (int r = 0; r < pack.rows; ++r) rows[r] = &out[static_cast<size_t>(r * D)];
    ll::finish_pack(states[0], pack.rows, D, rows);
    for (int r = 0; r < pack.rows; ++r) {
        const auto want = reference(c, kvh, pack, r);
        for (int d = 0; d < D; ++d)
            ASSERT_NEAR(out[r * D + d], want[d], 2e-5 + 2e-5 * std::fabs(want[d]))
                << what << " row " << r << " [" << pack.lo[r] << ", " << pack.hi[r] << "] d " << d
                << " splits " << splits;
    }
}

struct Shape {
    KvType type;
    int head_dim;
};

class AttentionKernel : public ::testing::TestWithParam<Shape> {};

// Decode: `group` query heads at one position over every key before it, with a window,
// per-row ranges as S2 gives them, ALiBi, and split into parts.
TEST_P(AttentionKernel, DecodePacksMatchDoubleReference) {
    const Shape shape = GetParam();
    LevelGuard guard;
    const Cache cache(shape.type, 4, shape.head_dim, 1537);
    const auto q = randn(static_cast<size_t>(8 * shape.head_dim), 3, 2.0f);
    for (SimdLevel level : levels_here()) {
        ll::force_simd_level(level);
        for (int group : {1, 4, 8, 3, 6})
            for (int64_t keys : {1, 31, 65, 1000, 1537})
                for (int form = 0; form < 4; ++form) {
                    ll::QueryPack pack;
                    pack.scale = 1.0f / std::sqrt(static_cast<float>(shape.head_dim));
                    pack.rows = group;
                    for (int r = 0; r < group; ++r) {
                        pack.q[r] = &q[static_cast<size_t>(r * shape.head_dim)];
                        pack.hi[r] = keys - 1;
                        // 1: window of 50; 2: half the rows start at a group boundary (S2);
                        // 3: ALiBi slopes.
                        pack.lo[r] = form == 1   ? std::max<int64_t>(0, keys - 50)
                                     : form == 2 ? (r % 2 ? (keys - 1) / 16 * 16 : 0)
                                                 : 0;
                        pack.slope[r] =
                            form == 3 ? std::exp2(-0.5f * static_cast<float>(r + 1)) : 0;
                    }
                    const std::string what = std::string(ll::simd_level_name(level)) + " group " +
                                             std::to_string(group) + " keys " +
                                             std::to_string(keys) + " form " + std::to_string(form);
                    for (int splits : {1, 3})
                        if (splits <= keys) check_pack(cache, 1, pack, splits, what);
                }
    }
}

// Prefill: packs mixing positions (row = t * group + g), so rows of one pack end at
// different keys (the causal edge inside a block).
TEST_P(AttentionKernel, PrefillPacksMatchDoubleReference) {
    const Shape shape = GetParam();
    LevelGuard guard;
    const int64_t n = 130;
    const Cache cache(shape.type, 4, shape.head_dim, n);
    const auto q = randn(static_cast<size_t>(8 * shape.head_dim), 5, 2.0f);
    for (SimdLevel level : levels_here()) {
        ll::force_simd_level(level);
        for (int group : {1, 4, 8, 3}) {
            const int64_t rows = n * group;
            for (int64_t p = 0; p * ll::kPackRows < rows; p += 7) {
                ll::QueryPack pack;
                pack.scale = 0.125f;
                for (int64_t row = p * ll::kPackRows; row < std::min(rows, (p + 1) * ll::kPackRows);
                     ++row) {
                    const int r = pack.rows++;
                    pack.q[r] = &q[static_cast<size_t>(r * shape.head_dim)];
                    pack.hi[r] = row / group;
                    pack.lo[r] = 0;
                }
                check_pack(cache, 3, pack, 1,
                           std::string(ll::simd_level_name(level)) + " prefill group " +
                               std::to_string(group) + " pack " + std::to_string(p));
            }
        }
    }
}

TEST(AttentionKernelLevels, Avx512IsCoveredWhereTheCpuHasIt) {
    if (ll::detected_simd_level() < SimdLevel::Avx512)
        GTEST_SKIP() << "this CPU has no AVX-512: the kernel's AVX-512 level is compiled but not "
                        "run here (detected "
                     << ll::simd_level_name(ll::detected_simd_level()) << ")";
    SUCCEED() << "the other tests ran the AVX-512 level";
}

std::string shape_name(const ::testing::TestParamInfo<Shape>& info) {
    return std::string(ll::kv_type_name(info.param.type)) + "_d" +
           std::to_string(info.param.head_dim);
}

// 64 and 128: real heads; 80: AVX-512 falls back to AVX2; 16 and 8: heads that cut q8_0
// blocks (8 is also below AVX-512's width); 12: every level falls back to portable code.
INSTANTIATE_TEST_SUITE_P(Types, AttentionKernel,
                         ::testing::Values(Shape{KvType::F32, 64}, Shape{KvType::F16, 64},
                                           Shape{KvType::Q8_0, 64}, Shape{KvType::F16, 128},
                                           Shape{KvType::F16, 80}, Shape{KvType::Q8_0, 16},
                                           Shape{KvType::Q8_0, 8}, Shape{KvType::F32, 12}),
                         shape_name);

// The forward pass through the kernel against the exact two-pass path, on stories260K
// (8 heads over 4 KV heads of 8); and the captured weights, kept beside the kernel, against
// the exact path's own.
std::vector<float> logits_of(KvType type, const std::string& variant, bool exact, bool alibi) {
    static auto model = ll::Model::load(lltest::shared_path("models/stories260K-hf"));
    const auto& c = model->config();
    auto resolved = ll::resolve_scaling(ll::parse_scaling_spec(alibi ? "alibi:on_rope=1" : "none"),
                                        c.scaling, c.rope);
    ll::Session s(*model, ll::PositionEncoding(resolved.spec, c.rope), 2048, type);
    s.set_attention_variant(ll::AttentionVariant::parse(variant));
    s.set_exact_attention(exact);
    // Long enough that decode reads more than the inline limit and splits its keys.
    std::vector<int32_t> tokens(1100);
    for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = static_cast<int32_t>(1 + i * 37 % 500);
    ll::EvalOptions opt;
    opt.chunk = 96;
    EXPECT_TRUE(s.eval(tokens, opt));
    // Decode steps after the prompt: packs of one position, keys split over threads.
    for (int32_t t : {5, 17, 300}) EXPECT_TRUE(s.eval(std::vector<int32_t>{t}, opt));
    return {s.logits().begin(), s.logits().end()};
}

TEST(AttentionKernelForward, MatchesTheExactPath) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    for (KvType type : {KvType::F32, KvType::F16, KvType::Q8_0})
        for (const char* variant : {"full", "window:size=40", "s2:group=32"})
            for (bool alibi : {false, true}) {
                const auto fast = logits_of(type, variant, false, alibi);
                const auto exact = logits_of(type, variant, true, alibi);
                ASSERT_EQ(fast.size(), exact.size());
                double worst = 0;
                for (size_t i = 0; i < fast.size(); ++i)
                    worst = std::max(worst, std::fabs(static_cast<double>(fast[i]) - exact[i]));
                // f32 caches hold the same keys on both paths; with f16 and q8_0 a
                // difference of one float rounding in a layer's output can move a later
                // layer's stored key or value by a whole step of the type.
                EXPECT_LT(worst, type == KvType::F32 ? 2e-5 : 5e-3)
                    << ll::kv_type_name(type) << " " << variant << (alibi ? " alibi" : "");
                std::printf("%s %s%s: largest logit difference %.2e\n",
                            std::string(ll::kv_type_name(type)).c_str(), variant,
                            alibi ? " alibi" : "", worst);
            }
}

// Kept rows (citations, the Attention view): scored again beside the kernel, they must be
// the exact path's own weights, head by head and for a window variant too.
ll::AttentionCapture captured(KvType type, const std::string& variant, bool exact) {
    static auto model = ll::Model::load(lltest::shared_path("models/stories260K-hf"));
    const auto& c = model->config();
    ll::Session s(*model, ll::PositionEncoding(c.scaling, c.rope), 2048, type);
    s.set_attention_variant(ll::AttentionVariant::parse(variant));
    s.set_exact_attention(exact);
    ll::AttentionCapture capture;
    capture.layers = {1, 3};
    capture.heads = {0, 5};
    capture.from_position = 1090;  // the prompt's last ten rows, then decode rows
    capture.per_head = true;
    s.set_attention_capture(&capture);
    std::vector<int32_t> tokens(1100);
    for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = static_cast<int32_t>(1 + i * 37 % 500);
    ll::EvalOptions opt;
    opt.chunk = 96;
    EXPECT_TRUE(s.eval(tokens, opt));
    for (int32_t t : {5, 17, 300}) EXPECT_TRUE(s.eval(std::vector<int32_t>{t}, opt));
    s.set_attention_capture(nullptr);
    return capture;
}

TEST(AttentionKernelForward, KeptRowsAreTheExactPathsWeights) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    for (KvType type : {KvType::F32, KvType::F16})
        for (const char* variant : {"full", "window:size=40"}) {
            const ll::AttentionCapture fast = captured(type, variant, false);
            const ll::AttentionCapture exact = captured(type, variant, true);
            ASSERT_EQ(fast.positions, exact.positions);
            ASSERT_EQ(fast.rows.size(), 13u);
            double worst = 0;
            for (size_t r = 0; r < fast.rows.size(); ++r) {
                ASSERT_EQ(fast.rows[r].size(), exact.rows[r].size());
                double sum = 0;
                for (size_t k = 0; k < fast.rows[r].size(); ++k) {
                    worst = std::max(worst, std::fabs(double(fast.rows[r][k]) - exact.rows[r][k]));
                    sum += fast.rows[r][k];
                }
                EXPECT_NEAR(sum, 1.0, 1e-4);
            }
            EXPECT_LT(worst, type == KvType::F32 ? 1e-5 : 2e-3)
                << ll::kv_type_name(type) << " " << variant;
        }
}

// Per-head sums: every head of each captured layer, the same on both paths; each head's
// sums add up to the number of rows, and the selected heads' sums averaged are the rows'.
TEST(AttentionKernelForward, PerHeadSumsAgreeWithTheRows) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const ll::AttentionCapture fast = captured(KvType::F16, "full", false);
    const ll::AttentionCapture exact = captured(KvType::F16, "full", true);
    ASSERT_EQ(fast.n_heads, 8);
    ASSERT_EQ(fast.head_sums.size(), 2u * 8u);
    ASSERT_EQ(exact.head_sums.size(), fast.head_sums.size());
    const double rows = double(fast.rows.size());
    for (size_t i = 0; i < fast.head_sums.size(); ++i) {
        double total = 0, worst = 0;
        for (size_t k = 0; k < fast.head_sums[i].size(); ++k) {
            total += fast.head_sums[i][k];
            worst =
                std::max(worst, std::fabs(double(fast.head_sums[i][k]) - exact.head_sums[i][k]));
        }
        EXPECT_NEAR(total, rows, 1e-3) << "layer/head " << i;
        EXPECT_LT(worst, 2e-3 * rows) << "layer/head " << i;
    }
    const size_t keys = fast.rows.back().size();
    for (size_t k = 0; k < keys; ++k) {
        double from_rows = 0;
        for (const auto& row : fast.rows)
            if (k < row.size()) from_rows += row[k];
        double from_heads = 0;
        for (size_t l = 0; l < 2; ++l)
            for (size_t h : {0u, 5u}) from_heads += fast.head_sums[l * 8 + h][k] / 4.0;
        ASSERT_NEAR(from_rows, from_heads, 1e-5) << "key " << k;
    }
}

}  // namespace
