// Attribution end to end with a real model (issue 6 acceptance): plant a unique sentence in
// held-out text ref-mini never saw, let the model read it, then attribute the needle's second
// half and check that the top citation lies inside the planted sentence.
//
// Context: about 230 tokens, inside ref-mini's trained window of 256, no scaling, where the
// attention alone must find the needle too; and 1900 tokens under YaRN x8 (window 2048),
// where it is the combined score that must. Measured with `longlens-cli needle
// --probe forced` on the same text: attention alone finds the needle 10/10 at 230 tokens,
// 8/10 at 480 (yarn x2) and 1000 (dynamic x4), 4/10 at 1900 (yarn x8); the combined score
// 10/10 in all four.
//
// With the fixture models the answer is teacher-forced (NeedleProbe::Forced): neither copies
// text it has just read, not even a sentence repeated three times right before the prompt
// (see ContinueProbeRunsEndToEnd), so "let the model continue" cannot produce the needle.
// The shipped default model can: DefaultModelWritesThePlantedKeyAndCitesIt generates.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "model.h"
#include "qa/answer.h"
#include "qa/needle_probe.h"
#include "scaling_spec.h"
#include "shared_data.h"

namespace {

const char* kModel = "models/ref-mini/config.json";
const char* kPride = "fixtures/ref-mini/text_pride.txt";
const char* kCivil = "fixtures/ref-mini/text_civilcode.txt";

const ll::Model& ref_mini() {
    static auto m = ll::Model::load(lltest::shared_path("models/ref-mini"));
    return *m;
}

ll::Document text_document(const char* rel) {
    ll::Document doc;
    doc.path = QString::fromStdString(lltest::shared_path(rel));
    doc.text = QString::fromStdString(lltest::read_text(lltest::shared_path(rel))).trimmed();
    doc.index_lines();
    return doc;
}

struct Tally {
    int top_inside = 0;
    int attention_inside = 0;  // the unit with the most attention lies inside the needle
    int runs = 0;
};

Tally run_depths(const ll::Document& doc, const QString& needle, int ctx, uint32_t seed,
                 const char* scaling = "none", int64_t window = 256) {
    const ll::Model& m = ref_mini();
    const ll::PositionEncoding pe(ll::parse_scaling_spec(scaling), m.config().rope);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> depth(0.02, 0.98);
    Tally t;
    for (int i = 0; i < 10; ++i) {
        ll::NeedleSpec spec;
        spec.needle = needle;
        spec.depth = depth(rng);
        spec.context_tokens = ctx;
        spec.probe = ll::NeedleProbe::Forced;
        const ll::NeedleResult r = ll::run_needle(m, pe, window, doc, spec);
        EXPECT_EQ(r.answer.plan.mode, ll::ContextMode::Full);
        EXPECT_LE(r.answer.prompt_tokens, window);
        ++t.runs;
        t.top_inside += r.top_citation_covers_needle;
        const auto& cs = r.answer.citations;
        auto best = std::max_element(cs.begin(), cs.end(),
                                     [](auto& a, auto& b) { return a.attention < b.attention; });
        const bool att =
            best != cs.end() && best->start >= r.planted.start && best->end <= r.planted.end;
        t.attention_inside += att;
        std::printf(
            "depth %.2f: needle %lld-%lld, top %lld-%lld (attention %.2f, lexical %.2f)%s\n",
            spec.depth, (long long)r.planted.start, (long long)r.planted.end,
            cs.empty() ? -1LL : (long long)cs[0].start, cs.empty() ? -1LL : (long long)cs[0].end,
            cs.empty() ? 0.0 : cs[0].attention, cs.empty() ? 0.0 : cs[0].lexical,
            att ? "  [attention alone finds it]" : "");
    }
    return t;
}

TEST(NeedleAttribution, TopCitationInsideThePlantedSentenceEnglish) {
    LL_REQUIRE_SHARED(kModel);
    LL_REQUIRE_SHARED(kPride);
    const Tally t = run_depths(
        text_document(kPride),
        "The secret password of the blue lighthouse is seventeen golden herons.", 230, 2026);
    RecordProperty("top_inside", t.top_inside);
    RecordProperty("attention_inside", t.attention_inside);
    EXPECT_GE(t.top_inside, 9) << "of " << t.runs;
    EXPECT_GE(t.attention_inside, 9) << "attention alone, of " << t.runs;
}

// About 2000 tokens, eight times the trained window, through YaRN x8 (window 2048): the
// combined score still finds the needle; attention alone rarely does out here (4 of 10
// measured), so it is only reported.
TEST(NeedleAttribution, TopCitationInsideThePlantedSentenceAt1900TokensYarn) {
    LL_REQUIRE_SHARED(kModel);
    LL_REQUIRE_SHARED(kPride);
    const Tally t =
        run_depths(text_document(kPride),
                   "The secret password of the blue lighthouse is seventeen golden herons.", 1900,
                   11, "yarn:factor=8", 2048);
    RecordProperty("top_inside", t.top_inside);
    RecordProperty("attention_inside", t.attention_inside);
    EXPECT_GE(t.top_inside, 9) << "of " << t.runs;
}

TEST(NeedleAttribution, TopCitationInsideThePlantedSentenceChinese) {
    LL_REQUIRE_SHARED(kModel);
    LL_REQUIRE_SHARED(kCivil);
    const Tally t =
        run_depths(text_document(kCivil), "月亮上的企鹅由南极管理局负责登记和保管。", 230, 7);
    RecordProperty("top_inside", t.top_inside);
    RecordProperty("attention_inside", t.attention_inside);
    EXPECT_GE(t.top_inside, 9) << "of " << t.runs;
}

// The shipped default model (resources/model) was trained to find pass keys, so here the
// model itself writes the planted text back: the needle is a pass-key passage, the probe the
// question it was trained with, and the answer must hold the key while the top citation lies
// inside the passage. About 1000 tokens, twice its trained window, under its own YaRN x8.
TEST(NeedleAttribution, DefaultModelWritesThePlantedKeyAndCitesIt) {
    LL_REQUIRE_SHARED(kPride);
    const std::string dir = std::string(LONGLENS_SOURCE_DIR) + "/resources/model";
    if (!std::filesystem::exists(dir + "/config.json")) GTEST_SKIP() << "no " << dir;
    static const auto m = ll::Model::load(dir);
    const ll::PositionEncoding pe(m->config().scaling, m->config().rope);
    const ll::Document doc = text_document(kPride);
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> depth(0.02, 0.98);
    std::uniform_int_distribution<int> digits(10000, 99999);
    int contains = 0, top_inside = 0;
    for (int i = 0; i < 10; ++i) {
        const QString key = QString::number(digits(rng));
        ll::NeedleSpec spec;
        spec.needle = "The pass key is " + key + ". Remember it. " + key + " is the pass key.";
        spec.depth = depth(rng);
        spec.context_tokens = 1000;
        spec.probe_text = "What is the pass key? The pass key is";
        spec.intro =
            "There is an important piece of information hidden in this text. Find it "
            "and remember it.\n";
        spec.expected = key;
        const ll::NeedleResult r = ll::run_needle(*m, pe, 4096, doc, spec);
        contains += r.answer_contains_needle;
        top_inside += r.top_citation_covers_needle;
        std::printf("depth %.2f key %s: answer '%s', top citation %s\n", spec.depth,
                    qPrintable(key), qPrintable(r.answer.text),
                    r.top_citation_covers_needle ? "inside" : "outside");
    }
    RecordProperty("answer_contains_needle", contains);
    RecordProperty("top_inside", top_inside);
    EXPECT_GE(contains, 9);
    EXPECT_GE(top_inside, 9);
}

TEST(NeedleAttribution, ContinueProbeRunsEndToEnd) {
    LL_REQUIRE_SHARED(kModel);
    LL_REQUIRE_SHARED(kPride);
    const ll::Model& m = ref_mini();
    const ll::PositionEncoding pe(m.config().scaling, m.config().rope);
    const QString needle = "The secret password of the blue lighthouse is seventeen golden herons.";
    ll::NeedleSpec spec;
    spec.needle = needle;
    spec.context_tokens = 230;
    const ll::NeedleResult r = ll::run_needle(m, pe, 256, text_document(kPride), spec);
    EXPECT_FALSE(r.answer.text.isEmpty());
    EXPECT_GT(r.answer.timing.decode_tokens, 0);
    EXPECT_FALSE(r.answer.citations.empty());
    // Recorded, not asserted: ref-mini does not copy (see the file comment).
    RecordProperty("answer_contains_needle", r.answer_contains_needle);
    std::printf("continue probe answer: %s (contains needle: %d)\n", qPrintable(r.answer.text),
                r.answer_contains_needle);
}

}  // namespace
