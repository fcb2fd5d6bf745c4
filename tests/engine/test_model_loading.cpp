// Model::load on real model directories and files, and on damaged copies of them made
// here: every problem must come back as an EngineError naming the file, never a crash.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "model.h"
#include "shared_data.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A scratch copy of a model directory that a test may damage.
class ScratchModel {
  public:
    explicit ScratchModel(const std::string& source) {
        static int counter = 0;
        dir_ = fs::temp_directory_path() /
               ("longlens-model-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(dir_);
        for (const auto& e : fs::directory_iterator(lltest::shared_path(source)))
            fs::copy_file(e.path(), dir_ / e.path().filename());
        for (const auto& e : fs::directory_iterator(dir_))
            fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write);
    }
    ~ScratchModel() { fs::remove_all(dir_); }

    std::string path() const { return dir_.string(); }
    fs::path file(const std::string& name) const { return dir_ / name; }

    std::string read(const std::string& name) const {
        return lltest::read_text(file(name).string());
    }
    void write(const std::string& name, const std::string& bytes) const {
        std::ofstream(file(name), std::ios::binary | std::ios::trunc)
            .write(bytes.data(), bytes.size());
    }
    json config() const { return json::parse(read("config.json")); }
    void set_config(const json& j) const { write("config.json", j.dump()); }

  private:
    fs::path dir_;
};

// Loading must fail with an EngineError whose message names `where` and contains `what`.
void expect_refused(const std::string& path, const std::string& where, const std::string& what) {
    try {
        ll::Model::load(path);
        ADD_FAILURE() << "loaded " << path << " although it is broken (" << what << ")";
    } catch (const ll::EngineError& e) {
        EXPECT_NE(std::string(e.what()).find(where), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
}

TEST(ModelLoading, ReadsStories260KDirectory) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    auto m = ll::Model::load(lltest::shared_path("models/stories260K-hf"));
    const ll::ModelConfig& c = m->config();
    EXPECT_EQ(m->format(), "safetensors");
    EXPECT_EQ(c.n_layers, 5);
    EXPECT_EQ(c.dim, 64);
    EXPECT_EQ(c.n_heads, 8);
    EXPECT_EQ(c.n_kv_heads, 4);
    EXPECT_EQ(c.head_dim, 8);
    EXPECT_EQ(c.trained_window, 512);
    EXPECT_TRUE(c.tied_embeddings);
    EXPECT_EQ(c.rope_layout, ll::RopeLayout::HalfSplit);
}

TEST(ModelLoading, GgufAndDirectoryDescribeTheSameModel) {
    LL_REQUIRE_SHARED("models/gguf/stories260K-f32.gguf");
    auto hf = ll::Model::load(lltest::shared_path("models/stories260K-hf"));
    auto gg = ll::Model::load(lltest::shared_path("models/gguf/stories260K-f32.gguf"));
    EXPECT_EQ(gg->format(), "gguf");
    EXPECT_EQ(gg->config().rope_layout, ll::RopeLayout::AdjacentPairs);
    for (auto field :
         {&ll::ModelConfig::n_layers, &ll::ModelConfig::dim, &ll::ModelConfig::ffn_dim,
          &ll::ModelConfig::n_heads, &ll::ModelConfig::n_kv_heads, &ll::ModelConfig::head_dim,
          &ll::ModelConfig::vocab_size, &ll::ModelConfig::trained_window})
        EXPECT_EQ(hf->config().*field, gg->config().*field);
    EXPECT_EQ(hf->tokenizer().encode("Once upon a time"),
              gg->tokenizer().encode("Once upon a time"));
}

TEST(ModelLoading, ReadsRefMiniWithRopeParameters) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    auto m = ll::Model::load(lltest::shared_path("models/ref-mini"));
    EXPECT_EQ(m->config().head_dim, 64);
    EXPECT_EQ(m->config().n_kv_heads, 2);
    EXPECT_EQ(m->config().trained_window, 256);
    EXPECT_EQ(m->config().scaling.method, "none");
    EXPECT_EQ(m->weights().embedding.type, ll::DType::BF16);
}

TEST(ModelLoading, RefusesWhatIsNotAModel) {
    LL_REQUIRE_SHARED("models/vocab/ggml-vocab-llama-spm.gguf");
    expect_refused("/nonexistent/model", "/nonexistent/model", "no such file");
    expect_refused(lltest::shared_path("models/vocab/ggml-vocab-llama-spm.gguf"),
                   "ggml-vocab-llama-spm.gguf", "missing tensor");
    expect_refused(lltest::shared_path("fixtures/stories260K/text_alice.txt"), "text_alice.txt",
                   "not a model");
    expect_refused(lltest::shared_path("models/llama2-tokenizer"), "llama2-tokenizer",
                   "config.json");
}

