// The Perplexity diagnostic (issue 17 §3): NLL per chunk along a document under one or
// several runs (e.g. the model file's scaling beside `none`), to show where the model stops
// reading — the spike where positions run past what the model was trained on.
//
// The document's tokens (BOS first when the tokenizer adds one) are evaluated in windows of
// `window` tokens, each window one sequence in a fresh session exactly as `longlens-cli
// perplexity --ctx <window>` evaluates a file (sequence_nll.h), so the first window's numbers
// are that command's. Consecutive windows share no context: window k scores document tokens
// [k·(window-1), (k+1)·(window-1)); without BOS each window re-reads the previous window's
// last token as its first (unscored) one. Chunks never straddle two windows, so each chunk
// is one range of positions, the thing the view is about.
#pragma once

#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "qa/model_run.h"

namespace ll {

class Document;

struct PerplexityOptions {
    int64_t chunk = 256;  // scored tokens per reported chunk (the last of a window may be fewer)
    int64_t limit = 0;    // score only the first `limit` tokens of the document; 0: all
    int64_t window = 0;   // tokens per evaluated sequence, BOS included; 0: the first run's window
    // Fraction of the work done, 0..1, from the evaluating thread.
    std::function<void(double)> on_progress;
    // Checked between the engine's chunks; when it becomes true the profile stops and comes
    // back with `cancelled` set and the chunks finished so far.
    const std::atomic<bool>* cancel = nullptr;
};

struct PerplexityChunk {
    int64_t start_token = 0;     // document tokens [start_token, end_token) scored (0: the first
    int64_t end_token = 0;       // token of the text, BOS not counted)
    int window_index = 0;        // which evaluated window
    int64_t start_position = 0;  // positions of those tokens in their window's sequence
    int64_t end_position = 0;    // (BOS at 0): compare with the trained window
    qsizetype char_start = -1;   // Document::text range the tokens came from (UTF-16)
    qsizetype char_end = -1;
    int page = -1;  // 0-based page of char_start; -1 for documents without pages
    double mean_nll = 0;
    double perplexity = 0;  // exp(mean_nll)
};

struct PerplexityRun {
    RunConfig config;              // as given
    QString label;                 // e.g. "yarn (model file)", "none (user)"
    QString spec_text;             // the scaling in force, canonical METHOD:key=value
    QString source;                // where it came from: "model file", "user", "default", ...
    int trained_window = 0;        // L of the model
    int64_t effective_window = 0;  // what the scaling in force targets; 0: no fixed limit
    std::vector<PerplexityChunk> chunks;
    int64_t scored_tokens = 0;
    double mean_nll = 0;  // over every scored token
    double perplexity = 0;
    std::vector<std::string> warnings;  // the engine's, for the window evaluated
};

struct PerplexityProfile {
    QString document;             // its path
    int page_count = 0;           // 0 for flowing formats
    int64_t document_tokens = 0;  // tokens of the whole text under the first run's tokenizer
    int64_t window = 0;           // tokens per evaluated sequence, BOS included
    int64_t chunk = 0;
    bool bos = false;                 // each window starts with BOS
    std::vector<PerplexityRun> runs;  // one per run, in the order given
    bool cancelled = false;
};

// The profile of `doc` under each of `runs` (at least one; they may use different models).
// Throws AppError naming the option for a bad chunk, limit or window ("chunk", "limit",
// "window"), naming the document when it has fewer than 2 tokens, and "memory" when a window
// does not fit (ModelRun::session).
PerplexityProfile perplexity_profile(const Document& doc, const std::vector<ModelRun>& runs,
                                     const PerplexityOptions& options = {});

// `base` with its scaling replaced by `scaling` ("" : the model file's own), resolved
// against the same loaded model: the comparison runs of the CLI and the view. Throws
// AppError(where, ...) for a spec that does not parse.
ModelRun with_scaling(const ModelRun& base, const QString& scaling,
                      const QString& where = "scaling");

}  // namespace ll
