// A passage: a character range of a document that retrieval ranks and a context plan puts
// in front of the model. Ranges are Document::text offsets (UTF-16), end exclusive.
#pragma once

#include <QString>
#include <QStringView>

#include <functional>

namespace ll {

struct Passage {
    qsizetype start = 0;
    qsizetype end = 0;
    int tokens = 0;   // model tokens of the text (or an estimate, see TokenCounter)
    QString heading;  // title of the innermost structure node it belongs to ("" if none)
};

// Counts the model tokens of a text. Retrieval works without a model, so the default is an
// estimate; a planner for a real model passes the model's tokenizer.
using TokenCounter = std::function<int(QStringView)>;

// About one token per CJK character and per four other characters (Llama-family vocabularies
// on English prose and Chinese text).
int estimate_tokens(QStringView text);

}  // namespace ll
