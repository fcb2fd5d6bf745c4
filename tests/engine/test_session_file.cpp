// The document KV cache on disk: a restored session continues exactly where the saved one
// stopped, and a cache from another model, configuration or a damaged file is refused.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_process.h"
#include "error.h"
#include "model.h"
#include "session.h"
#include "session_file.h"
#include "shared_data.h"

namespace {

namespace fs = std::filesystem;

const ll::Model& stories() {
    static auto m = ll::Model::load(lltest::shared_path("models/stories260K-hf"));
    return *m;
}

std::unique_ptr<ll::Session> new_session(const ll::Model& m, int64_t ctx = 512,
                                         ll::KvType kv = ll::KvType::F32) {
    return std::make_unique<ll::Session>(
        m, ll::PositionEncoding(m.config().scaling, m.config().rope), ctx, kv);
}

std::vector<int32_t> tokens(size_t n) {
    auto t =
        lltest::read_binary<int32_t>(lltest::shared_path("fixtures/stories260K/tokens_alice.i32"));
    t.resize(n);
    return t;
}

class SessionFile : public testing::Test {
  protected:
    void SetUp() override {
        LL_REQUIRE_SHARED("models/stories260K-hf/config.json");
        path_ =
            (fs::temp_directory_path() / ("longlens-kv-" + std::to_string(::getpid()) + ".llkv"))
                .string();
        auto s = new_session(stories());
        ASSERT_TRUE(s->eval(std::span(all_).first(300)));
        ll::save_session(*s, path_, fingerprint_);
    }
    void TearDown() override { fs::remove(path_); }

    std::string expect_refused(ll::Session& s, const std::string& fingerprint) {
        try {
            ll::load_session(s, path_, fingerprint);
            ADD_FAILURE() << "a bad cache file was accepted";
        } catch (const ll::EngineError& e) {
            EXPECT_NE(std::string(e.what()).find(path_), std::string::npos) << e.what();
            return e.problem();
        }
        return "";
    }
    void corrupt(size_t offset, char value) {
        std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(offset));
        f.put(value);
    }

    std::vector<int32_t> all_ = tokens(320);
    std::string path_;
    std::string fingerprint_ = ll::model_fingerprint(stories()) + "|none|full|doc:abc";
};

TEST_F(SessionFile, RestoredSessionContinuesExactly) {
    auto restored = new_session(stories());
    ll::load_session(*restored, path_, fingerprint_);
    EXPECT_EQ(restored->position(), 300);
    EXPECT_EQ(restored->tokens(), std::vector<int32_t>(all_.begin(), all_.begin() + 300));
    ASSERT_TRUE(restored->eval(std::span(all_).subspan(300)));
    // The same two steps without the disk in between: bit for bit the same logits.
    auto whole = new_session(stories());
    ASSERT_TRUE(whole->eval(std::span(all_).first(300)));
    ASSERT_TRUE(whole->eval(std::span(all_).subspan(300)));
    for (size_t i = 0; i < whole->logits().size(); ++i)
        ASSERT_EQ(restored->logits()[i], whole->logits()[i]) << i;
}

// The disk fills while a longer prefix is saved over the cache (a child process under a
// file-size limit, SIGXFSZ ignored): the save throws naming the file, and the cache already
// there still loads and continues.
TEST_F(SessionFile, AFullDiskKeepsTheSavedCache) {
    auto longer = new_session(stories());
    ASSERT_TRUE(longer->eval(std::span(all_).first(320)));
    const lltest::ChildOutcome child = lltest::run_in_child([&](int report) {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{4096, 4096};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        try {
            ll::save_session(*longer, path_, fingerprint_);
        } catch (const ll::EngineError& e) {
            lltest::report(report, e.what());
            return 0;
        }
        return 1;  // the save claimed success
    });
    ASSERT_TRUE(child.exited);
    EXPECT_EQ(child.code, 0) << "the save claimed success";
    EXPECT_EQ(child.message.rfind(path_ + ": writing failed", 0), 0u) << child.message;
    auto restored = new_session(stories());
    ll::load_session(*restored, path_, fingerprint_);
    EXPECT_EQ(restored->position(), 300);
    for (const auto& e : fs::directory_iterator(fs::path(path_).parent_path()))  // no leftovers
        EXPECT_NE(e.path().string().rfind(path_ + ".", 0), 0u) << e.path();
}

