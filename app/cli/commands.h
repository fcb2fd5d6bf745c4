// The subcommands of longlens-cli. Each lives in its own cmd_<name>.cpp, parses its own
// options with QCommandLineParser and returns the process exit code.
#pragma once

#include <QStringList>

namespace ll::cli {

// args[0] is the subcommand name; the rest are its options.
int run_generate(const QStringList& args);
int run_perplexity(const QStringList& args);
int run_tokenize(const QStringList& args);
int run_info(const QStringList& args);
int run_import(const QStringList& args);
int run_locate(const QStringList& args);
int run_ask(const QStringList& args);
int run_calibrate(const QStringList& args);
int run_compare(const QStringList& args);
int run_review(const QStringList& args);
int run_needle(const QStringList& args);
int run_library(const QStringList& args);
int run_diagnose(const QStringList& args);
int run_diagnose_attention(const QStringList& args);

}  // namespace ll::cli
