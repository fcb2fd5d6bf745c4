// Spec parsing (the CLI's --scaling), the HF config and GGUF mappings, precedence between the
// user's and the file's settings, and the effective-scaling report.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "error.h"
#include "gguf_rope_config.h"
#include "hf_rope_config.h"
#include "position_encoding.h"
#include "scaling_spec.h"
#include "shared_data.h"

namespace {

using ll::EngineError;
using ll::RopeBase;
using ll::ScalingSpec;
using nlohmann::json;

RopeBase base_of(int d, int window, int M = 0, double theta = 1e4) {
    RopeBase b;
    b.theta = theta;
    b.rotary_dim = d;
    b.trained_window = window;
    b.max_position_embeddings = M > 0 ? M : window;
    return b;
}

ScalingSpec spec_of(const std::string& method) {
    ScalingSpec s;
    s.method = method;
    return s;
}

// The EngineError `fn` throws (fails the test when it throws none).
EngineError error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const EngineError& e) {
        return e;
    }
    ADD_FAILURE() << "no EngineError thrown";
    return EngineError("", "");
}

std::string parse_error(const std::string& text) {
    return error_of([&] { ll::parse_scaling_spec(text); }).problem();
}

// ---- parser: valid specs ----

TEST(ScalingSpecParse, CanonicalSpecsRoundTrip) {
    for (const char* text :
         {"none", "none:theta=500000", "linear:factor=8", "linear:factor=4", "ntk:alpha=4",
          "dynamic:factor=4", "xverse", "yarn:factor=4",
          "yarn:factor=4,original=2048,beta_fast=32,beta_slow=1,truncate=0",
          "yarn:factor=40,mscale=0.707,mscale_all_dim=0.707",
          "yarn:factor=4,attention_factor=1.2,theta=1000000", "llama3:factor=4,low=1,high=4",
          "llama3:factor=8,low=1,high=4,original=8192,theta=500000",
          "longrope:factor=32,original=4096", "alibi", "alibi:max_bias=8",
          "dynamic_alibi:original=4096"}) {
        SCOPED_TRACE(text);
        const ScalingSpec s = ll::parse_scaling_spec(text);
        EXPECT_EQ(ll::format_scaling_spec(s), text);
        EXPECT_EQ(ll::parse_scaling_spec(ll::format_scaling_spec(s)), s);
    }
}

TEST(ScalingSpecParse, Values) {
    ScalingSpec s = ll::parse_scaling_spec(
        "yarn:factor=4,original=2048,beta_fast=32,beta_slow=1,"
        "truncate=0");
    EXPECT_EQ(s.method, "yarn");
    EXPECT_EQ(s.params, (std::map<std::string, double>{{"factor", 4},
                                                       {"original", 2048},
                                                       {"beta_fast", 32},
                                                       {"beta_slow", 1},
                                                       {"truncate", 0}}));
    s = ll::parse_scaling_spec("ntk:alpha=4");
    EXPECT_EQ(s.params.at("alpha"), 4);
    s = ll::parse_scaling_spec("linear:factor=2.5");
    EXPECT_EQ(s.params.at("factor"), 2.5);
    EXPECT_TRUE(ll::parse_scaling_spec("none").params.empty());
}

TEST(ScalingSpecParse, AliasesSpacesAndBooleans) {
    const ScalingSpec s = ll::parse_scaling_spec(
        " llama3 : factor = 8, low_freq_factor=1,high_freq_factor=4,"
        "original_max_position_embeddings=8192,rope_theta=5e5 ");
    EXPECT_EQ(ll::format_scaling_spec(s),
              "llama3:factor=8,low=1,high=4,original=8192,theta=500000");
    EXPECT_EQ(ll::parse_scaling_spec("yarn:factor=4,truncate=false").params.at("truncate"), 0);
    EXPECT_EQ(ll::parse_scaling_spec("yarn:factor=4,truncate=true").params.at("truncate"), 1);
    EXPECT_EQ(ll::parse_scaling_spec("yarn:factor=4,attn_factor=1.1").params.at("attention_factor"),
              1.1);
}

// ---- parser: each refusal with its message ----

