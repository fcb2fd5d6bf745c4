// PositionEncoding against every test vector of shared/docs/scaling-methods.md (§1-§9) and
// against the inverse frequencies transformers produced for the fixture models.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "error.h"
#include "hf_rope_config.h"
#include "position_encoding.h"
#include "shared_data.h"

namespace {

using ll::PositionEncoding;
using ll::RopeBase;
using ll::RopeFrequencies;
using ll::ScalingSpec;

// The doc rounds to 7 significant digits; float32 adds about 1e-7.
constexpr double kRel = 1e-6;

void expect_rel(double actual, double expected, double rel, const std::string& what) {
    EXPECT_LE(std::abs(actual - expected), rel * std::abs(expected))
        << what << ": got " << actual << ", expected " << expected;
}

ScalingSpec spec(const std::string& method, std::map<std::string, double> params = {}) {
    ScalingSpec s;
    s.method = method;
    s.params = std::move(params);
    return s;
}

// The doc's toy model: d=64, b=1e4, M = L = 2048.
RopeBase toy(int d = 64, double theta = 1e4, int window = 2048) {
    RopeBase b;
    b.theta = theta;
    b.rotary_dim = d;
    b.trained_window = window;
    b.max_position_embeddings = window;
    return b;
}

// Checks ω at pairs 0..3 and d/2-4..d/2-1 against the doc's "first four … last four" lists.
void expect_ends(const std::vector<float>& w, const std::vector<double>& first,
                 const std::vector<double>& last, const std::string& what) {
    ASSERT_GE(w.size(), first.size() + last.size());
    for (size_t i = 0; i < first.size(); ++i)
        expect_rel(w[i], first[i], kRel, what + " i=" + std::to_string(i));
    const size_t off = w.size() - last.size();
    for (size_t i = 0; i < last.size(); ++i)
        expect_rel(w[off + i], last[i], kRel, what + " i=" + std::to_string(off + i));
}

std::vector<float> omega(const ScalingSpec& s, const RopeBase& b, int64_t len) {
    return PositionEncoding(s, b).frequencies(len).inv_freq;
}

const std::vector<double> kDefaultFirst = {1, 0.7498942, 0.5623413, 0.4216965};
const std::vector<double> kDefaultLast = {3.162278e-4, 2.371374e-4, 1.778279e-4, 1.333521e-4};

TEST(PositionEncodingDoc, DefaultRope) {  // §1
    PositionEncoding pe(spec("none"), toy());
    RopeFrequencies f = pe.frequencies(100);
    ASSERT_EQ(f.inv_freq.size(), 32u);
    expect_ends(f.inv_freq, kDefaultFirst, kDefaultLast, "default");
    EXPECT_EQ(f.attention_factor, 1.0f);
    EXPECT_FALSE(pe.depends_on_length());
    EXPECT_FALSE(pe.is_alibi());
}

TEST(PositionEncodingDoc, Linear) {  // §2
    auto w = omega(spec("linear", {{"factor", 4}}), toy(), 100);
    expect_ends(w, {0.25, 0.1874736, 0.1405853, 0.1054241},
                {7.905694e-5, 5.928434e-5, 4.445699e-5, 3.333804e-5}, "linear");
}

TEST(PositionEncodingDoc, StaticNtk) {  // §3
    PositionEncoding pe(spec("ntk", {{"alpha", 4}}), toy());
    expect_rel(pe.effective_theta(1), 41829.36593, 1e-9, "b'");
    auto w = pe.frequencies(1).inv_freq;
    expect_ends(w, {1, 0.7170983, 0.5142300, 0.3687535},
                {9.040738e-5, 6.483098e-5, 4.649019e-5, 3.333804e-5}, "ntk");
    // The self-check of §3: the last pair equals linear's last pair.
    auto lin = omega(spec("linear", {{"factor", 4}}), toy(), 1);
    expect_rel(w.back(), lin.back(), 1e-6, "ntk last = linear last");
}

TEST(PositionEncodingDoc, DynamicNtk) {  // §4
    PositionEncoding pe(spec("dynamic", {{"factor", 4}}), toy());
    EXPECT_TRUE(pe.depends_on_length());
    auto def = omega(spec("none"), toy(), 1);
    EXPECT_EQ(pe.frequencies(1).inv_freq, def);
    EXPECT_EQ(pe.frequencies(2048).inv_freq, def);
    expect_rel(pe.effective_theta(4096), 52664.43434, 1e-6, "b' at 4096");
    expect_ends(pe.frequencies(4096).inv_freq, {1, 0.7119551, 0.5068800, 0.3608758},
                {7.390473e-5, 5.261685e-5, 3.746083e-5, 2.667043e-5}, "dynamic 4096");
    expect_rel(pe.effective_theta(8192), 141213.7574, 1e-6, "b' at 8192");
    expect_ends(pe.frequencies(8192).inv_freq, {1, 0.6903453, 0.4765766, 0.3290024},
                {3.117867e-5, 2.152405e-5, 1.485902e-5, 1.025786e-5}, "dynamic 8192");
    EXPECT_EQ(pe.frequencies(8192).attention_factor, 1.0f);
}

TEST(PositionEncodingDoc, Xverse) {  // §5
    PositionEncoding pe(spec("xverse"), toy());
    EXPECT_TRUE(pe.depends_on_length());
    EXPECT_EQ(pe.frequencies(2048).inv_freq, omega(spec("none"), toy(), 1));
    expect_rel(pe.effective_theta(4096), 31082.23667, 1e-9, "b' at 4096");
    expect_ends(pe.frequencies(4096).inv_freq, {1, 0.7237840, 0.5238633, 0.3791639},
                {1.172335e-4, 8.485174e-5, 6.141433e-5, 4.445071e-5}, "xverse 4096");
    expect_rel(pe.effective_theta(8192), 74534.83032, 1e-9, "b' at 8192");
    expect_ends(pe.frequencies(8192).inv_freq, {1, 0.7042693, 0.4959953, 0.3493143},
                {5.453630e-5, 3.840824e-5, 2.704975e-5, 1.905031e-5}, "xverse 8192");
    // XVERSE = HF dynamic with factor 2 (§5).
    PositionEncoding dyn2(spec("dynamic", {{"factor", 2}}), toy());
    auto x = pe.frequencies(6000).inv_freq, d = dyn2.frequencies(6000).inv_freq;
    for (size_t i = 0; i < x.size(); ++i) expect_rel(x[i], d[i], 1e-6, "xverse = dynamic x2");
}

TEST(PositionEncodingDoc, YarnTruncated) {  // §6
    PositionEncoding pe(spec("yarn", {{"factor", 4}}), toy());
    EXPECT_EQ(pe.spec().params.at("original"), 2048);  // defaults to the trained window
    RopeFrequencies f = pe.frequencies(10);
    auto def = omega(spec("none"), toy(), 1);
    for (int i = 0; i <= 8; ++i) EXPECT_EQ(f.inv_freq[i], def[i]) << i;
    const std::vector<double> mid = {0.07066311,  0.04974558,  0.03487106,  0.02432521,
                                     0.01687324,  0.01162721,  0.007949839, 0.005384615,
                                     0.003605261, 0.002379136, 0.001540814, 9.730085e-4};
    for (int i = 9; i <= 20; ++i)
        expect_rel(f.inv_freq[i], mid[i - 9], kRel, "yarn i=" + std::to_string(i));
    for (int i = 21; i < 32; ++i) expect_rel(f.inv_freq[i], def[i] / 4.0, 1e-6, "yarn interp");
    expect_rel(f.inv_freq[21], 5.928434e-4, kRel, "yarn i=21");
    expect_rel(f.inv_freq[31], 3.333804e-5, kRel, "yarn i=31");
    expect_rel(pe.attention_factor(10), 1.1386294, kRel, "attention factor");
    expect_rel(pe.attention_factor(10) * pe.attention_factor(10), 1.2964770, kRel, "logit factor");
    EXPECT_EQ(f.attention_factor, static_cast<float>(0.1 * std::log(4.0) + 1.0));
    EXPECT_FALSE(pe.depends_on_length());
}

TEST(PositionEncodingDoc, YarnUntruncated) {  // §6, truncate = false
    auto w = omega(spec("yarn", {{"factor", 4}, {"truncate", 0}}), toy(), 10);
    expect_rel(w[9], 0.07061755, kRel, "i=9");
    expect_rel(w[12], 0.02387019, kRel, "i=12");
    expect_rel(w[16], 0.005056972, kRel, "i=16");
    expect_rel(w[20], 8.112904e-4, kRel, "i=20");
}

TEST(PositionEncodingDoc, YarnSecondExample) {  // §6: d=128, b=1e6, L=32768 -> low 23, high 40
    RopeBase b = toy(128, 1e6, 32768);
    auto w = omega(spec("yarn", {{"factor", 4}}), b, 10);
    auto def = omega(spec("none"), b, 10);
    for (int i = 0; i <= 23; ++i) EXPECT_EQ(w[i], def[i]) << i;
    for (int i = 24; i < 40; ++i) {
        EXPECT_LT(w[i], def[i]) << i;
        EXPECT_GT(w[i], def[i] / 4.0f) << i;
    }
    for (int i = 40; i < 64; ++i)
        expect_rel(w[i], def[i] / 4.0, 1e-6, "interp " + std::to_string(i));
}

TEST(PositionEncodingDoc, YarnMscaleAndOverride) {  // §6 attention factor variants
    PositionEncoding ds(
        spec("yarn", {{"factor", 40}, {"mscale", 0.707}, {"mscale_all_dim", 0.707}}), toy());
    EXPECT_EQ(ds.attention_factor(1), 1.0);
    PositionEncoding ratio(spec("yarn", {{"factor", 40}, {"mscale", 1}, {"mscale_all_dim", 0.5}}),
                           toy());
    expect_rel(ratio.attention_factor(1), (0.1 * std::log(40.0) + 1) / (0.05 * std::log(40.0) + 1),
               1e-15, "mscale ratio");
    PositionEncoding over(
        spec("yarn",
             {{"factor", 4}, {"attention_factor", 1.5}, {"mscale", 1}, {"mscale_all_dim", 0.5}}),
        toy());
    EXPECT_EQ(over.attention_factor(1), 1.5);
}

TEST(PositionEncodingDoc, Llama3Toy) {  // §7
    auto w = omega(spec("llama3", {{"factor", 4}, {"low", 1}, {"high", 4}}), toy(), 10);
    auto def = omega(spec("none"), toy(), 1);
    for (int i = 0; i <= 15; ++i) EXPECT_EQ(w[i], def[i]) << i;
    for (int i = 21; i < 32; ++i) EXPECT_EQ(w[i], def[i] / 4.0f) << i;
    const std::vector<double> mid = {0.008148733, 0.004582369, 0.002576856, 0.001449072,
                                     8.148733e-4};
    const std::vector<double> rope_freqs = {1.22718, 1.63648, 2.18228, 2.91011, 3.88070};
    for (int i = 16; i <= 20; ++i) {
        expect_rel(w[i], mid[i - 16], kRel, "llama3 i=" + std::to_string(i));
        expect_rel(def[i] / w[i], rope_freqs[i - 16], 5e-6, "rope_freqs i=" + std::to_string(i));
    }
}

TEST(PositionEncodingDoc, Llama31Real) {  // §7: the rope_freqs tensor of a Llama-3.1 GGUF
    RopeBase b = toy(128, 5e5, 8192);
    b.max_position_embeddings = 131072;
    auto w =
        omega(spec("llama3", {{"factor", 8}, {"low", 1}, {"high", 4}, {"original", 8192}}), b, 1);
    auto def = omega(spec("none"), b, 1);
    const std::vector<double> mid = {1.207484, 1.553415, 2.026313, 2.694530, 3.684253, 5.257327};
    for (int i = 0; i < 64; ++i) {
        const double ff = def[i] / static_cast<double>(w[i]);
        if (i <= 28)
            EXPECT_EQ(ff, 1.0) << i;
        else if (i <= 34)
            expect_rel(ff, mid[i - 29], 2e-6, "rope_freqs i=" + std::to_string(i));
        else
            expect_rel(ff, 8.0, 1e-6, "rope_freqs i=" + std::to_string(i));
    }
}

TEST(PositionEncodingDoc, LongRope) {  // §8
    ScalingSpec s = spec("longrope", {{"factor", 4}});
    s.short_factor = {1, 1, 1, 1};
    s.long_factor = {1, 2, 4, 8};
    PositionEncoding pe(s, toy(8, 1e4, 2048));
    EXPECT_TRUE(pe.depends_on_length());
    expect_rel(pe.attention_factor(1), 1.0871146, kRel, "attention factor");
    // Short factors up to L, and the attention factor applies to short sequences too.
    RopeFrequencies shortf = pe.frequencies(2048);
    EXPECT_EQ(shortf.inv_freq, omega(spec("none"), toy(8), 1));
    EXPECT_EQ(shortf.attention_factor, static_cast<float>(pe.attention_factor(1)));
    auto w = pe.frequencies(2049).inv_freq;
    const std::vector<double> expect = {1, 0.05, 0.0025, 1.25e-4};
    for (int i = 0; i < 4; ++i) expect_rel(w[i], expect[i], kRel, "long i=" + std::to_string(i));
}

TEST(PositionEncodingDoc, LongRopePhi3AttentionFactor) {  // §8: Phi-3-mini-128k
    ScalingSpec s = spec("longrope", {{"factor", 32}, {"original", 4096}});
    s.short_factor.assign(4, 1.0);
    s.long_factor.assign(4, 1.0);
    PositionEncoding pe(s, toy(8, 1e4, 4096));
    expect_rel(pe.attention_factor(1), 1.1902381, kRel, "phi3 attention factor");
}

TEST(PositionEncodingDoc, ThetaOverrideWithAnyMethod) {
    RopeBase b = toy();
    auto abf = omega(spec("none", {{"theta", 5e5}}), b, 1);
    b.theta = 5e5;
    EXPECT_EQ(abf, omega(spec("none"), b, 1));
    b.theta = 1e4;
    auto yarn = omega(spec("yarn", {{"factor", 4}, {"theta", 5e5}}), b, 1);
    b.theta = 5e5;
    EXPECT_EQ(yarn, omega(spec("yarn", {{"factor", 4}}), b, 1));
}

void expect_slopes(const std::vector<float>& got, const std::vector<double>& want, double rel,
                   const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (size_t i = 0; i < want.size(); ++i)
        expect_rel(got[i], want[i], rel, what + " h=" + std::to_string(i));
}

TEST(PositionEncodingDoc, AlibiSlopes) {  // §9
    PositionEncoding pe(spec("alibi"), RopeBase{});
    EXPECT_TRUE(pe.is_alibi());
    EXPECT_TRUE(pe.frequencies(100).inv_freq.empty());
    std::vector<double> p8;
    for (int k = 1; k <= 8; ++k) p8.push_back(std::exp2(-k));
    auto s8 = pe.alibi_slopes(8, 100);
    for (int h = 0; h < 8; ++h) EXPECT_EQ(s8[h], static_cast<float>(p8[h])) << h;  // exact
    std::vector<double> p12 = p8;
    for (double v : {0.7071068, 0.3535534, 0.1767767, 0.08838835}) p12.push_back(v);
    expect_slopes(pe.alibi_slopes(12, 100), p12, kRel, "n=12");
    std::vector<double> p40;
    for (int k = 1; k <= 32; ++k) p40.push_back(std::exp2(-k / 4.0));
    for (int j = 0; j < 8; ++j) p40.push_back(std::exp2(-(2 * j + 1) / 8.0));
    auto s40 = pe.alibi_slopes(40, 100);
    expect_slopes(s40, p40, 1e-7, "n=40");
    expect_rel(s40[0], 0.8408964, kRel, "n=40 h=0");
    expect_rel(s40[31], 0.00390625, 0, "n=40 h=31");
    expect_rel(s40[32], 0.9170040, kRel, "n=40 h=32");
    expect_rel(s40[39], 0.2726269, kRel, "n=40 h=39");
    EXPECT_EQ(pe.alibi_slopes(1, 1), std::vector<float>({std::exp2(-8.0f)}));
    EXPECT_THROW(pe.alibi_slopes(0, 1), ll::EngineError);
}

TEST(PositionEncodingDoc, DynamicNtkAlibi) {  // §9, T = 4096, max_pos 16384 -> a = 4
    PositionEncoding pe(spec("dynamic_alibi"), toy(0, 1e4, 4096));
    EXPECT_TRUE(pe.depends_on_length());
    EXPECT_EQ(pe.spec().params.at("original"), 4096);
    auto s8 = pe.alibi_slopes(8, 16384);
    // The doc's 7-digit values sit up to 3.3e-6 from its own closed form m_base^k beta^(1-k)
    // (e.g. k=7: 2^-7 4^(-6/7) = 0.0023808860 vs 0.002380894), so they get a looser bound and
    // the closed form the float32 bound.
    expect_slopes(
        s8,
        {0.5, 0.2050840, 0.08411877, 0.03450284, 0.01415190, 0.005804671, 0.002380894, 9.765625e-4},
        5e-6, "H=8 doc");
    for (int k = 1; k <= 8; ++k)
        expect_rel(s8[k - 1], std::exp2(-k) * std::pow(4.0, (1.0 - k) / 7.0), 1e-7,
                   "H=8 closed form k=" + std::to_string(k));
    EXPECT_EQ(s8[7], 9.765625e-4f);  // the last head is divided by exactly a = 4
    // Within the training length the slopes are Press's.
    PositionEncoding plain(spec("alibi"), RopeBase{});
    EXPECT_EQ(pe.alibi_slopes(40, 4096), plain.alibi_slopes(40, 4096));
    auto s40 = pe.alibi_slopes(40, 16384), p40 = plain.alibi_slopes(40, 1);
    EXPECT_EQ(s40[0], p40[0]);  // the first head is unchanged
    expect_rel(s40[31], 0.00129778, 5e-6, "H=40 k=32");
    for (int h = 32; h < 40; ++h) EXPECT_EQ(s40[h], p40[h]) << "extra head " << h;
}

// ---- fixtures: what transformers 5.17 computed for the two fixture models ----

// ordered_json keeps the file's order of `runs`, which is the order transformers ran them in.
nlohmann::ordered_json load_json(const std::string& rel) {
    std::ifstream in(lltest::shared_path(rel));
    return nlohmann::ordered_json::parse(in);
}

double max_rel_error(const std::vector<float>& got, const nlohmann::ordered_json& want) {
    EXPECT_EQ(got.size(), want.size());
    double worst = 0;
    for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
        const double w = want[i].get<double>();
        worst = std::max(worst, std::abs(got[i] - w) / std::abs(w));
    }
    return worst;
}

