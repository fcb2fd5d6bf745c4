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

ReviewPanel::ReviewPanel(ModelService* service, QWidget* parent)
    : QWidget(parent), session_(new ReviewSession(service, this)) {
    auto* column = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    review_ = new QPushButton(tr("Review Paper"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    export_ = new QPushButton(tr("Export…"), this);
    cancel_->setEnabled(false);
    export_->setEnabled(false);
    buttons->addWidget(review_);
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
    show_message(
        tr("Review Paper writes a review of the open paper, part by part; every "
           "sentence cites the paper."));

    connect(review_, &QPushButton::clicked, this, [this] { review(); });
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
        cancel_->setEnabled(running);
        review_->setEnabled(!running);
        export_->setEnabled(!running && !session_->review().parts.isEmpty());
        if (!running) {
            if (!session_->review().parts.isEmpty()) show_message(tr("Review ready."));
            emit finished();
        }
    });
}

void ReviewPanel::set_document(std::shared_ptr<const Document> document) {
    document_ = std::move(document);
}

void ReviewPanel::review(const QStringList& part_ids) {
    if (!document_) return show_message(tr("Open a paper first."), true);
    session_->start(document_, part_ids);
}

void ReviewPanel::rebuild() {
    for (ReviewPartView* v : views_) delete v;
    views_.clear();
    const Review& r = session_->review();
    heading_->setText(r.documents.isEmpty()
                          ? QString()
                          : "<b>" + tr("Review of %1").arg(r.documents[0].title).toHtmlEscaped() +
                                "</b>");
    for (int i = 0; i < r.parts.size(); ++i) {
        auto* v = new ReviewPartView(parts_);
        v->show_part(r.parts[i]);
        connect(v, &ReviewPartView::citation_activated, this, &ReviewPanel::citation_activated);
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
    try {
        session_->export_to(path);
    } catch (const AppError& e) {
        show_message(QString::fromUtf8(e.what()), true);
        return false;
    }
    show_message(tr("Exported to %1").arg(path));
    return true;
}

void ReviewPanel::choose_export() {
    const QString name =
        document_ ? QFileInfo(document_->path).completeBaseName() + "-review" : "review";
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Review"),
        QFileInfo(QSettings().value("ui/last_dir").toString(), name + ".html").filePath(),
        tr("HTML (*.html);;Markdown (*.md);;PDF with highlights (*.pdf)"));
    if (!path.isEmpty()) export_to(path);
}

}  // namespace ll
