// longlens-cli as a user runs it: whole-pipeline checks against the fixtures.
#include <gtest/gtest.h>

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_process.h"
#include "shared_data.h"

namespace {

using Result = CliResult;

Result cli(const QStringList& args) {
    return run_cli(args);
}

QString shared(const char* rel) {
    return QString::fromStdString(lltest::shared_path(rel));
}

// The published greedy sample of stories260K: 256 tokens sampled after BOS (llama2.c's
// 256 steps sample one token at each of its 256 positions), the tokenizer's decode included.
TEST(Cli, GreedyGenerationReproducesThePublishedSample) {
    LL_REQUIRE_SHARED("fixtures/stories260K/greedy_from_bos.txt");
    const std::string want =
        lltest::read_text(lltest::shared_path("fixtures/stories260K/greedy_from_bos.txt"));
    for (const char* model : {"models/stories260K-hf", "models/gguf/stories260K-f32.gguf"}) {
        Result r = cli({"generate", "--model", shared(model), "--temp", "0", "-n", "256"});
        ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
        EXPECT_EQ(r.out.toStdString(), want) << model;
    }
}

// The same sampling with a seed is repeatable, and temperature changes the text.
TEST(Cli, SampledGenerationIsRepeatableWithASeed) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    QStringList args{"generate", "--model", shared("models/stories260K-hf"),
                     "--temp",   "1",       "-n",
                     "40",       "--seed",  "7"};
    Result a = cli(args), b = cli(args);
    ASSERT_EQ(a.exit_code, 0) << a.err.toStdString();
    EXPECT_EQ(a.out, b.out);
    args[args.indexOf("7")] = "8";
    EXPECT_NE(cli(args).out, a.out);
}

struct PerplexityCase {
    const char* fixture;
    const char* model;
    const char* config;
    const char* text;
    int length;
    QStringList scaling;
};

// `perplexity --json` reproduces the fixture's ppl within 0.1 % and writes per-position NLLs.
TEST(Cli, PerplexityMatchesTransformers) {
    LL_REQUIRE_SHARED("fixtures/ref-mini/reference.json");
    const std::vector<PerplexityCase> cases = {
        {"stories260K", "models/stories260K-hf", "none", "alice", 512, {}},
        {"stories260K",
         "models/gguf/stories260K-f32.gguf",
         "yarn_x4",
         "stories",
         2048,
         {"--scaling", "yarn:factor=4"}},
        {"stories260K",
         "models/stories260K-hf",
         "dynamic_x4",
         "stories",
         2048,
         {"--scaling", "dynamic:factor=4"}},
        {"ref-mini",
         "models/ref-mini",
         "theta_500k",
         "pride",
         1024,
         {"--scaling", "none", "--rope-theta", "500000"}},
        {"ref-mini",
         "models/ref-mini",
         "llama3_x4",
         "xiyouji",
         1024,
         {"--scaling", "llama3:factor=4,low=1,high=4"}},
        {"ref-mini",
         "models/ref-mini",
         "linear_x8",
         "civilcode",
         2048,
         {"--scaling", "linear:factor=8"}},
    };
    QTemporaryDir tmp;
    for (const PerplexityCase& c : cases) {
        std::ifstream in(
            lltest::shared_path(std::string("fixtures/") + c.fixture + "/reference.json"));
        const auto ref = nlohmann::json::parse(in);
        const auto& run =
            ref["configs"][c.config]["runs"][std::string(c.text) + "_L" + std::to_string(c.length)];
        const QString nll_out = tmp.filePath("nll.f32");
        QStringList args{"perplexity", "--model", shared(c.model), "--file",
                         QString::fromStdString(lltest::shared_path(
                             std::string("fixtures/") + c.fixture + "/text_" + c.text + ".txt")),
                         "--ctx", QString::number(c.length), "--json", "--nll-out", nll_out,
                         // The reference is float32 throughout; f16 keys and values (the
                         // default) move single positions by up to 0.2 nats.
                         "--kv", "f32"};
        args += c.scaling;
        Result r = cli(args);
        ASSERT_EQ(r.exit_code, 0) << c.config << ": " << r.err.toStdString();
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        EXPECT_EQ(o["tokens"].toInt(), c.length);
        const double want = run["ppl"].get<double>();
        EXPECT_NEAR(o["ppl"].toDouble(), want, 1e-3 * want) << c.config << " " << c.text;
        EXPECT_NEAR(o["mean_nll"].toDouble(), run["mean_nll"].get<double>(), 2e-4) << c.config;
        const auto got = lltest::read_binary<float>(nll_out.toStdString());
        const auto ref_nll = lltest::read_binary<float>(
            lltest::shared_path(std::string("fixtures/") + c.fixture + "/nll_" + c.config + "_" +
                                c.text + "_L" + std::to_string(c.length) + ".f32"));
        ASSERT_EQ(got.size(), ref_nll.size());
        double max_err = 0;
        for (size_t i = 0; i < got.size(); ++i)
            max_err = std::max<double>(max_err, std::abs(got[i] - ref_nll[i]));
        EXPECT_LE(max_err, 2e-3) << c.config;
    }
}

