#include "reading_session.h"

#include <QFileInfo>

#include "app_error.h"
#include "grounded_answerer.h"
#include "model_service.h"
#include "qa/prefix_cache.h"
#include "qa/run_config.h"

namespace ll {

ReadingSession::ReadingSession(QObject* parent, int kept) : QObject(parent), open_(kept) {
    service_ = new ModelService(this);
    answerer_ = new GroundedAnswerer(service_, this);
    connect(&import_job_, &QFutureWatcher<ImportOutcome>::finished, this,
            &ReadingSession::import_finished);
    connect(answerer_, &QuestionAnswerer::answered, this, [this] { asking_ = false; });
    connect(answerer_, &QuestionAnswerer::failed, this, [this] { asking_ = false; });
}

ReadingSession::~ReadingSession() {
    // A running import finishes on its own; wait so it does not outlive the session.
    import_job_.waitForFinished();
}

void ReadingSession::import_files(const QStringList& paths) {
    for (const QString& p : paths) queue_ << QFileInfo(p).absoluteFilePath();
    if (!importing_) start_next();
}

void ReadingSession::open(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (auto kept = open_.use(absolute)) {
        show(kept);
        return;
    }
    queue_.prepend(absolute);
    if (!importing_) start_next();
}

void ReadingSession::open_document(std::shared_ptr<const Document> document) {
    if (!document) return;
    open_.put(QFileInfo(document->path).absoluteFilePath(), document);
    show(std::move(document));
}

void ReadingSession::cancel_import() {
    if (importing_) abandoned_ = true;
}

void ReadingSession::start_next() {
    while (!queue_.isEmpty()) {
        const QString path = queue_.takeFirst();
        if (auto kept = open_.use(path)) {  // imported meanwhile
            show(kept);
            continue;
        }
        importing_ = true;
        abandoned_ = false;
        emit import_started(path);
        import_job_.setFuture(import_async(path));
        return;
    }
}

void ReadingSession::import_finished() {
    importing_ = false;
    const ImportOutcome outcome = import_job_.result();
    if (abandoned_) {
        emit import_cancelled(outcome.path);
    } else if (!outcome.document) {
        emit import_failed(outcome.path, outcome.error);
    } else {
        open_.put(outcome.path, outcome.document);
        emit imported(outcome.path, outcome.document);
        show(outcome.document);
    }
    start_next();
}

void ReadingSession::show(std::shared_ptr<const Document> document) {
    // An answer about the previous document is of no use any more; another job on the model
    // (a review, which may be opening its other paper) goes on.
    if (asking_ && service_->busy()) answerer_->cancel();
    document_ = std::move(document);
    emit document_changed(document_);
}

void ReadingSession::check_can_ask() const {
    if (!document_)
        throw AppError({}, tr("No document is open."), tr("Open a document to ask about it."));
    if (!service_->has_model())
        throw AppError({}, tr("No model is loaded."), tr("Open a model with Model ▸ Open Model…"));
}

void ReadingSession::ask(const QString& question) {
    check_can_ask();
    asking_ = true;
    answerer_->ask(QuestionRequest{document_, question.trimmed()});
}

ReadingSession::CacheContents ReadingSession::document_cache() const {
    const PrefixCache cache(answerer_->cache_dir);
    return {cache.dir(),
            cache.files(),
            static_cast<qint64>(cache.bytes()),
            cache.max_bytes(),
            prefix_cache_limit_from_environment(),
            kSmallestCacheLimit,
            kLargestCacheLimit};
}

ReadingSession::CacheContents ReadingSession::set_document_cache_limit(qint64 bytes) {
    if (!prefix_cache_limit_from_environment()) set_prefix_cache_limit(bytes);
    PrefixCache(answerer_->cache_dir).evict();
    return document_cache();
}

int ReadingSession::clear_document_cache() {
    return PrefixCache(answerer_->cache_dir).clear();
}

QuestionAnswerer* ReadingSession::answerer() const {
    return answerer_;
}

const RunConfig& ReadingSession::run_config() const {
    return service_->config();
}

void ReadingSession::set_run_config(const RunConfig& config) {
    service_->set_config(config);
}

}  // namespace ll
