// Per-head attribution weights learned from ablations (issue 18, AT2: Cohen-Wang et al.,
// "Learning to Attribute with Attention", arXiv 2504.13752; the ablation target is
// ContextCite's, arXiv 2409.00729). Each attention head's share of attention on a source
// unit is a feature; a unit's score is the weighted sum over heads. The weights are fitted so
// that, for random ablations of a context, the summed scores of the units dropped predict how
// much the answer's log-probability fell.
//
// The fit is closed-form-like rather than AT2's gradient descent on a correlation loss:
// per example the effects and the features are centred over its ablations (what an example
// shares across its ablations says nothing about the units) and each is divided by its own
// scale (effects by their standard deviation, features by their root mean square), so every
// example counts alike and only the shape of its effects matters, as under a correlation
// loss; then non-negative least squares with a ridge that pulls the weights toward the head
// average (every head alike, scaled to fit: what the heuristic starts from), solved by
// projected gradient on the normal equations. With few examples the weights stay near the
// average; the ridge's strength is chosen by cross-validation (choose_ridge). Non-negative: a
// unit's score stays a sum of attention, the heads the ablations do not support drop to zero (few
// layers to capture at answer time), and a head that looks away from the source cannot be turned
// into evidence by a negative weight. Pure C++, no Qt: a synthetic problem checks that it recovers
// known weights.
#pragma once

#include <cstdint>
#include <vector>

namespace ll {

// One ablation of a calibration example: which units were kept, and the answer's
// log-probability with the full context minus with only the kept units (positive: the
// dropped units helped the answer).
struct Ablation {
    std::vector<uint8_t> kept;  // one per unit
    double effect = 0;
};

// One context + question + answer: features[h][u] is head h's share of attention on unit u
// (from the full-context pass), and the ablations measured on it.
struct CalibrationExample {
    std::vector<std::vector<double>> features;
    std::vector<Ablation> ablations;
};

struct FitOptions {
    // Pull toward the head average, relative to the mean diagonal of the normal matrix.
    double ridge = 1e-3;
    int iterations = 4000;
};

// Non-negative weights, one per head (features' first index). Examples whose effects do not
// vary are left out; with none left the weights are all zero.
std::vector<double> fit_head_weights(const std::vector<CalibrationExample>& examples,
                                     const FitOptions& options = {});

// Cross-validation over `candidates` ridges: examples in `folds` folds (example i in fold
// i % folds), each fold's correlation under weights fitted on the others, averaged. Returns
// the best ridge and its score; `average_score` gets the head average's score on the same
// folds. With fewer examples than folds, every example is its own fold.
struct RidgeChoice {
    double ridge = 0;
    double score = 0;          // cross-validated mean correlation
    double average_score = 0;  // the head average's, on the same held-out examples
};
RidgeChoice choose_ridge(const std::vector<CalibrationExample>& examples,
                         const std::vector<double>& candidates, int folds = 4);

// The Pearson correlation, averaged over examples, between the effects and what `weights`
// predict (the summed scores of the dropped units). 0 for an example that does not vary.
double mean_correlation(const std::vector<CalibrationExample>& examples,
                        const std::vector<double>& weights);

}  // namespace ll
