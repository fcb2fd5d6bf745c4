// How a model family wants a conversation written: the text around the user's message (the
// document and the question) and the strings that end the assistant's turn. Picked from the
// model file when it says (HF tokenizer_config.json `chat_template`, GGUF
// `tokenizer.chat_template`, recognised by shape), overridable by name.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <string>
#include <string_view>

namespace ll {

enum class ChatTemplateKind { Plain, Llama2, Mistral, ChatML, Zephyr, Gemma, Alpaca };

QString template_name(ChatTemplateKind kind);
// "plain", "llama2", "mistral", "chatml", "zephyr", "gemma", "alpaca" (and "longalpaca", an
// alias of alpaca); nullopt for anything else.
std::optional<ChatTemplateKind> parse_template_name(QStringView name);

// The prompt around a document and a question: before + document + between + question +
// after, after which the model writes its answer. BOS is not part of it (added as a token).
struct PromptFrame {
    QString before;
    QString between;
    QString after;
    QStringList stops;  // the answer ends where one of these appears (EOS always ends it)
};

PromptFrame frame_for(ChatTemplateKind kind);

// Recognises a Jinja chat template by the markers it writes; nullopt when none is known.
std::optional<ChatTemplateKind> recognise_chat_template(std::string_view jinja);

// The template a model file declares: `tokenizer_config.json` next to an HF model's
// config.json, or a GGUF file's tokenizer.chat_template; nullopt when there is none or it is
// not recognised (base models: use Plain).
std::optional<ChatTemplateKind> chat_template_of_model(const std::string& model_path);

}  // namespace ll