TEST(ScalingSpecParse, Refusals) {
    struct Case {
        const char* text;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"", "empty scaling spec; write METHOD[:key=value,...], e.g. yarn:factor=4"},
        {"foo",
         "unknown scaling method 'foo'; known methods: none, linear, ntk, dynamic, xverse, "
         "yarn, llama3, longrope, alibi, dynamic_alibi"},
        {"rope:factor=4", "unknown scaling method 'rope'"},
        {"yarn:alpha=4",
         "'yarn' has no parameter 'alpha'; it takes: factor, original, beta_fast, "
         "beta_slow, attention_factor, mscale, mscale_all_dim, truncate, theta"},
        {"none:factor=4", "'none' has no parameter 'factor'; it takes: theta"},
        {"alibi:theta=5", "'alibi' has no parameter 'theta'; it takes: max_bias"},
        {"linear:factor=abc", "'factor=abc': 'abc' is not a number"},
        {"linear:factor=4x", "'factor=4x': '4x' is not a number"},
        {"linear:factor=", "'factor=': '' is not a number"},
        {"linear:factor=inf", "factor must be a finite number (got inf)"},
        {"linear:factor=0.5", "factor must be at least 1 (got 0.5)"},
        {"dynamic:factor=0", "factor must be at least 1 (got 0)"},
        {"ntk:alpha=0.9", "alpha must be at least 1 (got 0.9)"},
        {"yarn:factor=4,beta_fast=-1", "beta_fast must not be negative (got -1)"},
        {"yarn:factor=4,mscale=-0.5", "mscale must not be negative (got -0.5)"},
        {"none:theta=-10000", "theta must not be negative (got -10000)"},
        {"none:theta=0", "theta must be greater than 0 (got 0)"},
        {"yarn:factor=4,original=-2048", "original must not be negative (got -2048)"},
        {"yarn:factor=4,original=20.5",
         "original must be a whole number of tokens >= 1 (got 20.5)"},
        {"yarn:factor=4,truncate=2", "truncate must be 0 or 1 (got 2)"},
        {"linear", "'linear' needs factor=<number>, e.g. linear:factor=4"},
        {"dynamic:theta=5e5", "'dynamic' needs factor=<number>, e.g. dynamic:factor=4"},
        {"ntk", "'ntk' needs alpha=<number>, e.g. ntk:alpha=4"},
        {"yarn:original=2048", "'yarn' needs factor=<number>, e.g. yarn:factor=4"},
        {"llama3:low=1,high=4",
         "'llama3' needs factor=<number>, e.g. llama3:factor=8,low=1,high=4"},
        {"linear:factor=4,factor=8", "'factor' is given twice"},
        {"linear:factor=4,rope_theta=1,theta=2", "'theta' is given twice"},
        {"linear:factor", "'factor' has no value; write factor=<number>"},
        {"linear:factor=4,", "empty parameter in the list"},
        {"linear:,factor=4", "empty parameter in the list"},
        {"linear:",
         "nothing after ':'; write linear alone or key=value pairs, e.g. linear:factor=4"},
        {"llama3:factor=4,low=4,high=1", "high (1) must be greater than low (4)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const std::string msg = parse_error(c.text);
        EXPECT_EQ(msg.rfind(c.message, 0), 0u) << "message: " << msg;
    }
}

TEST(ScalingSpecParse, ErrorNamesTheSetting) {
    EngineError e = error_of([] { ll::parse_scaling_spec("foo"); });
    EXPECT_EQ(e.where(), "--scaling");
    EXPECT_EQ(std::string(e.what()).rfind("--scaling: unknown scaling method 'foo'", 0), 0u);
    e = error_of([] { ll::parse_scaling_spec("foo", "settings.scaling"); });
    EXPECT_EQ(e.where(), "settings.scaling");
}

TEST(ScalingSpecParse, KeysTable) {
    EXPECT_EQ(ll::scaling_methods().size(), 10u);
    const auto keys = ll::scaling_keys("yarn");
    ASSERT_FALSE(keys.empty());
    EXPECT_EQ(keys[0].name, "factor");
    EXPECT_TRUE(keys[0].required);
    EXPECT_EQ(keys[2].name, "beta_fast");
    EXPECT_EQ(keys[2].default_value, 32.0);
    EXPECT_THROW(ll::scaling_keys("nope"), EngineError);
    EXPECT_TRUE(ll::is_alibi_method("dynamic_alibi"));
    EXPECT_FALSE(ll::is_alibi_method("yarn"));
}

