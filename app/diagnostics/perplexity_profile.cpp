#include "diagnostics/perplexity_profile.h"

#include <algorithm>
#include <cmath>

#include "app_error.h"
#include "diagnostics/sequence_nll.h"
#include "documents/document.h"
#include "error.h"
#include "qa/prompt_tokens.h"

namespace ll {

namespace {

// The document's tokens with the characters each came from; BOS not included.
struct DocumentTokens {
    std::vector<int32_t> ids;
    std::vector<CharSpan> spans;
};

DocumentTokens tokenize_document(const Tokenizer& tok, const QString& text) {
    DocumentTokens t;
    tokenize_span(tok, text, 0, text.size(), t.ids, t.spans);
    return t;
}

QString run_label(const EffectiveScaling& e) {
    return QString::fromStdString(e.method) + " (" + to_string(e.source) + ")";
}

// The character range of tokens [first, last) that have one.
std::pair<qsizetype, qsizetype> char_range(const DocumentTokens& t, int64_t first, int64_t last) {
    qsizetype start = -1, end = -1;
    for (int64_t i = first; i < last; ++i) {
        const CharSpan& s = t.spans[static_cast<size_t>(i)];
        if (s.start < 0) continue;
        if (start < 0) start = s.start;
        end = s.end;
    }
    return {start, end};
}

void check_option(int64_t value, int64_t least, const char* name, const char* what) {
    if (value < least) throw AppError(name, QString("expected %1, got %2").arg(what).arg(value));
}

// Evaluates one run: appends its chunks; returns false when cancelled.
bool profile_run(const Document& doc, const ModelRun& run, const PerplexityOptions& options,
                 int64_t window, int64_t scored, const DocumentTokens& tokens,
                 const std::function<void(int64_t)>& progress, int64_t& finished,
                 PerplexityRun& out) {
    const Tokenizer& tok = run.model->tokenizer();
    const bool bos = tok.add_bos();
    const int64_t stride = window - 1;  // scored tokens per full window
    std::unique_ptr<Session> session;
    double sum = 0;
    int64_t done = 0;  // scored tokens of the finished windows
    for (int w = 0; done < scored; ++w) {
        // Window w scores document tokens [first, first + count).
        const int64_t first = done;
        const int64_t count = std::min(stride, scored - first);
        std::vector<int32_t> ids;
        if (bos) ids.push_back(tok.bos());
        const int64_t from = bos ? first : first - 1;  // without BOS: the token before, unscored
        ids.insert(ids.end(), tokens.ids.begin() + from, tokens.ids.begin() + first + count);
        if (!session)
            session = run.session(static_cast<int64_t>(ids.size()));
        else
            session->truncate(0);
        const std::vector<float> nll = sequence_nll(
            *session, ids, [&](int64_t d, int64_t) { progress(finished + d); }, options.cancel);
        if (nll.empty()) return false;
        finished += static_cast<int64_t>(ids.size());
        progress(finished);
        // nll[i] is the NLL of ids[i + 1], the document token from + i + 1, at position i + 1.
        for (int64_t c = 0; c < count; c += options.chunk) {
            const int64_t n = std::min(options.chunk, count - c);
            double chunk_sum = 0;
            for (int64_t i = c; i < c + n; ++i) chunk_sum += nll[static_cast<size_t>(i)];
            PerplexityChunk k;
            k.start_token = first + c;
            k.end_token = first + c + n;
            k.window_index = w;
            k.start_position = c + 1;
            k.end_position = c + n + 1;
            std::tie(k.char_start, k.char_end) = char_range(tokens, k.start_token, k.end_token);
            k.page = k.char_start >= 0 ? doc.page_of(k.char_start) : -1;
            k.mean_nll = chunk_sum / static_cast<double>(n);
            k.perplexity = std::exp(k.mean_nll);
            out.chunks.push_back(k);
            sum += chunk_sum;
        }
        done += count;
        out.scored_tokens = done;
        out.mean_nll = sum / static_cast<double>(done);
        out.perplexity = std::exp(out.mean_nll);
    }
    return true;
}

}  // namespace

ModelRun with_scaling(const ModelRun& base, const QString& scaling, const QString& where) {
    RunConfig config = base.config;
    config.set_scaling(scaling, where);
    return resolve_run(config, base.model);
}

PerplexityProfile perplexity_profile(const Document& doc, const std::vector<ModelRun>& runs,
                                     const PerplexityOptions& options) {
    if (runs.empty()) throw AppError("perplexity", "no run to profile");
    check_option(options.chunk, 1, "chunk", "a positive number of tokens");
    check_option(options.limit, 0, "limit", "0 (the whole document) or a number of tokens");
    if (options.window != 0) check_option(options.window, 2, "window", "at least 2 tokens");

    PerplexityProfile p;
    p.document = doc.path;
    p.page_count = doc.page_count;
    p.chunk = options.chunk;
    const ModelRun& first = runs.front();
    p.bos = first.model->tokenizer().add_bos();
    DocumentTokens tokens = tokenize_document(first.model->tokenizer(), doc.text);
    p.document_tokens = static_cast<int64_t>(tokens.ids.size());
    if (p.document_tokens < 2)
        throw AppError(
            doc.path,
            QString("has %1 tokens: too few to measure perplexity").arg(p.document_tokens));
    // Tokens scored: all but the first when there is no BOS to predict it from.
    const int64_t scorable = p.bos ? p.document_tokens : p.document_tokens - 1;
    const int64_t scored = options.limit > 0 ? std::min(options.limit, scorable) : scorable;
    p.window = std::min(options.window > 0 ? options.window : first.window, scored + 1);
    if (p.window < 2) throw AppError("window", "expected at least 2 tokens");

    // Progress: tokens evaluated over all runs (each window's sequence counted whole).
    const int64_t windows = (scored + p.window - 2) / (p.window - 1);
    const int64_t total = static_cast<int64_t>(runs.size()) * (scored + windows);
    int64_t finished = 0;
    auto progress = [&](int64_t done) {
        if (options.on_progress)
            options.on_progress(
                std::min(1.0, static_cast<double>(done) / static_cast<double>(total)));
    };

    for (const ModelRun& run : runs) {
        const ModelConfig& c = run.model->config();
        EffectiveScaling e;
        try {
            e = effective_scaling(run.scaling, c.rope, p.window);
        } catch (const EngineError& error) {
            throw AppError::from_engine(error);
        }
        PerplexityRun r;
        r.config = run.config;
        r.label = run_label(e);
        r.spec_text = QString::fromStdString(e.spec_text);
        r.source = to_string(e.source);
        r.trained_window = e.trained_window;
        r.effective_window = e.effective_window;
        r.warnings = e.warnings;
        // Another model reads the document in its own tokens.
        DocumentTokens own;
        const bool same_tokens = run.model == first.model;
        if (!same_tokens) own = tokenize_document(run.model->tokenizer(), doc.text);
        const DocumentTokens& t = same_tokens ? tokens : own;
        const bool bos = run.model->tokenizer().add_bos();
        const int64_t run_scored =
            std::min(scored, static_cast<int64_t>(t.ids.size()) - (bos ? 0 : 1));
        bool complete = false;
        try {
            complete =
                profile_run(doc, run, options, p.window, run_scored, t, progress, finished, r);
        } catch (const EngineError& error) {
            throw AppError::from_engine(error);
        }
        p.runs.push_back(std::move(r));
        if (!complete) {
            p.cancelled = true;
            return p;
        }
    }
    if (options.on_progress) options.on_progress(1.0);
    return p;
}

}  // namespace ll
