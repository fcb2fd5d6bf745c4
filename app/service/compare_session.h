// The Compare view's session: one comparison (a document, a question, two to four runs) run
// by a CompareRunner (compare/) on a Qt Concurrent worker, with what each column shows kept
// here as plain text and ranges, so the widgets only draw it. Progress comes back queued;
// cancel keeps the runs before the one it stops; the comparison is saved in the library
// when it ends.
#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

namespace ll {

class CompareRunner;
class Document;
class LibraryStore;
struct ComparisonEntry;
class ModelService;
struct Comparison;

struct CompareCitation {
    qsizetype start = 0;
    qsizetype end = 0;
    int page = -1;  // 0-based; -1 without pages
    QString text;
};

// One run's column.
struct CompareColumn {
    QString spec;        // the RunConfig's text form; "" for the defaults
    QString status;      // waiting, loading, reading, answering, done, failed, cancelled
    QString stage_text;  // "Reading the document: 1024 of 2161 tokens"
    double fraction = 0;  // of the stage in progress
    QString answer;       // streamed while answering
    QList<CompareCitation> citations;
    QString plan;      // "full, 2116 tokens" / "retrieve, 812 tokens, 5 passages"
    QString numbers;   // load, first token, prefill and decode speed, memory, document cache
    QString scaling_in_force;
    QString error;     // failed: why; cancelled: by whom
};

class CompareSession : public QObject {
    Q_OBJECT
  public:
    explicit CompareSession(LibraryStore* store = nullptr, QObject* parent = nullptr);
    ~CompareSession() override;  // cancels and waits for the worker

    enum class Preset { Scaling, KvTypes, Attention };
    // The runs a preset fills in, as spec texts, for the model loaded in `service` and the
    // document (its length sets the scaling factor). Throws AppError without a model.
    static QStringList preset(Preset preset, const ModelService& service, const Document& doc);

    // Starts the runs one after another. Throws AppError (nothing starts) for a count
    // outside 2..4, a spec that does not parse (naming the run), no document or question,
    // or while a comparison is running.
    void start(std::shared_ptr<const Document> document, const QString& question,
               const QStringList& specs, int max_answer_tokens = 128);
    void cancel();
    bool running() const { return running_; }

    const QList<CompareColumn>& columns() const { return columns_; }
    // The question and the runs' spec texts of the comparison shown.
    QString question() const;
    QStringList specs() const;

    // The comparisons kept in the library for `document`, newest first.
    QList<ComparisonEntry> earlier(const Document& document) const;
    // Shows a kept comparison (its question, runs and results); start() runs it again.
    // Throws AppError when the library does not have it or one is running.
    void open(qint64 id);
    // Writes the comparison shown as Markdown (.md), an HTML page (.html) or JSON (.json),
    // by the file's suffix. Throws AppError naming the file.
    void export_to(const QString& path) const;
    // After the end: which passages the runs share ("2 of 5 cited passages …").
    QString agreement() const { return agreement_; }
    // The word-level difference of two runs' answers as HTML (removed struck out in red,
    // added in green), for the view.
    QString diff_html(int first, int second) const;
    qint64 saved_id() const { return saved_id_; }
    QString save_error() const { return save_error_; }

  signals:
    void column_changed(int index);
    void finished();

  private:
    void progress(int run, int stage, qint64 done, qint64 total, const QString& text);
    void run_ended(int run, const CompareColumn& column);
    void ended();

    LibraryStore* store_;
    std::shared_ptr<CompareRunner> runner_;
    std::shared_ptr<Comparison> comparison_;
    std::shared_ptr<const Document> document_;
    QFutureWatcher<void> job_;
    QList<CompareColumn> columns_;
    QString agreement_;
    qint64 saved_id_ = 0;
    QString save_error_;
    bool running_ = false;
};

}  // namespace ll
