// One comparison: a document, a question and two to four runs (RunConfigs), each with what
// it answered, what it cited, the context it read and what it cost. A plain value: the
// CompareRunner fills the results, the library stores it, the CLI and the exports print it,
// and the GUI's Compare view shows one column per run.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <vector>

#include "qa/answer.h"
#include "qa/citation.h"
#include "qa/context_plan.h"
#include "qa/run_config.h"

namespace ll {

inline constexpr int kMinCompareRuns = 2;
inline constexpr int kMaxCompareRuns = 4;

enum class RunStatus { Pending, Done, Failed, Cancelled };
QString status_name(RunStatus status);
RunStatus parse_status(const QString& name);  // Pending for anything unknown

struct RunTiming {
    AnswerTiming answer;        // the answerer's own: tokens, seconds, document-cache use
    double load_s = 0;          // loading the model; 0 when the previous run's was kept
    bool model_kept = false;    // the previous run's model was reused, not loaded again
    double first_token_s = 0;   // from the question to the first answer token (prefill in)
    double prefill_tok_s = 0;   // prompt tokens evaluated per second (reused ones not counted)
    double decode_tok_s = 0;    // answer tokens per second
    // Memory, two ways, because neither alone is the truth: the engine's estimate for this
    // run's context (weights + KV cache + scratch, what check_memory compares with the
    // machine), and the process's resident high-water mark after the run (getrusage
    // ru_maxrss: it never falls, so a run after a bigger one shows the bigger one's).
    qint64 memory_estimate_bytes = 0;
    qint64 peak_rss_bytes = 0;
};

struct RunResult {
    RunStatus status = RunStatus::Pending;
    QString answer;  // on cancel, what had been generated
    AnswerEnd end = AnswerEnd::Eos;
    std::vector<Citation> citations;
    ContextPlan plan;
    RunTiming timing;
    QString scaling_in_force;  // what the model ran with, after resolving the config
    QString error;             // Failed: the AppError's text; Cancelled: why
};

struct Comparison {
    qint64 id = 0;  // the library's id; 0 until saved
    QString document_path;
    QString fingerprint;  // of the document's content (document_fingerprint)
    QString question;
    int max_answer_tokens = 128;
    QDateTime created;  // UTC
    std::vector<RunConfig> runs;
    std::vector<RunResult> results;  // one per run, same order (empty until run)
};

// "retrieve, 812 tokens, 5 passages".
QString plan_summary(const ContextPlan& plan);

// JSON forms (the CLI's --json runs, the library's rows, the JSON export). A run's object:
// {"config", "spec", "status", "answer", "end", "citations", "context", "timing", "error"}
// with citations and context as `ask --json` prints them.
QJsonObject to_json(const RunTiming& t);
RunTiming run_timing_from_json(const QJsonObject& o);
QJsonObject to_json(const RunResult& r);
RunResult run_result_from_json(const QJsonObject& o);
QJsonObject run_json(const RunConfig& config, const RunResult& result);
// The whole comparison, with "agreement" (agreement.h) over the runs that answered.
QJsonObject to_json(const Comparison& c);
// Throws AppError for a run config that does not parse.
Comparison comparison_from_json(const QJsonObject& o);

}  // namespace ll
