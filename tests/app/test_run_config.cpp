// RunConfig, the value that says how a model runs, and ModelRun, that value resolved against a
// real model (ref-mini): one place for the defaults, validation, the JSON an answer records,
// equality, the memory refusal, and the DocumentAnswerer it prepares.
#include <gtest/gtest.h>

#include <QJsonDocument>

#include <cstdlib>

#include "app_error.h"
#include "bundled.h"
#include "qa/model_run.h"
#include "qa/run_config.h"
#include "shared_data.h"

namespace {

const char* kModel = "models/ref-mini/config.json";
const char* kPride = "fixtures/ref-mini/text_pride.txt";

QString ref_mini_path() {
    return QString::fromStdString(lltest::shared_path("models/ref-mini"));
}

// Every field away from its default.
ll::RunConfig everything_set() {
    ll::RunConfig c;
    c.model_path = "/models/some.gguf";
    c.set_scaling("yarn:factor=4,beta_fast=16");
    c.rope_theta = 500000;
    c.set_attention("sinks:sinks=4,window=500");
    c.kv = ll::KvType::Q8_0;
    c.context = ll::ContextMode::Retrieve;
    c.window = 2048;
    c.threads = 3;
    return c;
}

TEST(RunConfig, DefaultsAreTheModelsOwnWithAnF16Cache) {
    const ll::RunConfig c;
    EXPECT_FALSE(c.scaling);
    EXPECT_FALSE(c.rope_theta);
    EXPECT_FALSE(c.attention);
    EXPECT_EQ(c.kv, ll::KvType::F16);
    EXPECT_EQ(c.kv, ll::kDefaultKvType);
    EXPECT_EQ(c.context, ll::ContextMode::Auto);
    EXPECT_EQ(c.window, 0);
    EXPECT_EQ(c.threads, 0);
    EXPECT_NO_THROW(c.validate());
}

TEST(RunConfig, JsonRoundTripKeepsEveryField) {
    const ll::RunConfig c = everything_set();
    const QJsonObject json = c.to_json();
    EXPECT_EQ(json["scaling"].toString(), "yarn:factor=4,beta_fast=16");
    EXPECT_EQ(json["attention"].toString(), "sinks:sinks=4,window=500");
    EXPECT_EQ(json["kv"].toString(), "q8_0");
    EXPECT_EQ(json["context"].toString(), "retrieve");
    // Through text, as an answer's record is stored.
    const QJsonObject read = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
    EXPECT_EQ(ll::RunConfig::from_json(read), c);
    const ll::RunConfig defaults;
    EXPECT_TRUE(defaults.to_json()["scaling"].isNull());
    EXPECT_EQ(ll::RunConfig::from_json(defaults.to_json()), defaults);
    EXPECT_EQ(ll::RunConfig::from_json(QJsonObject{}), defaults);  // missing keys: defaults
}

TEST(RunConfig, EqualityComparesEveryField) {
    const ll::RunConfig a = everything_set();
    EXPECT_EQ(a, everything_set());
    const auto differs = [&](auto change) {
        ll::RunConfig b = a;
        change(b);
        return !(a == b);
    };
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.model_path = "other"; }));
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.set_scaling("yarn:factor=8"); }));
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.rope_theta.reset(); }));
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.set_attention("full"); }));
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.kv = ll::KvType::F32; }));
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.context = ll::ContextMode::Full; }));
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.window = 4096; }));
    EXPECT_TRUE(differs([](ll::RunConfig& b) { b.threads = 1; }));
}

TEST(RunConfig, InvalidValuesAreRefusedNamingTheSetting) {
    ll::RunConfig c;
    const auto problem = [](auto fn) -> QString {
        try {
            fn();
        } catch (const ll::AppError& e) {
            return e.file() + ": " + e.problem();
        }
        return {};
    };
    EXPECT_TRUE(problem([&] { c.set_scaling("yarn:factor=0.5"); }).startsWith("scaling:"));
    EXPECT_TRUE(problem([&] { c.set_attention("s2:group=3"); }).startsWith("attention:"));
    EXPECT_TRUE(problem([&] { c.set_kv("q4_0", "--kv"); }).contains("f32, f16 or q8_0"));
    EXPECT_EQ(c, ll::RunConfig{});  // a refused setter changes nothing
    c.window = 8;
    EXPECT_TRUE(problem([&] { c.validate(); }).startsWith("window:"));
    c.window = 0;
    c.threads = -1;
    EXPECT_TRUE(problem([&] { c.validate(); }).startsWith("threads:"));
    c.threads = 0;
    c.rope_theta = 0.5;
    EXPECT_TRUE(problem([&] { c.validate(); }).startsWith("rope base:"));
    EXPECT_THROW(ll::RunConfig::from_json(QJsonObject{{"context", "everything"}}), ll::AppError);
    EXPECT_THROW(ll::RunConfig::from_json(QJsonObject{{"window", "long"}}), ll::AppError);
}

