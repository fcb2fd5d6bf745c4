// A whole review (or a comparison of two papers), part after part on the caller's thread:
// what `longlens-cli review` runs, and what the GUI's ReviewSession runs one part at a time.
// A cancel marks the part in progress and every later one Cancelled, keeping those before.
#pragma once

#include <functional>

#include "paper_reviewer.h"

namespace ll {

struct ReviewProgress {
    std::function<void(const ReviewPart&)> on_part_start;  // title, side
    std::function<void(const ReviewPart&)> on_part_done;
    ReviewCallbacks part;  // stage, prefill and text of the part in progress
};

// `parts` of a review of `doc`, in order.
Review write_review(const ModelRun& run, const Document& doc, const QList<ReviewPartSpec>& parts,
                    const ReviewOptions& options, const ReviewProgress& progress = {},
                    const std::atomic<bool>* cancel = nullptr);

// `a` and `b` compared on comparison_aspects(): each aspect on A then on B, each cited in its
// own paper; the last aspect (agreements and conflicts) reads each paper against the other's
// results.
Review write_comparison(const ModelRun& run, const Document& a, const Document& b,
                        const ReviewOptions& options, const ReviewProgress& progress = {},
                        const std::atomic<bool>* cancel = nullptr);

// What one side's claims aspect is told of the other paper: its results, else its problem.
QString other_paper_claims(const Review& review, int other_side);

}  // namespace ll
