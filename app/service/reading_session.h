// One reader's session: the open document, the documents kept open (least recently used
// dropped first), the import queue, the model service with the run configuration in force,
// and the answerer. The window renders it and sends it intents (import these, open that,
// ask this, use that configuration); everything here runs headless.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

#include <memory>

#include "document_import.h"
#include "open_documents.h"

namespace ll {

class GroundedAnswerer;
class ModelService;
class QuestionAnswerer;
struct RunConfig;

class ReadingSession : public QObject {
    Q_OBJECT
  public:
    // `kept`: how many imported documents stay open for an instant switch back.
    explicit ReadingSession(QObject* parent = nullptr, int kept = 4);
    ~ReadingSession() override;  // waits for a running import

    // Queues `paths` for import (off the GUI thread, one at a time); each becomes the open
    // document as it arrives, so the last one ends up open.
    void import_files(const QStringList& paths);
    // Makes `path` the open document: at once when it is kept open, else after its import
    // (ahead of the queue).
    void open(const QString& path);
    // Makes `document`, imported elsewhere (a compared paper), the open document, kept open
    // like an import of its path.
    void open_document(std::shared_ptr<const Document> document);
    // The running import's result is dropped when it arrives; the queue goes on.
    void cancel_import();

    // Throws AppError (problem and hint for the reader) when there is no document or no
    // model to ask with.
    void check_can_ask() const;
    // Asks about the open document under the run configuration in force (check_can_ask
    // first); the answerer's signals carry the answer.
    void ask(const QString& question);

    // The document cache on disk (every document's prompt prefix as a model read it): what
    // it holds, its size limit, and emptying it (returns the number of readings deleted).
    struct CacheContents {
        QString dir;
        int files = 0;
        qint64 bytes = 0;
        qint64 limit = 0;
        bool limit_from_environment = false;           // $LONGLENS_CACHE_LIMIT_MIB fixes it
        qint64 smallest_limit = 0, largest_limit = 0;  // what a user may choose
    };
    CacheContents document_cache() const;
    int clear_document_cache();
    // Stores a new limit for the GUI and the CLI (clamped to what PrefixCache allows) and
    // evicts the least recently used readings beyond it now; returns what the cache holds.
    CacheContents set_document_cache_limit(qint64 bytes);

    // The run configuration in force (see ModelService::set_config: throws AppError).
    const RunConfig& run_config() const;
    void set_run_config(const RunConfig& config);

    std::shared_ptr<const Document> document() const { return document_; }
    bool importing() const { return importing_; }
    QStringList queued() const { return queue_; }
    // Kept-open documents, most recently used first.
    QStringList kept_open() const { return open_.paths(); }
    ModelService* model_service() const { return service_; }
    QuestionAnswerer* answerer() const;

  signals:
    void import_started(const QString& path);
    void imported(const QString& path, std::shared_ptr<const ll::Document> document);
    void import_failed(const QString& path, const QString& message);
    void import_cancelled(const QString& path);
    // The open document changed (after an import, or at once for a kept one).
    void document_changed(std::shared_ptr<const ll::Document> document);

  private:
    void start_next();
    void import_finished();
    void show(std::shared_ptr<const Document> document);

    ModelService* service_;
    GroundedAnswerer* answerer_;
    OpenDocuments open_;
    std::shared_ptr<const Document> document_;
    QStringList queue_;
    QFutureWatcher<ImportOutcome> import_job_;
    bool importing_ = false;
    bool abandoned_ = false;
    bool asking_ = false;  // a question of ask() is being answered
};

}  // namespace ll
