// The Positions diagnostic (issue 17 §2): per-pair frequencies equal transformers' (the
// fixtures), the classes on a known YaRN setting, dynamic NTK against length, ALiBi slopes.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>

#include "diagnostics/positions.h"
#include "hf_rope_config.h"
#include "shared_data.h"

namespace {

using json = nlohmann::json;

json read_json(const std::string& rel) {
    std::ifstream in(lltest::shared_path(rel));
    return json::parse(in);
}

ll::PositionsReport report(const std::string& spec, const ll::RopeBase& base, int64_t ctx,
                           int n_heads = 8) {
    const ll::ResolvedScaling resolved =
        ll::resolve_scaling(ll::parse_scaling_spec(spec), std::nullopt, base);
    return ll::analyse_positions(resolved, base, n_heads, ctx);
}

ll::PositionsReport report(const ll::ScalingSpec& spec, const ll::RopeBase& base, int64_t ctx) {
    return ll::analyse_positions(ll::resolve_scaling(spec, std::nullopt, base), base, 8, ctx);
}

void expect_inv_freq(const std::vector<ll::RotaryDim>& dims, const json& want,
                     const std::string& what) {
    ASSERT_EQ(dims.size(), want.size()) << what;
    for (size_t i = 0; i < dims.size(); ++i) {
        const double w = want[i].get<double>();
        // The fixtures' tolerance for a float32 engine: relative 1e-6.
        EXPECT_NEAR(dims[i].inv_freq, w, 1e-6 * w) << what << " pair " << i;
        EXPECT_NEAR(dims[i].wavelength, 2 * std::numbers::pi / w, 1e-6 * 2 * std::numbers::pi / w)
            << what << " pair " << i;
    }
}

struct Fixture {
    const char* name;
    const char* config;  // the model's config.json under ../shared
};
const Fixture kFixtures[] = {{"ref-mini", "models/ref-mini/config.json"},
                             {"stories260K", "models/stories260K-hf/config.json"}};

// Every static config of the fixtures, through the same path the CLI takes (resolve, then
// analyse), at 4x the trained window.
TEST(PositionsDiagnostics, InverseFrequenciesMatchTransformersForEveryMethod) {
    for (const Fixture& f : kFixtures) {
        const std::string ref_path = std::string("fixtures/") + f.name + "/reference.json";
        LL_REQUIRE_SHARED(ref_path);
        LL_REQUIRE_SHARED(f.config);
        const ll::RopeBase base = ll::rope_base_from_hf_config(read_json(f.config));
        const json ref = read_json(ref_path);
        int checked = 0;
        for (const auto& [name, cfg] : ref.at("configs").items()) {
            if (cfg.contains("inv_freq_at_len")) continue;  // dynamic: next test
            const ll::PositionsReport r = report(ll::spec_from_hf_rope(cfg.at("rope_parameters")),
                                                 base, 4 * base.trained_window);
            expect_inv_freq(r.dims, cfg.at("inv_freq"), std::string(f.name) + " " + name);
            EXPECT_NEAR(r.attention_factor, cfg.at("attention_scaling").get<double>(), 1e-6)
                << f.name << " " << name;
            ++checked;
        }
        EXPECT_EQ(checked, 7) << f.name;
    }
}

// transformers' dynamic NTK is stateful; at the longest run its state is the stateless value
// for that length, and at the trained window (= M for these models) it is the default.
TEST(PositionsDiagnostics, DynamicNtkMatchesTransformersAtTheLongestRunAndNoneAtTheWindow) {
    for (const Fixture& f : kFixtures) {
        const std::string ref_path = std::string("fixtures/") + f.name + "/reference.json";
        LL_REQUIRE_SHARED(ref_path);
        LL_REQUIRE_SHARED(f.config);
        const ll::RopeBase base = ll::rope_base_from_hf_config(read_json(f.config));
        const json ref = read_json(ref_path);
        const json& dyn = ref.at("configs").at("dynamic_x4");
        const ll::ScalingSpec spec = ll::spec_from_hf_rope(dyn.at("rope_parameters"));
        const int64_t longest = 8 * base.trained_window;
        expect_inv_freq(report(spec, base, longest).dims,
                        dyn.at("inv_freq_at_len").at(std::to_string(longest)),
                        std::string(f.name) + " dynamic_x4 at " + std::to_string(longest));
        expect_inv_freq(report(spec, base, base.trained_window).dims,
                        ref.at("configs").at("none").at("inv_freq"),
                        std::string(f.name) + " dynamic_x4 at the window");
    }
}

// The overlay's curves, with factor = context / trained window, are the fixtures' x4 and x8
// configs: the comparison a user sees before a run is the one transformers computes.
TEST(PositionsDiagnostics, OverlayCurvesAreTheFixturesConfigsAtThatFactor) {
    LL_REQUIRE_SHARED("fixtures/ref-mini/reference.json");
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    const ll::RopeBase base =
        ll::rope_base_from_hf_config(read_json("models/ref-mini/config.json"));
    const json configs = read_json("fixtures/ref-mini/reference.json").at("configs");
    const std::vector<std::pair<int, std::vector<std::pair<std::string, std::string>>>> cases = {
        {4,
         {{"none", "none"}, {"linear", "linear_x4"}, {"yarn", "yarn_x4"}, {"llama3", "llama3_x4"}}},
        {8, {{"linear", "linear_x8"}, {"yarn", "yarn_x8"}}}};
    for (const auto& [times, pairs] : cases) {
        const std::vector<ll::MethodCurve> overlay =
            ll::overlay_curves(base, base.theta, times * base.trained_window);
        ASSERT_EQ(overlay.size(), 6u);
        for (const auto& [method, config] : pairs) {
            const auto it = std::find_if(overlay.begin(), overlay.end(),
                                         [&](const auto& c) { return c.label == method; });
            ASSERT_NE(it, overlay.end()) << method;
            const json& inv = configs.at(config).at("inv_freq");
            ASSERT_EQ(it->wavelength.size(), inv.size());
            for (size_t i = 0; i < inv.size(); ++i) {
                const double want = 2 * std::numbers::pi / inv[i].get<double>();
                EXPECT_NEAR(it->wavelength[i], want, 1e-6 * want) << config << " pair " << i;
            }
            EXPECT_NEAR(it->attention_factor,
                        configs.at(config).at("attention_scaling").get<double>(), 1e-6)
                << config;
        }
    }
}

// scaling-methods.md §6's test vector: d=64, b=1e4, s=4, L=2048 gives low = 8, high = 21.
TEST(PositionsDiagnostics, YarnClassesAreExtrapolatedRampInterpolated) {
    const ll::RopeBase base{10000.0, 64, 2048, 2048};
    const ll::PositionsReport r = report("yarn:factor=4", base, 8192);
    ASSERT_EQ(r.dims.size(), 32u);
    for (const ll::RotaryDim& d : r.dims) {
        const ll::DimClass want = d.pair <= 8   ? ll::DimClass::Extrapolated
                                  : d.pair < 21 ? ll::DimClass::Ramp
                                                : ll::DimClass::Interpolated;
        EXPECT_EQ(d.cls, want) << "pair " << d.pair << " ratio " << d.ratio;
        EXPECT_EQ(d.exceeds_context, d.wavelength > 8192.0) << "pair " << d.pair;
    }
    EXPECT_NEAR(r.dims[12].inv_freq, 0.02432521, 1e-6 * 0.02432521);
    EXPECT_DOUBLE_EQ(r.full_factor, r.dims[31].ratio);
    EXPECT_NEAR(r.full_factor, 4.0, 1e-5);
    EXPECT_NEAR(r.attention_factor, 1.1386294, 1e-6);
    EXPECT_NEAR(r.logit_factor, 1.2964770, 1e-6);
    EXPECT_TRUE(r.dims[31].exceeds_context);
    EXPECT_FALSE(r.dims[0].exceeds_context);
    // The configuration in force is marked in the overlay (yarn at 8192/2048 = 4 is it).
    int effective = 0;
    for (const ll::MethodCurve& c : r.overlay) effective += c.effective;
    EXPECT_EQ(effective, 1);
}

// A GGUF's rope_freqs divisors (Llama 3) are part of what is in force: the overlay adds the
// effective curve rather than calling it plain none, whose spec text is the same.
TEST(PositionsDiagnostics, FileFrequencyFactorsMakeTheirOwnEffectiveCurve) {
    const ll::RopeBase base{10000.0, 8, 256, 256};
    ll::ScalingSpec file;
    file.freq_factors = {1, 2, 4, 4};
    const ll::ResolvedScaling resolved = ll::resolve_scaling(std::nullopt, file, base);
    const ll::PositionsReport r = ll::analyse_positions(resolved, base, 8, 1024);
    EXPECT_TRUE(r.file_freq_factors);
    ASSERT_EQ(r.overlay.size(), 7u);
    EXPECT_EQ(r.overlay[0].label, "effective");
    EXPECT_TRUE(r.overlay[0].effective);
    for (size_t i = 1; i < r.overlay.size(); ++i) EXPECT_FALSE(r.overlay[i].effective);
    const double ratios[] = {1, 2, 4, 4};
    const ll::DimClass classes[] = {ll::DimClass::Extrapolated, ll::DimClass::Ramp,
                                    ll::DimClass::Interpolated, ll::DimClass::Interpolated};
    for (int i = 0; i < 4; ++i) {
        EXPECT_NEAR(r.dims[i].ratio, ratios[i], 1e-5) << "pair " << i;
        EXPECT_EQ(r.dims[i].cls, classes[i]) << "pair " << i;
        EXPECT_NEAR(r.overlay[0].wavelength[i], r.dims[i].wavelength, 1e-9 * r.dims[i].wavelength);
    }
}

// Without scaling, pairs at least a trained window long never turned once in training.
TEST(PositionsDiagnostics, NoneSplitsExtrapolatedFromUnseenAtTheTrainedWindow) {
    const ll::RopeBase base{10000.0, 64, 2048, 2048};
    const ll::PositionsReport r = report("none", base, 4096);
    for (const ll::RotaryDim& d : r.dims) {
        EXPECT_DOUBLE_EQ(d.ratio, 1.0);
        EXPECT_EQ(d.cls, d.wavelength < 2048 ? ll::DimClass::Extrapolated : ll::DimClass::Unseen)
            << "pair " << d.pair;
    }
    EXPECT_TRUE(r.by_length.empty());
}

// §4's vectors: d=64, b=1e4, s=4, M=2048.
TEST(PositionsDiagnostics, DynamicNtkChangesWithLengthAndIsNoneUpToTheWindow) {
    const ll::RopeBase base{10000.0, 64, 2048, 2048};
    const ll::PositionsReport none = report("none", base, 2048);
    for (int64_t len : {1024, 2048}) {
        const ll::PositionsReport r = report("dynamic:factor=4", base, len);
        for (size_t i = 0; i < r.dims.size(); ++i)
            EXPECT_EQ(r.dims[i].inv_freq, none.dims[i].inv_freq) << len << " pair " << i;
    }
    const ll::PositionsReport at4k = report("dynamic:factor=4", base, 4096);
    const ll::PositionsReport at8k = report("dynamic:factor=4", base, 8192);
    EXPECT_NEAR(at4k.dims[31].inv_freq, 2.667043e-5, 1e-6 * 2.667043e-5);
    EXPECT_NEAR(at8k.dims[31].inv_freq, 1.025786e-5, 1e-6 * 1.025786e-5);
    EXPECT_NEAR(at4k.theta, 52664.43434, 0.05);
    EXPECT_NEAR(at8k.theta, 141213.7574, 0.2);
    EXPECT_EQ(at4k.dims[0].cls, ll::DimClass::Extrapolated);
    EXPECT_EQ(at4k.dims[31].cls, ll::DimClass::Interpolated);
    EXPECT_EQ(at4k.dims[16].cls, ll::DimClass::Ramp);
    // The table by length: M x1, x2, x4, x8, the base growing past M.
    ASSERT_EQ(at4k.by_length.size(), 4u);
    const int64_t lengths[] = {2048, 4096, 8192, 16384};
    for (size_t k = 0; k < 4; ++k) EXPECT_EQ(at4k.by_length[k].length, lengths[k]);
    EXPECT_DOUBLE_EQ(at4k.by_length[0].theta, 10000.0);
    EXPECT_NEAR(at4k.by_length[1].theta, 52664.43434, 0.05);
    EXPECT_NEAR(at4k.by_length[2].theta, 141213.7574, 0.2);
    EXPECT_GT(at4k.by_length[3].theta, at4k.by_length[2].theta);
    EXPECT_NEAR(at4k.by_length[1].wavelength[31], 2 * std::numbers::pi / 2.667043e-5,
                1e-6 * 2 * std::numbers::pi / 2.667043e-5);
}

// §9's vectors: 8 heads (a power of two) and 12 (not one).
TEST(PositionsDiagnostics, AlibiSlopesPerHead) {
    const ll::RopeBase base{10000.0, 0, 4096, 4096};
    const ll::PositionsReport eight = report("alibi", base, 4096, 8);
    ASSERT_EQ(eight.alibi_slopes.size(), 8u);
    for (int h = 0; h < 8; ++h) EXPECT_DOUBLE_EQ(eight.alibi_slopes[h], std::ldexp(1.0, -(h + 1)));
    EXPECT_TRUE(eight.dims.empty());
    EXPECT_TRUE(eight.overlay.empty());

    const ll::PositionsReport twelve = report("alibi", base, 4096, 12);
    ASSERT_EQ(twelve.alibi_slopes.size(), 12u);
    for (int h = 0; h < 8; ++h) EXPECT_DOUBLE_EQ(twelve.alibi_slopes[h], std::ldexp(1.0, -(h + 1)));
    const double extra[] = {0.7071068, 0.3535534, 0.1767767, 0.08838835};
    for (int j = 0; j < 4; ++j) EXPECT_NEAR(twelve.alibi_slopes[8 + j], extra[j], 1e-6 * extra[j]);
}

// Dynamic NTK-ALiBi (§9): at 4x its window of 4096, a = 4 and beta = 4^(1/7); the slopes are
// the closed form m_base^k beta^(1-k) (the doc's 7-digit vector sits up to 3.3e-6 from it).
TEST(PositionsDiagnostics, DynamicAlibiSlopesByLength) {
    const ll::RopeBase base{10000.0, 0, 4096, 4096};
    const ll::PositionsReport r = report("dynamic_alibi", base, 4096, 8);
    ASSERT_EQ(r.by_length.size(), 4u);
    EXPECT_EQ(r.by_length[0].alibi_slopes, r.alibi_slopes);
    ASSERT_EQ(r.by_length[2].length, 16384);
    ASSERT_EQ(r.by_length[2].alibi_slopes.size(), 8u);
    for (int k = 1; k <= 8; ++k) {
        const double want = std::exp2(-k) * std::pow(4.0, (1.0 - k) / 7.0);
        EXPECT_NEAR(r.by_length[2].alibi_slopes[k - 1], want, 1e-7 * want) << "head " << k;
    }
}

}  // namespace
