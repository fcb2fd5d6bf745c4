// Session behaviour beyond single forward passes: chunking, cancellation, truncation,
// sampling and attention capture, on the real stories260K model.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <cmath>
#include <numeric>

#include "error.h"
#include "model.h"
#include "sampler.h"
#include "session.h"
#include "shared_data.h"

namespace {

const ll::Model& stories() {
    static auto m = ll::Model::load(lltest::shared_path("models/stories260K-hf"));
    return *m;
}

ll::PositionEncoding default_positions(const ll::Model& m) {
    return ll::PositionEncoding(m.config().scaling, m.config().rope);
}

std::vector<int32_t> alice_tokens(size_t n) {
    auto t = lltest::read_binary<int32_t>(lltest::shared_path("fixtures/stories260K/tokens_alice.i32"));
    t.resize(n);
    return t;
}

TEST(Session, ChunkSizeDoesNotChangeTheResult) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const auto tokens = alice_tokens(300);
    std::vector<std::vector<float>> results;
    for (int64_t chunk : {1, 7, 64, 300}) {
        ll::Session s(stories(), default_positions(stories()), 512);
        ll::EvalOptions opt;
        opt.chunk = chunk;
        ASSERT_TRUE(s.eval(tokens, opt));
        results.emplace_back(s.logits().begin(), s.logits().end());
    }
    for (size_t r = 1; r < results.size(); ++r)
        for (size_t i = 0; i < results[0].size(); ++i) ASSERT_NEAR(results[r][i], results[0][i], 1e-4);
}

TEST(Session, CancelKeepsTheCompletedChunks) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const auto tokens = alice_tokens(400);
    ll::Session s(stories(), default_positions(stories()), 512);
    std::atomic<bool> cancel{false};
    ll::EvalOptions opt;
    opt.chunk = 100;
    opt.cancel = &cancel;
    opt.on_progress = [&](const ll::EvalProgress& p) {
        if (p.done >= 200) cancel = true;
    };
    EXPECT_FALSE(s.eval(tokens, opt));
    EXPECT_EQ(s.position(), 200);
    // The state is valid: continuing gives the same logits as one uninterrupted run.
    ASSERT_TRUE(s.eval(std::span(tokens).subspan(200)));
    ll::Session whole(stories(), default_positions(stories()), 512);
    ASSERT_TRUE(whole.eval(tokens));
    for (size_t i = 0; i < whole.logits().size(); ++i) ASSERT_NEAR(s.logits()[i], whole.logits()[i], 1e-4);
}

// A long prefill in one chunk stops when cancelled while it runs: cancel is checked between
// layers and heads, not only between chunks. The cancel is raised as soon as the eval has
// begun (no sleep, no clock in the verdict); the latency is printed for the record.
TEST(Session, CancelInsideALongChunkReturnsPromptly) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    auto model = ll::Model::load(lltest::shared_path("models/ref-mini"));
    auto text = lltest::read_binary<int32_t>(lltest::shared_path("fixtures/ref-mini/tokens_pride.i32"));
    std::vector<int32_t> tokens;
    while (tokens.size() < 4096) tokens.insert(tokens.end(), text.begin(), text.end());
    tokens.resize(4096);
    ll::Session s(*model, default_positions(*model), 4096);
    std::atomic<bool> cancel{false};
    std::atomic<bool> started{false};
    ll::EvalOptions opt;
    opt.chunk = 4096;  // one chunk: once it runs, only the in-pass checks can stop it
    opt.cancel = &cancel;
    using Clock = std::chrono::steady_clock;
    Clock::time_point requested;
    std::thread canceller([&] {
        while (!started.load()) std::this_thread::yield();
        requested = Clock::now();
        cancel = true;
    });
    started = true;
    const bool finished = s.eval(tokens, opt);
    const auto returned = Clock::now();
    canceller.join();
    EXPECT_FALSE(finished) << "4096 tokens read to the end despite the cancel";
    EXPECT_EQ(s.position(), 0);  // the interrupted chunk is not counted
    std::printf("cancel latency: %.3f s\n",
                std::chrono::duration<double>(returned - requested).count());
    // The session is still usable.
    ASSERT_TRUE(s.eval(std::span(tokens).first(32)));
    EXPECT_EQ(s.position(), 32);
}

TEST(Session, TruncateThenReplayGivesTheSameLogits) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const auto tokens = alice_tokens(120);
    ll::Session s(stories(), default_positions(stories()), 512);
    ASSERT_TRUE(s.eval(tokens));
    std::vector<float> first(s.logits().begin(), s.logits().end());
    s.truncate(50);
    EXPECT_EQ(s.position(), 50);
    ASSERT_TRUE(s.eval(std::span(tokens).subspan(50)));
    for (size_t i = 0; i < first.size(); ++i) ASSERT_NEAR(s.logits()[i], first[i], 1e-5);
}

TEST(Session, RefusesToRunPastItsContext) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    ll::Session s(stories(), default_positions(stories()), 64);
    EXPECT_THROW(s.eval(alice_tokens(65)), ll::EngineError);
    EXPECT_EQ(s.position(), 0);
}

TEST(Session, AttentionCaptureRowsAreDistributions) {
    LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
    const auto tokens = alice_tokens(200);
    ll::Session s(stories(), default_positions(stories()), 512);
    ll::AttentionCapture capture;
    capture.layers = {3, 4};
    capture.from_position = 150;
    s.set_attention_capture(&capture);
    ll::EvalOptions opt;
    opt.chunk = 64;
    ASSERT_TRUE(s.eval(tokens, opt));
    ASSERT_EQ(capture.rows.size(), 50u);
    for (size_t i = 0; i < capture.rows.size(); ++i) {
        EXPECT_EQ(capture.positions[i], static_cast<int64_t>(150 + i));
        ASSERT_EQ(capture.rows[i].size(), 151 + i);
        const double sum = std::accumulate(capture.rows[i].begin(), capture.rows[i].end(), 0.0);
        EXPECT_NEAR(sum, 1.0, 1e-4);
    }
}

TEST(Sampler, GreedyAndSeededSampling) {
    std::vector<float> logits = {0.1f, 2.0f, 1.9f, -1.0f};
    ll::Sampler greedy({0.0f, 0, 1.0f, 1});
    EXPECT_EQ(greedy.sample(logits), 1);
    ll::Sampler a({1.0f, 0, 1.0f, 5}), b({1.0f, 0, 1.0f, 5});
    std::vector<int> counts(4);
    for (int i = 0; i < 2000; ++i) {
        int32_t x = a.sample(logits);
        EXPECT_EQ(x, b.sample(logits));
        counts[x]++;
    }
    EXPECT_GT(counts[1], counts[0]);
    EXPECT_GT(counts[2], counts[3]);
    // top-k 2 never picks the others; top-p small keeps only the best.
    ll::Sampler k2({1.0f, 2, 1.0f, 9}), p0({1.0f, 0, 0.01f, 9});
    for (int i = 0; i < 500; ++i) {
        int32_t x = k2.sample(logits);
        EXPECT_TRUE(x == 1 || x == 2);
        EXPECT_EQ(p0.sample(logits), 1);
    }
}

}  // namespace
