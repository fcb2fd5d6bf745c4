#include "chat_template.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>

#include "gguf_reader.h"

namespace ll {

namespace {

struct Named {
    ChatTemplateKind kind;
    const char* name;
};

constexpr std::array<Named, 7> kNames{{{ChatTemplateKind::Plain, "plain"},
                                       {ChatTemplateKind::Llama2, "llama2"},
                                       {ChatTemplateKind::Mistral, "mistral"},
                                       {ChatTemplateKind::ChatML, "chatml"},
                                       {ChatTemplateKind::Zephyr, "zephyr"},
                                       {ChatTemplateKind::Gemma, "gemma"},
                                       {ChatTemplateKind::Alpaca, "alpaca"}}};

// The instruction every chat template carries; plain completion gets a document-style frame.
const QString kInstruction = "Answer the question using only the document. Quote it where you can.";
const QString kDocumentHead = "Document:\n";
const QString kQuestionHead = "\n\nQuestion: ";

// The HF tokenizer_config.json chat_template: a string, or a list of named templates of
// which "default" (or the first) is the chat one.
std::optional<std::string> hf_chat_template(const QString& dir) {
    QFile f(QDir(dir).filePath("tokenizer_config.json"));
    if (!f.open(QIODevice::ReadOnly)) return std::nullopt;
    const QJsonValue t = QJsonDocument::fromJson(f.readAll()).object().value("chat_template");
    if (t.isString()) return t.toString().toStdString();
    if (!t.isArray()) return std::nullopt;
    QString chosen;
    for (const QJsonValue& v : t.toArray()) {
        const QJsonObject o = v.toObject();
        if (chosen.isEmpty() || o.value("name").toString() == "default")
            chosen = o.value("template").toString();
    }
    if (chosen.isEmpty()) return std::nullopt;
    return chosen.toStdString();
}

}  // namespace

QString template_name(ChatTemplateKind kind) {
    for (const Named& n : kNames)
        if (n.kind == kind) return n.name;
    return "plain";
}

std::optional<ChatTemplateKind> parse_template_name(QStringView name) {
    if (name == u"longalpaca") return ChatTemplateKind::Alpaca;
    for (const Named& n : kNames)
        if (name == QLatin1String(n.name)) return n.kind;
    return std::nullopt;
}

PromptFrame frame_for(ChatTemplateKind kind) {
    const QString user_head = kInstruction + "\n\n" + kDocumentHead;
    switch (kind) {
        case ChatTemplateKind::Plain:
            return {kDocumentHead, kQuestionHead, "\nAnswer:", {"\nQuestion:", "\n\n"}};
        case ChatTemplateKind::Llama2:
            return {"[INST] <<SYS>>\n" + kInstruction + "\n<</SYS>>\n\n" + kDocumentHead,
                    kQuestionHead,
                    " [/INST]",
                    {"</s>", "[INST]"}};
        case ChatTemplateKind::Mistral:
            return {"[INST] " + user_head, kQuestionHead, " [/INST]", {"</s>", "[INST]"}};
        case ChatTemplateKind::ChatML:
            return {"<|im_start|>system\n" + kInstruction + "<|im_end|>\n<|im_start|>user\n" +
                        kDocumentHead,
                    kQuestionHead,
                    "<|im_end|>\n<|im_start|>assistant\n",
                    {"<|im_end|>", "<|im_start|>"}};
        case ChatTemplateKind::Zephyr:
            return {"<|system|>\n" + kInstruction + "</s>\n<|user|>\n" + kDocumentHead,
                    kQuestionHead,
                    "</s>\n<|assistant|>\n",
                    {"</s>", "<|user|>"}};
        case ChatTemplateKind::Gemma:
            return {"<start_of_turn>user\n" + user_head,
                    kQuestionHead,
                    "<end_of_turn>\n<start_of_turn>model\n",
                    {"<end_of_turn>", "<start_of_turn>"}};
        case ChatTemplateKind::Alpaca:
            return {
                "Below is an instruction that describes a task, paired with an input that "
                "provides further context. Write a response that appropriately completes "
                "the request.\n\n### Instruction:\n" +
                    kInstruction + "\n\n### Input:\n" + kDocumentHead,
                kQuestionHead,
                "\n\n### Response:\n",
                {"### Instruction", "### Input", "</s>"}};
    }
    return frame_for(ChatTemplateKind::Plain);
}

std::optional<ChatTemplateKind> recognise_chat_template(std::string_view t) {
    auto has = [&](std::string_view s) { return t.find(s) != std::string_view::npos; };
    if (has("<|im_start|>")) return ChatTemplateKind::ChatML;
    if (has("<start_of_turn>")) return ChatTemplateKind::Gemma;
    if (has("<|user|>") && has("<|assistant|>")) return ChatTemplateKind::Zephyr;
    if (has("[INST]") && has("<<SYS>>")) return ChatTemplateKind::Llama2;
    if (has("[INST]")) return ChatTemplateKind::Mistral;
    if (has("### Instruction") || has("### Response")) return ChatTemplateKind::Alpaca;
    return std::nullopt;
}

std::optional<ChatTemplateKind> chat_template_of_model(const std::string& model_path) {
    const QFileInfo info(QString::fromStdString(model_path));
    std::optional<std::string> jinja;
    if (info.isDir()) {
        jinja = hf_chat_template(info.filePath());
    } else if (info.isFile()) {
        try {
            jinja = GgufFile(model_path).get_string("tokenizer.chat_template");
        } catch (const std::exception&) {
            return std::nullopt;  // not a GGUF file: Model::load reports that properly
        }
    }
    if (!jinja) return std::nullopt;
    return recognise_chat_template(*jinja);
}

}  // namespace ll
