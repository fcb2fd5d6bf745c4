#include "main_window.h"

#include <cstdio>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

#include "answer_card.h"
#include "answer_panel.h"
#include "app_error.h"
#include "bundled.h"
#include "cache_dialog.h"
#include "calibration_dialog.h"
#include "compare/compare_panel.h"
#include "diagnostics/attention_panel.h"
#include "diagnostics/diagnostics_panel.h"
#include "document_view.h"
#include "job_status.h"
#include "library_panel.h"
#include "library_store.h"
#include "model_panel.h"
#include "model_service.h"
#include "notice_banner.h"
#include "outline_panel.h"
#include "qa/conversation_export.h"
#include "qa/run_config.h"
#include "review/review_panel.h"
#include "review_session.h"
#include "save_file.h"
#include "theme.h"
#include "user_library.h"
#include "zoom_box.h"

namespace ll {
namespace {

constexpr int kRecentFiles = 10;

QDockWidget* dock(QMainWindow* window, const QString& title, const QString& name, QWidget* body) {
    auto* d = new QDockWidget(title, window);
    d->setObjectName(name);  // saveState() needs names
    d->setWidget(body);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                   QDockWidget::DockWidgetFloatable);
    return d;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("LongLens");
    setAcceptDrops(true);
    store_ = open_user_library(&store_notices_);
    session_ = new ReadingSession(this);
    service_ = session_->model_service();
    answerer_ = session_->answerer();
    build_panels();
    build_menus();
    connect_services();
    restore_settings();
    // On stderr too: a damaged library or settings file set aside must be findable later.
    for (const QString& n : store_notices_) std::fprintf(stderr, "longlens: %s\n", qPrintable(n));
    show_library_notices();
}

// What opening the library found (a damaged file set aside): shown until the first document
// opened has its own notice to show, or the user closes it.
void MainWindow::show_library_notices() {
    if (!store_notices_.isEmpty())
        notice_->show_message(NoticeBanner::Kind::Error, tr("The library and settings"),
                              store_notices_.join("\n"));
}

MainWindow::~MainWindow() = default;

void MainWindow::build_panels() {
    auto* centre = new QWidget(this);
    auto* column = new QVBoxLayout(centre);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    notice_ = new NoticeBanner(centre);
    view_ = new DocumentView(centre);
    column->addWidget(notice_);
    column->addWidget(view_, 1);
    setCentralWidget(centre);

    library_ = new LibraryPanel(this);
    outline_ = new OutlinePanel(this);
    model_panel_ = new ModelPanel(service_, this);
    answers_ = new AnswerPanel(store_.get(), this);
    answers_->set_answerer(answerer_);
    diagnostics_ = new DiagnosticsPanel(session_, this);
    compare_ = new ComparePanel(session_, store_.get(), this);
    review_ = new ReviewPanel(service_, store_.get(), this);

    QDockWidget* library_dock = dock(this, tr("Library"), "library", library_);
    QDockWidget* outline_dock = dock(this, tr("Outline"), "outline", outline_);
    QDockWidget* answer_dock = dock(this, tr("Questions"), "answers", answers_);
    QDockWidget* model_dock = dock(this, tr("Model"), "model", model_panel_);
    addDockWidget(Qt::LeftDockWidgetArea, library_dock);
    addDockWidget(Qt::LeftDockWidgetArea, outline_dock);
    splitDockWidget(library_dock, outline_dock, Qt::Vertical);
    addDockWidget(Qt::RightDockWidgetArea, answer_dock);
    addDockWidget(Qt::RightDockWidgetArea, model_dock);
    tabifyDockWidget(answer_dock, model_dock);
    QDockWidget* review_dock = dock(this, tr("Review"), "review", review_);
    addDockWidget(Qt::RightDockWidgetArea, review_dock);
    tabifyDockWidget(model_dock, review_dock);
    answer_dock->raise();
    // Below the document, where a plot has the width it needs; shown from the View menu.
    QDockWidget* diagnostics_dock = dock(this, tr("Diagnostics"), "diagnostics", diagnostics_);
    addDockWidget(Qt::BottomDockWidgetArea, diagnostics_dock);
    QDockWidget* compare_dock = dock(this, tr("Compare"), "compare", compare_);
    addDockWidget(Qt::BottomDockWidgetArea, compare_dock);
    tabifyDockWidget(diagnostics_dock, compare_dock);
    diagnostics_dock->hide();
    compare_dock->hide();
    diagnostics_dock->toggleViewAction()->setShortcut(
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    resizeDocks({library_dock, answer_dock}, {260, 380}, Qt::Horizontal);
    resizeDocks({library_dock, outline_dock}, {220, 500}, Qt::Vertical);

    job_ = new JobStatus(this);
    position_ = new QLabel(this);
    statusBar()->addWidget(job_, 1);
    statusBar()->addPermanentWidget(position_);
    job_->end(tr("Ready"));
}

void MainWindow::build_menus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::choose_files);
    open->setShortcut(QKeySequence::Open);
    recent_menu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&Export Conversation…"), this, &MainWindow::export_conversation);
    file->addAction(tr("&Remove from Library"), this, [this] {
        if (!document()) return;
        if (auto d = store_->find(document()->path)) remove_from_library(d->id);
    });
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(tr("&Find…"), QKeySequence::Find, view_, &DocumentView::find);
    edit->addAction(tr("Find &Next"), QKeySequence::FindNext, view_, &DocumentView::find_next);
    edit->addAction(tr("Find &Previous"), QKeySequence::FindPrevious, view_,
                    &DocumentView::find_previous);
    edit->addSeparator();
    edit->addAction(tr("&Go to Page…"), QKeySequence(Qt::CTRL | Qt::Key_G), this,
                    &MainWindow::ask_for_page);