// ---- HF config.json ----

TEST(ScalingSpecHf, RopeObjects) {
    EXPECT_EQ(ll::spec_from_hf_rope(json()).method, "none");
    ScalingSpec s =
        ll::spec_from_hf_rope(json::parse(R"({"rope_type":"default","rope_theta":1e4})"));
    EXPECT_EQ(ll::format_scaling_spec(s), "none:theta=10000");
    s = ll::spec_from_hf_rope(json::parse(R"({"type":"linear","factor":4.0})"));
    EXPECT_EQ(ll::format_scaling_spec(s), "linear:factor=4");
    // HF ignores original_max_position_embeddings for dynamic (§4).
    s = ll::spec_from_hf_rope(
        json::parse(R"({"type":"dynamic","factor":2.0,"original_max_position_embeddings":4096})"));
    EXPECT_EQ(ll::format_scaling_spec(s), "dynamic:factor=2");
    // Falsy betas mean the defaults; null values are absent; truncate is a bool.
    s = ll::spec_from_hf_rope(json::parse(
        R"({"rope_type":"yarn","factor":4.0,"original_max_position_embeddings":32768,
            "beta_fast":0,"beta_slow":null,"attention_factor":null,"truncate":false,
            "low_freq_factor":1.0})"));
    EXPECT_EQ(ll::format_scaling_spec(s), "yarn:factor=4,original=32768,truncate=0");
    s = ll::spec_from_hf_rope(json::parse(
        R"({"rope_type":"llama3","factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,
            "original_max_position_embeddings":8192,"rope_theta":500000.0})"));
    EXPECT_EQ(ll::format_scaling_spec(s),
              "llama3:factor=8,low=1,high=4,original=8192,theta=500000");
}

TEST(ScalingSpecHf, LongRopeAndPhi3TopLevelOriginal) {
    const json rope = json::parse(
        R"({"type":"su","short_factor":[1,1,1,1],"long_factor":[1,2,4,8],
            "original_max_position_embeddings":2048})");
    ScalingSpec s = ll::spec_from_hf_rope(rope);
    EXPECT_EQ(s.method, "longrope");
    EXPECT_EQ(s.long_factor, (std::vector<double>{1, 2, 4, 8}));
    EXPECT_EQ(s.params.at("original"), 2048);
    s = ll::spec_from_hf_rope(rope, 4096.0);  // HF prefers Phi-3's top-level value (§8)
    EXPECT_EQ(s.params.at("original"), 4096);

    const json config = json::parse(
        R"({"hidden_size":3072,"num_attention_heads":32,"max_position_embeddings":131072,
            "original_max_position_embeddings":4096,"rope_theta":10000.0,
            "rope_scaling":{"type":"longrope","short_factor":[1],"long_factor":[2]}})");
    s = ll::spec_from_hf_config(config);
    EXPECT_EQ(s.params.at("original"), 4096);
    EXPECT_EQ(s.params.at("theta"), 10000);
    const RopeBase b = ll::rope_base_from_hf_config(config);
    EXPECT_EQ(b.rotary_dim, 96);
    EXPECT_EQ(b.trained_window, 4096);
    EXPECT_EQ(b.max_position_embeddings, 131072);
    // Factor defaults to M/L: attention factor sqrt(1 + ln 32 / ln 4096) (§8).
    s.short_factor.assign(48, 1.0);
    s.long_factor.assign(48, 1.0);
    const ScalingSpec filled = ll::with_defaults(s, b);
    EXPECT_EQ(filled.params.at("factor"), 32);
    EXPECT_NEAR(filled.params.at("attention_factor"), 1.1902381, 1e-7);
}

