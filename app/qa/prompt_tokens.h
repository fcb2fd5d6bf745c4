// The prompt as token ids, with the character range of the document each token came from.
// Attribution needs to turn "the model looked at token 812" into "it looked at characters
// 40213-40219", so document text is tokenized passage by passage and every token's bytes are
// walked against the passage's UTF-8 (Tokenizer::token_bytes), not guessed afterwards.
#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <utility>
#include <vector>

#include "chat_template.h"
#include "context_plan.h"
#include "tokenizer.h"

namespace ll {

struct CharSpan {
    qsizetype start = -1;  // -1: not document text (template, separator, question)
    qsizetype end = -1;
};

struct PromptTokens {
    std::vector<int32_t> ids;     // BOS (when the tokenizer adds one), frame.before, document,
                                  // frame.between, question, frame.after
    std::vector<CharSpan> spans;  // one per id
    int64_t document_begin = 0;   // first document token
    int64_t document_end = 0;     // one past the last: ids before it depend only on the plan
};

// Tokens of text[start, end) with their character ranges (offsets into `text`), appended.
// `continuation`: the text goes on a prompt already started, so it gets no leading space
// (sentencepiece's dummy prefix); otherwise a first token holding only that space has no
// characters (start -1).
void tokenize_span(const Tokenizer& tok, const QString& text, qsizetype start, qsizetype end,
                   std::vector<int32_t>& ids, std::vector<CharSpan>& spans,
                   bool continuation = false);

// The whole prompt. Special tokens written in the frame are parsed; the document and the
// question are never parsed. Passages are joined by a blank line, or by "\n…\n" where text was left
// out between them. At most `max_document_tokens` document tokens are kept (the rest of the
// last passages is cut off) so that the prompt fits the window.
PromptTokens build_prompt(const Tokenizer& tok, const PromptFrame& frame, const QString& text,
                          const ContextPlan& plan, QStringView question,
                          int64_t max_document_tokens);

// Index of the unit (sorted, non-overlapping [first, second) character ranges, e.g. the
// sentences of a context) that token `span` belongs to: the one holding its first character,
// else its last (a sentence's first token often starts on the space before it); -1 if none.
// Calibration fits and answers score with this one rule.
int unit_of_token(const CharSpan& span, const std::vector<std::pair<qsizetype, qsizetype>>& units);

// Makes `plan` say what the prompt holds after build_prompt cut it to the window: passages
// after the last document token dropped, the last one ending there, tokens as kept.
void fit_plan_to_prompt(ContextPlan& plan, const PromptTokens& prompt);

}  // namespace ll