    view_menu_ = menuBar()->addMenu(tr("&View"));
    QAction* zoom_in = view_menu_->addAction(tr("Zoom &In"), view_, &DocumentView::zoom_in);
    zoom_in->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence::ZoomIn});
    QAction* zoom_out = view_menu_->addAction(tr("Zoom &Out"), view_, &DocumentView::zoom_out);
    zoom_out->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence::ZoomOut});
    view_menu_->addAction(tr("&Actual Size"), QKeySequence(Qt::CTRL | Qt::Key_0), view_,
                          [this] { view_->set_zoom(1.0); });
    view_menu_->addAction(tr("Fit &Width"), view_, &DocumentView::fit_width);
    view_menu_->addAction(tr("Fit &Page"), view_, &DocumentView::fit_page);
    view_menu_->addSeparator();
    QMenu* theme = view_menu_->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    const QString current = QSettings().value("ui/theme", "system").toString();
    for (const auto& [label, name] :
         {std::pair{tr("&System"), QString("system")}, std::pair{tr("&Light"), QString("light")},
          std::pair{tr("&Dark"), QString("dark")}}) {
        QAction* a = theme->addAction(label, this, [name] {
            apply_theme(theme_from_name(name));
            QSettings().setValue("ui/theme", name);
        });
        a->setCheckable(true);
        a->setChecked(name == current);
        themes->addAction(a);
    }
    view_menu_->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>())
        view_menu_->addAction(d->toggleViewAction());

    QMenu* model = menuBar()->addMenu(tr("&Model"));
    model->addAction(tr("&Open Model…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                     &MainWindow::choose_model);
    model->addSeparator();
    model->addAction(tr("Document &Cache…"), this, &MainWindow::show_document_cache);
    model->addAction(tr("Calibrate C&itations…"), this, &MainWindow::show_calibration);
    QMenu* ask_menu = menuBar()->addMenu(tr("&Ask"));
    ask_menu->addAction(tr("&Ask"), QKeySequence(Qt::CTRL | Qt::Key_Return), this,
                        [this] { ask(answers_->question()); });
    ask_menu->addAction(tr("&Next Citation"), QKeySequence(Qt::Key_F8), answers_,
                        &AnswerPanel::next_citation);
    ask_menu->addAction(tr("&Previous Citation"), QKeySequence(Qt::SHIFT | Qt::Key_F8), answers_,
                        &AnswerPanel::previous_citation);
    ask_menu->addAction(tr("C&ompare Runs…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), this,
                        [this] {
                            compare_->suggest_question(answers_->question());
                            raise_panel("compare");
                        });
    ask_menu->addAction(tr("&Review Paper…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this,
                        [this] { review_paper(); });
    ask_menu->addAction(tr("Compare with Another &Paper…"), this,
                        &MainWindow::choose_paper_to_compare);
    ask_menu->addAction(tr("&Cancel Job"), QKeySequence(Qt::CTRL | Qt::Key_Period), this,
                        &MainWindow::cancel_job);

    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName("mainToolbar");
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(open);
    bar->addAction(tr("Model…"), this, &MainWindow::choose_model);
    bar->addSeparator();
    bar->addAction(zoom_out);
    bar->addAction(zoom_in);
    auto* zoom_box = new ZoomBox(bar);
    bar->addWidget(zoom_box);
    connect(zoom_box, &ZoomBox::zoom_chosen, view_, [this](double zoom) {
        if (zoom > 0)
            view_->set_zoom(zoom);
        else if (zoom == 0)
            view_->fit_width();
        else
            view_->fit_page();
    });
    connect(view_, &DocumentView::zoom_changed, zoom_box,
            [this, zoom_box](double zoom) { zoom_box->show_zoom(zoom, view_->fit()); });
    zoom_box->show_zoom(view_->zoom());
    update_recent_menu();
}

void MainWindow::connect_services() {
    connect(library_, &LibraryPanel::open_requested, this, &MainWindow::open_document);
    connect(library_, &LibraryPanel::import_requested, this, &MainWindow::import_files);
    connect(library_, &LibraryPanel::remove_requested, this, &MainWindow::remove_from_library);
    connect(answers_, &AnswerPanel::save_failed, this, [this](const QString& message) {
        show_error(tr("The answer could not be saved; it stays on screen."), message);
    });
    connect(outline_, &OutlinePanel::entry_chosen, view_, &DocumentView::go_to);
    connect(view_, &DocumentView::visible_range_changed, outline_, &OutlinePanel::follow);
    connect(view_, &DocumentView::ask_about, this, [this](const QString& text) {
        // The quote goes into the question, so retrieval and the citations find the passage;
        // the reader can still edit the question before asking.
        const QString quote = text.simplified();
        answers_->set_question(
            tr("What does this passage say: “%1”?")
                .arg(quote.size() > 300 ? quote.left(300) + QStringLiteral("…") : quote));
        raise_panel("answers");
        answers_->focus_question();
    });
    connect(view_, &DocumentView::position_changed, position_, &QLabel::setText);
    connect(session_, &ReadingSession::import_started, this, [this](const QString& path) {
        job_->begin(tr("Importing %1").arg(QFileInfo(path).fileName()),
                    [this] { session_->cancel_import(); });
    });
    connect(session_, &ReadingSession::import_cancelled, this,
            [this] { job_->end(tr("Import cancelled.")); });
    connect(session_, &ReadingSession::import_failed, this,
            [this](const QString&, const QString& error) {
                job_->end(tr("Import failed."));
                show_error(tr("The document could not be opened."), error);
                emit document_failed(error);
            });
    connect(session_, &ReadingSession::imported, this, &MainWindow::show_imported);
    connect(session_, &ReadingSession::document_changed, this, &MainWindow::show_document);
    connect(model_panel_, &ModelPanel::open_requested, this, &MainWindow::choose_model);
    connect(answers_, &AnswerPanel::question_submitted, this, &MainWindow::ask);
    connect(answers_, &AnswerPanel::cancel_requested, this, &MainWindow::cancel_job);
    connect(answers_, &AnswerPanel::citation_activated, this, &MainWindow::show_citation);
    connect(compare_, &ComparePanel::citation_clicked, view_, &DocumentView::show_range);
    connect(review_, &ReviewPanel::citation_activated, this, &MainWindow::show_review_source);
    connect(review_, &ReviewPanel::compare_requested, this, &MainWindow::choose_paper_to_compare);
    connect(review_, &ReviewPanel::finished, this, &MainWindow::review_finished);
    connect(review_->session(), &ReviewSession::stage_changed, job_, &JobStatus::busy);
    connect(review_->session(), &ReviewSession::running_changed, this, [this](bool running) {
        if (!running) job_->end(review_->session()->outcome());
    });
    connect(diagnostics_->attention(), &AttentionPanel::go_to, view_, &DocumentView::go_to);
    connect(diagnostics_->attention(), &AttentionPanel::strip_changed, view_,
            &DocumentView::set_attention_strip);
    connect(compare_, &ComparePanel::marks_changed, view_, &DocumentView::set_coloured_ranges);

    connect(service_, &ModelService::loading, this, [this](const QString& path) {
        job_->begin(tr("Loading %1").arg(bundled::model_name(path)));
    });
    connect(service_, &ModelService::loaded, this, [this](const ModelSummary& s) {
        job_->end(tr("%1 loaded: %2 layers, window %3 tokens")
                      .arg(bundled::model_name(s.path))
                      .arg(s.layers)
                      .arg(s.usable_window()));
        QSettings().setValue("model/path", s.path);
        if (!s.warnings.isEmpty())
            notice_->show_message(NoticeBanner::Kind::Warning, tr("Position scaling"),
                                  s.warnings.join("\n"));
    });
    connect(service_, &ModelService::load_failed, this, [this](const QString& message) {
        job_->end(tr("The model could not be loaded."));
        show_error(tr("The model could not be loaded."), message);
    });
    connect(answerer_, &QuestionAnswerer::stage_changed, job_, &JobStatus::busy);
    connect(answerer_, &QuestionAnswerer::prefill_progress, this,
            [this](qint64 done, qint64 total, double seconds) {
                job_->tokens(tr("Reading"), done, total, seconds);
            });
    connect(answerer_, &QuestionAnswerer::decode_progress, this,
            [this](qint64 tokens, double seconds) {
                job_->tokens(tr("Answering"), tokens, 0, seconds);
            });
    connect(answerer_, &QuestionAnswerer::answered, this,
            [this](const QList<AnswerCitation>&, const AnswerTimes& t) {
                job_->end(!answers_->saved() ? tr("Answer not saved.")
                          : t.cancelled      ? tr("Answer stopped.")
                                             : tr("Answer ready."));
                emit answer_finished();
            });
    connect(answerer_, &QuestionAnswerer::failed, this, [this](const QString& message) {
        job_->end(tr("The question could not be answered."));
        show_error(tr("The question could not be answered."), message);
        emit answer_finished();
    });
}

void MainWindow::show_error(const QString& title, const QString& detail) {
    notice_->show_message(NoticeBanner::Kind::Error, title, detail);
}

void MainWindow::refresh_library() {
    library_->show_documents(store_->documents());
}

void MainWindow::remove_from_library(qint64 document_id) {
    if (!store_->remove(document_id))
        show_error(tr("The document could not be removed from the library."), store_->error());
    refresh_library();
}

// The open document's conversation as Markdown or JSON, with every answer's citations.
void MainWindow::export_conversation() {
    const Conversation& c = answers_->conversation();
    if (!document() || c.answers.isEmpty()) {
        statusBar()->showMessage(tr("No conversation to export."), 5000);
        return;
    }
    QString filter;
    const QString name = QFileInfo(document()->path).completeBaseName();
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Conversation"),
        QFileInfo(QSettings().value("ui/last_dir").toString(), name + ".md").filePath(),
        tr("Markdown (*.md);;JSON (*.json)"), &filter);
    if (file.isEmpty()) return;
    const bool json = file.endsWith(".json", Qt::CaseInsensitive) || filter.contains("json");
    const QByteArray bytes =
        json ? QJsonDocument(conversation_json(c)).toJson() : conversation_markdown(c).toUtf8();
    if (const QString error = save_file(file, bytes); !error.isEmpty())
        show_error(tr("The conversation could not be exported."), error);
    else
        statusBar()->showMessage(tr("Exported to %1").arg(QDir::toNativeSeparators(file)), 5000);
}

void MainWindow::choose_files() {
    const QString dir = QSettings().value("ui/last_dir").toString();
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Open Documents"), dir,
        tr("Documents (*.pdf *.epub *.txt *.md *.markdown);;All files (*)"));
    if (files.isEmpty()) return;
    QSettings().setValue("ui/last_dir", QFileInfo(files.first()).absolutePath());
    import_files(files);
}

void MainWindow::choose_model() {
    QSettings settings;
    QFileDialog dialog(this, tr("Open Model (GGUF file or Hugging Face directory)"),
                       QFileInfo(settings.value("model/path").toString()).absolutePath());
    dialog.setNameFilter(tr("GGUF models (*.gguf);;All files (*)"));
    dialog.setFileMode(QFileDialog::AnyFile);  // lets a directory be chosen too
    dialog.setOption(QFileDialog::DontUseNativeDialog, false);
    if (dialog.exec() != QDialog::Accepted || dialog.selectedFiles().isEmpty()) return;
    load_model(dialog.selectedFiles().first());
}

// The document cache holds every document's prompt prefix as read by a model (up to its
// limit, least recently used evicted): the user may want the space back, a different limit,
// or a clean start. Not modal: the window stays usable beside it.
void MainWindow::ask_for_page() {
    const std::shared_ptr<const Document> doc = document();
    if (!doc || doc->page_count <= 0) {
        statusBar()->showMessage(tr("This document has no pages: use the outline or Find."), 5000);
        return;
    }
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Go to Page"),
        doc->page_labels.isEmpty() ? tr("Page (1–%1):").arg(doc->page_count)
                                   : tr("Page as printed (%1–%2) or its number (1–%3):")
                                         .arg(doc->page_labels.first(), doc->page_labels.last())
                                         .arg(doc->page_count),
        QLineEdit::Normal, QString(), &ok);
    if (ok && !name.trimmed().isEmpty() && !view_->go_to_page_named(name))
        statusBar()->showMessage(tr("There is no page “%1” in this document.").arg(name), 5000);
}