TEST(ScalingSpecHf, Refusals) {
    EXPECT_EQ(
        error_of([] { ll::spec_from_hf_rope(json::parse(R"({"rope_type":"mrope"})")); }).problem(),
        "rope_type 'mrope' is not supported (supported: default, linear, dynamic, yarn, "
        "llama3, longrope)");
    EXPECT_EQ(error_of([] {
                  ll::spec_from_hf_rope(json::parse(R"({"type":"linear","factor":"4"})"));
              }).problem(),
              "factor must be a number (got \"4\")");
    EXPECT_EQ(error_of([] {
                  ll::spec_from_hf_rope(json::parse(R"({"type":"linear","factor":0.5})"));
              }).problem(),
              "factor must be at least 1 (got 0.5)");
    EXPECT_EQ(error_of([] {
                  ll::spec_from_hf_rope(json::parse(R"({"type":"linear","factor":0.5})"));
              }).where(),
              "config.json rope_parameters");
}

TEST(ScalingSpecHf, YarnWithoutFactorFallsBackToMOverL) {  // HF-new (§6)
    const ScalingSpec s = ll::spec_from_hf_rope(
        json::parse(R"({"rope_type":"yarn","original_max_position_embeddings":32768})"));
    const ScalingSpec filled = ll::with_defaults(s, base_of(128, 32768, 131072));
    EXPECT_EQ(filled.params.at("factor"), 4);
}

TEST(ScalingSpecHf, FixtureModelConfigs) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    auto load = [](const std::string& rel) {
        std::ifstream in(lltest::shared_path(rel));
        return json::parse(in);
    };
    const json mini = load("models/ref-mini/config.json");
    EXPECT_EQ(ll::format_scaling_spec(ll::spec_from_hf_config(mini)), "none:theta=10000");
    RopeBase b = ll::rope_base_from_hf_config(mini);
    EXPECT_EQ(b.rotary_dim, 64);
    EXPECT_EQ(b.trained_window, 256);
    const json stories = load("models/stories260K-hf/config.json");
    EXPECT_EQ(ll::format_scaling_spec(ll::spec_from_hf_config(stories)), "none:theta=10000");
    b = ll::rope_base_from_hf_config(stories);
    EXPECT_EQ(b.rotary_dim, 8);
    EXPECT_EQ(b.trained_window, 512);
    EXPECT_EQ(b.theta, 10000);
}

// ---- GGUF metadata ----

TEST(ScalingSpecGguf, Types) {
    using std::nullopt;
    auto fmt = [](const ScalingSpec& s) { return ll::format_scaling_spec(s); };
    EXPECT_EQ(fmt(ll::spec_from_gguf_values(nullopt, nullopt, nullopt, nullopt, nullopt)), "none");
    EXPECT_EQ(fmt(ll::spec_from_gguf_values("none", 4.0, nullopt, 1e4, nullopt)),
              "none:theta=10000");
    EXPECT_EQ(fmt(ll::spec_from_gguf_values("linear", 4.0, nullopt, nullopt, nullopt)),
              "linear:factor=4");
    EXPECT_EQ(fmt(ll::spec_from_gguf_values("linear", 0.0, nullopt, nullopt, nullopt)), "none");
    EXPECT_EQ(fmt(ll::spec_from_gguf_values(nullopt, 2.0, nullopt, nullopt, nullopt)),
              "linear:factor=2");  // the type defaults to linear (§2)
    EXPECT_EQ(fmt(ll::spec_from_gguf_values("yarn", 4.0, 32768.0, 1e6, 1.0)),
              "yarn:factor=4,original=32768,theta=1000000");
    EXPECT_EQ(fmt(ll::spec_from_gguf_values("longrope", 32.0, 4096.0, 1e4, 1.1902381)),
              "longrope:factor=32,original=4096,attention_factor=1.1902381,theta=10000");
    ll::GgufRopeValues legacy;
    legacy.scale_linear = 4.0;
    EXPECT_EQ(fmt(ll::spec_from_gguf_values(legacy)), "linear:factor=4");
    ll::GgufRopeValues yarn;
    yarn.type = "yarn";
    yarn.factor = 4.0;
    yarn.attn_factor = 0.5;
    yarn.yarn_beta_fast = 16.0;
    const ScalingSpec y = ll::spec_from_gguf_values(yarn);
    EXPECT_EQ(y.params.at("beta_fast"), 16);
    EXPECT_DOUBLE_EQ(y.params.at("attention_factor"), 0.5 * (0.1 * std::log(4.0) + 1.0));
    const EngineError e = error_of(
        [] { ll::spec_from_gguf_values("rope", 4.0, std::nullopt, std::nullopt, std::nullopt); });
    EXPECT_EQ(e.where(), "GGUF rope.scaling");
    EXPECT_EQ(
        e.problem(),
        "rope.scaling.type 'rope' is not supported (supported: none, linear, yarn, longrope)");
}

