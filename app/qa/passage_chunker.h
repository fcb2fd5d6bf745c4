// Cuts a document into passages that follow its structure: a new passage starts at every
// outline node (an article, a chapter, a section is never merged with its neighbour), a
// bare heading is kept with the text it introduces, and paragraphs are packed up to the token
// budget. Only a paragraph longer than the budget is split, at sentence ends, and only a
// sentence longer than the budget at an arbitrary character.
#pragma once

#include <vector>

#include "documents/document.h"
#include "passage.h"

namespace ll {

// Passages in document order, non-overlapping, trimmed of surrounding whitespace; together
// they cover every non-blank character of the text.
std::vector<Passage> chunk_document(const Document& doc, int max_tokens,
                                    const TokenCounter& count = estimate_tokens);

// Sentence ranges of text[start, end): ends at . ! ? 。！？ (plus closing quotes and
// brackets) followed by space or a CJK character, and at blank lines. Trimmed, in order.
std::vector<std::pair<qsizetype, qsizetype>> sentence_ranges(const QString& text, qsizetype start,
                                                             qsizetype end);

}  // namespace ll