void MainWindow::show_document_cache() {
    auto* dialog = findChild<DocumentCacheDialog*>();
    if (!dialog) {
        dialog = new DocumentCacheDialog(session_, this);
        connect(dialog, &DocumentCacheDialog::message, this,
                [this](const QString& text) { statusBar()->showMessage(text, 5000); });
    }
    dialog->show();
    dialog->raise();
}

void MainWindow::show_calibration() {
    auto* dialog = findChild<CalibrationDialog*>();
    if (!dialog) {
        dialog = new CalibrationDialog(session_, this);
        connect(dialog, &CalibrationDialog::message, this,
                [this](const QString& text) { statusBar()->showMessage(text, 5000); });
    }
    dialog->show();
    dialog->raise();
}

void MainWindow::load_model(const QString& path) {
    service_->load(path);
}

void MainWindow::import_files(const QStringList& paths) {
    session_->import_files(paths);
}

void MainWindow::open_document(const QString& path) {
    session_->open(path);
}

void MainWindow::show_imported(const QString& path,
                               const std::shared_ptr<const Document>& document) {
    job_->end(tr("Imported %1: %2").arg(QFileInfo(path).fileName(), describe_document(*document)));
}

void MainWindow::show_document(const std::shared_ptr<const Document>& document) {
    view_->set_document(document);
    outline_->set_document(*document);
    // A paper's captions and references join the outline (is_paper: its outline has an
    // Abstract or References heading; for other documents detection stops there).
    const PaperStructure paper = detect_paper_structure(*document);
    if (paper.is_paper) outline_->add_paper_parts(paper);
    review_->set_document(document);
    // The Review panel is offered for papers (and while it shows a review of this one);
    // Ask ▸ Review Paper… and the View menu open it for any document.
    if (auto* d = findChild<QDockWidget*>("review"))
        d->setVisible(review_->session()->offered(paper));
    // The library knows the document by its content: a moved file keeps its conversation.
    const qint64 id = store_->note_opened(
        document_fingerprint(*document), document->path, QFileInfo(document->path).fileName(),
        format_name(document->format), describe_document(*document));
    if (!id) show_error(tr("The library could not record the document."), store_->error());
    refresh_library();
    answers_->set_document(id);
    const QString sample_path = bundled::sample_document();
    const bool sample =
        !sample_path.isEmpty() && QFileInfo(document->path) == QFileInfo(sample_path);
    answers_->suggest_question(sample ? bundled::example_question() : QString());
    library_->mark_open(document->path);
    remember_recent(document->path);
    setWindowTitle(QStringLiteral("%1 — LongLens").arg(QFileInfo(document->path).fileName()));
    if (!document->warnings.isEmpty())
        notice_->show_message(NoticeBanner::Kind::Warning, tr("Imported with warnings"),
                              document->warnings.join("\n"));
    else if (!store_notices_.isEmpty())
        show_library_notices();
    else
        notice_->hide();
    store_notices_.clear();
    // A source of the other paper waits for that paper only: whatever opens next ends it.
    if (auto pending = std::exchange(pending_source_, std::nullopt);
        pending && QFileInfo(pending->first) == QFileInfo(document->path))
        show_citation(pending->second);
    emit document_opened(document->path);
}

