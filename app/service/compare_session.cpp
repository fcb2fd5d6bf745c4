#include "compare_session.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

#include "app_error.h"
#include "compare/agreement.h"
#include "compare/answer_diff.h"
#include "compare/compare_runner.h"
#include "compare/comparison.h"
#include "compare/comparison_html.h"
#include "compare/comparison_markdown.h"
#include "compare/presets.h"
#include "document_import.h"
#include "documents/document.h"
#include "library_store.h"
#include "model.h"
#include "model_service.h"
#include "qa/conversation.h"
#include "qa/model_run.h"
#include "qa/prefix_cache.h"
#include "save_file.h"

namespace ll {

namespace {

QString megabytes(qint64 bytes) {
    return QString("%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 0);
}

// What the column says a run cost, in the order a reader asks: how long until it answered,
// how fast it read and wrote, how much memory, whether the document came from the cache.
QString numbers_of(const RunTiming& t) {
    QStringList parts;
    parts << (t.model_kept ? QObject::tr("model kept")
                           : QObject::tr("load %1 s").arg(t.load_s, 0, 'f', 2));
    parts << QObject::tr("first token %1 s").arg(t.first_token_s, 0, 'f', 2);
    if (t.answer.prefill_tokens > 0)
        parts << QObject::tr("prefill %1 tok/s").arg(t.prefill_tok_s, 0, 'f', 0);
    if (t.answer.decode_tokens > 0)
        parts << QObject::tr("decode %1 tok/s").arg(t.decode_tok_s, 0, 'f', 1);
    parts << QObject::tr("memory ~%1 (peak RSS %2)")
                 .arg(megabytes(t.memory_estimate_bytes), megabytes(t.peak_rss_bytes));
    parts << QObject::tr("document cache: %1").arg(cache_use_name(t.answer.cache));
    return parts.join(" · ");
}

CompareColumn column_of(const RunConfig& config, const RunResult& r) {
    CompareColumn c;
    c.spec = config.to_text();
    c.status = status_name(r.status);
    c.answer = r.answer;
    for (const Citation& cited : r.citations)
        c.citations << CompareCitation{cited.start, cited.end, cited.page, cited.text};
    if (r.status == RunStatus::Done || r.status == RunStatus::Cancelled) {
        c.plan = plan_summary(r.plan);
        c.numbers = numbers_of(r.timing);
    }
    c.scaling_in_force = r.scaling_in_force;
    c.error = r.error;
    c.fraction = 1;
    return c;
}

}  // namespace

CompareSession::CompareSession(LibraryStore* store, QObject* parent)
    : QObject(parent), store_(store) {
    connect(&job_, &QFutureWatcher<void>::finished, this, &CompareSession::ended);
}

CompareSession::~CompareSession() {
    if (runner_) runner_->cancel();
    job_.waitForFinished();
}

QStringList CompareSession::preset(Preset preset, const ModelService& service,
                                   const Document& doc) {
    const std::shared_ptr<const ModelRun> run = service.run();
    if (!run) throw AppError({}, tr("Load a model first (Model ▸ Open Model…)."));
    const ModelConfig& config = run->model->config();
    const QString path = service.config().model_path;
    std::vector<RunConfig> runs;
    switch (preset) {
        case Preset::Scaling: {
            const auto tokens = run->model->tokenizer().encode(doc.text.toStdString()).size();
            runs = scaling_presets(config, static_cast<int64_t>(tokens), path);
            break;
        }
        case Preset::KvTypes:
            runs = kv_presets(path);
            break;
        case Preset::Attention:
            runs = attention_presets(config, path);
            break;
    }
    QStringList specs;
    for (const RunConfig& r : runs) specs << r.to_text();
    return specs;
}

void CompareSession::start(std::shared_ptr<const Document> document, const QString& question,
                           const QStringList& specs, int max_answer_tokens) {
    if (running_) throw AppError({}, tr("A comparison is still running; cancel it first."));
    if (!document) throw AppError({}, tr("Open a document first."));
    if (question.trimmed().isEmpty()) throw AppError(tr("question"), tr("ask something first"));
    if (specs.size() < kMinCompareRuns || specs.size() > kMaxCompareRuns)
        throw AppError(tr("runs"), tr("compare %1 to %2 runs, not %3")
                                       .arg(kMinCompareRuns)
                                       .arg(kMaxCompareRuns)
                                       .arg(specs.size()));
    auto comparison = std::make_shared<Comparison>();
    comparison->document_path = document->path;
    comparison->question = question.trimmed();
    comparison->max_answer_tokens = max_answer_tokens;
    for (int i = 0; i < specs.size(); ++i) {
        try {
            comparison->runs.push_back(RunConfig::from_text(specs[i]));
        } catch (const AppError& e) {
            throw AppError(tr("run %1 (%2)").arg(i + 1).arg(e.file()), e.problem(), e.hint());
        }
    }
    columns_.clear();
    for (const RunConfig& r : comparison->runs) {
        CompareColumn c;
        c.spec = r.to_text();
        c.status = QStringLiteral("waiting");
        columns_ << c;
    }
    agreement_.clear();
    saved_id_ = 0;
    save_error_.clear();
    comparison_ = comparison;
    document_ = document;
    runner_ = std::make_shared<CompareRunner>(default_prefix_cache_dir());
    // On the worker: read what the runner filled in for a finished run, hand the rest over.
    runner_->set_progress([this, comparison](const CompareProgress& p) {
        if (p.stage == CompareProgress::Stage::Finished) {
            const CompareColumn column =
                column_of(comparison->runs[p.run], comparison->results[p.run]);
            QMetaObject::invokeMethod(
                this, [this, p, column] { run_ended(p.run, column); }, Qt::QueuedConnection);
            return;
        }
        QMetaObject::invokeMethod(
            this,
            [this, p] { progress(p.run, static_cast<int>(p.stage), p.done, p.total, p.text); },
            Qt::QueuedConnection);
    });
    running_ = true;
    auto runner = runner_;
    job_.setFuture(
        QtConcurrent::run([runner, comparison, document] { runner->run(*comparison, *document); }));
}

void CompareSession::cancel() {
    if (runner_ && running_) runner_->cancel();
}

void CompareSession::progress(int run, int stage, qint64 done, qint64 total, const QString& text) {
    if (run < 0 || run >= columns_.size()) return;
    CompareColumn& c = columns_[run];
    switch (static_cast<CompareProgress::Stage>(stage)) {
        case CompareProgress::Stage::Loading:
            c.status = QStringLiteral("loading");
            c.stage_text = tr("Loading the model");
            c.fraction = 0;
            break;
        case CompareProgress::Stage::Prefill:
            c.status = QStringLiteral("reading");
            c.stage_text = tr("Reading the document: %1 of %2 tokens").arg(done).arg(total);
            c.fraction = total > 0 ? double(done) / double(total) : 0;
            break;
        case CompareProgress::Stage::Answering:
            c.status = QStringLiteral("answering");
            if (!text.isEmpty()) c.answer += text;
            if (done > 0) {
                c.stage_text = tr("Answering: %1 tokens").arg(done);
                c.fraction = total > 0 ? double(done) / double(total) : 0;
            }
            break;
        case CompareProgress::Stage::Finished:
            break;
    }
    emit column_changed(run);
}

void CompareSession::run_ended(int run, const CompareColumn& column) {
    if (run < 0 || run >= columns_.size()) return;
    columns_[run] = column;
    emit column_changed(run);
}

void CompareSession::ended() {
    running_ = false;
    const Comparison& c = *comparison_;
    // Runs the cancel reached before they started have no result: say so in their column.
    for (int i = 0; i < columns_.size(); ++i)
        if (i < int(c.results.size())) columns_[i] = column_of(c.runs[i], c.results[i]);
    std::vector<std::vector<Citation>> cited;
    for (const RunResult& r : c.results)
        cited.push_back(r.status == RunStatus::Done ? r.citations : std::vector<Citation>{});
    agreement_ = agreement_summary(agree(cited));
    if (store_ && store_->is_open()) {
        const QFileInfo file(document_->path);
        const qint64 id =
            store_->note_opened(c.fingerprint, file.absoluteFilePath(), file.fileName(),
                                format_name(document_->format), describe_document(*document_));
        if (id && store_->save_comparison(id, *comparison_))
            saved_id_ = comparison_->id;
        else
            save_error_ = store_->error();
    }
    for (int i = 0; i < columns_.size(); ++i) emit column_changed(i);
    emit finished();
}

QString CompareSession::question() const {
    return comparison_ ? comparison_->question : QString();
}

QStringList CompareSession::specs() const {
    QStringList specs;
    if (comparison_)
        for (const RunConfig& r : comparison_->runs) specs << r.to_text();
    return specs;
}

QList<ComparisonEntry> CompareSession::earlier(const Document& document) const {
    if (!store_ || !store_->is_open()) return {};
    return store_->comparisons(document_fingerprint(document));
}

void CompareSession::open(qint64 id) {
    if (running_) throw AppError({}, tr("A comparison is still running; cancel it first."));
    std::optional<Comparison> kept = store_ ? store_->comparison(id) : std::nullopt;
    if (!kept)
        throw AppError(store_ ? store_->file() : QString(),
                       tr("the library has no comparison %1").arg(id));
    comparison_ = std::make_shared<Comparison>(*kept);
    columns_.clear();
    for (size_t i = 0; i < comparison_->runs.size(); ++i)
        columns_ << column_of(comparison_->runs[i], i < comparison_->results.size()
                                                        ? comparison_->results[i]
                                                        : RunResult{});
    std::vector<std::vector<Citation>> cited;
    for (const RunResult& r : comparison_->results)
        cited.push_back(r.status == RunStatus::Done ? r.citations : std::vector<Citation>{});
    agreement_ = agreement_summary(agree(cited));
    saved_id_ = id;
    save_error_.clear();
    for (int i = 0; i < columns_.size(); ++i) emit column_changed(i);
    emit finished();
}

void CompareSession::export_to(const QString& path) const {
    if (!comparison_) throw AppError(path, tr("there is no comparison to export yet"));
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == "md" || suffix == "markdown")
        bytes = comparison_markdown(*comparison_).toUtf8();
    else if (suffix == "html" || suffix == "htm")
        bytes = comparison_html(*comparison_).toUtf8();
    else if (suffix == "json")
        bytes = QJsonDocument(to_json(*comparison_)).toJson(QJsonDocument::Indented);
    else
        throw AppError(path, tr("choose a name ending in .md, .html or .json"));
    save_file_or_throw(path, bytes);
}

QString CompareSession::diff_html(int first, int second) const {
    if (first < 0 || second < 0 || first >= columns_.size() || second >= columns_.size()) return {};
    QString html;
    for (const DiffPiece& p : diff_answers(columns_[first].answer, columns_[second].answer)) {
        const QString text = p.text.toHtmlEscaped();
        switch (p.kind) {
            case DiffPiece::Kind::Same:
                html += text;
                break;
            case DiffPiece::Kind::Removed:
                html +=
                    "<span style='color:#c0392b; text-decoration:line-through'>" + text + "</span>";
                break;
            case DiffPiece::Kind::Added:
                html +=
                    "<span style='color:#1e8449; text-decoration:underline'>" + text + "</span>";
                break;
        }
        html += ' ';
    }
    return html.trimmed();
}

}  // namespace ll
