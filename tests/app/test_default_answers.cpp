// What a fresh install promises (README, first command): LongLens's own model, found
// without being named, answers the bundled sample document's example question by copying
// the code and cites the sentence it came from, with the whole 2,100-token document in the
// prompt (four times the model's trained window, read through the YaRN x8 of its config).
// And the Civil Code question: the article is quoted and cited first.
#include <gtest/gtest.h>

#include <QFileInfo>

#include "bundled.h"
#include "documents/importer.h"
#include "qa/model_run.h"
#include "question_answerer.h"
#include "shared_data.h"

namespace {

// The bundled model under the default run configuration, as the CLI and the GUI run it.
const ll::ModelRun& default_run() {
    static const ll::ModelRun run = [] {
        ll::RunConfig config;
        config.model_path = ll::bundled::model_dir();
        return ll::load_run(config);
    }();
    return run;
}

ll::Answer ask_default(const ll::Document& doc, const QString& question) {
    return default_run().answerer(doc)->ask(question);
}

// Whether [c.start, c.end) contains the first occurrence of `needle` in the document.
bool covers(const ll::Document& doc, const ll::Citation& c, const QString& needle) {
    const qsizetype at = doc.text.indexOf(needle);
    return at >= 0 && c.start <= at && at + needle.size() <= c.end;
}

TEST(Bundled, ModelAndSampleAreFoundWithoutBeingNamed) {
    ASSERT_FALSE(ll::bundled::model_dir().isEmpty()) << "resources/model not found";
    EXPECT_TRUE(QFileInfo::exists(ll::bundled::model_dir() + "/model.safetensors"));
    ASSERT_FALSE(ll::bundled::sample_document().isEmpty()) << "resources/sample not found";
    EXPECT_EQ(ll::bundled::model_name(ll::bundled::model_dir()), "LongLens default model");
    EXPECT_EQ(ll::bundled::model_name("/models/ref-mini"), "ref-mini");
}

TEST(Bundled, ResourcesVariableThatHoldsNoModelIsIgnored) {
    qputenv("LONGLENS_RESOURCES", "/nonexistent/longlens");
    const QString dir = ll::bundled::model_dir();
    qunsetenv("LONGLENS_RESOURCES");
    EXPECT_FALSE(dir.isEmpty());
    EXPECT_FALSE(dir.startsWith("/nonexistent"));
}

TEST(DefaultAnswers, SampleQuestionIsAnsweredWithTheCodeAndItsSentenceCitedFirst) {
    const ll::Document doc = ll::import_document(ll::bundled::sample_document());
    const ll::Answer a = ask_default(doc, ll::bundled::example_question());
    std::printf("answer: %s (prompt %lld tokens)\n", qPrintable(a.text),
                static_cast<long long>(a.prompt_tokens));
    EXPECT_TRUE(a.text.contains("73518")) << qPrintable(a.text);
    EXPECT_EQ(a.plan.mode, ll::ContextMode::Full);
    EXPECT_GT(a.prompt_tokens, 4 * default_run().model->config().trained_window);
    ASSERT_FALSE(a.citations.empty());
    EXPECT_TRUE(covers(doc, a.citations.front(), "The code for the cellar is 73518."))
        << qPrintable(a.citations.front().text);
    // The chip names the paragraph of the chapter, by the chapter's number.
    const ll::AnswerCitation chip =
        ll::make_citation(doc, a.citations.front().start, a.citations.front().end);
    EXPECT_EQ(chip.label.toStdString(), "¶ 3 of Chapter 2");
}

TEST(DefaultAnswers, CivilCodeArticleIsQuotedAndCitedFirst) {
    LL_REQUIRE_SHARED("corpus/legal/prc-civil-code-zh.md");
    const ll::Document doc = ll::import_document(
        QString::fromStdString(lltest::shared_path("corpus/legal/prc-civil-code-zh.md")));
    const ll::Answer a = ask_default(doc, QStringLiteral("第一千零四十三条规定了什么?"));
    std::printf("answer: %s\n", qPrintable(a.text));
    EXPECT_TRUE(a.text.contains(QStringLiteral("家庭应当树立优良家风"))) << qPrintable(a.text);
    ASSERT_FALSE(a.citations.empty());
    EXPECT_TRUE(covers(doc, a.citations.front(), QStringLiteral("第一千零四十三条")))
        << qPrintable(a.citations.front().text);
}

}  // namespace
