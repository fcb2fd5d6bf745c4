// The LongLens window: library and outline on the left, the document in the centre, the
// answers and the model on the right, job progress in the status bar. It wires the panels
// to the services (import, ModelService, a QuestionAnswerer) and keeps layout, recent files
// and settings across restarts.
#pragma once

#include <QMainWindow>

#include <memory>
#include <optional>
#include <utility>

#include "document_import.h"
#include "documents/document.h"
#include "question_answerer.h"
#include "reading_session.h"

class QLabel;
class QMenu;

namespace ll {

class AnswerPanel;
class ComparePanel;
class DiagnosticsPanel;
class DocumentView;
class JobStatus;
class LibraryPanel;
class ModelPanel;
class LibraryStore;
class ModelService;
class NoticeBanner;
class OutlinePanel;
class ReviewPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Imports (off the GUI thread) and opens the first of `paths`; the others join the library.
    void import_files(const QStringList& paths);
    void open_document(const QString& path);
    void load_model(const QString& path);
    void ask(const QString& question);
    void cancel_job();
    // Review Paper: a grounded review of the open paper in the Review panel (all parts, or
    // those named).
    void review_paper(const QStringList& part_ids = {});
    // The open paper compared with the paper at `path` in the Review panel (all aspects, or
    // those named).
    void compare_papers(const QString& path, const QStringList& aspect_ids = {});
    // Brings a side panel to the front: "library", "outline", "answers" or "model".
    void raise_panel(const QString& name);
    // Restores the last session's document and model (the command line may override them);
    // on a first start, the bundled sample document and model. Says which it started.
    struct Restored {
        bool document = false, model = false;
    };
    Restored restore_session(bool document, bool model);

    DocumentView* document_view() const { return view_; }
    AnswerPanel* answer_panel() const { return answers_; }
    ModelPanel* model_panel() const { return model_panel_; }
    DiagnosticsPanel* diagnostics_panel() const { return diagnostics_; }
    ComparePanel* compare_panel() const { return compare_; }
    ReviewPanel* review_panel() const { return review_; }
    LibraryPanel* library() const { return library_; }
    LibraryStore* library_store() const { return store_.get(); }
    OutlinePanel* outline() const { return outline_; }
    ReadingSession* session() const { return session_; }
    ModelService* model_service() const { return session_->model_service(); }
    QuestionAnswerer* answerer() const { return session_->answerer(); }
    JobStatus* job_status() const { return job_; }
    NoticeBanner* notice() const { return notice_; }
    std::shared_ptr<const Document> document() const { return session_->document(); }
    bool importing() const { return session_->importing(); }

  signals:
    void document_opened(const QString& path);
    void document_failed(const QString& message);
    void answer_finished();
    void review_finished();

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void build_panels();
    void build_menus();
    void connect_services();
    void show_document(const std::shared_ptr<const Document>& document);
    void show_imported(const QString& path, const std::shared_ptr<const Document>& document);
    void choose_files();
    void choose_model();
    void show_document_cache();
    void show_calibration();
    void ask_for_page();
    void show_citation(const AnswerCitation& citation);
    // A review chip: in the open paper, or in the compared one, which is opened first.
    void show_review_source(const AnswerCitation& citation, int side);
    void choose_paper_to_compare();
    void update_recent_menu();
    void remember_recent(const QString& path);
    void show_error(const QString& title, const QString& detail);
    void refresh_library();
    void show_library_notices();
    void remove_from_library(qint64 document_id);
    void export_conversation();
    void save_settings() const;
    void restore_settings();

    std::unique_ptr<LibraryStore> store_;  // the library: documents and conversations
    QStringList store_notices_;            // what opening it found (a damaged file set aside)
    ReadingSession* session_;
    ModelService* service_;       // the session's
    QuestionAnswerer* answerer_;  // the session's
    DocumentView* view_;
    LibraryPanel* library_;
    OutlinePanel* outline_;
    ModelPanel* model_panel_;
    AnswerPanel* answers_;
    DiagnosticsPanel* diagnostics_;
    ComparePanel* compare_;
    ReviewPanel* review_;
    JobStatus* job_;
    NoticeBanner* notice_;
    QLabel* position_;
    QMenu* recent_menu_ = nullptr;
    QMenu* view_menu_ = nullptr;
    // A review chip of a paper being opened: shown once it is (path, citation).
    std::optional<std::pair<QString, AnswerCitation>> pending_source_;
};

}  // namespace ll
