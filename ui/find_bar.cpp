#include "find_bar.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace ll {
namespace {
constexpr int kMaxMatches = 10000;  // counting beyond this helps nobody
}

FindBar::FindBar(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(6, 3, 6, 3);
    field_ = new QLineEdit(this);
    field_->setPlaceholderText(tr("Find in document"));
    field_->setClearButtonEnabled(true);
    auto* previous = new QToolButton(this);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    auto* next = new QToolButton(this);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (Enter)"));
    count_ = new QLabel(this);
    count_->setMinimumWidth(count_->fontMetrics().horizontalAdvance("10000 of 10000"));
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close (Esc)"));
    row->addWidget(field_, 1);
    row->addWidget(previous);
    row->addWidget(next);
    row->addWidget(count_);
    row->addWidget(close);
    connect(field_, &QLineEdit::textChanged, this, &FindBar::search_changed);
    connect(field_, &QLineEdit::returnPressed, this, [this] {
        if (QGuiApplication::keyboardModifiers() & Qt::ShiftModifier)
            find_previous();
        else
            find_next();
    });
    connect(previous, &QToolButton::clicked, this, &FindBar::find_previous);
    connect(next, &QToolButton::clicked, this, &FindBar::find_next);
    connect(close, &QToolButton::clicked, this, [this] {
        hide();
        emit closed();
    });
}

void FindBar::set_text(const QString& text) {
    text_ = text;
    search_changed();
}

void FindBar::activate() {
    show();
    field_->setFocus();
    field_->selectAll();
}

QString FindBar::query() const { return field_->text(); }

void FindBar::search_changed() {
    matches_.clear();
    current_ = -1;
    const QString q = field_->text();
    if (!q.isEmpty()) {
        for (qsizetype at = text_.indexOf(q, 0, Qt::CaseInsensitive);
             at >= 0 && matches_.size() < kMaxMatches;
             at = text_.indexOf(q, at + q.size(), Qt::CaseInsensitive))
            matches_ << at;
    }
    if (matches_.isEmpty()) {
        count_->setText(q.isEmpty() ? QString() : tr("No match"));
        emit match_selected(0, 0);
        return;
    }
    select(0);
}

void FindBar::select(int index) {
    if (matches_.isEmpty()) return;
    current_ = (index + int(matches_.size())) % int(matches_.size());
    count_->setText(tr("%1 of %2").arg(current_ + 1).arg(matches_.size()));
    const qsizetype start = matches_[current_];
    emit match_selected(start, start + field_->text().size());
}

void FindBar::find_next() { select(current_ + 1); }
void FindBar::find_previous() { select(current_ - 1); }

void FindBar::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        hide();
        emit closed();
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace ll
