// JSON forms of the QA results, shared by `longlens-cli ask/needle --json` and the persisted
// conversation so both speak the same shape. Pages are 1-based and rectangles in PDF points
// from the page's top-left corner, as `longlens-cli locate` prints them.
#pragma once

#include <QJsonArray>
#include <QJsonObject>

#include <vector>

#include "answer.h"
#include "citation.h"
#include "context_plan.h"

namespace ll {

QJsonObject to_json(const Citation& c);
Citation citation_from_json(const QJsonObject& o);
QJsonArray to_json(const std::vector<Citation>& citations);
std::vector<Citation> citations_from_json(const QJsonArray& a);

// {"mode","tokens","budget","passages":[{"start","end","tokens","heading"}],
//  "named":[{"reference","title","start","end","tokens","planned"}],"not_found":[...],
//  "left_out":{"passages","tokens"},"match","description","thin": reason or null}
QJsonObject to_json(const ContextPlan& plan);
ContextPlan plan_from_json(const QJsonObject& o);

// {"prefill_tokens","reused_tokens","prefill_s","decode_tokens","decode_s","cache"[,"cache_note"]}
QJsonObject to_json(const AnswerTiming& t);
AnswerTiming timing_from_json(const QJsonObject& o);

}  // namespace ll
