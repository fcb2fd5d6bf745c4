// Chat templates: frames per family, recognition of Jinja templates by shape, and the
// template a model directory or GGUF file declares.
#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "qa/chat_template.h"
#include "qa/stop_scanner.h"
#include "shared_data.h"

namespace {

QString render(ll::ChatTemplateKind kind) {
    const ll::PromptFrame f = ll::frame_for(kind);
    return f.before + "DOC" + f.between + "Q?" + f.after;
}

TEST(ChatTemplate, EveryFamilyWrapsDocumentAndQuestionInItsMarkers) {
    EXPECT_TRUE(render(ll::ChatTemplateKind::Llama2).startsWith("[INST] <<SYS>>\n"));
    EXPECT_TRUE(render(ll::ChatTemplateKind::Llama2).endsWith("Q? [/INST]"));
    EXPECT_TRUE(render(ll::ChatTemplateKind::Mistral).startsWith("[INST] "));
    EXPECT_FALSE(render(ll::ChatTemplateKind::Mistral).contains("<<SYS>>"));
    EXPECT_TRUE(
        render(ll::ChatTemplateKind::ChatML).endsWith("Q?<|im_end|>\n<|im_start|>assistant\n"));
    EXPECT_TRUE(render(ll::ChatTemplateKind::Zephyr).endsWith("</s>\n<|assistant|>\n"));
    EXPECT_TRUE(render(ll::ChatTemplateKind::Gemma).endsWith("<start_of_turn>model\n"));
    EXPECT_TRUE(render(ll::ChatTemplateKind::Alpaca).endsWith("### Response:\n"));
    EXPECT_EQ(render(ll::ChatTemplateKind::Plain), "Document:\nDOC\n\nQuestion: Q?\nAnswer:");
    for (auto kind :
         {ll::ChatTemplateKind::Plain, ll::ChatTemplateKind::Llama2, ll::ChatTemplateKind::Mistral,
          ll::ChatTemplateKind::ChatML, ll::ChatTemplateKind::Zephyr, ll::ChatTemplateKind::Gemma,
          ll::ChatTemplateKind::Alpaca}) {
        const QString r = render(kind);
        EXPECT_LT(r.indexOf("DOC"), r.indexOf("Q?")) << ll::template_name(kind).toStdString();
        EXPECT_FALSE(ll::frame_for(kind).stops.isEmpty());
        EXPECT_EQ(ll::parse_template_name(ll::template_name(kind)), kind);
    }
    EXPECT_EQ(ll::parse_template_name(u"longalpaca"), ll::ChatTemplateKind::Alpaca);
    EXPECT_EQ(ll::parse_template_name(u"vicuna"), std::nullopt);
}

TEST(ChatTemplate, JinjaTemplatesAreRecognisedByShape) {
    using K = ll::ChatTemplateKind;
    EXPECT_EQ(ll::recognise_chat_template(
                  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
                  "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"),
              K::ChatML);
    EXPECT_EQ(ll::recognise_chat_template(
                  "{% if messages[0]['role'] == 'system' %}{{ '[INST] <<SYS>>\\n' + "
                  "system_message + '\\n<</SYS>>\\n\\n' }}{% endif %}"),
              K::Llama2);
    EXPECT_EQ(ll::recognise_chat_template("{{ bos_token }}{% for m in messages %}{{ '[INST] ' + "
                                          "m['content'] + ' [/INST]' }}{% endfor %}"),
              K::Mistral);
    EXPECT_EQ(
        ll::recognise_chat_template("{{ '<|user|>\\n' + c + eos_token }}{{ '<|assistant|>' }}"),
        K::Zephyr);
    EXPECT_EQ(ll::recognise_chat_template("{{ '<start_of_turn>' + role + '\\n' }}"), K::Gemma);
    EXPECT_EQ(ll::recognise_chat_template("### Instruction:\\n{{ m }}\\n\\n### Response:"),
              K::Alpaca);
    EXPECT_EQ(ll::recognise_chat_template("{{ messages | tojson }}"), std::nullopt);
}

TEST(ChatTemplate, ReadFromTheModelFiles) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    EXPECT_EQ(ll::chat_template_of_model(dir.path().toStdString()), std::nullopt);
    QFile f(QDir(dir.path()).filePath("tokenizer_config.json"));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"chat_template": [{"name": "tool_use", "template": "[INST]"},
                                  {"name": "default", "template": "<|im_start|>{{x}}"}]})");
    f.close();
    EXPECT_EQ(ll::chat_template_of_model(dir.path().toStdString()), ll::ChatTemplateKind::ChatML);

    // Base models declare none: a directory without tokenizer_config.json, a GGUF without
    // tokenizer.chat_template.
    LL_REQUIRE_SHARED("models/gguf/stories260K-f32.gguf");
    EXPECT_EQ(ll::chat_template_of_model(lltest::shared_path("models/ref-mini")), std::nullopt);
    EXPECT_EQ(ll::chat_template_of_model(lltest::shared_path("models/gguf/stories260K-f32.gguf")),
              std::nullopt);
}

TEST(StopScanner, HoldsBackWhatMayBecomeAStopAndCutsThere) {
    ll::StopScanner s({"</s>", "\nQuestion:"});
    EXPECT_EQ(s.push("\n Paris"), "Paris");  // leading whitespace dropped
    EXPECT_EQ(s.push(" is big<"), " is big");
    EXPECT_EQ(s.push("/"), "");
    EXPECT_EQ(s.push("x"), "</x");  // not a stop after all
    EXPECT_EQ(s.push(".\nQuest"), ".");
    EXPECT_EQ(s.push("ion: more"), "");
    EXPECT_TRUE(s.stopped());
    EXPECT_EQ(s.text(), "Paris is big</x.");
    EXPECT_EQ(s.push("ignored"), "");

    ll::StopScanner t({"\n\n"});
    EXPECT_EQ(t.push("\n\n"), "");  // a blank line before the answer is not the end of it
    EXPECT_EQ(t.push("Yes\n"), "Yes");
    EXPECT_EQ(t.finish(), "\n");
    EXPECT_FALSE(t.stopped());
}

}  // namespace