// dynamic_x4's inv_freq_at_len[L] is HF's buffer after the last run of length L. The runs
// went in the file's order through one model, and HF keeps the grown frequencies (§4): after
// the first text's longest run, every shorter run of the later texts used the longest
// length's frequencies (seq_len = M does not reset either). So the fixture holds the same vector
// for every L, and reproducing it takes hf_dynamic_length over the run order.
void check_dynamic_history(const PositionEncoding& pe, const nlohmann::ordered_json& cfg) {
    int64_t cached = pe.base().max_position_embeddings;
    std::map<int64_t, int64_t> used;  // L -> length whose frequencies the last L-run used
    for (const auto& [run, unused] : cfg["runs"].items()) {
        const int64_t len = std::stoll(run.substr(run.rfind("_L") + 2));
        cached = pe.hf_dynamic_length(len, cached);
        used[len] = cached;
    }
    for (const auto& [len, want] : cfg["inv_freq_at_len"].items()) {
        SCOPED_TRACE("L=" + len);
        ASSERT_TRUE(used.count(std::stoll(len)));
        EXPECT_LE(max_rel_error(pe.frequencies(used[std::stoll(len)]).inv_freq, want), 1e-6);
    }
    // A stateless engine that evaluates each run alone uses frequencies(L) instead; it matches
    // only the runs that happened before the model's frequencies grew.
    const int64_t longest = used.rbegin()->first;
    EXPECT_LE(max_rel_error(pe.frequencies(longest).inv_freq,
                            cfg["inv_freq_at_len"][std::to_string(longest)]),
              1e-6);
}