// ---- defaults and precedence ----

TEST(ScalingSpecResolve, DefaultsFilledIn) {
    const RopeBase b = base_of(64, 2048);
    ScalingSpec s = ll::with_defaults(ll::parse_scaling_spec("yarn:factor=4"), b);
    EXPECT_EQ(ll::format_scaling_spec(s),
              "yarn:factor=4,original=2048,beta_fast=32,beta_slow=1,"
              "attention_factor=1.138629436111989,truncate=1,theta=10000");
    EXPECT_EQ(s.params.at("attention_factor"), 0.1 * std::log(4.0) + 1.0);
    s = ll::with_defaults(ll::parse_scaling_spec("llama3:factor=8"), b);
    EXPECT_EQ(ll::format_scaling_spec(s), "llama3:factor=8,low=1,high=4,original=2048,theta=10000");
    s = ll::with_defaults(ll::parse_scaling_spec("alibi"), RopeBase{});
    EXPECT_EQ(ll::format_scaling_spec(s), "alibi:max_bias=8");
    s = ll::with_defaults(ll::parse_scaling_spec("dynamic_alibi"), RopeBase{});
    EXPECT_EQ(ll::format_scaling_spec(s), "dynamic_alibi:original=4096");
    EXPECT_EQ(error_of([] {
                  ll::with_defaults(ll::parse_scaling_spec("yarn:factor=4"), RopeBase{});
              }).problem(),
              "'yarn' needs original=<tokens>: the model does not state its trained window");
}

TEST(ScalingSpecResolve, Precedence) {
    const RopeBase b = base_of(64, 2048);
    ll::ResolvedScaling r = ll::resolve_scaling(std::nullopt, std::nullopt, b);
    EXPECT_EQ(r.source, ll::ScalingSource::kDefault);
    EXPECT_EQ(ll::format_scaling_spec(r.spec), "none:theta=10000");

    const ScalingSpec file = ll::parse_scaling_spec("yarn:factor=4,original=1024,theta=5e5");
    r = ll::resolve_scaling(std::nullopt, file, b);
    EXPECT_EQ(r.source, ll::ScalingSource::kFile);
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(r.spec.params.at("original"), 1024);

    // Same method: the user's keys override, the file's others stay, and the clash is reported.
    r = ll::resolve_scaling(ll::parse_scaling_spec("yarn:factor=8"), file, b);
    EXPECT_EQ(r.source, ll::ScalingSource::kUserOverFile);
    EXPECT_EQ(r.spec.params.at("factor"), 8);
    EXPECT_EQ(r.spec.params.at("original"), 1024);
    EXPECT_EQ(r.spec.params.at("theta"), 5e5);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0], "--scaling sets factor=8 but the model file says factor=4; using 8");

    // Another method replaces the file's, keeping the model's rope base.
    r = ll::resolve_scaling(ll::parse_scaling_spec("dynamic:factor=2"), file, b);
    EXPECT_EQ(ll::format_scaling_spec(r.spec), "dynamic:factor=2,theta=500000");
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_EQ(r.warnings[0],
              "--scaling dynamic:factor=2 replaces the model file's "
              "yarn:factor=4,original=1024,theta=500000; the model was tuned for the file's "
              "setting");

    // No file scaling: nothing to contradict.
    r = ll::resolve_scaling(ll::parse_scaling_spec("yarn:factor=4"), ll::parse_scaling_spec("none"),
                            b);
    EXPECT_EQ(r.source, ll::ScalingSource::kUser);
    EXPECT_TRUE(r.warnings.empty());
    r = ll::resolve_scaling(ll::parse_scaling_spec("none"), file, b);
    EXPECT_EQ(r.spec.method, "none");
    EXPECT_EQ(r.warnings.size(), 1u);
}

