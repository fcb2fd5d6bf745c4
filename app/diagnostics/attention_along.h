// Attention over the document (issue 17 §1): where an answer's tokens looked, binned along
// the document's characters. Two readings of the same captured weights: the model's own
// (the mean weight the answer's tokens put on document tokens in each bin), and the one
// attribution ranks citations by (attention above what distance alone earns, see
// attribution.cpp), normalised to sum 1. Plus the "lost in the middle" curve: the raw mass
// by relative depth of the key within the document part of the prompt.
#pragma once

#include <QtGlobal>

#include <cstdint>
#include <vector>

#include "attention_capture.h"
#include "qa/prompt_tokens.h"

namespace ll {

struct AttentionAlong {
    qsizetype document_chars = 0;
    int bins = 0;                  // over [0, document_chars)
    std::vector<double> raw;       // per bin; sums to document_share
    std::vector<double> excess;    // per bin; sums to 1 (0 everywhere when nothing stands out)
    double document_share = 0;     // of the answer's attention, the part on document tokens
    std::vector<double> by_depth;  // 10 deciles of the prompt's document tokens, raw mass
    int64_t answer_rows = 0;       // query positions averaged (answer tokens)
    qsizetype bin_chars() const { return bins > 0 ? (document_chars + bins - 1) / bins : 0; }
};

// From the capture of an answer (rows from the last prompt position on), the prompt that was
// read, and document_attention of those rows (computed once, for the citations too).
// `bins` >= 1.
AttentionAlong attention_along(qsizetype document_chars, const PromptTokens& prompt,
                               const AttentionCapture& capture,
                               const std::vector<double>& mass, int bins = 200);

}  // namespace ll
