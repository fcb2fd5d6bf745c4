#include "chat_template.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <array>

#include "gguf_reader.h"

namespace ll {

namespace {

struct Named {
    ChatTemplateKind kind;
    const char* name;
};

constexpr std::array<Named, 10> kNames{{{ChatTemplateKind::Plain, "plain"},
                                        {ChatTemplateKind::Llama2, "llama2"},
                                        {ChatTemplateKind::Mistral, "mistral"},
                                        {ChatTemplateKind::ChatML, "chatml"},
                                        {ChatTemplateKind::Zephyr, "zephyr"},
                                        {ChatTemplateKind::Gemma, "gemma"},
                                        {ChatTemplateKind::Alpaca, "alpaca"},
                                        {ChatTemplateKind::Llama3, "llama3"},
                                        {ChatTemplateKind::Phi3, "phi3"},
                                        {ChatTemplateKind::Qwen3, "qwen3"}}};

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
        case ChatTemplateKind::Qwen3: {
            // An empty thought, as the template writes for enable_thinking=false: a reader
            // wants the answer, not hundreds of tokens of reasoning before it.
            PromptFrame f = frame_for(ChatTemplateKind::ChatML);
            f.after += "<think>\n\n</think>\n\n";
            f.stops << "<|endoftext|>";
            return f;
        }
        case ChatTemplateKind::Llama3:
            return {"<|start_header_id|>system<|end_header_id|>\n\n" + kInstruction +
                        "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n" +
                        kDocumentHead,
                    kQuestionHead,
                    "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                    {"<|eot_id|>", "<|start_header_id|>", "<|end_of_text|>"}};
        case ChatTemplateKind::Phi3:
            return {"<|system|>\n" + kInstruction + "<|end|>\n<|user|>\n" + kDocumentHead,
                    kQuestionHead,
                    "<|end|>\n<|assistant|>\n",
                    {"<|end|>", "<|user|>", "<|endoftext|>"}};
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
    // Most specific first: each family's own turn markers, not words any template may use.
    if (has("<|start_header_id|>") && has("<|end_header_id|>")) return ChatTemplateKind::Llama3;
    if (has("<|im_start|>"))
        return has("enable_thinking") ? ChatTemplateKind::Qwen3 : ChatTemplateKind::ChatML;
    if (has("<start_of_turn>")) return ChatTemplateKind::Gemma;
    if (has("<|user|>") && has("<|end|>")) return ChatTemplateKind::Phi3;
    if (has("<|user|>") && has("<|assistant|>")) return ChatTemplateKind::Zephyr;
    if (has("[INST]") && has("<<SYS>>")) return ChatTemplateKind::Llama2;
    if (has("[INST]")) return ChatTemplateKind::Mistral;
    if (has("### Instruction") || has("### Response")) return ChatTemplateKind::Alpaca;
    return std::nullopt;
}

namespace {

struct DeclaredTemplate {
    std::optional<std::string> jinja;
    QString source = "none";
};

DeclaredTemplate declared_template(const std::string& model_path) {
    const QFileInfo info(QString::fromStdString(model_path));
    DeclaredTemplate d;
    if (info.isDir()) {
        d.jinja = hf_chat_template(info.filePath());
        if (d.jinja) d.source = "tokenizer_config.json";
    } else if (info.isFile()) {
        try {
            d.jinja = GgufFile(model_path).get_string("tokenizer.chat_template");
        } catch (const std::exception&) {
            return d;  // not a GGUF file: Model::load reports that properly
        }
        if (d.jinja) d.source = "tokenizer.chat_template (GGUF)";
    }
    return d;
}

// eos_token_id of an HF generation_config.json: one id or a list.
std::vector<int32_t> generation_config_eos(const std::string& model_path) {
    QFile f(QDir(QString::fromStdString(model_path)).filePath("generation_config.json"));
    if (!QFileInfo(QString::fromStdString(model_path)).isDir() || !f.open(QIODevice::ReadOnly))
        return {};
    const QJsonValue v = QJsonDocument::fromJson(f.readAll()).object().value("eos_token_id");
    std::vector<int32_t> ids;
    if (v.isDouble()) ids.push_back(v.toInt(-1));
    for (const QJsonValue& e : v.toArray()) ids.push_back(e.toInt(-1));
    return ids;
}

}  // namespace

std::optional<ChatTemplateKind> chat_template_of_model(const std::string& model_path) {
    const DeclaredTemplate d = declared_template(model_path);
    if (!d.jinja) return std::nullopt;
    return recognise_chat_template(*d.jinja);
}

ChatTemplateChoice choose_chat_template(const std::string& model_path) {
    const DeclaredTemplate d = declared_template(model_path);
    ChatTemplateChoice c;
    c.source = d.source;
    if (!d.jinja) return c;  // a base model: the plain document frame is what it knows
    if (const auto kind = recognise_chat_template(*d.jinja)) {
        c.kind = *kind;
        return c;
    }
    c.warning = QString("the model's chat template (%1) is not one LongLens recognises; using "
                        "the plain \"Document: … Question: … Answer:\" frame (choose one with "
                        "--template)")
                    .arg(c.source);
    return c;
}

std::vector<int32_t> end_of_turn_ids(const Tokenizer& tok, const PromptFrame& frame,
                                     const std::string& model_path) {
    std::vector<int32_t> ids{tok.eos(), tok.eot()};
    for (const int32_t id : generation_config_eos(model_path)) ids.push_back(id);
    for (const QString& stop : frame.stops)
        if (const auto id = tok.find_token(stop.toStdString()); id && tok.is_special(*id))
            ids.push_back(*id);
    std::erase_if(ids, [&](int32_t id) { return id < 0 || id >= tok.vocab_size(); });
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

}  // namespace ll
