// How a model family wants a conversation written: the text around the user's message (the
// document and the question) and the strings that end the assistant's turn. Picked from the
// model file when it says (HF tokenizer_config.json `chat_template`, GGUF
// `tokenizer.chat_template`, recognised by shape), overridable by name.
#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer.h"

namespace ll {

enum class ChatTemplateKind {
    Plain,
    Llama2,
    Mistral,
    ChatML,
    Zephyr,
    Gemma,
    Alpaca,
    Llama3,  // <|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>
    Phi3,    // <|user|>\n…<|end|>\n<|assistant|>\n
    Qwen3,   // ChatML with thinking switched off (the template's enable_thinking=false)
};

QString template_name(ChatTemplateKind kind);
// "plain", "llama2", "mistral", "chatml", "zephyr", "gemma", "alpaca", "llama3", "phi3",
// "qwen3" (and "longalpaca", an alias of alpaca); nullopt for anything else.
std::optional<ChatTemplateKind> parse_template_name(QStringView name);

// The prompt around a document and a question: before + document + between + question +
// after, after which the model writes its answer. BOS is not part of it (added as a token).
// Special tokens written in before/between/after ("<|im_start|>") become those tokens;
// in the document and the question they never do (prompt_tokens.h).
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

// The frame a model gets and why: its own template when recognised; Plain for a model
// that declares none (a base model); Plain with a warning for a template not known here.
struct ChatTemplateChoice {
    ChatTemplateKind kind = ChatTemplateKind::Plain;
    QString source;   // "tokenizer.chat_template (GGUF)", "tokenizer_config.json", "none"
    QString warning;  // empty unless the declared template was not recognised
};
ChatTemplateChoice choose_chat_template(const std::string& model_path);

// Token ids that end the answer: the tokenizer's eos and eot, the ids generation_config.json
// lists as eos_token_id (HF directories), and each stop string of `frame` that is one special
// token of the vocabulary (a special token decodes to no text, so only its id can stop).
std::vector<int32_t> end_of_turn_ids(const Tokenizer& tok, const PromptFrame& frame,
                                     const std::string& model_path);

}  // namespace ll