TEST(ScalingSpecResolve, LongRopeListsComeFromTheFile) {
    ScalingSpec file = ll::parse_scaling_spec("longrope:original=2048");
    file.short_factor = {1, 1, 1, 1};
    file.long_factor = {1, 2, 4, 8};
    const RopeBase b = base_of(8, 2048, 8192);
    const ll::ResolvedScaling r =
        ll::resolve_scaling(ll::parse_scaling_spec("longrope:factor=8"), file, b);
    EXPECT_EQ(r.spec.long_factor, file.long_factor);
    EXPECT_EQ(r.spec.params.at("factor"), 8);
    EXPECT_EQ(error_of([&] {
                  ll::resolve_scaling(ll::parse_scaling_spec("longrope"), std::nullopt, b);
              }).problem(),
              "'longrope' needs short_factor and long_factor lists, which only a model file "
              "provides");
}

// ---- what is applied ----

bool has_warning(const ll::EffectiveScaling& e, const std::string& part) {
    for (const auto& w : e.warnings)
        if (w.find(part) != std::string::npos) return true;
    return false;
}

TEST(EffectiveScaling, NoScalingBeyondTheTrainedWindow) {
    const RopeBase b = base_of(8, 512);
    const auto e =
        ll::effective_scaling(ll::resolve_scaling(std::nullopt, std::nullopt, b), b, 4096);
    EXPECT_EQ(e.effective_window, 512);
    ASSERT_EQ(e.warnings.size(), 1u);
    EXPECT_EQ(e.warnings[0],
              "context of 4096 tokens exceeds the trained window of 512 tokens and no position "
              "scaling is applied; expect quality to collapse past 512 tokens (try --scaling "
              "yarn:factor=8 or dynamic:factor=8)");
    EXPECT_TRUE(ll::effective_scaling(ll::resolve_scaling(std::nullopt, std::nullopt, b), b, 512)
                    .warnings.empty());
    const auto abf = ll::effective_scaling(
        ll::resolve_scaling(ll::parse_scaling_spec("none:theta=5e5"), std::nullopt, b), b, 4096);
    EXPECT_TRUE(has_warning(abf, "only the rope base is changed, to 500000"));
}

// A GGUF with rope_freqs (llama.cpp bakes llama3 scaling into them) names no method, yet its
// positions are scaled: past its window it is warned, but not told that nothing is applied.
TEST(EffectiveScaling, RopeFreqsBeyondTheWindowAreNotCalledNoScaling) {
    const RopeBase b = base_of(8, 512);
    auto resolved = ll::resolve_scaling(std::nullopt, std::nullopt, b);
    resolved.spec.freq_factors = {1, 1, 2, 4};
    const auto e = ll::effective_scaling(resolved, b, 4096);
    EXPECT_TRUE(e.file_freq_factors);
    ASSERT_EQ(e.warnings.size(), 1u);
    EXPECT_EQ(e.warnings[0],
              "context of 4096 tokens exceeds the model's window of 512 tokens (its rope_freqs "
              "already extend the trained positions); expect quality to drop past 512 tokens");
    EXPECT_TRUE(ll::effective_scaling(resolved, b, 512).warnings.empty());
}

TEST(EffectiveScaling, YarnReport) {
    const RopeBase b = base_of(8, 512);
    const auto e = ll::effective_scaling(
        ll::resolve_scaling(ll::parse_scaling_spec("yarn:factor=4"), std::nullopt, b), b, 2048);
    EXPECT_EQ(e.method, "yarn");
    EXPECT_EQ(e.source, ll::ScalingSource::kUser);
    EXPECT_EQ(e.effective_window, 2048);
    EXPECT_EQ(e.trained_window, 512);
    EXPECT_EQ(e.theta, 10000);
    EXPECT_EQ(e.attention_factor, 0.1 * std::log(4.0) + 1.0);
    EXPECT_DOUBLE_EQ(e.logit_factor, e.attention_factor * e.attention_factor);
    EXPECT_EQ(e.params.at("beta_fast"), 32);
    EXPECT_TRUE(e.warnings.empty());
    const std::string text = ll::describe(e);
    for (const char* line :
         {"position scaling: yarn (user)\n", "trained window: 512\n", "effective window: 2048\n",
          "context: 2048\n", "attention factor: 1.138629 (logits x1.296477)\n",
          "length-dependent: no\n"})
        EXPECT_NE(text.find(line), std::string::npos) << line << " in\n" << text;
    const auto over = ll::effective_scaling(
        ll::resolve_scaling(ll::parse_scaling_spec("yarn:factor=4"), std::nullopt, b), b, 4096);
    EXPECT_TRUE(has_warning(over, "exceeds the effective window of 2048 tokens"));
    EXPECT_NE(ll::describe(over).find("warning: context of 4096"), std::string::npos);
}

