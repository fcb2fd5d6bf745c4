// A model's learned attribution (issue 18, AT2-style; head_weight_fit.h has the fit): a
// weight per attention head (layer, head) and how the fit went. At answer time a document
// token's calibrated attention is the weighted sum, over those heads, of each head's share of
// its attention on the document (summed over the answer's tokens); a unit's is the sum over
// its tokens. attribute() uses it in place of the head-averaged heuristic.
#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "attention_capture.h"
#include "prompt_tokens.h"

namespace ll {

struct HeadWeight {
    int layer = 0;
    int head = 0;
    double weight = 0;
};

// What the calibration file identifies its model by: where it is, its size and its last
// modification (for a Hugging Face folder: of the files in it, sizes summed, the latest time).
struct ModelIdentity {
    QString path;  // canonical
    qint64 size = 0;
    qint64 modified_ms = 0;  // since the epoch, UTC
    bool operator==(const ModelIdentity&) const = default;
};
ModelIdentity identify_model(const QString& path);

struct AttributionCalibration {
    ModelIdentity model;
    int n_layers = 0, n_heads = 0;
    std::vector<HeadWeight> heads;  // the heads with a weight above zero
    // How the fit went: examples and ablations measured, the mean correlation between
    // predicted and measured ablation effects on held-out examples, with the fitted weights
    // and with every head alike (the head average the heuristic starts from).
    int examples = 0, ablations = 0;
    double held_out_correlation = 0, head_average_correlation = 0;
    QStringList documents;  // what it was calibrated on
    QString method;         // the fit, in words
    QString created;        // ISO 8601, UTC

    std::vector<int> layers() const;  // distinct, ascending
};

// Per captured head (index = slot of its layer in capture.layers * n_heads + head), each
// prompt token's share of that head's attention on the document tokens, summed over the
// captured rows; indexed like prompt.ids (0 outside the document). Needs capture.per_head.
std::vector<std::vector<double>> head_document_shares(const PromptTokens& prompt,
                                                      const AttentionCapture& capture);

// Sum over the calibration's heads of weight x share, per prompt token. Heads whose layer
// was not captured count nothing.
std::vector<double> calibrated_token_scores(const PromptTokens& prompt,
                                            const AttentionCapture& capture,
                                            const AttributionCalibration& calibration);

}  // namespace ll