void MainWindow::ask(const QString& question) {
    if (question.trimmed().isEmpty() || answers_->answering()) return;
    try {
        session_->check_can_ask();
    } catch (const AppError& e) {
        show_error(e.problem(), e.hint());
        return;
    }
    // The conversation records the configuration that answered.
    const ModelSummary& s = service_->summary();
    // The RunConfig as chosen, and what was in force where the model decided.
    QJsonObject config = service_->config().to_json();
    config["model"] = s.path;
    config["scaling_in_force"] = s.spec_text;
    config["attention_in_force"] = s.attention;
    config["kv_in_force"] = s.kv_type;
    config["window_in_force"] = qint64(s.usable_window());
    answers_->begin_answer(question.trimmed(), config);
    job_->begin(tr("Reading the document"), [this] { answerer_->cancel(); });
    session_->ask(question);
}

void MainWindow::cancel_job() {
    if (review_->session()->running()) review_->session()->cancel();
    if (service_->busy()) answerer_->cancel();
    session_->cancel_import();
}

void MainWindow::review_paper(const QStringList& part_ids) {
    raise_panel("review");
    review_->review(part_ids);
}

void MainWindow::compare_papers(const QString& path, const QStringList& aspect_ids) {
    raise_panel("review");
    review_->compare_with(path, aspect_ids);
}

