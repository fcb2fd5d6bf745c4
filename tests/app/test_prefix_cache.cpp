// The document KV cache on disk, with a real model (ref-mini): a second answerer — as after a
// restart — loads the document prefix instead of prefilling it and answers the same; a
// tampered, truncated or foreign cache file is refused, reported, and rebuilt.
#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>

#include <sys/stat.h>

#include "model.h"
#include "qa/answer.h"
#include "qa/prefix_cache.h"
#include "scaling_spec.h"
#include "shared_data.h"

namespace {

const char* kModel = "models/ref-mini/config.json";
const char* kPride = "fixtures/ref-mini/text_pride.txt";

const ll::Model& ref_mini() {
    static auto m = ll::Model::load(lltest::shared_path("models/ref-mini"));
    return *m;
}

ll::PositionEncoding positions(const std::string& spec = {}) {
    const ll::ScalingSpec s =
        spec.empty() ? ref_mini().config().scaling : ll::parse_scaling_spec(spec);
    return ll::PositionEncoding(s, ref_mini().config().rope);
}

// About 150 tokens of Pride and Prejudice: the whole document fits ref-mini's window.
ll::Document document() {
    ll::Document doc;
    doc.text = QString::fromStdString(lltest::read_text(lltest::shared_path(kPride))).mid(1, 600);
    doc.index_lines();
    return doc;
}

ll::AnswerOptions options() {
    ll::AnswerOptions o;
    o.frame = ll::PromptFrame{"", "\n\nQuestion: ", "\nAnswer:", {}};
    o.max_answer_tokens = 12;
    return o;
}

// Asks with a fresh answerer (nothing in memory), through the cache in `dir` ("" = none).
ll::Answer ask_fresh(const ll::Document& doc, const QString& dir, const QString& question,
                     const std::string& spec = {}) {
    ll::DocumentAnswerer answerer(ref_mini(), positions(spec), 256, doc);
    answerer.set_prefix_cache(dir);
    return answerer.ask(question, options());
}

QStringList cache_files(const QString& dir) {
    QStringList files;
    for (const QString& name : QDir(dir).entryList({"*.llkv"}, QDir::Files))
        files << dir + "/" + name;
    return files;
}

class PrefixCacheTest : public ::testing::Test {
  protected:
    void SetUp() override {
        LL_REQUIRE_SHARED(kModel);
        LL_REQUIRE_SHARED(kPride);
        ASSERT_TRUE(dir_.isValid());
        doc_ = document();
        // Without a cache: the reference answer, every prompt token evaluated.
        plain_ = ask_fresh(doc_, {}, kSecond);
        ASSERT_EQ(plain_.timing.cache, ll::CacheUse::Off);
        // The first question writes the document prefix.
        const ll::Answer first = ask_fresh(doc_, dir(), "Who is Mrs. Bennet?");
        ASSERT_EQ(first.timing.cache, ll::CacheUse::Saved) << first.timing.cache_note.toStdString();
        ASSERT_EQ(first.timing.prefill_tokens, first.prompt_tokens);
        ASSERT_EQ(cache_files(dir()).size(), 1);
        file_ = cache_files(dir()).first();
    }

    // A second answerer asks another question: it must not prefill the document.
    void expect_loaded() {
        const ll::Answer a = ask_fresh(doc_, dir(), kSecond);
        EXPECT_EQ(a.timing.cache, ll::CacheUse::Loaded) << a.timing.cache_note.toStdString();
        EXPECT_GE(a.timing.reused_tokens, a.plan.tokens) << "the whole document came from disk";
        EXPECT_EQ(a.timing.prefill_tokens, a.prompt_tokens - a.timing.reused_tokens);
        EXPECT_LT(a.timing.prefill_tokens, 20) << "only the question is read";
        EXPECT_EQ(a.text, plain_.text);
    }

    // A refused file: reported, the prompt read in full, the same answer, the file rewritten.
    void expect_rebuilt(const char* reason) {
        const ll::Answer a = ask_fresh(doc_, dir(), kSecond);
        EXPECT_EQ(a.timing.cache, ll::CacheUse::Rebuilt);
        EXPECT_TRUE(a.timing.cache_note.contains(reason)) << a.timing.cache_note.toStdString();
        EXPECT_TRUE(a.timing.cache_note.contains(file_)) << "the message names the file";
        EXPECT_EQ(a.timing.reused_tokens, 0);
        EXPECT_EQ(a.timing.prefill_tokens, a.prompt_tokens);
        EXPECT_EQ(a.text, plain_.text);
        expect_loaded();
    }

    QString dir() const { return dir_.path(); }

