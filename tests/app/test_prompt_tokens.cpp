// Token-to-character mapping of the prompt: every document token knows the exact characters
// it came from, for English, Chinese (byte-fallback tokens), characters outside the BMP and
// repeated spaces, with the real Llama 2 tokenizer.
#include <gtest/gtest.h>

#include "qa/prompt_tokens.h"
#include "shared_data.h"

namespace {

const char* kTokenizer = "models/ref-mini/tokenizer.model";

const ll::Tokenizer& llama() {
    static auto tok = ll::Tokenizer::from_file(lltest::shared_path(kTokenizer));
    return *tok;
}

// The token's bytes are the span's text, but for the space the tokenizer adds in front.
void expect_spans_match(const QString& text, const std::vector<int32_t>& ids,
                        const std::vector<ll::CharSpan>& spans, qsizetype start, qsizetype end) {
    ASSERT_EQ(ids.size(), spans.size());
    qsizetype at = start, previous = -1;
    std::string joined;
    for (size_t i = 0; i < ids.size(); ++i) {
        const ll::CharSpan& s = spans[i];
        joined += llama().token_bytes(ids[i]);
        if (i == 0 && s.start < 0 && joined == " ") continue;  // the dummy prefix alone
        ASSERT_GE(s.start, 0) << "token " << i;
        // Spans follow each other; byte tokens of one character all carry its span.
        EXPECT_TRUE(s.start >= at || s.start == previous) << "token " << i;
        EXPECT_LE(s.end, end);
        at = s.end;
        previous = s.start;
    }
    EXPECT_EQ(at, end) << "the last token ends at the end of the text";
    const std::string want = text.mid(start, end - start).toStdString();
    EXPECT_EQ(joined.substr(joined.size() - want.size()), want);
}

TEST(PromptTokens, EveryTokenMapsToItsCharacters) {
    LL_REQUIRE_SHARED(kTokenizer);
    const QString text = QString::fromUtf8(
        "Intro. It is a truth universally acknowledged,  that a man — “in possession”. "
        "第一百八十八条 诉讼时效期间为三年。𠀀𝄞 end");
    for (bool continuation : {false, true}) {
        for (auto [start, end] :
             {std::pair<qsizetype, qsizetype>{0, text.size()}, {7, 40}, {80, text.size()}}) {
            std::vector<int32_t> ids;
            std::vector<ll::CharSpan> spans;
            ll::tokenize_span(llama(), text, start, end, ids, spans, continuation);
            SCOPED_TRACE(testing::Message() << start << (continuation ? " continued" : ""));
            expect_spans_match(text, ids, spans, start, end);
            if (continuation) {
                EXPECT_NE(llama().token_bytes(ids[0])[0], ' ');
            }
        }
    }
}

TEST(PromptTokens, PromptKeepsDocumentTokensBetweenFrameAndQuestion) {
    LL_REQUIRE_SHARED(kTokenizer);
    const QString text = "First passage here.\n\nSecond passage.\n\nThird one, far away.";
    ll::ContextPlan plan;
    plan.mode = ll::ContextMode::Retrieve;
    plan.passages = {{0, 19, 0, {}}, {text.indexOf("Third"), text.size(), 0, {}}};
    const ll::PromptTokens p = ll::build_prompt(llama(), ll::frame_for(ll::ChatTemplateKind::Plain),
                                                text, plan, u"Where?", 1000);
    EXPECT_EQ(p.ids.front(), llama().bos());
    EXPECT_LT(p.document_begin, p.document_end);
    for (int64_t i = 0; i < int64_t(p.ids.size()); ++i) {
        const bool in_doc = i >= p.document_begin && i < p.document_end;
        if (!in_doc) {
            EXPECT_EQ(p.spans[size_t(i)].start, -1) << i;
        }
    }
    // The gap between the passages is marked, so the model knows text was left out.
    const std::string decoded = llama().decode(
        std::vector<int32_t>(p.ids.begin() + p.document_begin, p.ids.begin() + p.document_end));
    EXPECT_NE(decoded.find("here.\n…\nThird"), std::string::npos) << decoded;
    EXPECT_EQ(llama().decode(p.ids),
              "Document:\nFirst passage here.\n…\nThird one, far away.\n\nQuestion: "
              "Where?\nAnswer:");

    // Cut to a budget: only document tokens go.
    const ll::PromptTokens cut = ll::build_prompt(
        llama(), ll::frame_for(ll::ChatTemplateKind::Plain), text, plan, u"Where?", 3);
    EXPECT_EQ(cut.document_end - cut.document_begin, 3);
    EXPECT_EQ(cut.ids.size(), p.ids.size() - size_t(p.document_end - p.document_begin) + 3);
}

}  // namespace
