// longlens-cli info, perplexity and ask on one file of every architecture the engine runs
// (the tiny models in tests/engine/data/arch; test_architectures checks their numbers).
#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_process.h"

namespace {

const std::string kData = LONGLENS_ARCH_DATA;

using Result = CliResult;

Result cli(const QStringList& args) {
    return run_cli(args);
}

QJsonObject json_of(const Result& r) {
    return QJsonDocument::fromJson(r.out).object();
}

nlohmann::json reference(const std::string& fixture) {
    std::ifstream in(kData + "/" + fixture + "/reference.json");
    return nlohmann::json::parse(in);
}

// fixture, the file the CLI opens (GGUF for all; HF where stored), architecture name.
struct Model {
    std::string fixture, path, architecture;
};

std::vector<Model> models() {
    std::vector<Model> out;
    for (const char* f :
         {"llama3", "qwen2", "qwen3", "phi3", "baichuan", "baichuan-alibi", "xverse"}) {
        const std::string fx = f, arch = fx == "llama3" ? "llama" : fx.substr(0, fx.find('-'));
        out.push_back({fx, kData + "/" + fx + "/" + fx + ".gguf", arch});
    }
    for (const char* f : {"llama3", "qwen2", "qwen3", "phi3"})
        out.push_back({f, kData + "/" + f + "/hf", std::string(f) == "llama3" ? "llama" : f});
    return out;
}

TEST(CliArchitectures, InfoDescribesEachArchitecture) {
    for (const Model& m : models()) {
        SCOPED_TRACE(m.path);
        const Result r = cli({"info", "--model", QString::fromStdString(m.path), "--json"});
        ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
        const QJsonObject o = json_of(r);
        EXPECT_EQ(o["architecture"].toString().toStdString(), m.architecture);
        const QJsonArray notes = o["architecture_notes"].toArray();
        EXPECT_EQ(notes.isEmpty(), m.architecture == "llama" || m.architecture == "xverse");
        if (m.architecture == "phi3") {  // described at its effective window: the long list
            const QJsonObject e = o["effective"].toObject();
            EXPECT_EQ(e["longrope_list"].toString(), "long");
            const auto want = reference("phi3")["spec"]["rope"]["long_factor"];
            ASSERT_EQ(e["longrope_factors"].toArray().size(), static_cast<qsizetype>(want.size()));
            for (size_t i = 0; i < want.size(); ++i)
                EXPECT_FLOAT_EQ(e["longrope_factors"].toArray()[i].toDouble(),
                                want[i].get<double>());
        }
    }
}

// The CLI tokenizes the text itself: for every model whose file carries its tokenizer's
// scores this is the tokenization transformers used, so the mean NLL is the reference's.
// XVERSE's converter writes no scores, so its text tokenizes differently (stated, not compared).
TEST(CliArchitectures, PerplexityMatchesTransformers) {
    for (const Model& m : models()) {
        SCOPED_TRACE(m.path);
        const Result r =
            cli({"perplexity", "--model", QString::fromStdString(m.path), "--file",
                 QString::fromStdString(kData + "/text_train.txt"), "--ctx", "256", "--json"});
        ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
        const QJsonObject o = json_of(r);
        EXPECT_EQ(o["tokens"].toInt(), 256);
        const double nll = o["mean_nll"].toDouble();
        if (m.fixture == "xverse") {
            EXPECT_TRUE(std::isfinite(nll) && nll > 0);
        } else {
            EXPECT_NEAR(nll, reference(m.fixture)["runs"]["train_L256"]["mean_nll"].get<double>(),
                        2e-4);
        }
    }
}

TEST(CliArchitectures, AskAnswersWithEveryArchitecture) {
    for (const Model& m : models()) {
        SCOPED_TRACE(m.path);
        const Result r = cli({"ask", "--model", QString::fromStdString(m.path), "--doc",
                              QString::fromStdString(kData + "/text_heldout.txt"), "--no-cache",
                              "--json", "Who is Alice?"});
        ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
        const QJsonObject o = json_of(r);
        EXPECT_TRUE(o["answer"].isString());
        // A window too small for any passage beside the model's own chat frame (the tiny
        // qwen3/baichuan/xverse fixtures) is not answered from nothing: it says why instead.
        const QString thin = o["context"].toObject()["thin"].toString();
        if (o["context"].toObject()["tokens"].toInt() == 0) {
            EXPECT_TRUE(thin.contains("No part of the document fits")) << thin.toStdString();
            EXPECT_EQ(o["timing"].toObject()["decode_tokens"].toInt(), 0);
        } else {
            EXPECT_GT(o["timing"].toObject()["decode_tokens"].toInt(), 0);
        }
    }
}

}  // namespace