    static constexpr const char* kSecond = "What did Mr. Bennet say?";
    QTemporaryDir dir_;
    ll::Document doc_;
    ll::Answer plain_;
    QString file_;
};

TEST_F(PrefixCacheTest, ASecondAnswererLoadsTheDocumentInsteadOfPrefillingIt) {
    expect_loaded();
}

TEST_F(PrefixCacheTest, TheSameAnswererKeepsThePrefixInMemory) {
    ll::DocumentAnswerer answerer(ref_mini(), positions(), 256, doc_);
    answerer.set_prefix_cache(dir());
    ASSERT_EQ(answerer.ask("Who is Mrs. Bennet?", options()).timing.cache, ll::CacheUse::Loaded);
    const ll::Answer a = answerer.ask(kSecond, options());
    EXPECT_EQ(a.timing.cache, ll::CacheUse::InMemory);
    EXPECT_EQ(a.text, plain_.text);
}

TEST_F(PrefixCacheTest, ATamperedFileIsRefusedAndRebuilt) {
    QFile f(file_);
    ASSERT_TRUE(f.open(QIODevice::ReadWrite));
    const qint64 middle = f.size() / 2;
    f.seek(middle);
    char byte = 0;
    ASSERT_TRUE(f.getChar(&byte));
    f.seek(middle);
    ASSERT_TRUE(f.putChar(char(byte ^ 0x20)));
    f.close();
    expect_rebuilt("checksum");
}

TEST_F(PrefixCacheTest, ATruncatedFileIsRefusedAndRebuilt) {
    QFile f(file_);
    ASSERT_TRUE(f.resize(f.size() * 2 / 3));
    expect_rebuilt("truncated");
}

// A FIFO where the cache file should be (it once made every later question on the
// document wait for a writer): refused by its type, removed and rebuilt.
TEST_F(PrefixCacheTest, AFifoInTheCacheSlotIsRefusedAndRebuilt) {
    ASSERT_TRUE(QFile::remove(file_));
    ASSERT_EQ(::mkfifo(file_.toLocal8Bit().constData(), 0600), 0);
    expect_rebuilt("not a regular file");
}

TEST_F(PrefixCacheTest, AFileOfAnotherConfigurationIsRefusedAndRebuilt) {
    // The same document and prompt under linear x2 scaling: a valid file, but its keys were
    // rotated otherwise. Put in place of ours, it must not be trusted.
    QTemporaryDir other;
    ASSERT_TRUE(other.isValid());
    const ll::Answer a = ask_fresh(doc_, other.path(), "Who is Mrs. Bennet?", "linear:factor=2");
    ASSERT_EQ(a.timing.cache, ll::CacheUse::Saved);
    ASSERT_EQ(cache_files(other.path()).size(), 1);
    ASSERT_NE(QFileInfo(cache_files(other.path()).first()).fileName(), QFileInfo(file_).fileName())
        << "another configuration has a file of its own";
    ASSERT_TRUE(QFile::remove(file_));
    ASSERT_TRUE(QFile::copy(cache_files(other.path()).first(), file_));
    expect_rebuilt("another model, configuration");
}

TEST_F(PrefixCacheTest, AnotherKvTypeHasAFileOfItsOwn) {
    // The fixture's answers run under the default type (f16); f32 is the other one.
    auto ask_f32 = [&] {
        ll::DocumentAnswerer answerer(ref_mini(), positions(), 256, doc_);
        answerer.set_kv_type(ll::KvType::F32);
        answerer.set_prefix_cache(dir());
        return answerer.ask(kSecond, options());
    };
    EXPECT_EQ(ask_f32().timing.cache, ll::CacheUse::Saved) << "not the f16 file, refused";
    EXPECT_EQ(cache_files(dir()).size(), 2);
    EXPECT_EQ(ask_f32().timing.cache, ll::CacheUse::Loaded);
    expect_loaded();  // the f16 file is still there
}

TEST_F(PrefixCacheTest, ClearingEmptiesTheFolderAndTheNextQuestionSavesAgain) {
    const ll::PrefixCache cache(dir());
    EXPECT_EQ(cache.files(), 1);
    EXPECT_EQ(cache.bytes(), QFileInfo(file_).size());
    EXPECT_EQ(cache.clear(), 1);
    EXPECT_EQ(cache.files(), 0);
    EXPECT_EQ(cache.bytes(), 0);
    EXPECT_EQ(ask_fresh(doc_, dir(), kSecond).timing.cache, ll::CacheUse::Saved);
    expect_loaded();
}

TEST_F(PrefixCacheTest, LengthDependentScalingDoesNotUseTheCache) {
    // Dynamic NTK rotates the document by the whole prompt's length: no prefix is reusable.
    const ll::Answer a = ask_fresh(doc_, dir(), kSecond, "dynamic:factor=2");
    EXPECT_EQ(a.timing.cache, ll::CacheUse::Off);
    EXPECT_EQ(a.timing.prefill_tokens, a.prompt_tokens);
}

// Issue 18 point 5: retrieved passages change from question to question, so their state is
// saved only when a plan comes back (an empty marker remembers it was asked once), and the
// folder is kept under the limit the user sets.
TEST_F(PrefixCacheTest, PassagePlansAreSavedOnlyWhenTheyComeBack) {
    QTemporaryDir passages;
    ll::AnswerOptions o = options();
    o.mode = ll::ContextMode::Retrieve;
    auto ask = [&](const QString& question) {
        ll::DocumentAnswerer answerer(ref_mini(), positions(), 256, doc_);
        answerer.set_prefix_cache(passages.path());
        return answerer.ask(question, o);
    };
    ll::Answer a = ask("Who is Mrs. Bennet?");
    EXPECT_EQ(a.timing.cache, ll::CacheUse::Off);
    EXPECT_TRUE(a.timing.cache_note.contains("asked again")) << a.timing.cache_note.toStdString();
    EXPECT_EQ(cache_files(passages.path()).size(), 0);
    a = ask("Who is Mrs. Bennet?");  // the same passages: now worth keeping
    EXPECT_EQ(a.timing.cache, ll::CacheUse::Saved) << a.timing.cache_note.toStdString();
    EXPECT_EQ(cache_files(passages.path()).size(), 1);
    a = ask("Who is Mrs. Bennet?");
    EXPECT_EQ(a.timing.cache, ll::CacheUse::Loaded);
    // The whole document (full mode) is saved the first time, as before (SetUp).
}

TEST_F(PrefixCacheTest, TheLimitComesFromTheEnvironment) {
    qputenv("LONGLENS_CACHE_LIMIT_MIB", "64");
    EXPECT_EQ(ll::default_prefix_cache_limit(), qint64(64) << 20);
    EXPECT_EQ(ll::PrefixCache(dir()).max_bytes(), qint64(64) << 20);
    qputenv("LONGLENS_CACHE_LIMIT_MIB", "lots");
    EXPECT_EQ(ll::default_prefix_cache_limit(), qint64(4) << 30);
    qunsetenv("LONGLENS_CACHE_LIMIT_MIB");
}

// The limit a user sets (the GUI's Document Cache dialog) is kept in the settings the CLI reads
// too, clamped to a sane range, overridden by the environment, and applied to open caches.
TEST(PrefixCacheLimit, TheUsersLimitIsKeptClampedAndApplied) {
    QTemporaryDir config, cache;
    // Qt fixes the settings folder at its first use (maybe an earlier test): the names make
    // the file this test's own, and it is removed at the end.
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    QCoreApplication::setOrganizationName("LongLensTest");
    QCoreApplication::setApplicationName("PrefixCacheLimit");
    QSettings().remove("cache/limit_mib");
    qunsetenv("LONGLENS_CACHE_LIMIT_MIB");
    const qint64 MiB = qint64(1) << 20;
    EXPECT_EQ(ll::default_prefix_cache_limit(), 4096 * MiB);
    const ll::PrefixCache open(cache.path());  // follows the setting from now on
    EXPECT_EQ(ll::set_prefix_cache_limit(1024 * MiB), 1024 * MiB);
    EXPECT_EQ(ll::default_prefix_cache_limit(), 1024 * MiB);
    EXPECT_EQ(open.max_bytes(), 1024 * MiB);
    EXPECT_EQ(ll::set_prefix_cache_limit(1), ll::kSmallestCacheLimit);
    EXPECT_EQ(ll::set_prefix_cache_limit(qint64(1) << 60), ll::kLargestCacheLimit);
    QSettings().setValue("cache/limit_mib", "lots");  // a hand-edited settings file
    EXPECT_EQ(ll::default_prefix_cache_limit(), 4096 * MiB);
    QSettings().setValue("cache/limit_mib", qint64(1) << 50);
    EXPECT_EQ(ll::default_prefix_cache_limit(), ll::kLargestCacheLimit);
    qputenv("LONGLENS_CACHE_LIMIT_MIB", "300");
    EXPECT_TRUE(ll::prefix_cache_limit_from_environment());
    EXPECT_EQ(open.max_bytes(), 300 * MiB);
    qunsetenv("LONGLENS_CACHE_LIMIT_MIB");

    // Three readings of 200 MiB (sparse files), newest last: a 256 MiB limit keeps the newest.
    const QDateTime now = QDateTime::currentDateTime();
    for (int i = 0; i < 3; ++i) {
        QFile f(cache.filePath(QStringLiteral("%1-100.llkv").arg(i, 16, 10, QChar('0'))));
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        ASSERT_TRUE(f.resize(200 * MiB));
        ASSERT_TRUE(f.setFileTime(now.addSecs(i - 10), QFileDevice::FileModificationTime));
    }
    ll::set_prefix_cache_limit(1024 * MiB);
    open.evict();
    EXPECT_EQ(open.files(), 3);
    ll::set_prefix_cache_limit(256 * MiB);
    open.evict();
    EXPECT_EQ(cache_files(cache.path()), QStringList{cache.filePath("0000000000000002-100.llkv")});
    QSettings().remove("cache/limit_mib");
}

}  // namespace
