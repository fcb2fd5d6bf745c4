// Attention variants (scaling-methods.md §10): which keys each query sees, checked through
// the attention weights the forward pass captures, on the real stories260K model.
#include <gtest/gtest.h>

#include <cmath>

#include "attention_variant.h"
#include "error.h"
#include "model.h"
#include "scaling_spec.h"
#include "session.h"
#include "shared_data.h"

namespace {

const ll::Model& stories() {
    static auto m = ll::Model::load(lltest::shared_path("models/stories260K-hf"));
    return *m;
}

std::vector<int32_t> tokens(size_t n) {
    auto t =
        lltest::read_binary<int32_t>(lltest::shared_path("fixtures/stories260K/tokens_alice.i32"));
    t.resize(n);
    return t;
}

struct VariantRun {
    std::vector<float> logits;
    ll::AttentionCapture capture;
};

VariantRun run(const std::string& variant, size_t n, const std::string& scaling = "none") {
    const ll::Model& m = stories();
    auto resolved =
        ll::resolve_scaling(ll::parse_scaling_spec(scaling), m.config().scaling, m.config().rope);
    ll::Session s(m, ll::PositionEncoding(resolved.spec, m.config().rope), 4096);
    s.set_attention_variant(ll::AttentionVariant::parse(variant));
    VariantRun r;
    r.capture.layers = {0, 1, 2, 3, 4};
    r.capture.from_position = static_cast<int64_t>(n) - 40;
    s.set_attention_capture(&r.capture);
    ll::EvalOptions opt;
    opt.chunk = 96;
    EXPECT_TRUE(s.eval(tokens(n), opt));
    r.logits.assign(s.logits().begin(), s.logits().end());
    return r;
}

void expect_same(const VariantRun& a, const VariantRun& b) {
    ASSERT_EQ(a.logits.size(), b.logits.size());
    for (size_t i = 0; i < a.logits.size(); ++i) ASSERT_NEAR(a.logits[i], b.logits[i], 1e-4) << i;
}

// Weight outside the visible keys must be exactly zero, inside it must sum to 1.
void expect_visible(const VariantRun& r,
                    const std::function<bool(int64_t pos, int64_t key)>& visible) {
    for (size_t i = 0; i < r.capture.rows.size(); ++i) {
        const int64_t pos = r.capture.positions[i];
        double inside = 0;
        for (int64_t k = 0; k <= pos; ++k) {
            const float w = r.capture.rows[i][k];
            if (visible(pos, k))
                inside += w;
            else
                ASSERT_EQ(w, 0.0f) << "query " << pos << " sees key " << k;
        }
        EXPECT_NEAR(inside, 1.0, 1e-4);
    }
}

TEST(AttentionVariant, ParsesAndRefuses) {
    EXPECT_EQ(ll::AttentionVariant::parse("full").to_string(), "full");
    EXPECT_EQ(ll::AttentionVariant::parse("window:size=4096").to_string(), "window:size=4096");
    EXPECT_EQ(ll::AttentionVariant::parse("sinks").to_string(), "sinks:sinks=4,window=2000");
    EXPECT_EQ(ll::AttentionVariant::parse("s2:group=512").to_string(), "s2:group=512");
    for (const char* bad : {"window", "window:size=0", "window:size=x", "s2:group=7", "sinks:foo=1",
                            "ring", "window:size=-3"})
        EXPECT_THROW(ll::AttentionVariant::parse(bad), ll::EngineError) << bad;
}

TEST(AttentionVariant, WideEnoughVariantsEqualFullAttention) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const VariantRun full = run("full", 300);
    expect_same(run("window:size=300", 300), full);
    expect_same(run("sinks:sinks=4,window=300", 300), full);
    expect_same(run("s2:group=600", 300), full);
}

TEST(AttentionVariant, SlidingWindowSeesExactlyWKeys) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const int64_t W = 50;
    const VariantRun r = run("window:size=50", 300);
    expect_visible(r, [&](int64_t pos, int64_t k) { return pos - k < W; });
    EXPECT_GT(std::abs(r.logits[0] - run("full", 300).logits[0]), 1e-4);
}

TEST(AttentionVariant, SinksSeeTheFirstKeysAndTheWindow) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const VariantRun r = run("sinks:sinks=4,window=64", 400);
    expect_visible(r, [](int64_t pos, int64_t k) { return k < 4 || pos - k < 64; });
    double sink_mass = 0;
    for (const auto& row : r.capture.rows) sink_mass += row[0] + row[1] + row[2] + row[3];
    EXPECT_GT(sink_mass, 0.0);
    for (float x : r.logits) ASSERT_TRUE(std::isfinite(x));
}

// While the window's first key is still among the sinks (0 < pos - W + 1 <= S), nothing has
// been evicted yet: the sinks and the window together are every key, as in full attention.
TEST(AttentionVariant, SinksOverlappingTheWindowSeeEveryKey) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const VariantRun r = run("sinks:sinks=40,window=300", 330);  // captured rows 290..329
    for (size_t i = 0; i < r.capture.rows.size(); ++i)
        ASSERT_GT(r.capture.rows[i][0], 0.0f) << "query " << r.capture.positions[i];
    expect_same(r, run("full", 330));
}

TEST(AttentionVariant, ShiftedSparseStaysInsideGroups) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const int64_t G = 128;
    const VariantRun r = run("s2:group=128", 400);
    // Half the heads use groups [kG, (k+1)G), the other half groups shifted by G/2.
    expect_visible(r, [&](int64_t pos, int64_t k) {
        const bool plain = k >= pos / G * G;
        const bool shifted = pos < G / 2 || k >= (pos - G / 2) / G * G + G / 2;
        return plain || shifted;
    });
}

TEST(AttentionVariant, AlibiOnARopeModelOnlyWhenAskedFor) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const ll::Model& m = stories();
    EXPECT_THROW(
        ll::resolve_scaling(ll::parse_scaling_spec("alibi"), m.config().scaling, m.config().rope),
        ll::EngineError);
    const VariantRun r = run("full", 200, "alibi:on_rope=1");
    for (float x : r.logits) ASSERT_TRUE(std::isfinite(x));
    // ALiBi pulls attention towards recent keys: the last 16 keys get more weight than with
    // no position information beyond the model's own.
    double recent = 0;
    for (size_t i = 0; i < r.capture.rows.size(); ++i) {
        const auto& row = r.capture.rows[i];
        for (size_t k = row.size() - 16; k < row.size(); ++k) recent += row[k];
    }
    EXPECT_GT(recent / r.capture.rows.size(), 0.5);
}

}  // namespace