TEST(EffectiveScaling, LinearIsLossyUnlessTheModelWasTunedForIt) {
    const RopeBase b = base_of(8, 512);
    const ScalingSpec lin = ll::parse_scaling_spec("linear:factor=4");
    auto e = ll::effective_scaling(ll::resolve_scaling(lin, std::nullopt, b), b, 2048);
    EXPECT_TRUE(has_warning(e, "linear interpolation on a model not fine-tuned for it is lossy"));
    e = ll::effective_scaling(ll::resolve_scaling(std::nullopt, lin, b), b, 2048);
    EXPECT_TRUE(e.warnings.empty());
    EXPECT_EQ(e.source, ll::ScalingSource::kFile);
}

TEST(EffectiveScaling, LengthDependentMethods) {
    const RopeBase b = base_of(64, 2048);
    auto e = ll::effective_scaling(
        ll::resolve_scaling(ll::parse_scaling_spec("dynamic:factor=4"), std::nullopt, b), b, 8192);
    EXPECT_TRUE(e.depends_on_length);
    EXPECT_NEAR(e.theta, 141213.7574, 0.2);  // the grown base at 8192 (§4)
    EXPECT_EQ(e.effective_window, 8192);
    e = ll::effective_scaling(
        ll::resolve_scaling(ll::parse_scaling_spec("xverse"), std::nullopt, b), b, 100000);
    EXPECT_EQ(e.effective_window, 0);
    EXPECT_TRUE(e.warnings.empty());
    EXPECT_NE(ll::describe(e).find("effective window: no fixed limit"), std::string::npos);
}

TEST(PositionEncodingErrors, InvalidSpecsAndModels) {
    EXPECT_THROW(ll::PositionEncoding(spec_of("bogus"), base_of(8, 512)), EngineError);
    EXPECT_THROW(ll::PositionEncoding(spec_of("linear"), base_of(8, 512)), EngineError);
    EXPECT_THROW(ll::PositionEncoding(ScalingSpec{}, base_of(7, 512)), EngineError);
    ScalingSpec lr = ll::parse_scaling_spec("longrope");
    lr.short_factor = {1, 1};
    lr.long_factor = {1, 1};
    const EngineError e = error_of([&] { ll::PositionEncoding(lr, base_of(8, 512)); });
    EXPECT_EQ(e.problem(),
              "longrope factor lists must have d/2 = 4 values (short_factor has 2, long_factor "
              "has 2)");
    // A default-constructed base still gives an (empty) default encoding.
    EXPECT_TRUE(ll::PositionEncoding(ScalingSpec{}, RopeBase{}).frequencies(1).inv_freq.empty());
}

}  // namespace

namespace {

TEST(ScalingSpecResolve, RopeFreqsComeFromTheFile) {
    ScalingSpec file;
    file.freq_factors = {1, 1, 2, 4};
    const RopeBase b = base_of(8, 512);
    const auto r = ll::resolve_scaling(ll::parse_scaling_spec("yarn:factor=2"), file, b);
    EXPECT_EQ(r.spec.freq_factors, file.freq_factors);
    EXPECT_NE(ll::describe(ll::effective_scaling(r, b, 512)).find("rope_freqs from the model file"),
              std::string::npos);
    EXPECT_TRUE(ll::resolve_scaling(ll::parse_scaling_spec("alibi:on_rope=1"), file, b)
                    .spec.freq_factors.empty());
    // ALiBi on a RoPE model only when asked for explicitly.
    EXPECT_NE(error_of([&] { ll::resolve_scaling(ll::parse_scaling_spec("alibi"), file, b); })
                  .problem()
                  .find("add on_rope=1"),
              std::string::npos);
    file.method = "alibi";
    EXPECT_EQ(error_of([&] { ll::with_defaults(file, b); }).problem(),
              "rope_freqs divisors apply to RoPE methods, not to 'alibi'");
}

}  // namespace
