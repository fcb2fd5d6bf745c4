#include "review_parts.h"

#include "app_error.h"

namespace ll {

namespace {

ReviewPartSpec part(QString id, QString title, QStringList sections, bool abstract,
                    bool references = false, bool appendix = false, QString fallback = "front") {
    return {std::move(id), std::move(title), std::move(sections), abstract,
            references,    appendix,         std::move(fallback)};
}

const QStringList kIntro{"introduction", "conclusion", "discussion", "summary"};
const QStringList kMethod{"method",    "approach", "model",       "architecture", "algorithm",
                          "framework", "proposed", "formulation", "design"};
const QStringList kExperiments{"experiment", "result",    "evaluation", "ablation",
                               "analysis",   "benchmark", "empirical",  "training"};
const QStringList kSetup{"experiment",     "setup",      "implementation", "training", "detail",
                         "hyperparameter", "reproducib", "dataset",        "data",     "compute"};
const QStringList kRelated{"introduction", "related", "background", "prior", "previous"};
const QStringList kLimits{"limitation", "conclusion", "discussion", "future"};

}  // namespace

const QList<ReviewPartSpec>& review_parts() {
    static const QList<ReviewPartSpec> parts{
        part("summary", "Summary", kIntro, true),
        part("contributions", "Claimed contributions", {"introduction", "contribution"}, true),
        part("method", "Method", kMethod, false),
        part("evidence", "Evidence", kExperiments, true, false, false, "all"),
        part("strengths", "Strengths", kIntro + kExperiments, true),
        part("weaknesses", "Weaknesses", kLimits + kExperiments, true),
        part("questions", "Questions to the authors", kMethod + kExperiments, false),
        part("related_work", "Missing related work", kRelated, false, true),
        part("reproducibility", "Reproducibility checklist", kSetup, false, false, true, "all"),
    };
    return parts;
}

const QList<ReviewPartSpec>& comparison_aspects() {
    static const QList<ReviewPartSpec> aspects{
        part("compare_problem", "Problem", {"introduction", "motivation", "problem"}, true),
        part("compare_method", "Method", kMethod, false),
        part("compare_data", "Data", {"data", "experiment", "setup", "training", "benchmark"},
             false, false, true, "all"),
        part("compare_results", "Results", kExperiments, true, false, false, "all"),
        part("compare_claims", "Agreements and conflicts", kIntro + kExperiments, true),
    };
    return aspects;
}

const ReviewPartSpec* find_part(const QString& id) {
    for (const QList<ReviewPartSpec>* list : {&review_parts(), &comparison_aspects()})
        for (const ReviewPartSpec& p : *list)
            if (p.id == id) return &p;
    return nullptr;
}

QList<ReviewPartSpec> parse_parts(const QString& text, const QString& option) {
    if (text.trimmed().isEmpty()) return review_parts();
    QStringList wanted;
    for (const QString& id : text.split(',', Qt::SkipEmptyParts)) {
        const QString t = id.trimmed().replace('-', '_');
        bool known = false;
        for (const ReviewPartSpec& p : review_parts()) known |= p.id == t;
        if (!known) {
            QStringList ids;
            for (const ReviewPartSpec& p : review_parts()) ids << p.id;
            throw AppError(option, QString("unknown part '%1' (known: %2)").arg(t, ids.join(", ")));
        }
        wanted << t;
    }
    QList<ReviewPartSpec> out;  // review order, each once
    for (const ReviewPartSpec& p : review_parts())
        if (wanted.contains(p.id)) out << p;
    return out;
}

}  // namespace ll
