// Where an answer came from, according to the model itself: the attention its answer tokens
// paid to document tokens (AttentionCapture, head- and layer-averaged), mapped to character
// ranges through the prompt's token spans, summed over citation units (sentences; whole
// articles when the document has short ones) and combined with the lexical overlap between
// the answer and each unit, which keeps a unit the model copied from on top when attention
// is diffuse.
#pragma once

#include <QStringView>

#include <vector>

#include "attention_capture.h"
#include "citation.h"
#include "context_plan.h"
#include "documents/document.h"
#include "prompt_tokens.h"

namespace ll {

struct AttributionOptions {
    double attention_weight = 0.5;  // the rest goes to lexical overlap
    int max_citations = 5;
    double min_score = 0.2;             // relative to the best unit
    qsizetype max_article_chars = 800;  // articles up to this long are cited whole
    // A unit from which the answer copies at least quote_share of its characters in one run
    // is a quoted source and ranks first; answers shorter than min_quote_chars never quote.
    double quote_share = 0.6;
    qsizetype min_quote_chars = 4;
};

// Units a citation may cover, in document order: the sentences of the planned passages,
// merged into whole articles (or amendments) that are short enough.
std::vector<std::pair<qsizetype, qsizetype>> citation_units(const Document& doc,
                                                            const ContextPlan& plan,
                                                            qsizetype max_article_chars);

// Attention each document token received from the captured rows beyond what its distance
// from the query explains (each row's document share normalised to 1, so every answer token
// counts the same), indexed like prompt.ids.
std::vector<double> document_attention(const PromptTokens& prompt, const AttentionCapture& capture);

// Ranked citations, best first. `mass`: document_attention of the answer's captured rows.
std::vector<Citation> attribute(const Document& doc, const ContextPlan& plan,
                                const PromptTokens& prompt, const std::vector<double>& mass,
                                QStringView answer, const AttributionOptions& options = {});

}  // namespace ll
