#include "answer_card.h"

#include <QContextMenuEvent>
#include <QLabel>
#include <QMenu>
#include <QVBoxLayout>

#include "answer_records.h"
#include "citation_chip.h"
#include "flow_layout.h"
#include "qa/conversation_export.h"

namespace ll {

AnswerCard::AnswerCard(const AnswerRecord& record, QWidget* parent) : QFrame(parent) {
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    auto* column = new QVBoxLayout(this);
    auto* question = new QLabel(this);
    question->setText(QStringLiteral("<b>%1</b>").arg(record.question.toHtmlEscaped()));
    question->setWordWrap(true);
    question->setTextInteractionFlags(Qt::TextSelectableByMouse);
    question->setContextMenuPolicy(Qt::NoContextMenu);  // the card's menu, not the label's
    answer_ = new QLabel(this);
    answer_->setWordWrap(true);
    answer_->setTextFormat(Qt::PlainText);
    answer_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    answer_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    answer_->setContextMenuPolicy(Qt::NoContextMenu);
    // Which model said this: a reader of old answers must know.
    auto* made_by = new QLabel(run_config_summary(record.run_config), this);
    made_by->setForegroundRole(QPalette::PlaceholderText);
    made_by->setVisible(!made_by->text().isEmpty());
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setForegroundRole(QPalette::PlaceholderText);
    QFont small = status_->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    status_->setFont(small);
    made_by->setFont(small);
    warning_ = new QLabel(this);
    warning_->setObjectName(QStringLiteral("context_warning"));
    warning_->setWordWrap(true);
    warning_->setTextFormat(Qt::PlainText);
    QPalette warn = warning_->palette();
    warn.setColor(QPalette::WindowText, QColor(0xb0, 0x60, 0x00));  // amber: read with care
    warning_->setPalette(warn);
    warning_->hide();
    chip_box_ = new QWidget(this);
    chip_flow_ = new FlowLayout(chip_box_);
    column->addWidget(question);
    column->addWidget(made_by);
    column->addWidget(answer_);
    column->addWidget(warning_);
    column->addWidget(chip_box_);
    column->addWidget(status_);
    text_ = record.answer;
    answer_->setText(text_);
    set_status(record.note);
    QList<AnswerCitation> citations;
    for (const CitedPassage& c : record.citations) citations << answer_citation(c);
    set_citations(citations);
}

void AnswerCard::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    menu.addAction(tr("Copy with Citations"), this, [this] { emit copy_requested(false); });
    menu.addAction(tr("Copy as JSON"), this, [this] { emit copy_requested(true); });
    menu.exec(event->globalPos());
}

void AnswerCard::append_text(const QString& text) {
    text_ += text;
    answer_->setText(text_);
}

QString AnswerCard::answer_text() const {
    return text_;
}

void AnswerCard::set_status(const QString& status) {
    status_->setText(status);
    status_->setVisible(!status.isEmpty());
}

void AnswerCard::set_warning(const QString& warning) {
    warning_->setText(warning.isEmpty() ? QString() : QStringLiteral("⚠ ") + warning);
    warning_->setVisible(!warning.isEmpty());
}

QString AnswerCard::warning() const {
    return warning_->isVisible() ? warning_->text() : QString();
}

void AnswerCard::set_citations(const QList<AnswerCitation>& citations) {
    qDeleteAll(chips_);
    chips_.clear();
    for (const AnswerCitation& c : citations) {
        auto* chip = new CitationChip(int(chips_.size()) + 1, c, chip_box_);
        chip_flow_->addWidget(chip);
        connect(chip, &CitationChip::activated, this, [this, chip](const AnswerCitation& cited) {
            for (CitationChip* other : chips_) other->set_current(other == chip);
            emit citation_activated(cited);
        });
        chips_ << chip;
    }
    chip_box_->setVisible(!chips_.isEmpty());
}

}  // namespace ll