TEST(Cli, TokenizeMatchesTheReferenceCases) {
    LL_REQUIRE_SHARED("fixtures/ref-mini/reference.json");
    std::ifstream in(lltest::shared_path("fixtures/ref-mini/reference.json"));
    const auto ref = nlohmann::json::parse(in);
    int checked = 0;
    for (const auto& c : ref["tokenizer_cases"]) {
        Result r = cli({"tokenize", "--model", shared("models/ref-mini"), "--text",
                        QString::fromStdString(c["text"].get<std::string>())});
        ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
        std::string want;
        for (const auto& id : c["ids"])
            want += (want.empty() ? "" : " ") + std::to_string(id.get<int>());
        EXPECT_EQ(r.out.trimmed().toStdString(), want) << c["text"];
        if (++checked == 5)
            break;  // the tokenizer's own tests cover all cases; this checks the CLI path
    }
}

TEST(Cli, InfoReportsTheEffectiveConfiguration) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    Result r =
        cli({"info", "--model", shared("models/ref-mini"), "--scaling", "yarn:factor=8", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    QJsonObject o = QJsonDocument::fromJson(r.out).object();
    EXPECT_EQ(o["architecture"].toString(), "llama");
    EXPECT_EQ(o["trained_window"].toInt(), 256);
    EXPECT_EQ(o["kv_heads"].toInt(), 2);
    QJsonObject e = o["effective"].toObject();
    EXPECT_EQ(e["method"].toString(), "yarn");
    EXPECT_EQ(e["effective_window"].toDouble(), 2048);
    EXPECT_NEAR(e["attention_factor"].toDouble(), 0.1 * std::log(8.0) + 1, 1e-9);

    // Past the trained window with no scaling: a warning.
    r = cli({"info", "--model", shared("models/ref-mini"), "--ctx", "2048", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err.toStdString();
    EXPECT_FALSE(QJsonDocument::fromJson(r.out)
                     .object()["effective"]
                     .toObject()["warnings"]
                     .toArray()
                     .isEmpty());
}

TEST(Cli, RefusesBadInputWithAClearMessage) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    Result r = cli({"generate", "--model", "/no/such/model"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("/no/such/model")) << r.err.toStdString();
    r = cli({"perplexity", "--model", shared("models/ref-mini"), "--file",
             shared("fixtures/ref-mini/text_pride.txt"), "--ctx", "64", "--scaling",
             "yarn:factor=-1"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("--scaling")) << r.err.toStdString();
    // A context that cannot fit is refused before anything runs, with the estimate.
    r = cli({"generate", "--model", shared("models/ref-mini"), "-n", "16000000"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.err.contains("memory") && r.err.contains("GiB")) << r.err.toStdString();
    r = cli({"info", "--model", shared("models/ref-mini"), "--ctx", "16000000", "--json"});
    EXPECT_FALSE(QJsonDocument::fromJson(r.out).object()["memory"].toObject()["fits"].toBool());
    r = cli({"no-such-command"});
    EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
