#include "compare_runner.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <chrono>
#include <memory>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/resource.h>
#endif

#include "app_error.h"
#include "error.h"
#include "memory_estimate.h"
#include "qa/chat_template.h"
#include "qa/conversation.h"
#include "qa/model_run.h"
#include "threads.h"

namespace ll {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// The process's resident high-water mark in bytes (0 where getrusage is missing).
qint64 peak_rss_bytes() {
#if defined(__unix__) || defined(__APPLE__)
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
#if defined(__APPLE__)
    return qint64(usage.ru_maxrss);  // bytes on macOS
#else
    return qint64(usage.ru_maxrss) * 1024;  // KiB on Linux
#endif
#else
    return 0;
#endif
}

QString same_file_key(const QString& path) {
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

double per_second(int64_t tokens, double s) {
    return s > 0 ? double(tokens) / s : 0;
}

}  // namespace

QString stage_name(CompareProgress::Stage stage) {
    switch (stage) {
        case CompareProgress::Stage::Loading: return QStringLiteral("loading");
        case CompareProgress::Stage::Prefill: return QStringLiteral("prefill");
        case CompareProgress::Stage::Answering: return QStringLiteral("answering");
        case CompareProgress::Stage::Finished: return QStringLiteral("finished");
    }
    return {};
}

CompareRunner::CompareRunner(QString cache_dir) : cache_dir_(std::move(cache_dir)) {}

void CompareRunner::run(Comparison& c, const Document& doc) {
    if (c.document_path.isEmpty()) c.document_path = doc.path;
    c.fingerprint = document_fingerprint(doc);
    c.created = QDateTime::currentDateTimeUtc();
    c.results.assign(c.runs.size(), RunResult{});
    const int runs = static_cast<int>(c.runs.size());
    const auto report = [&](CompareProgress p) {
        p.runs = runs;
        if (progress_) progress_(p);
    };

    // The model of the previous run, kept while the next names the same file.
    std::shared_ptr<const Model> kept;
    QString kept_key;
    for (int k = 0; k < runs; ++k) {
        const RunConfig& config = c.runs[k];
        RunResult& result = c.results[k];
        if (cancelled()) {
            result.status = RunStatus::Cancelled;
            result.error = QStringLiteral("cancelled before it started");
            report({k, runs, CompareProgress::Stage::Finished, 0, 0, status_name(result.status)});
            continue;
        }
        report({k, runs, CompareProgress::Stage::Loading, 0, 0, {}});
        try {
            const auto load_start = Clock::now();
            const QString key = same_file_key(config.model_path);
            ModelRun m;
            if (kept && key == kept_key) {
                set_thread_count(config.threads);
                m = resolve_run(config, kept, KvFallback::Refuse);
                result.timing.model_kept = true;
            } else {
                kept.reset();  // released before the next loads: never two models at once
                kept_key.clear();
                m = load_run(config, KvFallback::Refuse);
                result.timing.load_s = seconds_since(load_start);
            }
            kept = m.model;
            kept_key = key;
            result.scaling_in_force = QString::fromStdString(format_scaling_spec(m.scaling.spec));

            const std::unique_ptr<DocumentAnswerer> answerer = m.answerer(doc, cache_dir_);
            AnswerOptions options;
            options.mode = config.context;
            options.frame = frame_for(choose_chat_template(m.model->path()).kind);
            options.max_answer_tokens = c.max_answer_tokens;
            const auto asked = Clock::now();
            AnswerCallbacks callbacks;
            callbacks.on_prefill = [&](const EvalProgress& p) {
                report({k, runs, CompareProgress::Stage::Prefill, p.done, p.total, {}});
            };
            callbacks.on_token = [&](int64_t n) {
                if (n == 1) result.timing.first_token_s = seconds_since(asked);
                report({k, runs, CompareProgress::Stage::Answering, n, c.max_answer_tokens, {}});
            };
            callbacks.on_text = [&](const QString& text) {
                report({k, runs, CompareProgress::Stage::Answering, 0, c.max_answer_tokens, text});
            };
            const Answer a = answerer->ask(c.question, options, callbacks, &cancel_);
            result.answer = a.text;
            result.end = a.end;
            result.citations = a.citations;
            result.plan = a.plan;
            RunTiming& t = result.timing;
            t.answer = a.timing;
            t.prefill_tok_s = per_second(a.timing.prefill_tokens, a.timing.prefill_s);
            t.decode_tok_s = per_second(a.timing.decode_tokens, a.timing.decode_s);
            const int64_t context = std::min<int64_t>(
                m.window, a.prompt_tokens + int64_t(c.max_answer_tokens));
            t.memory_estimate_bytes =
                qint64(estimate_memory(*m.model, context, options.prefill_chunk, m.kv).total());
            t.peak_rss_bytes = peak_rss_bytes();
            if (a.end == AnswerEnd::Cancelled) {
                result.status = RunStatus::Cancelled;
                result.error = QStringLiteral("cancelled while answering");
            } else {
                result.status = RunStatus::Done;
            }
        } catch (const EngineError& e) {
            result.status = RunStatus::Failed;
            result.error = QString::fromUtf8(AppError::from_engine(e).what());
        } catch (const std::exception& e) {
            result.status = RunStatus::Failed;
            result.error = QString::fromUtf8(e.what());
        }
        report({k, runs, CompareProgress::Stage::Finished, 0, 0, status_name(result.status)});
    }
}

}  // namespace ll
