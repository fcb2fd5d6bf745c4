// Every architecture the engine runs, against transformers: tiny llama3, qwen2, qwen3, phi3,
// baichuan (RoPE and ALiBi) and xverse models from tests/engine/data/arch (made by
// make_arch_fixtures.py there), from their GGUF file (llama.cpp's converter) and, where
// stored, their HF directory. Per-position NLL and probe logits at the trained window and 4x
// with the scaling the file declares; the configuration each loader reads; refusals.
#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "architecture.h"
#include "error.h"
#include "model.h"
#include "position_encoding.h"
#include "session.h"
#include "shared_data.h"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string kData = LONGLENS_ARCH_DATA;

const std::vector<std::string>& fixtures() {
    static const std::vector<std::string> names = {"llama3",   "qwen2",          "qwen3", "phi3",
                                                   "baichuan", "baichuan-alibi", "xverse"};
    return names;
}

const json& reference(const std::string& fixture) {
    static std::map<std::string, json> cache;
    auto it = cache.find(fixture);
    if (it == cache.end()) {
        std::ifstream in(kData + "/" + fixture + "/reference.json");
        it = cache.emplace(fixture, json::parse(in)).first;
    }
    return it->second;
}

std::string gguf_path(const std::string& fixture) {
    return kData + "/" + fixture + "/" + fixture + ".gguf";
}
std::string hf_path(const std::string& fixture) {
    return kData + "/" + fixture + "/hf";
}

const ll::Model& model_at(const std::string& path) {
    static std::map<std::string, std::unique_ptr<ll::Model>> cache;
    auto& m = cache[path];
    if (!m) m = ll::Model::load(path);
    return *m;
}

struct Case {
    std::string fixture;
    std::string format;  // gguf or hf
    std::string run;     // <text>_L<length>
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.fixture << " " << c.format << " " << c.run;
}

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    for (const std::string& f : fixtures()) {
        std::ifstream in(kData + "/" + f + "/reference.json");
        if (!in) continue;  // ArePresent reports it
        const json ref = json::parse(in);
        for (const auto& [run, data] : ref["runs"].items()) {
            if (run.rfind("theta", 0) == 0) continue;  // the rope-base override, tested below
            cases.push_back({f, "gguf", run});
            if (fs::exists(hf_path(f))) cases.push_back({f, "hf", run});
        }
    }
    return cases;
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
    std::string name = info.param.fixture + "_" + info.param.format + "_" + info.param.run;
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

// The encoding the file itself declares (what `info` and `perplexity` apply without --scaling).
ll::PositionEncoding file_positions(const ll::Model& m,
                                    const std::optional<ll::ScalingSpec>& user = {}) {
    const ll::ModelConfig& c = m.config();
    return ll::PositionEncoding(ll::resolve_scaling(user, c.scaling, c.rope).spec, c.rope);
}

struct Eval {
    std::vector<double> nll;                     // L - 1 values
    std::map<int64_t, std::vector<float>> rows;  // logits at the requested positions
};

// One sequence in chunks of 48 (so chunks straddle the window), with the rotary frequencies of
// the whole length as transformers uses them for one forward.
Eval evaluate(const ll::Model& m, const ll::PositionEncoding& pe, std::vector<int32_t> tokens,
              const std::vector<int64_t>& probes) {
    const int64_t L = static_cast<int64_t>(tokens.size()), vocab = m.config().vocab_size;
    Eval out;
    out.nll.resize(L - 1);
    ll::Session session(m, pe, L);
    ll::EvalOptions opt;
    opt.chunk = 48;
    opt.rope_length = L;
    opt.on_logits = [&](int64_t first, const float* logits, int64_t n) {
        for (int64_t r = 0; r < n; ++r) {
            const int64_t t = first + r;
            const float* row = logits + r * vocab;
            if (std::find(probes.begin(), probes.end(), t) != probes.end())
                out.rows[t].assign(row, row + vocab);
            if (t + 1 >= L) continue;
            double max = row[0], sum = 0;
            for (int64_t i = 1; i < vocab; ++i) max = std::max<double>(max, row[i]);
            for (int64_t i = 0; i < vocab; ++i) sum += std::exp(row[i] - max);
            out.nll[t] = std::log(sum) + max - row[tokens[t + 1]];
        }
    };
    EXPECT_TRUE(session.eval(tokens, opt));
    return out;
}

