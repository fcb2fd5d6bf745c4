// Where an answer came from, according to the model itself: the attention its answer tokens
// paid to document tokens (AttentionCapture, head- and layer-averaged), mapped to character
// ranges through the prompt's token spans, summed over citation units (sentences; whole
// articles when the document has short ones) and combined with the lexical overlap between
// the answer and each unit, which keeps a unit the model copied from on top when attention
// is diffuse, and with the question's overlap with each unit (issue 18: head-averaged
// attention of small models leans on the first passages whatever they say; the benchmark in
// bench/README.md measured what each part does). A unit the question names by number ranks
// with quoted ones; bare headings and fragments of a word are cited only when quoted.
#pragma once

#include <QStringView>

#include <memory>
#include <vector>

#include "attention_capture.h"
#include "attribution_calibration.h"
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
    // Evidence from the question (issue 18): the IDF-weighted share of the question's terms a
    // unit holds, normalised to the best unit, weighs this much beside attention and the
    // answer's overlap. What a model answers from must also be about what was asked; a model
    // too small to answer still gets its reader to the passage the question points at.
    double question_weight = 1.0;
    // Units that cannot be a source on their own — a bare heading line, a fragment of fewer
    // than min_unit_words words (CJK characters count half) — are cited only when the answer
    // quotes them.
    int min_unit_words = 2;  // 0: off
    // A unit holding a passage the question quotes (“…”, "…", 「…」, 『…』; at least
    // min_quote_chars characters) is named by it, as a unit named by number is: it ranks with
    // quoted units and stays beside the unit a quoted answer came from.
    bool question_quotes_name = true;
    // The model's learned per-head weights (calibration_run.h), when it has been calibrated:
    // a unit's attention is then the weighted head shares summed over its tokens, in place
    // of the head average's few most attended words. Null: the heuristic.
    std::shared_ptr<const AttributionCalibration> calibration;
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
// `question`: what was asked (question_weight's evidence; empty: none). `calibrated`: per
// prompt token, calibrated_token_scores under options.calibration (null: the heuristic).
std::vector<Citation> attribute(const Document& doc, const ContextPlan& plan,
                                const PromptTokens& prompt, const std::vector<double>& mass,
                                QStringView answer, const AttributionOptions& options = {},
                                QStringView question = {},
                                const std::vector<double>* calibrated = nullptr);

}  // namespace ll