TEST_F(SessionFile, RefusesAnotherFingerprint) {
    auto s = new_session(stories());
    EXPECT_NE(
        expect_refused(*s, fingerprint_ + "x").find("another model, configuration or document"),
        std::string::npos);
    EXPECT_EQ(s->position(), 0);
}

TEST_F(SessionFile, RefusesDamage) {
    auto s = new_session(stories());
    const size_t size = fs::file_size(path_);
    corrupt(size / 2, 0x55);
    EXPECT_NE(expect_refused(*s, fingerprint_).find("checksum"), std::string::npos);
    fs::resize_file(path_, size - 100);
    EXPECT_NE(expect_refused(*s, fingerprint_).find("truncated"), std::string::npos);
    corrupt(0, 'X');
    EXPECT_NE(expect_refused(*s, fingerprint_).find("not a LongLens cache"), std::string::npos);
    fs::resize_file(path_, 5);
    EXPECT_NE(expect_refused(*s, fingerprint_).find("too short"), std::string::npos);
    EXPECT_EQ(s->position(), 0);
}

TEST_F(SessionFile, RefusesAnotherModelsCache) {
    LL_REQUIRE_SHARED("models/ref-mini/config.json");
    auto other = ll::Model::load(lltest::shared_path("models/ref-mini"));
    auto s = new_session(*other);
    EXPECT_NE(expect_refused(*s, fingerprint_).find("another shape"), std::string::npos);
    EXPECT_NE(ll::model_fingerprint(*other), ll::model_fingerprint(stories()));
}

TEST_F(SessionFile, RefusesMoreTokensThanTheContext) {
    auto small = new_session(stories(), 100);
    EXPECT_NE(expect_refused(*small, fingerprint_).find("context"), std::string::npos);
}

// An f16 cache is saved as f16 rows and restored bit for bit: the continuation equals
// the one of a session that never went through the disk.
TEST_F(SessionFile, F16CacheContinuesExactly) {
    auto s = new_session(stories(), 512, ll::KvType::F16);
    ASSERT_TRUE(s->eval(std::span(all_).first(300)));
    ll::save_session(*s, path_, fingerprint_);
    EXPECT_EQ(fs::file_size(path_), 8 + 6 * 4 + 8 + fingerprint_.size() + 300 * 4 +
                                        stories().config().vocab_size * 4 +
                                        300 * s->kv_cache().bytes_per_token() + 8);
    auto restored = new_session(stories(), 512, ll::KvType::F16);
    ll::load_session(*restored, path_, fingerprint_);
    EXPECT_EQ(restored->kv_type(), ll::KvType::F16);
    ASSERT_TRUE(restored->eval(std::span(all_).subspan(300)));
    ASSERT_TRUE(s->eval(std::span(all_).subspan(300)));
    for (size_t i = 0; i < s->logits().size(); ++i)
        ASSERT_EQ(restored->logits()[i], s->logits()[i]) << i;
}

TEST_F(SessionFile, RefusesAnotherKvType) {
    auto f16 = new_session(stories(), 512, ll::KvType::F16);
    EXPECT_NE(expect_refused(*f16, fingerprint_)
                  .find("holds a KV cache of type f32, but the session uses f16"),
              std::string::npos);
    auto s = new_session(stories(), 512, ll::KvType::Q8_0);
    ASSERT_TRUE(s->eval(std::span(all_).first(40)));
    ll::save_session(*s, path_, fingerprint_);
    auto f32 = new_session(stories());
    EXPECT_NE(expect_refused(*f32, fingerprint_).find("q8_0"), std::string::npos);
    EXPECT_EQ(f32->position(), 0);
}

}  // namespace