TEST(ModelRun, ResolvesTheModelsOwnSettings) {
    LL_REQUIRE_SHARED(kModel);
    ll::RunConfig c;
    c.model_path = ref_mini_path();
    const ll::ModelRun run = ll::load_run(c);
    const ll::ModelConfig& m = run.model->config();
    EXPECT_EQ(run.attention, ll::model_attention(m));
    EXPECT_EQ(run.kv, ll::KvType::F16);
    EXPECT_EQ(run.window, ll::usable_window(run.scaling, m.rope));
    EXPECT_EQ(run.scaling.spec.method, m.scaling.method);

    // The user's settings, resolved against the same model without loading it again.
    c.set_scaling("linear:factor=4");
    c.rope_theta = 20000;
    c.set_attention("window:size=64");
    c.window = 300;
    const ll::ModelRun mine = ll::resolve_run(c, run.model);
    EXPECT_EQ(mine.scaling.spec.method, "linear");
    EXPECT_EQ(mine.scaling.spec.params.at("theta"), 20000);
    EXPECT_EQ(mine.attention.to_string(), "window:size=64");
    EXPECT_EQ(mine.window, 300);
    EXPECT_EQ(ll::usable_window(mine.scaling, m.rope), 4 * m.trained_window);
}

TEST(ModelRun, MemoryThatDoesNotFitIsRefusedClearly) {
    LL_REQUIRE_SHARED(kModel);
    ll::RunConfig c;
    c.model_path = ref_mini_path();
    const ll::ModelRun run = ll::load_run(c);
    EXPECT_NO_THROW(run.check_memory(run.window));
    setenv("LONGLENS_MEMORY_LIMIT_MIB", "1", 1);  // a machine with 1 MiB to give
    try {
        run.check_memory(run.window);
        ADD_FAILURE() << "1 MiB was enough";
    } catch (const ll::AppError& e) {
        EXPECT_EQ(e.file(), "memory");
        EXPECT_FALSE(e.hint().isEmpty());
        EXPECT_TRUE(QString(e.what()).contains("available")) << e.what();
    }
    EXPECT_THROW(run.session(run.window), ll::AppError);
    unsetenv("LONGLENS_MEMORY_LIMIT_MIB");
}

TEST(ModelRun, PreparesAnAnswererThatAnswers) {
    LL_REQUIRE_SHARED(kModel);
    LL_REQUIRE_SHARED(kPride);
    ll::RunConfig c;
    c.model_path = ref_mini_path();
    c.window = 256;
    const ll::ModelRun run = ll::load_run(c);
    ll::Document doc;
    doc.text = QString::fromStdString(lltest::read_text(lltest::shared_path(kPride))).mid(1, 600);
    doc.index_lines();
    const auto answerer = run.answerer(doc);
    EXPECT_EQ(answerer->window(), 256);
    ll::AnswerOptions options;
    options.max_answer_tokens = 8;
    const ll::Answer a = answerer->ask("Who is speaking?", options);
    EXPECT_GT(a.prompt_tokens, 0);
    EXPECT_GT(a.timing.decode_tokens + (a.end == ll::AnswerEnd::Eos ? 1 : 0), 0);
}

// The text form `compare --run` takes and a comparison column shows.
TEST(RunConfigText, RoundTripKeepsEveryField) {
    const ll::RunConfig c = everything_set();
    const QString text = c.to_text();
    EXPECT_EQ(text.toStdString(),
              "model=/models/some.gguf;scaling=yarn:factor=4,beta_fast=16;rope_theta=500000;"
              "attention=sinks:sinks=4,window=500;kv=q8_0;context=retrieve;window=2048;"
              "threads=3");
    EXPECT_EQ(ll::RunConfig::from_text(text), c);
}

TEST(RunConfigText, OnlyFieldsAwayFromTheirDefaultsAreWritten) {
    ll::RunConfig c = ll::RunConfig::from_text("");
    EXPECT_EQ(c.model_path, ll::bundled::model_dir());  // as `ask` without --model
    EXPECT_EQ(c.to_text(), "");
    c.set_scaling("none");
    EXPECT_EQ(c.to_text(), "scaling=none");
    EXPECT_EQ(ll::RunConfig::from_text("scaling=none"), c);
    c = ll::RunConfig::from_text(" kv = f32 ; ");  // spaces and a trailing ';' are fine
    EXPECT_EQ(c.kv, ll::KvType::F32);
    EXPECT_EQ(c.to_text(), "kv=f32");
    c = ll::RunConfig::from_text("scaling=yarn:factor=8,original=512;attention=window:size=60");
    EXPECT_EQ(ll::RunConfig::from_text(c.to_text()), c);
    EXPECT_EQ(c.attention->window, 60);
}

