// Smoke test of longlens-bench (no timing assertions: speed is measured, not tested):
// make-model writes a small random GGUF the engine loads, and speed reports parse.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace {

const std::string kBench = std::string(LONGLENS_BINARY_DIR) + "/bench/longlens-bench";

// Runs a command; returns its stdout, and its exit status through `status`.
std::string run(const std::string& cmd, int& status) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return out;
    std::array<char, 4096> buf;
    while (size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    status = pclose(p);
    return out;
}

class BenchSmoke : public ::testing::TestWithParam<const char*> {};

TEST_P(BenchSmoke, MakeModelThenSpeedGivesJson) {
    ASSERT_TRUE(std::filesystem::exists(kBench)) << kBench;
    const std::string type = GetParam();
    const auto model =
        std::filesystem::temp_directory_path() /
        ("longlens-bench-smoke-" + type + "-" + std::to_string(::getpid()) + ".gguf");
    int status = -1;
    const std::string made = run(kBench + " make-model --shape small --type " + type + " --out " +
                                     model.string() + " --json",
                                 status);
    ASSERT_EQ(status, 0) << made;
    EXPECT_EQ(nlohmann::json::parse(made).at("tensors").get<int>(), 39);

    const std::string out = run(kBench + " speed --model " + model.string() +
                                    " --prompt-tokens 12 --gen-tokens 3 --threads 2 --json",
                                status);
    std::filesystem::remove(model);
    ASSERT_EQ(status, 0) << out;
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j.at("study"), "speed");
    EXPECT_EQ(j.at("prompt_tokens"), 12);
    EXPECT_EQ(j.at("gen_tokens"), 3);
    EXPECT_GT(j.at("prefill_tok_s").get<double>(), 0.0);
    EXPECT_GT(j.at("decode_tok_s").get<double>(), 0.0);
    EXPECT_GT(j.at("peak_rss_mib").get<double>(), 0.0);
    EXPECT_EQ(j.at("kv_bytes_per_token"), 2 * 4 * 128 * 4);  // layers x kv_dim x K,V x float
}

INSTANTIATE_TEST_SUITE_P(Types, BenchSmoke, ::testing::Values("q4_0", "q8_0", "f16"));

TEST(BenchSmokeSecondQuestion, SavesLoadsAndReportsBothPaths) {
    ASSERT_TRUE(std::filesystem::exists(kBench)) << kBench;
    const std::string tag = std::to_string(::getpid());
    const auto tmp = std::filesystem::temp_directory_path();
    const auto model = tmp / ("longlens-bench-smoke-2q-" + tag + ".gguf");
    const auto cache = tmp / ("longlens-bench-smoke-2q-" + tag + ".llkv");
    int status = -1;
    const std::string made = run(
        kBench + " make-model --shape small --type q8_0 --out " + model.string() + " --json", status);
    ASSERT_EQ(status, 0) << made;
    const std::string out =
        run(kBench + " second-question --model " + model.string() + " --cache-file " +
                cache.string() + " --prompt-tokens 40 --question-tokens 5 --threads 1 --json",
            status);
    std::filesystem::remove(model);
    ASSERT_EQ(status, 0) << out;
    EXPECT_FALSE(std::filesystem::exists(cache)) << "the bench removes its cache file";
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j.at("study"), "second-question");
    EXPECT_EQ(j.at("document_tokens"), 40);
    // 40 tokens x 4 layers x K,V x 128 floats, plus header, tokens and logits.
    EXPECT_GT(j.at("cache_file_mib").get<double>() * (1 << 20), 40.0 * 4 * 2 * 128 * 4);
    EXPECT_GT(j.at("second_question_first_token_s").get<double>(), 0.0);
    EXPECT_GT(j.at("first_question_first_token_s").get<double>(), 0.0);
}

}  // namespace

// Absurd sizes and counts are refused naming the option, never a crash (a zero-width
// matrix once divided by zero).
TEST(BenchOptions, AbsurdSizesAreRefusedNamingTheOption) {
    for (const char* args : {"--cols 0", "--rows -5", "--reps 0", "--cols 12x", "--threads abc"}) {
        int status = -1;
        const std::string out = run(kBench + " kernels --types q4_0 " + args + " 2>&1", status);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << args << ": " << out;
        const std::string option = std::string(args).substr(0, std::string(args).find(' '));
        EXPECT_NE(out.find(option + ":"), std::string::npos) << args << ": " << out;
    }
}