std::vector<int32_t> tokens_of(const std::string& fixture, const std::string& text,
                               int64_t length) {
    auto tokens = lltest::read_binary<int32_t>(kData + "/" + fixture + "/tokens_" + text + ".i32");
    EXPECT_GE(static_cast<int64_t>(tokens.size()), length);
    tokens.resize(length);
    return tokens;
}

void expect_nll_close(const std::vector<double>& got, const std::vector<float>& want) {
    ASSERT_EQ(got.size(), want.size());
    double max_err = 0, sum_err = 0;
    for (size_t t = 0; t < got.size(); ++t) {
        const double err = std::abs(got[t] - want[t]);
        max_err = std::max(max_err, err);
        sum_err += err;
    }
    EXPECT_LE(max_err, 2e-3);
    EXPECT_LE(sum_err / got.size(), 2e-4);
}

TEST(Architectures, ArePresent) {
    for (const std::string& f : fixtures()) {
        EXPECT_TRUE(fs::exists(gguf_path(f))) << gguf_path(f);
        EXPECT_TRUE(fs::exists(kData + "/" + f + "/reference.json")) << f;
    }
    EXPECT_GE(all_cases().size(), 40u);
}

class ArchitectureRun : public testing::TestWithParam<Case> {};

TEST_P(ArchitectureRun, MatchesTransformers) {
    const Case& c = GetParam();
    const json& run = reference(c.fixture).at("runs").at(c.run);
    const ll::Model& m = model_at(c.format == "gguf" ? gguf_path(c.fixture) : hf_path(c.fixture));
    const ll::PositionEncoding pe = file_positions(m);
    const int64_t L = run["length"].get<int64_t>();

    if (run.contains("inv_freq")) {  // the rotary module's state after this forward in transformers
        const ll::RopeFrequencies f = pe.frequencies(L);
        ASSERT_EQ(f.inv_freq.size(), run["inv_freq"].size());
        for (size_t i = 0; i < f.inv_freq.size(); ++i) {
            const double want = run["inv_freq"][i].get<double>();
            EXPECT_NEAR(f.inv_freq[i], want, 1e-6 * want) << "pair " << i;
        }
        EXPECT_FLOAT_EQ(f.attention_factor, run["attention_scaling"].get<float>());
    }

    const std::vector<int64_t> probes = run["probe_positions"].get<std::vector<int64_t>>();
    const Eval e = evaluate(m, pe, tokens_of(c.fixture, run["text"], L), probes);
    expect_nll_close(
        e.nll, lltest::read_binary<float>(kData + "/" + c.fixture + "/nll_" + c.run + ".f32"));

    const auto logits =
        lltest::read_binary<float>(kData + "/" + c.fixture + "/logits_" + c.run + ".f32");
    const int64_t vocab = m.config().vocab_size;
    ASSERT_EQ(static_cast<int64_t>(logits.size()), static_cast<int64_t>(probes.size()) * vocab);
    for (size_t i = 0; i < probes.size(); ++i) {
        const std::vector<float>& row = e.rows.at(probes[i]);
        double max_err = 0;
        for (int64_t v = 0; v < vocab; ++v)
            max_err = std::max<double>(max_err, std::abs(row[v] - logits[i * vocab + v]));
        EXPECT_LE(max_err, 2e-3) << "probe position " << probes[i];
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ArchitectureRun, testing::ValuesIn(all_cases()), case_name);

// The configuration each loader reads is the one the HF config / converter wrote.
TEST(Architectures, ConfigurationMatchesTheFiles) {
    for (const std::string& f : fixtures()) {
        SCOPED_TRACE(f);
        const json& ref = reference(f);
        const json& spec = ref["spec"];
        std::vector<std::string> paths = {gguf_path(f)};
        if (fs::exists(hf_path(f))) paths.push_back(hf_path(f));
        for (const std::string& path : paths) {
            SCOPED_TRACE(path);
            const ll::ModelConfig& c = model_at(path).config();
            const std::string arch = f == "llama3" ? "llama" : f.substr(0, f.find('-'));
            EXPECT_EQ(c.architecture, arch);
            EXPECT_EQ(c.n_layers, spec["layers"].get<int>());
            EXPECT_EQ(c.dim, spec["dim"].get<int>());
            EXPECT_EQ(c.n_heads, spec["heads"].get<int>());
            EXPECT_EQ(c.n_kv_heads, spec["kv"].get<int>());
            EXPECT_EQ(c.head_dim, spec.value("head_dim", c.dim / c.n_heads));
            EXPECT_EQ(c.vocab_size, ref["vocab"].get<int>());
            EXPECT_EQ(c.qkv_bias, arch == "qwen2");
            EXPECT_EQ(c.qk_norm, arch == "qwen3");
            EXPECT_EQ(c.fused_qkv, arch == "phi3");
            EXPECT_EQ(c.sliding_window, spec.value("sliding_window", 0));
            EXPECT_EQ(c.rope.trained_window,
                      ref["window"].get<int>() * (path == gguf_path("llama3") ? 4 : 1))
                << "(a Llama 3 GGUF states only its extended context)";
            const std::string method = spec.value("alibi", false) ? "alibi"
                                       : spec.contains("rope")
                                           ? spec["rope"]["rope_type"].get<std::string>()
                                           : "none";
            if (path == gguf_path("llama3")) {  // llama3 scaling arrives as rope_freqs divisors
                EXPECT_EQ(c.scaling.method, "none");
                EXPECT_EQ(c.scaling.freq_factors.size(), static_cast<size_t>(c.head_dim / 2));
            } else {
                EXPECT_EQ(c.scaling.method, method == "default" ? "none" : method);
            }
            if (method != "alibi" && spec.contains("rope")) {
                EXPECT_DOUBLE_EQ(c.rope.theta, spec["rope"]["rope_theta"].get<double>());
            }
            if (arch == "phi3") {  // (the GGUF stores them as float32)
                const auto want_short = spec["rope"]["short_factor"].get<std::vector<double>>();
                const auto want_long = spec["rope"]["long_factor"].get<std::vector<double>>();
                ASSERT_EQ(c.scaling.short_factor.size(), want_short.size());
                ASSERT_EQ(c.scaling.long_factor.size(), want_long.size());
                for (size_t i = 0; i < want_short.size(); ++i) {
                    EXPECT_FLOAT_EQ(c.scaling.short_factor[i], want_short[i]);
                    EXPECT_FLOAT_EQ(c.scaling.long_factor[i], want_long[i]);
                }
            }
            EXPECT_EQ(c.rope_layout, path.ends_with(".gguf") ? ll::gguf_rope_layout(arch)
                                                             : ll::RopeLayout::HalfSplit);
        }
    }
}

// The two files of one model give the same numbers (not only each close to transformers).
TEST(Architectures, GgufAndHfAgree) {
    for (const std::string& f : fixtures()) {
        if (!fs::exists(hf_path(f))) continue;
        SCOPED_TRACE(f);
        const ll::Model& g = model_at(gguf_path(f));
        const ll::Model& h = model_at(hf_path(f));
        const int64_t L = 4 * reference(f)["window"].get<int64_t>();
        const auto tokens = tokens_of(f, "heldout", L);
        const Eval a = evaluate(g, file_positions(g), tokens, {L - 1});
        const Eval b = evaluate(h, file_positions(h), tokens, {L - 1});
        std::vector<float> want(b.nll.begin(), b.nll.end());
        expect_nll_close(a.nll, want);
        double max_err = 0;
        for (size_t v = 0; v < a.rows.at(L - 1).size(); ++v)
            max_err =
                std::max<double>(max_err, std::abs(a.rows.at(L - 1)[v] - b.rows.at(L - 1)[v]));
        EXPECT_LE(max_err, 2e-3);
    }
}

// Phi-3's LongRoPE: transformers takes the short factors up to original_max_position_embeddings
// tokens and the long ones beyond (whole sequence), with the attention factor in both.
TEST(Architectures, LongRopePicksFactorsBySequenceLength) {
    for (const std::string& path : {gguf_path("phi3"), hf_path("phi3")}) {
        SCOPED_TRACE(path);
        const ll::Model& m = model_at(path);
        const ll::PositionEncoding pe = file_positions(m);
        const json& runs = reference("phi3")["runs"];
        for (const char* run : {"train_L64", "train_L65"}) {
            const ll::RopeFrequencies f = pe.frequencies(runs[run]["length"].get<int64_t>());
            for (size_t i = 0; i < f.inv_freq.size(); ++i)
                EXPECT_NEAR(f.inv_freq[i], runs[run]["inv_freq"][i].get<double>(),
                            1e-6 * f.inv_freq[i])
                    << run;
        }
        EXPECT_NE(pe.frequencies(64).inv_freq, pe.frequencies(65).inv_freq);
    }
}

// A Gradient-style rope base (1e9) as an override on the Llama 3 model, against transformers.
TEST(Architectures, RopeBaseOneBillion) {
    const ll::Model& m = model_at(hf_path("llama3"));
    const json& run = reference("llama3")["runs"]["theta1e9_train_L256"];
    const ll::PositionEncoding pe =
        file_positions(m, ll::parse_scaling_spec("none:theta=1000000000"));
    const ll::RopeFrequencies f = pe.frequencies(256);
    for (size_t i = 0; i < f.inv_freq.size(); ++i) {
        const double want = run["inv_freq"][i].get<double>();
        EXPECT_NEAR(f.inv_freq[i], want, 1e-6 * want) << "pair " << i;
        // and within float rounding of the exact value, however small the frequency
        const double exact = std::pow(1e9, -2.0 * i / m.config().head_dim);
        EXPECT_NEAR(f.inv_freq[i], exact, 2e-7 * exact) << "pair " << i;
    }
    const Eval e = evaluate(m, pe, tokens_of("llama3", "train", 256), {});
    expect_nll_close(e.nll,
                     lltest::read_binary<float>(kData + "/llama3/nll_theta1e9_train_L256.f32"));
}

// Gradient-1048k's setting: rope base 1e9, head size 128, a million positions. The engine forms
// angles as transformers does (float32 position x float32 inverse frequency); every pair's
// angle stays within a few float32 roundings of the exact one, the slowest pairs included.
TEST(Architectures, RopeAnglesAtAMillionPositionsWithBaseOneBillion) {
    ll::RopeBase base;
    base.theta = 1e9;
    base.rotary_dim = 128;
    base.trained_window = base.max_position_embeddings = 1048576;
    const ll::PositionEncoding pe(ll::parse_scaling_spec("none"), base);
    const ll::RopeFrequencies f = pe.frequencies(1048576);
    ASSERT_EQ(f.inv_freq.size(), 64u);
    const int64_t pos = 1048575;
    for (size_t i = 0; i < f.inv_freq.size(); ++i) {
        const double exact_freq = std::pow(1e9, -2.0 * i / 128);
        EXPECT_NEAR(f.inv_freq[i], exact_freq, 2e-7 * exact_freq) << "pair " << i;
        const float angle = static_cast<float>(pos) * f.inv_freq[i];
        const double exact = static_cast<double>(pos) * exact_freq;
        EXPECT_NEAR(angle, exact, 3e-7 * exact) << "pair " << i;
    }
    EXPECT_LT(f.inv_freq.back(), 2e-9f);  // no underflow: the slowest pair still turns
    EXPECT_GT(f.inv_freq.back(), 1e-9f);
}

// ---------------------------------------------------------------- refusals

class Scratch {
  public:
    Scratch() {
        static int counter = 0;
        dir_ = fs::temp_directory_path() /
               ("longlens-arch-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(dir_);
    }
    ~Scratch() { fs::remove_all(dir_); }
    fs::path copy_dir(const std::string& source) const {
        fs::path out = dir_ / "model";
        fs::copy(source, out);
        for (const auto& e : fs::directory_iterator(out))
            fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write);
        return out;
    }
    fs::path dir() const { return dir_; }

  private:
    fs::path dir_;
};

void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(bytes.data(), bytes.size());
}

