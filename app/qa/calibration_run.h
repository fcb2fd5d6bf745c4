// Calibrating a model's attribution on the user's own documents (issue 18, AT2-style): for
// each example a stretch of a document (a few hundred tokens of whole sentences), a question
// made from one of its sentences and the model's own answer to it; the answer's
// log-probability (teacher forcing) with the whole stretch and with random halves of its
// sentences dropped (every sentence alone for short stretches); each head's attention on
// each sentence in the full pass. head_weight_fit turns those into per-head weights.
// Synchronous, with progress and cancel: the CLI calls it directly, the GUI on a worker.
#pragma once

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "attribution_calibration.h"
#include "documents/document.h"
#include "head_weight_fit.h"
#include "model_run.h"

namespace ll {

struct CalibrationOptions {
    int examples = 8;
    int ablations = 32;  // per example; a stretch of <= kLeaveOneOut sentences drops each once
    int context_tokens = 384;  // per example, at most half the window
    int answer_tokens = 24;
    uint64_t seed = 1;
};

// Stretches of at most this many sentences are ablated sentence by sentence.
inline constexpr int kLeaveOneOut = 8;

struct CalibrationProgress {
    int example = 0;  // 0-based, of `examples`
    int examples = 0;
    int pass = 0;  // forward passes of this example done, of `passes`
    int passes = 0;
};

struct CalibrationResult {
    AttributionCalibration calibration;        // heads empty when cancelled
    std::vector<CalibrationExample> examples;  // what was measured (tests, diagnostics)
    int skipped = 0;                           // stretches with no answer or too few sentences
    bool cancelled = false;
};

// Whether a calibration is worth keeping: its weights predict held-out ablation effects
// better than the head average does (else citations keep the heuristic); "" when it is, else
// why not, in a sentence.
QString calibration_not_better(const AttributionCalibration& c);

// Throws AppError (naming the document) when no example could be made from `docs`.
CalibrationResult calibrate_attribution(
    const ModelRun& run, const std::vector<const Document*>& docs,
    const CalibrationOptions& options = {},
    const std::function<void(const CalibrationProgress&)>& progress = {},
    const std::atomic<bool>* cancel = nullptr);

}  // namespace ll