// The documents of the library (other than the open one), or a file.
void MainWindow::choose_paper_to_compare() {
    if (!document()) {
        statusBar()->showMessage(tr("Open a paper first, then compare it with another."), 5000);
        return;
    }
    QStringList names, paths;
    for (const LibraryDocument& d : store_->documents())
        if (d.in_library && QFileInfo(d.path) != QFileInfo(document()->path) &&
            QFileInfo::exists(d.path)) {
            names << QStringLiteral("%1 — %2").arg(d.title, QDir::toNativeSeparators(d.path));
            paths << d.path;
        }
    const QString other = tr("Another file…");
    QString path;
    bool ok = true;
    const QString choice =
        names.isEmpty() ? other
                        : QInputDialog::getItem(
                              this, tr("Compare with Another Paper"),
                              tr("Compare %1 with:").arg(QFileInfo(document()->path).fileName()),
                              names + QStringList{other}, 0, false, &ok);
    if (!ok) return;
    if (choice == other)
        path = QFileDialog::getOpenFileName(this, tr("Compare with Another Paper"),
                                            QSettings().value("ui/last_dir").toString(),
                                            tr("Papers (*.pdf *.txt *.md);;All files (*)"));
    else
        path = paths.value(names.indexOf(choice));
    if (!path.isEmpty()) compare_papers(path);
}

