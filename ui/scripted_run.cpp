#include "scripted_run.h"

#include <QApplication>
#include <QThread>
#include <QTimer>

#include <cstdio>

#include "answer_card.h"
#include "answer_panel.h"
#include "app_error.h"
#include "citation_chip.h"
#include "document_view.h"
#include "main_window.h"
#include "model_panel.h"
#include "model_service.h"
#include "pdf_view.h"
#include "review/review_panel.h"
#include "review/review_part_view.h"
#include "review_session.h"
#include "scaling_editor.h"

namespace ll {
namespace {
constexpr int kSettleMs = 1600;  // past the citation flash, so the highlight is steady
}

ScriptedRun::ScriptedRun(MainWindow* window, ScriptOptions options)
    : QObject(window), window_(window), options_(std::move(options)) {}

void ScriptedRun::start() {
    ModelService* service = window_->model_service();
    connect(window_, &MainWindow::document_opened, this, [this] {
        if (options_.zoom > 0) window_->document_view()->set_zoom(options_.zoom);
        if (options_.page > 0) window_->document_view()->go_to_page(options_.page - 1);
        document_done_ = true;
        step();
    });
    connect(window_, &MainWindow::document_failed, this, [this](const QString& message) {
        std::fprintf(stderr, "longlens: %s\n", qPrintable(message));
        ++failures_;
        document_done_ = true;
        step();
    });
    connect(service, &ModelService::loaded, this, [this] {
        model_done_ = true;
        step();
    });
    connect(service, &ModelService::load_failed, this, [this](const QString& message) {
        std::fprintf(stderr, "longlens: %s\n", qPrintable(message));
        ++failures_;
        model_done_ = true;
        step();
    });
    connect(window_, &MainWindow::answer_finished, this, [this] {
        answer_done_ = true;
        after_answer();
    });
    connect(window_, &MainWindow::review_finished, this, [this] {
        if (!reviewed_ || answer_done_) return;
        answer_done_ = true;
        after_review();
    });
    connect(window_->answerer(), &QuestionAnswerer::prefill_progress, this,
            [this](qint64 done, qint64 total) {
                if (prefill_shot_ || options_.prefill_screenshot.isEmpty() || done * 5 < total * 2)
                    return;
                prefill_shot_ = true;
                grab(options_.prefill_screenshot);
            });
    if (options_.log_progress) log_progress();
    QTimer::singleShot(options_.timeout_seconds * 1000, this, [this] {
        std::fprintf(stderr, "longlens: gave up waiting after %d s\n", options_.timeout_seconds);
        ++failures_;
        finish();
    });

    if (!options_.panel.isEmpty()) window_->raise_panel(options_.panel);
    document_done_ = !options_.await_document;
    model_done_ = !options_.await_model;
    if (!options_.model.isEmpty()) {
        model_done_ = false;
        if (!options_.scaling.isEmpty()) {
            window_->model_panel()->scaling_editor()->set_spec(options_.scaling);
            try {
                service->set_scaling(options_.scaling);
            } catch (const AppError& e) {
                std::fprintf(stderr, "longlens: --scaling: %s\n", e.what());
                ++failures_;
            }
        }
        service->load(options_.model);
    }
    if (!options_.open.isEmpty()) {
        document_done_ = false;
        window_->import_files({options_.open});
    }
    step();
}

void ScriptedRun::step() {
    if (!document_done_ || !model_done_ || finishing_) return;
    if (!options_.ask.isEmpty() && !asked_ && window_->document() &&
        window_->model_service()->has_model()) {
        asked_ = true;
        answer_done_ = false;
        since_asked_.start();
        window_->answer_panel()->set_question(options_.ask);
        window_->ask(options_.ask);
        return;
    }
    if (!options_.review.isEmpty() && !reviewed_ && window_->document() &&
        window_->model_service()->has_model()) {
        reviewed_ = true;
        answer_done_ = false;
        window_->review_paper(options_.review == "all" ? QStringList()
                                                       : options_.review.split(','));
        return;
    }
    if (!options_.compare.isEmpty() && !reviewed_ && window_->document() &&
        window_->model_service()->has_model()) {
        reviewed_ = true;
        answer_done_ = false;
        window_->compare_papers(options_.compare);
        return;
    }
    if (answer_done_) settle_then_finish();
}

void ScriptedRun::after_review() {
    // Show the first part's first source, as a reader would by clicking its chip; in a
    // comparison the first source in the other paper, which opens it.
    ReviewPanel* panel = window_->review_panel();
    const Review& review = panel->session()->review();
    for (int i = 0; i < panel->part_count(); ++i)
        if (!panel->part_view(i)->chips().isEmpty() &&
            review.parts.value(i).side == (review.comparison() ? 1 : 0)) {
            panel->part_view(i)->chips().first()->click();
            break;
        }
    settle_then_finish();
}

// Lets a process driving the window (a test, a script) follow a job: flushed at once, since
// whoever reads may kill the process at any moment.
void ScriptedRun::log_progress() {
    QuestionAnswerer* answerer = window_->answerer();
    // Seconds since the question was asked: what the app path costs against the engine
    // alone (bench/app_path.py reads the first answer token's time from here).
    auto seconds = [this] { return static_cast<double>(since_asked_.nsecsElapsed()) * 1e-9; };
    connect(answerer, &QuestionAnswerer::prefill_progress, this,
            [seconds](qint64 done, qint64 total) {
                std::printf("prefill %lld/%lld at %.3f s\n", static_cast<long long>(done),
                            static_cast<long long>(total), seconds());
                std::fflush(stdout);
            });
    connect(answerer, &QuestionAnswerer::decode_progress, this, [seconds](qint64 tokens) {
        std::printf("answer %lld tokens at %.3f s\n", static_cast<long long>(tokens), seconds());
        std::fflush(stdout);
    });
    // Pieces of answer text as the answer panel shows (and stores) them: tokens held back by
    // the stop scanner are counted above but not yet shown.
    connect(answerer, &QuestionAnswerer::answer_text, this, [this, seconds](const QString&) {
        std::printf("shown %d pieces at %.3f s\n", ++pieces_shown_, seconds());
        std::fflush(stdout);
    });
    connect(window_, &MainWindow::answer_finished, this, [seconds] {
        std::printf("answer finished at %.3f s\n", seconds());
        std::fflush(stdout);
    });
}

void ScriptedRun::after_answer() {
    // Show the first source of the answer, as a reader would by clicking its chip.
    if (AnswerCard* card = window_->answer_panel()->last_card(); card && !card->chips().isEmpty())
        card->chips().first()->click();
    settle_then_finish();
}

void ScriptedRun::settle_then_finish() {
    if (finishing_) return;
    finishing_ = true;
    if (options_.range_start >= 0)
        window_->document_view()->show_range(options_.range_start, options_.range_end);
    QTimer::singleShot(kSettleMs, this, &ScriptedRun::finish);
}

void ScriptedRun::finish() {
    // Let the pages in view finish rendering (bounded, so a stuck render cannot hang us).
    PdfView* pdf = window_->document_view()->pdf_view();
    for (int i = 0; i < 100 && pdf->rendering(); ++i) {
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(50);
    }
    QApplication::processEvents();
    if (!options_.screenshot.isEmpty() && !grab(options_.screenshot)) ++failures_;
    if (options_.quit_when_done) {
        window_->close();
        QApplication::exit(exit_code());
    }
}

bool ScriptedRun::grab(const QString& path) {
    const QPixmap shot = window_->grab();
    if (shot.save(path)) return true;
    std::fprintf(stderr, "longlens: cannot write the screenshot %s\n", qPrintable(path));
    return false;
}

}  // namespace ll
