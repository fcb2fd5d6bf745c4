// Attention over the document (issue 17 §1): where an answer's tokens looked, binned along
// the document's characters. Two readings of the same captured weights: the model's own
// (the mean weight the answer's tokens put on document tokens in each bin), and the one
// attribution ranks citations by (attention above what distance alone earns, see
// attribution.cpp), normalised to sum 1. Plus the "lost in the middle" curve: the raw mass
// by relative depth of the key within the document part of the prompt; for PDFs the mass
// per page; the same per captured layer and query head, so one layer or one head can be
// shown; and the answer's tokens against the passages they looked at most.
#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <cstdint>
#include <vector>

#include "attention_capture.h"
#include "qa/passage.h"
#include "qa/prompt_tokens.h"

namespace ll {

class Document;

// One selection's reading of the model's weights (all heads, one layer, one head).
struct AttentionProfile {
    std::vector<double> raw;       // per bin; sums to document_share (less tokens without text)
    std::vector<double> by_depth;  // 10 deciles of the prompt's document tokens
    std::vector<double> by_page;   // PDFs: per page (0-based); empty for other formats
    double document_share = 0;     // of the answer's attention, the part on document tokens
};

// The answer's tokens (rows) against passages (columns): weights[i * columns + j] is the
// share of token i's attention (all captured layers and heads) on passage j's tokens.
struct AttentionTokens {
    QStringList tokens;             // the text each answer token completed ("" if none)
    std::vector<Passage> passages;  // document order
    std::vector<double> weights;    // tokens × passages, row-major
    int columns() const { return static_cast<int>(passages.size()); }
};

struct AttentionAlong {
    qsizetype document_chars = 0;
    int bins = 0;                  // over [0, document_chars)
    std::vector<double> raw;       // per bin; sums to document_share
    std::vector<double> excess;    // per bin; sums to 1 (0 everywhere when nothing stands out)
    double document_share = 0;     // of the answer's attention, the part on document tokens
    std::vector<double> by_depth;  // 10 deciles of the prompt's document tokens, raw mass
    std::vector<double> by_page;   // PDFs: raw mass per page
    std::vector<double> excess_by_page;  // PDFs: `excess` per page
    int64_t answer_rows = 0;             // query positions averaged (answer tokens)
    // Per captured layer (model layer numbers) and query head: heads[l * n_heads + h].
    std::vector<int> layers;
    int n_heads = 0;
    std::vector<AttentionProfile> heads;
    AttentionTokens tokens;

    qsizetype bin_chars() const { return bins > 0 ? (document_chars + bins - 1) / bins : 0; }
    // The mean profile of layer index `layer` (into `layers`; -1: every captured layer) and
    // query head `head` (-1: every head). Without per-head data, the averaged rows'.
    AttentionProfile selected(int layer, int head) const;
};

// From the capture of an answer (rows from the last prompt position on; per-head sums when
// it kept them), the prompt that was read, and document_attention of those rows (computed
// once, for the citations too). `bins` >= 1. `units`: the passages the tokens × passages
// map chooses its columns from; `pieces`: the text of each answer token.
AttentionAlong attention_along(const Document& doc, const PromptTokens& prompt,
                               const AttentionCapture& capture, const std::vector<double>& mass,
                               int bins = 200, const std::vector<Passage>& units = {},
                               const QStringList& pieces = {});

}  // namespace ll