void MainWindow::raise_panel(const QString& name) {
    // A Diagnostics view by its name: its dock, with that tab in front.
    if (diagnostics_->show_view(name)) return raise_panel("diagnostics");
    if (auto* d = findChild<QDockWidget*>(name)) {
        d->show();
        d->raise();
        // A plot or a row of answer columns needs room: the bottom docks open at half height.
        if (dockWidgetArea(d) == Qt::BottomDockWidgetArea && d->height() < height() / 2)
            resizeDocks({d}, {height() / 2}, Qt::Vertical);
    }
}

void MainWindow::show_citation(const AnswerCitation& citation) {
    view_->show_range(citation.start, citation.end);
}

void MainWindow::show_review_source(const AnswerCitation& citation, int side) {
    const QString path = review_->session()->review().documents.value(side).path;
    const std::shared_ptr<const Document> paper = review_->session()->document(side);
    // The open document is that paper (by content: the review may name an older path).
    if (path.isEmpty() || (paper && paper == document()) ||
        (document() && QFileInfo(document()->path) == QFileInfo(path)))
        return show_citation(citation);
    pending_source_ = std::pair{paper ? paper->path : path, citation};
    if (paper)
        session_->open_document(paper);  // imported for the comparison: no second import
    else
        session_->open(path);
}

