#include "review/review_panel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>

#include "app_error.h"
#include "review/review_part_view.h"
#include "review_session.h"

namespace ll {

ReviewPanel::ReviewPanel(ModelService* service, LibraryStore* store, QWidget* parent)
    : QWidget(parent), session_(new ReviewSession(service, store, this)) {
    auto* column = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    review_ = new QPushButton(tr("Review Paper"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    export_ = new QPushButton(tr("Export…"), this);
    compare_ = new QPushButton(tr("Compare…"), this);
    compare_->setToolTip(tr("Compare this paper with another paper"));
    cancel_->setEnabled(false);
    export_->setEnabled(false);
    buttons->addWidget(review_);
    buttons->addWidget(compare_);
    buttons->addWidget(cancel_);
    buttons->addStretch(1);
    buttons->addWidget(export_);
    column->addLayout(buttons);
    heading_ = new QLabel(this);
    heading_->setWordWrap(true);
    column->addWidget(heading_);
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(message_);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    parts_ = new QWidget(scroll);
    parts_layout_ = new QVBoxLayout(parts_);
    parts_layout_->setContentsMargins(0, 0, 0, 0);
    parts_layout_->addStretch(1);
    scroll->setWidget(parts_);
    column->addWidget(scroll, 1);
    show_message(intro());

    connect(review_, &QPushButton::clicked, this, [this] { review(); });
    connect(compare_, &QPushButton::clicked, this, &ReviewPanel::compare_requested);
    connect(cancel_, &QPushButton::clicked, session_, &ReviewSession::cancel);
    connect(export_, &QPushButton::clicked, this, &ReviewPanel::choose_export);
    connect(session_, &ReviewSession::reset, this, &ReviewPanel::rebuild);
    connect(session_, &ReviewSession::part_changed, this, [this](int i) {
        if (ReviewPartView* v = views_.value(i)) v->show_part(session_->review().parts[i]);
    });
    connect(session_, &ReviewSession::part_text, this, [this](int i, const QString& text) {
        if (ReviewPartView* v = views_.value(i)) v->append_text(text);
    });
    connect(session_, &ReviewSession::stage_changed, this,
            [this](const QString& stage) { show_message(stage); });
    connect(session_, &ReviewSession::failed, this,
            [this](const QString& message) { show_message(message, true); });
    connect(session_, &ReviewSession::running_changed, this, [this](bool running) {
        if (running) not_kept_ = false;
        cancel_->setEnabled(running);
        review_->setEnabled(!running);
        compare_->setEnabled(!running);
        export_->setEnabled(!running && !session_->review().parts.isEmpty());
        if (!running) {
            // A failed save's message stays until the next part is written.
            if (const QString outcome = session_->outcome(); !outcome.isEmpty() && !not_kept_)
                show_message(outcome, !session_->complete());
            emit finished();
        }
    });
    connect(session_, &ReviewSession::save_failed, this, [this](const QString& message) {
        not_kept_ = true;  // said until the next part is written
        show_message(tr("The review could not be kept in the library: %1").arg(message), true);
    });
}

void ReviewPanel::set_document(std::shared_ptr<const Document> document) {
    document_ = std::move(document);
    const bool shown = session_->show_document(document_);
    if (session_->running()) return;
    if (!shown)
        show_message(intro());
    else if (session_->stored_id())
        show_message(tr("Kept in the library; Regenerate writes a part again."));
}

QString ReviewPanel::intro() const {
    return tr(
        "Review Paper writes a review of the open paper, part by part; Compare… sets it "
        "against another paper. Every sentence cites its paper.");
}

void ReviewPanel::compare_with(const QString& path, const QStringList& aspect_ids) {
    if (!document_) return show_message(tr("Open a paper first."), true);
    session_->start_comparison(document_, path, aspect_ids);
}

void ReviewPanel::review(const QStringList& part_ids) {
    if (!document_) return show_message(tr("Open a paper first."), true);
    session_->start(document_, part_ids);
}

void ReviewPanel::rebuild() {
    for (ReviewPartView* v : views_) delete v;
    views_.clear();
    const Review& r = session_->review();
    QString heading;
    if (r.comparison())
        heading =
            tr("Comparison of A: %1 and B: %2").arg(r.documents[0].title, r.documents[1].title);
    else if (!r.documents.isEmpty())
        heading = tr("Review of %1").arg(r.documents[0].title);
    heading_->setText(heading.isEmpty() ? QString() : "<b>" + heading.toHtmlEscaped() + "</b>");
    export_->setEnabled(!session_->running() && !r.parts.isEmpty());
    for (int i = 0; i < r.parts.size(); ++i) {
        auto* v = new ReviewPartView(parts_);
        const int side = r.parts[i].side;
        if (r.comparison()) v->set_paper(QString(QChar('A' + side)), r.documents.value(side).title);
        v->show_part(r.parts[i]);
        connect(v, &ReviewPartView::citation_activated, this,
                [this, side](const AnswerCitation& c) { emit citation_activated(c, side); });
        connect(v, &ReviewPartView::regenerate_requested, this,
                [this, i] { session_->regenerate(i); });
        parts_layout_->insertWidget(parts_layout_->count() - 1, v);
        views_ << v;
    }
}

void ReviewPanel::show_message(const QString& text, bool error) {
    message_->setText(text);
    message_->setStyleSheet(error ? "color: #c0392b;" : QString());
}

QString ReviewPanel::message_text() const {
    return message_->text();
}

bool ReviewPanel::export_to(const QString& path) {
    QStringList written;
    try {
        written = session_->export_to(path);
    } catch (const AppError& e) {
        show_message(QString::fromUtf8(e.what()), true);
        return false;
    }
    show_message(tr("Exported to %1").arg(written.join(tr(" and "))));
    return true;
}

void ReviewPanel::choose_export() {
    const Review& r = session_->review();
    const QString name =
        r.documents.isEmpty()
            ? QStringLiteral("review")
            : QFileInfo(r.documents[0].path).completeBaseName() +
                  (r.comparison() ? "-vs-" + QFileInfo(r.documents[1].path).completeBaseName()
                                  : QStringLiteral("-review"));
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Review"),
        QFileInfo(QSettings().value("ui/last_dir").toString(), name + ".html").filePath(),
        tr("HTML (*.html);;Markdown (*.md);;PDF with highlights (*.pdf)"));
    if (!path.isEmpty()) export_to(path);  // a comparison's PDF: NAME-A.pdf and NAME-B.pdf
}

}  // namespace ll
