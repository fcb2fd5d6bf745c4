#include "comparison.h"

#include <QJsonArray>

#include "agreement.h"
#include "qa/answer_json.h"

namespace ll {
namespace {

constexpr RunStatus kStatuses[] = {RunStatus::Pending, RunStatus::Done, RunStatus::Failed,
                                   RunStatus::Cancelled};
constexpr AnswerEnd kEnds[] = {AnswerEnd::Eos, AnswerEnd::Stop, AnswerEnd::Length,
                               AnswerEnd::Cancelled};

}  // namespace

QString status_name(RunStatus status) {
    switch (status) {
        case RunStatus::Pending: return QStringLiteral("pending");
        case RunStatus::Done: return QStringLiteral("done");
        case RunStatus::Failed: return QStringLiteral("failed");
        case RunStatus::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

RunStatus parse_status(const QString& name) {
    for (RunStatus s : kStatuses)
        if (status_name(s) == name) return s;
    return RunStatus::Pending;
}

QString plan_summary(const ContextPlan& plan) {
    return QStringLiteral("%1, %2 tokens, %3 passage(s)")
        .arg(mode_name(plan.mode))
        .arg(plan.tokens)
        .arg(plan.passages.size());
}

QJsonObject to_json(const RunTiming& t) {
    QJsonObject o = to_json(t.answer);  // the answerer's keys, as `ask --json` prints them
    o["load_s"] = t.load_s;
    o["model_kept"] = t.model_kept;
    o["first_token_s"] = t.first_token_s;
    o["prefill_tok_s"] = t.prefill_tok_s;
    o["decode_tok_s"] = t.decode_tok_s;
    o["memory_estimate_bytes"] = t.memory_estimate_bytes;
    o["peak_rss_bytes"] = t.peak_rss_bytes;
    return o;
}

RunTiming run_timing_from_json(const QJsonObject& o) {
    RunTiming t;
    t.answer = timing_from_json(o);
    t.load_s = o.value("load_s").toDouble();
    t.model_kept = o.value("model_kept").toBool();
    t.first_token_s = o.value("first_token_s").toDouble();
    t.prefill_tok_s = o.value("prefill_tok_s").toDouble();
    t.decode_tok_s = o.value("decode_tok_s").toDouble();
    t.memory_estimate_bytes = o.value("memory_estimate_bytes").toInteger();
    t.peak_rss_bytes = o.value("peak_rss_bytes").toInteger();
    return t;
}

QJsonObject to_json(const RunResult& r) {
    return {{"status", status_name(r.status)},
            {"answer", r.answer},
            {"end", end_name(r.end)},
            {"citations", to_json(r.citations)},
            {"context", to_json(r.plan)},
            {"timing", to_json(r.timing)},
            {"scaling_in_force", r.scaling_in_force},
            {"error", r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error)}};
}

RunResult run_result_from_json(const QJsonObject& o) {
    RunResult r;
    r.status = parse_status(o.value("status").toString());
    r.answer = o.value("answer").toString();
    for (AnswerEnd e : kEnds)
        if (end_name(e) == o.value("end").toString()) r.end = e;
    r.citations = citations_from_json(o.value("citations").toArray());
    r.plan = plan_from_json(o.value("context").toObject());
    r.timing = run_timing_from_json(o.value("timing").toObject());
    r.scaling_in_force = o.value("scaling_in_force").toString();
    r.error = o.value("error").toString();
    return r;
}

QJsonObject run_json(const RunConfig& config, const RunResult& result) {
    QJsonObject o = to_json(result);
    o["config"] = config.to_json();
    o["spec"] = config.to_text();
    return o;
}

QJsonObject to_json(const Comparison& c) {
    QJsonArray runs;
    std::vector<std::vector<Citation>> cited;
    for (size_t i = 0; i < c.runs.size(); ++i) {
        const RunResult result = i < c.results.size() ? c.results[i] : RunResult{};
        runs.append(run_json(c.runs[i], result));
        cited.push_back(result.status == RunStatus::Done ? result.citations
                                                         : std::vector<Citation>{});
    }
    QJsonObject o{{"document", c.document_path},
                  {"fingerprint", c.fingerprint},
                  {"question", c.question},
                  {"max_tokens", c.max_answer_tokens},
                  {"runs", runs},
                  {"agreement", to_json(agree(cited))}};
    if (c.id) o["id"] = c.id;
    if (c.created.isValid()) o["created"] = c.created.toUTC().toString(Qt::ISODateWithMs);
    return o;
}

Comparison comparison_from_json(const QJsonObject& o) {
    Comparison c;
    c.id = o.value("id").toInteger();
    c.document_path = o.value("document").toString();
    c.fingerprint = o.value("fingerprint").toString();
    c.question = o.value("question").toString();
    c.max_answer_tokens = o.value("max_tokens").toInt(128);
    c.created = QDateTime::fromString(o.value("created").toString(), Qt::ISODateWithMs);
    for (const QJsonValue& v : o.value("runs").toArray()) {
        const QJsonObject run = v.toObject();
        c.runs.push_back(RunConfig::from_json(run.value("config").toObject()));
        c.results.push_back(run_result_from_json(run));
    }
    return c;
}

}  // namespace ll