void MainWindow::remember_recent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value("ui/recent").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    settings.setValue("ui/recent", recent.mid(0, kRecentFiles));
    settings.setValue("ui/last_document", path);
    update_recent_menu();
}

void MainWindow::update_recent_menu() {
    recent_menu_->clear();
    const QStringList recent = QSettings().value("ui/recent").toStringList();
    for (const QString& path : recent)
        recent_menu_
            ->addAction(QFileInfo(path).fileName(), this, [this, path] { open_document(path); })
            ->setToolTip(path);
    recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::restore_settings() {
    QSettings settings;
    if (!restoreGeometry(settings.value("ui/geometry").toByteArray())) resize(1400, 900);
    restoreState(settings.value("ui/state").toByteArray());
    refresh_library();
    view_->set_zoom(settings.value("ui/zoom", 1.0).toDouble());
}

MainWindow::Restored MainWindow::restore_session(bool document, bool model) {
    QSettings settings;
    Restored started;
    if (document) {
        const QString last = settings.value("ui/last_document").toString();
        const QString sample = bundled::sample_document();
        // Else the library's most recently opened document (also by the CLI) that is still
        // there; a first start (empty library) opens the sample, so there is something to ask
        // about.
        QString path = QFileInfo::exists(last) ? last : QString();
        for (const QString& p : library_->paths())
            if (path.isEmpty() && QFileInfo::exists(p)) path = p;
        if (path.isEmpty() && library_->paths().isEmpty()) path = sample;
        if (!path.isEmpty()) {
            path == sample ? import_files({sample}) : open_document(path);
            started.document = true;
        }
    }
    if (model) {
        const QString last = settings.value("model/path").toString();
        // None chosen yet (or the chosen one is gone): LongLens's own model.
        const QString path = QFileInfo::exists(last) ? last : bundled::model_dir();
        if (!path.isEmpty()) {
            load_model(path);
            started.model = true;
        }
    }
    return started;
}

void MainWindow::save_settings() const {
    QSettings settings;
    settings.setValue("ui/geometry", saveGeometry());
    settings.setValue("ui/state", saveState());
    settings.setValue("ui/zoom", view_->zoom());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    answerer_->cancel();
    save_settings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!local_files(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList files = local_files(event->mimeData());
    if (files.isEmpty()) return;
    event->acceptProposedAction();
    import_files(files);
}

}  // namespace ll
