// Options shared by every command that runs a model: --model, --scaling, --rope-theta,
// --attention, --kv, --threads; the RunConfig they describe, and that config resolved against
// the loaded model.
#pragma once

#include <QCommandLineParser>

#include "qa/model_run.h"
#include "qa/run_config.h"

namespace ll::cli {

void add_model_options(QCommandLineParser& parser);

// The run configuration the options describe (the model: --model, else the bundled one).
// Throws AppError naming the option for a value that does not parse.
RunConfig run_config(const QCommandLineParser& parser);

// Loads the model named by the options and resolves them against it. Throws AppError with a
// message for the user.
ModelRun load_model(const QCommandLineParser& parser);
ModelRun load_model(const RunConfig& config);

// Parses the command line or prints the error and usage; returns false on failure.
bool parse_or_explain(QCommandLineParser& parser, const QStringList& args);

}  // namespace ll::cli
