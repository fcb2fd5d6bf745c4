// Options shared by `ask` and `needle`: the document, the context window and the prompt
// template, resolved against the loaded model.
#pragma once

#include <QCommandLineParser>

#include <vector>

#include "model_options.h"
#include "qa/chat_template.h"

namespace ll::cli {

void add_qa_options(QCommandLineParser& parser);

// --ctx when given, else 0 (RunConfig::window: the usable window of the scaling in force).
int64_t qa_window(const QCommandLineParser& parser);

// --attention-layers L1,L2,... (empty: the default choice).
std::vector<int> qa_attention_layers(const QCommandLineParser& parser);

// --template NAME, else the model file's template, else plain completion.
PromptFrame qa_frame(const QCommandLineParser& parser, const ModelRun& m);

}  // namespace ll::cli