void check_fixture(const std::string& fixture, const std::string& model_config, int head_dim,
                   int window) {
    const nlohmann::ordered_json ref = load_json("fixtures/" + fixture + "/reference.json");
    const RopeBase base = ll::rope_base_from_hf_config(nlohmann::json(load_json(model_config)));
    ASSERT_EQ(base.rotary_dim, head_dim);
    ASSERT_EQ(base.trained_window, window);
    ASSERT_EQ(base.max_position_embeddings, window);
    ASSERT_FALSE(ref["configs"].empty());
    for (const auto& [name, cfg] : ref["configs"].items()) {
        SCOPED_TRACE(fixture + " " + name);
        const PositionEncoding pe(ll::spec_from_hf_rope(nlohmann::json(cfg["rope_parameters"])),
                                  base);
        const RopeFrequencies f = pe.frequencies(window);
        EXPECT_LE(max_rel_error(f.inv_freq, cfg["inv_freq"]), 1e-6);
        const double attn = cfg["attention_scaling"].get<double>();
        EXPECT_EQ(pe.attention_factor(window), attn);
        EXPECT_EQ(f.attention_factor, static_cast<float>(attn));
        if (cfg.contains("inv_freq_at_len")) check_dynamic_history(pe, cfg);
    }
}

TEST(PositionEncodingFixtures, Stories260K) {
    LL_REQUIRE_SHARED("fixtures/stories260K/reference.json");
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    check_fixture("stories260K", "models/stories260K-hf/config.json", 8, 512);
}

