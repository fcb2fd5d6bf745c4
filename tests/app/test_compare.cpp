// The comparison's pieces that need no model: presets from a model's trained window and a
// document's length, the word diff (also of Chinese), the citation agreement, and the JSON
// and Markdown forms of a comparison.
#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>

#include "compare/agreement.h"
#include "compare/answer_diff.h"
#include "compare/comparison.h"
#include "compare/comparison_html.h"
#include "compare/comparison_markdown.h"

#include "compare/presets.h"

namespace {

ll::ModelConfig trained_at(int window) {
    ll::ModelConfig m;
    m.rope.trained_window = window;
    m.trained_window = window;
    return m;
}

QStringList specs(const std::vector<ll::RunConfig>& runs) {
    QStringList out;
    for (const ll::RunConfig& r : runs) out << r.to_text();
    return out;
}

TEST(ComparePresets, ScalingFactorsStretchTheTrainedWindowOverTheDocument) {
    EXPECT_EQ(ll::scaling_factor_for(4096, 512), 8);
    EXPECT_EQ(ll::scaling_factor_for(4097, 512), 9);  // rounded up
    EXPECT_EQ(ll::scaling_factor_for(300, 512), 2);   // at least 2
    EXPECT_EQ(specs(ll::scaling_presets(trained_at(512), 4000, "/m.gguf")),
              QStringList({"model=/m.gguf;scaling=none", "model=/m.gguf;scaling=linear:factor=8",
                           "model=/m.gguf;scaling=ntk:alpha=8",
                           "model=/m.gguf;scaling=yarn:factor=8,original=512"}));
}

TEST(ComparePresets, KvAndAttentionPresetsDifferInOneSettingEach) {
    EXPECT_EQ(specs(ll::kv_presets("/m.gguf")),
              QStringList({"model=/m.gguf;kv=f32", "model=/m.gguf", "model=/m.gguf;kv=q8_0"}));
    EXPECT_EQ(
        specs(ll::attention_presets(trained_at(512), "/m.gguf")),
        QStringList({"model=/m.gguf;attention=full", "model=/m.gguf;attention=window:size=512",
                     "model=/m.gguf;attention=sinks:sinks=4,window=508"}));
}

TEST(AnswerDiff, MarksWordsOnlyInOneAnswer) {
    const auto pieces =
        ll::diff_answers("The code is 7351 in the cellar.", "The code is 7352 in the old cellar.");
    EXPECT_EQ(ll::diff_text(pieces), "The code is [-7351-] {+7352+} in the {+old+} cellar.");
    EXPECT_TRUE(ll::diff_answers("", "").empty());
    EXPECT_EQ(ll::diff_text(ll::diff_answers("", "new words")), "{+new words+}");
}

TEST(AnswerDiff, EachCjkCharacterIsAWord) {
    EXPECT_EQ(ll::answer_words("合法权益，制定 law"),
              QStringList({"合", "法", "权", "益", "，", "制", "定", "law"}));
    const auto pieces = ll::diff_answers("保护民事主体", "保护公司主体");
    ASSERT_EQ(pieces.size(), 4u);
    EXPECT_EQ(pieces[0].text, "保护");  // written together, no space
    EXPECT_EQ(pieces[1].kind, ll::DiffPiece::Kind::Removed);
    EXPECT_EQ(pieces[1].text, "民事");
    EXPECT_EQ(pieces[2].kind, ll::DiffPiece::Kind::Added);
    EXPECT_EQ(pieces[2].text, "公司");
    EXPECT_EQ(pieces[3].text, "主体");
}

ll::Citation at(qsizetype start, qsizetype end) {
    ll::Citation c;
    c.start = start;
    c.end = end;
    return c;
}

TEST(Agreement, OverlappingCitationsAreOnePassage) {
    const ll::Agreement a = ll::agree({{at(0, 100), at(500, 600)},  // run 0
                                       {at(50, 150)},               // run 1: overlaps 0's first
                                       {}});                        // run 2: failed
    ASSERT_EQ(a.passages.size(), 2u);
    EXPECT_EQ(a.passages[0].start, 0);
    EXPECT_EQ(a.passages[0].end, 150);
    EXPECT_EQ(a.passages[0].runs, (std::vector<int>{0, 1}));
    EXPECT_EQ(a.passages[1].runs, (std::vector<int>{0}));
    EXPECT_DOUBLE_EQ(a.shared[0][1], 0.5);
    EXPECT_DOUBLE_EQ(a.shared[1][1], 1.0);
    EXPECT_DOUBLE_EQ(a.shared[2][2], -1.0);
    EXPECT_EQ(ll::agreement_summary(a), "0 of 2 cited passage(s) are cited by every run");
}

ll::Comparison sample_comparison() {
    ll::Comparison c;
    c.document_path = "/docs/keeper.md";
    c.fingerprint = "abc123";
    c.question = "What is the code?";
    c.max_answer_tokens = 16;
    c.runs = {ll::RunConfig::from_text("model=/m.gguf"),
              ll::RunConfig::from_text("model=/m.gguf;scaling=none;kv=f32")};
    ll::RunResult done;
    done.status = ll::RunStatus::Done;
    done.answer = "The code is 7351.";
    done.citations = {at(10, 40)};
    done.citations[0].text = "the cellar code | 7351";
    done.citations[0].page = 2;
    done.timing.decode_tok_s = 42.5;
    done.timing.answer.cache = ll::CacheUse::Saved;
    done.scaling_in_force = "yarn:factor=8";
    ll::RunResult failed;
    failed.status = ll::RunStatus::Failed;
    failed.error = "/m.gguf: not a model";
    c.results = {done, failed};
    return c;
}

TEST(ComparisonJson, RoundTripsAndCarriesSpecsAndAgreement) {
    const ll::Comparison c = sample_comparison();
    const QJsonObject json = ll::to_json(c);
    const QJsonArray runs = json["runs"].toArray();
    ASSERT_EQ(runs.size(), 2);
    EXPECT_EQ(runs[1].toObject()["spec"].toString(), "model=/m.gguf;scaling=none;kv=f32");
    EXPECT_EQ(runs[1].toObject()["error"].toString(), "/m.gguf: not a model");
    EXPECT_TRUE(runs[0].toObject()["error"].isNull());
    EXPECT_EQ(runs[0].toObject()["timing"].toObject()["cache"].toString(), "saved");
    EXPECT_TRUE(json["agreement"].toObject().contains("passages"));
    const ll::Comparison back =
        ll::comparison_from_json(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object());
    EXPECT_EQ(back.runs, c.runs);
    ASSERT_EQ(back.results.size(), 2u);
    EXPECT_EQ(back.results[0].answer, c.results[0].answer);
    EXPECT_EQ(back.results[0].citations[0].page, 2);
    EXPECT_DOUBLE_EQ(back.results[0].timing.decode_tok_s, 42.5);
    EXPECT_EQ(back.results[1].status, ll::RunStatus::Failed);
    EXPECT_EQ(back.results[1].error, c.results[1].error);
}

TEST(ComparisonMarkdown, ShowsEachRunsSpecAnswerCitationsAndNumbers) {
    const QString md = ll::comparison_markdown(sample_comparison());
    EXPECT_TRUE(md.contains("## Run 2: `model=/m.gguf;scaling=none;kv=f32`")) << md.toStdString();
    EXPECT_TRUE(md.contains("> The code is 7351.")) << md.toStdString();
    EXPECT_TRUE(md.contains("1. p. 3 (score 0.00): “the cellar code \\| 7351”"))
        << md.toStdString();
    EXPECT_TRUE(md.contains("**failed**: /m.gguf: not a model")) << md.toStdString();
    EXPECT_TRUE(md.contains("| decode tok/s | 42.5 | 0.0 |")) << md.toStdString();
}

TEST(ComparisonHtml, AnswersSideBySideWithCitationsNumbersAndEscapedText) {
    ll::Comparison c = sample_comparison();
    c.question = "Is <b> escaped & kept?";
    const QString html = ll::comparison_html(c);
    EXPECT_TRUE(html.startsWith("<!DOCTYPE html>"));
    EXPECT_TRUE(html.contains("<h1>Is &lt;b&gt; escaped &amp; kept?</h1>")) << html.toStdString();
    EXPECT_TRUE(html.contains("model=/m.gguf;scaling=none;kv=f32"));
    EXPECT_TRUE(html.contains("The code is 7351."));
    EXPECT_TRUE(html.contains("<span class=where>p. 3</span> “the cellar code | 7351”"))
        << html.toStdString();
    EXPECT_TRUE(html.contains("failed: /m.gguf: not a model")) << html.toStdString();
    EXPECT_TRUE(html.contains("<td>42.5</td>")) << html.toStdString();
    // One answer cell per run, in one row.
    const qsizetype row = html.indexOf("<th>Answer</th>");
    ASSERT_GE(row, 0);
    EXPECT_EQ(html.mid(row, html.indexOf("</tr>", row) - row).count("<td>"), 2);
}

}  // namespace
