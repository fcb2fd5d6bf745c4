// Conversions between what answering produces (the CLI's Answer, the GUI's AnswerCitation)
// and what the library stores (AnswerRecord, CitedPassage), so both front ends store the
// same thing.
#pragma once

#include <QJsonObject>

#include "qa/conversation.h"
#include "question_answerer.h"

namespace ll {

struct Answer;  // qa/answer.h: kept out of this header, which the GUI includes

CitedPassage cited_passage(const AnswerCitation& c);
// Page and rectangles come back from the document when it is given.
AnswerCitation answer_citation(const CitedPassage& c, const Document* document = nullptr);

// A stored answer of the CLI's Answer: citations labelled as the GUI labels them, the end
// ("cancelled", "length") in the note, and the run configuration given.
AnswerRecord record_of(const Answer& answer, const Document& document,
                       const QJsonObject& run_config);

}  // namespace ll