TEST(PositionEncodingFixtures, RefMini) {
    LL_REQUIRE_SHARED("fixtures/ref-mini/reference.json");
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    check_fixture("ref-mini", "models/ref-mini/config.json", 64, 256);
}

}  // namespace

namespace {

// A Llama-3 GGUF states no scaling type; its rope_freqs tensor holds the divisors (§7).
TEST(PositionEncodingDoc, GgufRopeFreqsReproduceLlama3) {
    RopeBase b;
    b.theta = 5e5;
    b.rotary_dim = 128;
    b.trained_window = 8192;
    b.max_position_embeddings = 131072;
    ScalingSpec llama3;
    llama3.method = "llama3";
    llama3.params = {{"factor", 8}, {"low", 1}, {"high", 4}, {"original", 8192}};
    const auto want = PositionEncoding(llama3, b).frequencies(1).inv_freq;
    ScalingSpec gguf;  // method none + the tensor, as the converter writes it
    std::vector<double> ff(64, 1.0);
    const std::vector<double> mid = {1.207484, 1.553415, 2.026313, 2.694530, 3.684253, 5.257327};
    for (int i = 29; i <= 34; ++i) ff[i] = mid[i - 29];
    for (int i = 35; i < 64; ++i) ff[i] = 8.0;
    gguf.freq_factors = ff;
    const auto got = PositionEncoding(gguf, b).frequencies(1).inv_freq;
    for (int i = 0; i < 64; ++i)
        EXPECT_LE(std::abs(got[i] - want[i]), 2e-6 * want[i]) << "pair " << i;
    gguf.freq_factors.resize(10);
    EXPECT_THROW(PositionEncoding(gguf, b), ll::EngineError);
}

}  // namespace