// FIFOs given as a model, or standing in a model folder for its config or tokenizer: refused
// by their type before anything opens them (an open would wait for a writer for ever).
TEST(ModelLoading, RefusesFifosWithoutWaiting) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const auto fifo = std::filesystem::temp_directory_path() /
                      ("longlens-fifo-" + std::to_string(::getpid()) + ".gguf");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    expect_refused(fifo.string(), fifo.filename().string(), "not a regular file");
    std::filesystem::remove(fifo);
    for (const char* name : {"config.json", "tokenizer.model"}) {
        ScratchModel m("models/stories260K-hf");
        const auto file = std::filesystem::path(m.path()) / name;
        std::filesystem::remove(file);
        ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
        expect_refused(m.path(), name, "not a regular file");
    }
}

TEST(ModelLoading, RefusesBrokenConfig) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    ScratchModel m("models/stories260K-hf");
    const json good = m.config();
    auto with = [&](const char* key, json value) {
        json j = good;
        j[key] = value;
        m.set_config(j);
    };
    m.write("config.json", "{ not json");
    expect_refused(m.path(), "config.json", "not valid JSON");
    with("num_hidden_layers", 1000000000);
    expect_refused(m.path(), m.path(), "layer count");
    with("hidden_size", -64);
    expect_refused(m.path(), "config.json", "out of range");
    with("hidden_size", "sixty-four");
    expect_refused(m.path(), "config.json", "not an integer");
    with("num_key_value_heads", 3);
    expect_refused(m.path(), m.path(), "grouped-query");
    with("model_type", "gpt2");
    expect_refused(m.path(), "config.json", "unsupported architecture");
    with("intermediate_size", 173);
    expect_refused(m.path(), m.path(), "expected 173x64");
    json j = good;
    j.erase("vocab_size");
    m.set_config(j);
    expect_refused(m.path(), "config.json", "vocab_size");
}

TEST(ModelLoading, RefusesDamagedSafetensors) {
    LL_REQUIRE_SHARED("models/stories260K-hf/model.safetensors");
    ScratchModel m("models/stories260K-hf");
    const std::string good = m.read("model.safetensors");
    uint64_t header_len = 0;
    std::memcpy(&header_len, good.data(), 8);
    const std::string st = "model.safetensors";

    // Truncated anywhere: in the length, in the header, in the data.
    for (size_t cut : {size_t{0}, size_t{3}, size_t{8}, size_t{20}, size_t(header_len / 2),
                       size_t(header_len + 7), size_t(header_len + 8 + 100), good.size() - 1}) {
        m.write(st, good.substr(0, cut));
        try {
            ll::Model::load(m.path());
            ADD_FAILURE() << "truncation at " << cut << " was accepted";
        } catch (const ll::EngineError& e) {
            EXPECT_NE(std::string(e.what()).find(st), std::string::npos) << e.what();
        }
    }
    // A header length that lies.
    std::string lying = good;
    uint64_t huge = ~0ull >> 1;
    std::memcpy(lying.data(), &huge, 8);
    m.write(st, lying);
    expect_refused(m.path(), st, "exceeds the file");

    // Edits inside the JSON header (same length, so offsets stay put).
    auto edit_header = [&](const std::string& from, const std::string& to) {
        std::string bytes = good;
        size_t at = bytes.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        ASSERT_LT(at, 8 + header_len);
        ASSERT_EQ(from.size(), to.size());
        bytes.replace(at, from.size(), to);
        m.write(st, bytes);
    };
    edit_header("\"F32\"", "\"I64\"");
    expect_refused(m.path(), st, "unsupported dtype");
    edit_header("[64]", "[65]");
    expect_refused(m.path(), st, "does not match its shape");
    edit_header("model.norm.weight", "model.norm.weighs");
    expect_refused(m.path(), m.path(), "missing tensor model.norm.weight");
    edit_header("\"data_offsets\":[0,", "\"data_offsets\":[9,");
    expect_refused(m.path(), st, "model.safetensors");
}

TEST(ModelLoading, SurvivesRandomBytes) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    ScratchModel m("models/stories260K-hf");
    const std::string good = m.read("model.safetensors");
    std::mt19937 rng(7);
    for (int trial = 0; trial < 200; ++trial) {
        std::string bytes = good;
        // Flip a few bytes in the first kilobyte, where the header lives.
        for (int k = 0; k < 4; ++k) bytes[rng() % 1024] = static_cast<char>(rng());
        m.write("model.safetensors", bytes);
        try {
            auto model = ll::Model::load(m.path());  // may still be valid: then it must be usable
            EXPECT_EQ(model->config().n_layers, 5);
        } catch (const ll::EngineError& e) {
            EXPECT_NE(std::string(e.what()).find(m.path()), std::string::npos) << e.what();
        }
    }
}

}  // namespace
