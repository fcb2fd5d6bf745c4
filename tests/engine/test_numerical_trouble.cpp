// Numerical trouble is reported, not turned into "⁇" (issue 21 §5): NaN or infinite values
// in a pass stop it with an EngineError naming the model and the first layer where they
// appear; a broken RMSNorm epsilon, a tokenizer of another model, and safetensors whose
// data_offsets overlap or run backwards are refused at load, naming what is wrong.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include "error.h"
#include "model.h"
#include "safetensors_reader.h"
#include "session.h"
#include "shared_data.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A scratch copy of stories260K-hf (F32 safetensors, 5 layers, 512 tokens) to damage.
class Scratch {
  public:
    Scratch() {
        dir_ = fs::temp_directory_path() / ("longlens-numeric-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(counter_++));
        fs::create_directories(dir_);
        for (const auto& e : fs::directory_iterator(lltest::shared_path("models/stories260K-hf")))
            fs::copy_file(e.path(), dir_ / e.path().filename());
        for (const auto& e : fs::directory_iterator(dir_))
            fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write);
        weights_ = lltest::read_text((dir_ / "model.safetensors").string());
        std::memcpy(&header_len_, weights_.data(), 8);
        header_ = json::parse(weights_.substr(8, header_len_));
    }
    ~Scratch() { fs::remove_all(dir_); }

    std::string path() const { return dir_.string(); }
    std::string weights_file() const { return (dir_ / "model.safetensors").string(); }

    // Every value of the tensor `name` becomes NaN (all bits set is a NaN in F32).
    void poison(const std::string& name) {
        const json& offs = header_.at(name).at("data_offsets");
        const size_t begin = 8 + header_len_ + offs[0].get<size_t>();
        const size_t end = 8 + header_len_ + offs[1].get<size_t>();
        std::string bytes = weights_;
        std::memset(bytes.data() + begin, 0xFF, end - begin);
        write("model.safetensors", bytes);
    }
    // The same data under a header with `edit` applied.
    void rewrite_header(const std::function<void(json&)>& edit) {
        json h = header_;
        edit(h);
        std::string text = h.dump();
        text.append((8 - text.size() % 8) % 8, ' ');
        const uint64_t n = text.size();
        std::string bytes(reinterpret_cast<const char*>(&n), 8);
        write("model.safetensors", bytes + text + weights_.substr(8 + header_len_));
    }
    void write(const std::string& name, const std::string& bytes) const {
        std::ofstream(dir_ / name, std::ios::binary | std::ios::trunc)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    json config() const { return json::parse(lltest::read_text((dir_ / "config.json").string())); }

  private:
    static inline int counter_ = 0;
    fs::path dir_;
    std::string weights_;
    uint64_t header_len_ = 0;
    json header_;
};

// Evaluates a few tokens; the error's text, or "" when the pass went through.
std::string eval_error(const ll::Model& m) {
    ll::Session s(m, ll::PositionEncoding(m.config().scaling, m.config().rope), 64);
    const std::vector<int32_t> tokens = m.tokenizer().encode("Once upon a time");
    try {
        s.eval(tokens);
    } catch (const ll::EngineError& e) {
        EXPECT_EQ(s.position(), 0);  // the failed chunk is not counted
        return e.what();
    }
    return "";
}

std::string load_error(const std::string& path) {
    try {
        ll::Model::load(path);
    } catch (const ll::EngineError& e) {
        return e.what();
    }
    return "";
}

TEST(NumericalTrouble, NanWeightsStopThePassNamingModelAndLayer) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    Scratch m;
    m.poison("model.layers.2.mlp.down_proj.weight");
    const std::string error = eval_error(*ll::Model::load(m.path()));
    EXPECT_EQ(error.rfind(m.path() + ": ", 0), 0u) << error;
    EXPECT_NE(error.find("NaN or infinite values after layer 2 (of 5 layers"), std::string::npos)
        << error;
}

TEST(NumericalTrouble, NanInTheFinalNormIsFoundInTheOutputLayer) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    Scratch m;
    m.poison("model.norm.weight");
    const std::string error = eval_error(*ll::Model::load(m.path()));
    EXPECT_NE(error.find("NaN or infinite values in the output layer"), std::string::npos) << error;
}

TEST(NumericalTrouble, AHealthyModelPasses) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    Scratch m;
    EXPECT_EQ(eval_error(*ll::Model::load(m.path())), "");
}

TEST(NumericalTrouble, ABrokenEpsilonIsRefusedAtLoad) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    Scratch m;
    for (double eps : {-1e-5, 1e30}) {
        json c = m.config();
        c["rms_norm_eps"] = eps;
        m.write("config.json", c.dump());
        const std::string error = load_error(m.path());
        EXPECT_NE(error.find("RMSNorm epsilon"), std::string::npos) << eps << ": " << error;
    }
}

// llama2's sentencepiece tokenizer (32000 pieces) beside stories260K's 512-row embedding.
TEST(NumericalTrouble, ATokenizerOfAnotherModelIsRefusedNamingBothSizes) {
    LL_REQUIRE_SHARED("models/llama2-tokenizer/tokenizer.model");
    Scratch m;
    m.write("tokenizer.model",
            lltest::read_text(lltest::shared_path("models/llama2-tokenizer/tokenizer.model")));
    const std::string error = load_error(m.path());
    EXPECT_EQ(error.rfind(m.path() + ": ", 0), 0u) << error;
    EXPECT_NE(error.find("the tokenizer has 32000 tokens but the embedding has 512 rows"),
              std::string::npos)
        << error;
}

TEST(NumericalTrouble, OverlappingSafetensorsRangesAreRefused) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    Scratch m;
    // The q projection of layer 0 moved half onto the k projection's bytes.
    std::string moved;
    m.rewrite_header([&](json& h) {
        json& q = h["model.layers.0.self_attn.q_proj.weight"]["data_offsets"];
        const json& k = h["model.layers.0.self_attn.k_proj.weight"]["data_offsets"];
        const uint64_t size = q[1].get<uint64_t>() - q[0].get<uint64_t>();
        const uint64_t start = k[0].get<uint64_t>() + 4;
        q = {start, start + size};
        moved = "[" + std::to_string(start) + ", " + std::to_string(start + size) + ")";
    });
    const std::string error = load_error(m.path());
    EXPECT_EQ(error.rfind(m.weights_file() + ": ", 0), 0u) << error;
    EXPECT_NE(error.find("overlaps tensor"), std::string::npos) << error;
    EXPECT_NE(error.find("model.layers.0.self_attn.q_proj.weight' (data_offsets " + moved),
              std::string::npos)
        << error;
}

TEST(NumericalTrouble, BackwardsSafetensorsRangesAreRefused) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    Scratch m;
    m.rewrite_header([](json& h) {
        json& o = h["model.norm.weight"]["data_offsets"];
        o = {o[1], o[0]};
    });
    const std::string error = load_error(m.path());
    EXPECT_NE(error.find("tensor 'model.norm.weight' has data_offsets out of order"),
              std::string::npos)
        << error;
}

}  // namespace