// Found by fuzz_cli_options: a model path that ends in spaces (here vertical tabs), holds a
// ';' or starts with a quote did not read back from the text form (the GUI's comparison
// turns each run into text and back), so a run silently used another path or was refused.
TEST(RunConfigText, AnyModelPathReadsBack) {
    for (const char* path : {"/m\v\v\v\v\v\v", "/models/a;b.gguf", " /models/spaced.gguf ",
                             "\"/models/quoted\".gguf", "/models/back\\slash;\"", "/m/x.gguf"}) {
        ll::RunConfig c = everything_set();
        c.model_path = path;
        EXPECT_EQ(ll::RunConfig::from_text(c.to_text()), c) << c.to_text().toStdString();
    }
    ll::RunConfig c;
    c.model_path = "/models/a;b.gguf";
    c.kv = ll::KvType::F32;
    EXPECT_EQ(c.to_text().toStdString(), "model=\"/models/a;b.gguf\";kv=f32");
    EXPECT_EQ(ll::RunConfig::from_text(" model = \"/x;y\" ; kv=f32").model_path, "/x;y");
}

TEST(RunConfigText, BadTextIsRefusedNamingTheKey) {
    const auto key_of = [](const char* text) -> std::string {
        try {
            (void)ll::RunConfig::from_text(text);
        } catch (const ll::AppError& e) {
            return (e.file() + " | " + e.problem()).toStdString();
        }
        return "accepted";
    };
    EXPECT_NE(key_of("colour=blue").find("unknown key 'colour'"), std::string::npos);
    EXPECT_EQ(key_of("kv=f16;kv=f32").rfind("kv |", 0), 0u) << key_of("kv=f16;kv=f32");
    EXPECT_EQ(key_of("scaling=warp:factor=2").rfind("scaling", 0), 0u);
    EXPECT_EQ(key_of("attention=sideways").rfind("attention", 0), 0u);
    EXPECT_EQ(key_of("kv=f8").rfind("kv", 0), 0u);
    EXPECT_EQ(key_of("context=everything").rfind("context |", 0), 0u);
    EXPECT_EQ(key_of("window=many").rfind("window |", 0), 0u);
    EXPECT_EQ(key_of("window=3").rfind("window |", 0), 0u);  // below the minimum
    EXPECT_EQ(key_of("threads=-1").rfind("threads |", 0), 0u);
    EXPECT_EQ(key_of("rope_theta=0.5").rfind("rope_theta |", 0), 0u);
    EXPECT_EQ(key_of("model=").rfind("model |", 0), 0u);
    EXPECT_EQ(key_of("model"), key_of("model="));
    EXPECT_EQ(key_of("model=\"/x;kv=f32").rfind("model | the quoted value has no closing", 0), 0u);
    EXPECT_EQ(key_of("model=\"/x\"y").rfind("model | text after the closing quote", 0), 0u);
    // Numbers that would wrap when narrowed are refused, not truncated (threads=2^32+1 was 1).
    EXPECT_EQ(key_of("threads=4294967297").rfind("threads |", 0), 0u);
    EXPECT_EQ(key_of("threads=1025").rfind("threads |", 0), 0u);
    EXPECT_EQ(key_of("window=9223372036854775807").rfind("window |", 0), 0u);
}

// A stored run configuration (an answer's record, a comparison's row) is read back without
// trusting its numbers: a window or thread count that is fractional, out of range or too
// large for its type is refused, not cast (a double past int64 is undefined behaviour).
TEST(RunConfig, StoredNumbersOutOfRangeAreRefused) {
    for (const QJsonObject& o : {QJsonObject{{"window", 1e300}}, QJsonObject{{"window", 9.3e18}},
                                 QJsonObject{{"window", -1}}, QJsonObject{{"window", 2048.5}},
                                 QJsonObject{{"window", double(ll::kLargestWindow) * 2}},
                                 QJsonObject{{"threads", 4294967297.0}},
                                 QJsonObject{{"threads", -2}}, QJsonObject{{"threads", 1e10}}})
        EXPECT_THROW(ll::RunConfig::from_json(o), ll::AppError)
            << QJsonDocument(o).toJson().toStdString();
    EXPECT_EQ(ll::RunConfig::from_json(QJsonObject{{"window", 4096}, {"threads", 8}}).window, 4096);
}

}  // namespace
