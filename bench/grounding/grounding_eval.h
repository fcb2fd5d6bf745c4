// Runs a grounding set through the answerer the CLI and the GUI use (DocumentAnswerer: the
// context plan, the prompt, generation, attribution) and measures, per question and over the
// set: retrieval recall@k of the gold span, top-1 / top-3 citation hit, citation precision,
// whether the answer contains the gold text, time, and where in the context the top citation
// and the gold span sit.
#pragma once

#include <QJsonObject>
#include <QString>

#include <map>
#include <vector>

#include "grounding_sets.h"
#include "qa/answer.h"

namespace llbench::grounding {

struct EvalOptions {
    int max_answer_tokens = 64;
    std::vector<int> ks{1, 3, 5};  // recall@k
    ll::ContextMode mode = ll::ContextMode::Auto;
    ll::AttributionOptions attribution;
    // When set, the answer is not generated but fed (teacher forcing): attribution variants
    // are compared on the same answer, at the cost of reading its tokens only (the session
    // keeps the prompt).
    QString forced_answer;
};

// "qw=0.5,words=2,aw=0.5,cal=FILE" -> attribution options (question_weight, min_unit_words,
// attention_weight, the calibration file for the model at `model_path`) over the defaults.
// Throws std::runtime_error.
ll::AttributionOptions parse_attribution(const QString& spec, const QString& model_path = {});

// The calibration in `file` for the model at `model_path`; throws std::runtime_error naming
// the file when it is missing, damaged or made for another model file.
std::shared_ptr<const ll::AttributionCalibration> load_calibration_or_throw(
    const QString& file, const QString& model_path);

// Relative positions in the context are put in this many equal bins (0 = its start).
constexpr int kPositionBins = 5;

struct Outcome {
    QString id;
    QString question;
    QString answer;
    ll::ContextMode mode = ll::ContextMode::Full;
    int context_passages = 0;
    int context_tokens = 0;
    bool thin = false;  // the plan said its context was thin
    QString thin_reason;
    double match = 0;            // the plan's best coverage of the question
    std::map<int, bool> recall;  // k -> a gold span overlaps one of the top k passages
    bool in_context = false;     // a gold span overlaps the planned context
    int citations = 0;
    int citations_on_gold = 0;
    bool top1 = false, top3 = false;  // a gold span overlaps the first / one of the first three
    int judged = -1;                  // answer contains gold: 1 / 0, or -1 when not judged
    double seconds = 0;
    // Relative position in the context (0..1, by characters of the planned passages), -1 when
    // not in it: of the top citation and of the first gold span in the context; and the
    // 0-based passage (in document order) they fall in.
    double top_position = -1, gold_position = -1;
    int top_passage = -1, gold_passage = -1;
    QString top_label;  // the top citation's first characters
};

Outcome evaluate(ll::DocumentAnswerer& answerer, const Case& c, const EvalOptions& options);

struct Summary {
    int n = 0;
    std::map<int, double> recall;
    double in_context = 0, top1 = 0, top3 = 0, precision = 0, answer_contains = 0;
    int judged = 0, citations = 0, retrieved = 0, thin = 0;
    double seconds_per_question = 0;
    std::vector<int> top_histogram, gold_histogram;  // kPositionBins counts
    // Retrieve-mode questions with more than two passages: how often the top citation / the
    // gold span lies in the context's first or second passage.
    int multi_passage = 0, top_first_two = 0, gold_first_two = 0;
};

Summary summarise(const std::vector<Outcome>& outcomes);

QJsonObject to_json(const Outcome& o);
QJsonObject to_json(const Summary& s);
// One readable block: the set, the metrics and the two histograms.
QString table(const QString& title, const Summary& s);

}  // namespace llbench::grounding
