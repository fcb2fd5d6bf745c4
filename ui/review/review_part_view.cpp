#include "review/review_part_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "citation_chip.h"
#include "flow_layout.h"

namespace ll {

ReviewPartView::ReviewPartView(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(4, 6, 4, 6);
    auto* head = new QHBoxLayout;
    title_ = new QLabel(this);
    status_ = new QLabel(this);
    status_->setForegroundRole(QPalette::PlaceholderText);
    // The state gives way first in a narrow panel, so Regenerate stays in view.
    status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    regenerate_ = new QPushButton(tr("Regenerate"), this);
    regenerate_->setToolTip(tr("Write this part again"));
    head->addWidget(title_);
    head->addWidget(status_, 1);
    head->addWidget(regenerate_);
    column->addLayout(head);
    text_ = new QLabel(this);
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::RichText);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(text_);
    chips_ = new QWidget(this);
    chip_layout_ = new FlowLayout(chips_, 4);
    column->addWidget(chips_);
    context_ = new QLabel(this);
    context_->setWordWrap(true);
    context_->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(context_);
    connect(regenerate_, &QPushButton::clicked, this, &ReviewPartView::regenerate_requested);
}

void ReviewPartView::set_paper(const QString& letter, const QString& title) {
    paper_ = letter;
    title_->setToolTip(title);
}

void ReviewPartView::show_part(const ReviewPart& p) {
    title_->setText("<b>" + p.title.toHtmlEscaped() + "</b>" +
                    (paper_.isEmpty() ? QString() : " · " + tr("paper %1").arg(paper_)));
    QString status;
    switch (p.status) {
        case PartStatus::Pending:
            status = tr("waiting");
            break;
        case PartStatus::Running:
            status = tr("writing…");
            break;
        case PartStatus::Done:
            status = tr("%n source(s)", "", int(p.citations.size()));
            break;
        case PartStatus::Cancelled:
            status = tr("cancelled");
            break;
        case PartStatus::Failed:
            status = tr("failed: %1").arg(p.error);
            break;
    }
    status_->setText(status);
    status_->setStyleSheet(p.status == PartStatus::Failed ? "color: #c0392b;" : QString());
    regenerate_->setEnabled(p.status != PartStatus::Running && p.status != PartStatus::Pending);
    // Sentences with their sources' numbers once cited; the plain text while it streams.
    QString html;
    if (p.sentences.isEmpty()) {
        html = p.text.toHtmlEscaped();
    } else {
        for (const ReviewSentence& s : p.sentences) {
            html += p.text.mid(s.start, s.end - s.start).toHtmlEscaped();
            QStringList marks;
            for (int i : s.cites) marks << QString::number(i + 1);
            if (!marks.isEmpty()) html += "<sup>[" + marks.join(",") + "]</sup>";
            html += " ";
        }
    }
    streamed_ = p.text;
    text_->setText(html);
    text_->setVisible(!p.text.isEmpty());
    context_->setText(p.context.isEmpty() ? QString() : tr("Read: %1").arg(p.context));
    context_->setVisible(!p.context.isEmpty());
    show_chips(p);
}

void ReviewPartView::append_text(const QString& text) {
    streamed_ += text;
    text_->setText(streamed_.toHtmlEscaped());
    text_->setVisible(true);
}

void ReviewPartView::show_chips(const ReviewPart& p) {
    while (QLayoutItem* item = chip_layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (int i = 0; i < p.citations.size(); ++i) {
        auto* chip = new CitationChip(i + 1, p.citations[i], chips_);
        // In a comparison a chip says which paper it opens.
        if (!paper_.isEmpty())
            chip->setText(
                QStringLiteral("[%1] %2: %3").arg(i + 1).arg(paper_, p.citations[i].label));
        connect(chip, &CitationChip::activated, this, &ReviewPartView::citation_activated);
        chip_layout_->addWidget(chip);
    }
    chips_->setVisible(!p.citations.isEmpty());
}

QString ReviewPartView::text() const {
    return streamed_;
}
QString ReviewPartView::status_text() const {
    return status_->text();
}

QList<CitationChip*> ReviewPartView::chips() const {
    return chips_->findChildren<CitationChip*>(Qt::FindDirectChildrenOnly);
}

}  // namespace ll