void expect_refused(const std::string& path, const std::vector<std::string>& words) {
    try {
        ll::Model::load(path);
        ADD_FAILURE() << "loaded " << path;
    } catch (const ll::EngineError& e) {
        for (const std::string& w : words)
            EXPECT_NE(std::string(e.what()).find(w), std::string::npos) << e.what();
    }
}

TEST(Architectures, RefusesUnsupportedArchitectureNamingItAndTheFile) {
    Scratch s;
    // A GGUF whose general.architecture says gemma3 (same length as xverse, so offsets hold).
    std::string bytes = lltest::read_text(gguf_path("xverse"));
    const size_t key = bytes.find("general.architecture");
    ASSERT_NE(key, std::string::npos);
    const size_t value = bytes.find("xverse", key);
    ASSERT_LT(value - key, 40u);
    bytes.replace(value, 6, "gemma3");
    const fs::path gguf = s.dir() / "gemma3.gguf";
    write_file(gguf, bytes);
    expect_refused(gguf.string(), {"gemma3", gguf.string(), "unsupported architecture"});

    const fs::path hf = s.copy_dir(hf_path("phi3"));
    json cfg = json::parse(lltest::read_text((hf / "config.json").string()));
    cfg["model_type"] = "mamba";
    write_file(hf / "config.json", cfg.dump());
    expect_refused(hf.string(),
                   {"mamba", (hf / "config.json").string(), "unsupported architecture"});
}

