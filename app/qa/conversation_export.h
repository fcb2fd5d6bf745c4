// A conversation, or one of its answers, as Markdown (to read or paste) and as JSON (to
// process), each answer with its citations: the document, the page and the quoted words.
// Used by `longlens-cli library export`, File ▸ Export… and "Copy with citations".
#pragma once

#include <QJsonObject>
#include <QString>

#include "conversation.h"

namespace ll {

// The whole conversation: a heading naming the document, then every answer.
QString conversation_markdown(const Conversation& conversation);
// One answer, with the document named so it stands alone when pasted elsewhere.
QString answer_markdown(const Conversation& conversation, const AnswerRecord& answer);

// {"format":"longlens-conversation","version":2,"document":{"path","title","fingerprint"},
//  "answers":[{"question","answer","citations":[{"start","end","page","label","text","score"}],
//  "asked","complete","note","run_config"}]}
QJsonObject conversation_json(const Conversation& conversation);
// The same shape with only `answer` in "answers".
QJsonObject answer_json(const Conversation& conversation, const AnswerRecord& answer);

// "model-name · yarn:factor=8 · kv f16": what the card and the export say made an answer.
QString run_config_summary(const QJsonObject& run_config);

}  // namespace ll
