#include "review_runner.h"

namespace ll {

namespace {

ReviewPart run_one(const PaperReviewer& reviewer, const ReviewPartSpec& spec, int side,
                   const ReviewProgress& progress, const std::atomic<bool>* cancel,
                   const QList<std::pair<QString, QString>>& values = {}) {
    ReviewPart started;
    started.id = spec.id;
    started.title = spec.title;
    started.side = side;
    started.status = PartStatus::Running;
    if (progress.on_part_start) progress.on_part_start(started);
    ReviewPart part;
    if (cancel && cancel->load()) {
        part = started;
        part.status = PartStatus::Cancelled;
    } else {
        part = reviewer.write(spec, progress.part, cancel, values);
    }
    part.side = side;
    if (progress.on_part_done) progress.on_part_done(part);
    return part;
}

QString model_name(const ModelRun& run) {
    return QString::fromStdString(run.model->path());
}

}  // namespace

Review write_review(const ModelRun& run, const Document& doc, const QList<ReviewPartSpec>& parts,
                    const ReviewOptions& options, const ReviewProgress& progress,
                    const std::atomic<bool>* cancel) {
    const PaperReviewer reviewer(run, doc, options);
    Review review;
    review.documents << ReviewDocument{doc.path, reviewer.title()};
    review.model = model_name(run);
    for (const ReviewPartSpec& spec : parts)
        review.parts << run_one(reviewer, spec, 0, progress, cancel);
    return review;
}

QString other_paper_claims(const Review& review, int other_side) {
    for (const char* id : {"compare_results", "compare_problem"})
        if (const ReviewPart* p = review.find(id, other_side); p && !p->text.isEmpty())
            return p->text.simplified().left(400);
    return review.documents.value(other_side).title;
}

Review write_comparison(const ModelRun& run, const Document& a, const Document& b,
                        const ReviewOptions& options, const ReviewProgress& progress,
                        const std::atomic<bool>* cancel) {
    const PaperReviewer ra(run, a, options), rb(run, b, options);
    const PaperReviewer* sides[2] = {&ra, &rb};
    Review review;
    review.documents << ReviewDocument{a.path, ra.title()} << ReviewDocument{b.path, rb.title()};
    review.model = model_name(run);
    for (const ReviewPartSpec& spec : comparison_aspects())
        for (int side = 0; side < 2; ++side) {
            QList<std::pair<QString, QString>> values;
            if (spec.id == "compare_claims")
                values << std::pair<QString, QString>{"other",
                                                      other_paper_claims(review, 1 - side)};
            review.parts << run_one(*sides[side], spec, side, progress, cancel, values);
        }
    return review;
}

}  // namespace ll