TEST(Architectures, RefusesMalformedConfigs) {
    {  // qwen3 without head_dim: transformers would assume 128; we refuse rather than guess
        Scratch s;
        const fs::path hf = s.copy_dir(hf_path("qwen3"));
        json cfg = json::parse(lltest::read_text((hf / "config.json").string()));
        cfg.erase("head_dim");
        write_file(hf / "config.json", cfg.dump());
        expect_refused(hf.string(), {"head_dim", (hf / "config.json").string()});
    }
    {  // qwen2 whose k/v heads disagree with its biases' shapes
        Scratch s;
        const fs::path hf = s.copy_dir(hf_path("qwen2"));
        std::string st = lltest::read_text((hf / "model.safetensors").string());
        uint64_t n = 0;
        std::memcpy(&n, st.data(), 8);
        json header = json::parse(st.substr(8, n));
        json& bias = header["model.layers.1.self_attn.q_proj.bias"];
        ASSERT_EQ(bias["shape"][0].get<int>(), 64);
        bias["shape"][0] = 32;  // half the rows, and half the bytes
        const auto offs = bias["data_offsets"].get<std::vector<int64_t>>();
        bias["data_offsets"][1] = offs[0] + (offs[1] - offs[0]) / 2;
        std::string text = header.dump();
        ASSERT_LE(text.size(), n);
        text.resize(n, ' ');
        st.replace(8, n, text);
        write_file(hf / "model.safetensors", st);
        expect_refused(hf.string(),
                       {"model.layers.1.self_attn.q_proj.bias", "shape 32", "expected 64"});
    }
    {  // phi3 whose fused qkv does not hold q, k and v for its heads
        Scratch s;
        const fs::path hf = s.copy_dir(hf_path("phi3"));
        json cfg = json::parse(lltest::read_text((hf / "config.json").string()));
        cfg["num_key_value_heads"] = 2;
        write_file(hf / "config.json", cfg.dump());
        expect_refused(hf.string(), {"qkv_proj", "expected 128"});
    }
}

TEST(Architectures, NotesSayWhatDiffersFromLlama) {
    auto notes_of = [](const std::string& path) {
        std::string all;
        for (const std::string& n : ll::architecture_notes(model_at(path).config()))
            all += n + "\n";
        return all;
    };
    EXPECT_NE(notes_of(gguf_path("qwen2")).find("q/k/v biases"), std::string::npos);
    EXPECT_NE(notes_of(hf_path("qwen3")).find("q/k RMSNorm"), std::string::npos);
    EXPECT_NE(notes_of(hf_path("qwen3")).find("head size 32"), std::string::npos);
    EXPECT_NE(notes_of(gguf_path("phi3")).find("fused qkv"), std::string::npos);
    EXPECT_NE(notes_of(gguf_path("phi3")).find("sliding window of 48"), std::string::npos);
    EXPECT_NE(notes_of(gguf_path("baichuan-alibi")).find("ALiBi"), std::string::npos);
    EXPECT_NE(notes_of(gguf_path("baichuan")).find("RoPE"), std::string::npos);
    EXPECT_EQ(notes_of(gguf_path("xverse")), "");
}

}  // namespace
