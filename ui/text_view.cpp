#include "text_view.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QScrollBar>
#include <QTextBlock>
#include <QVariantAnimation>
#include <QtMath>

#include <memory>

namespace ll {

TextView::TextView(QWidget* parent) : QPlainTextEdit(parent) {
    setReadOnly(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    // A reading measure: generous margins and line spacing, like a page.
    document()->setDocumentMargin(24);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    setFont(f);
}

void TextView::set_text(const QString& text) {
    citation_ = find_ = {0, 0};
    coloured_.clear();
    setPlainText(text);
    refresh_marks();
}

void TextView::set_mark(Layer layer, qsizetype start, qsizetype end) {
    (layer == Layer::Citation ? citation_ : find_) = {start, std::max(start, end)};
    refresh_marks();
}

void TextView::set_coloured_marks(const QList<ColouredRange>& marks) {
    coloured_ = marks;
    refresh_marks();
}

void TextView::refresh_marks() {
    QList<QTextEdit::ExtraSelection> marks;
    auto add = [&](QPair<qsizetype, qsizetype> range, QColor colour) {
        if (range.second <= range.first) return;
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(document());
        mark.cursor.setPosition(int(range.first));
        mark.cursor.setPosition(
            int(std::min<qsizetype>(range.second, document()->characterCount() - 1)),
            QTextCursor::KeepAnchor);
        mark.format.setBackground(colour);
        marks << mark;
    };
    for (const ColouredRange& r : coloured_) {
        QColor c = r.colour;
        c.setAlphaF(0.28);
        add({r.start, r.end}, c);
    }
    QColor citation = palette().color(QPalette::Highlight);
    citation.setAlphaF(0.30 + 0.4 * flash_);
    add(citation_, citation);
    add(find_, QColor(255, 200, 0, 150));
    setExtraSelections(marks);
}

void TextView::scroll_to(qsizetype offset) {
    QTextCursor c(document());
    c.setPosition(int(std::clamp<qsizetype>(offset, 0, document()->characterCount() - 1)));
    // Put the block at the top, then back off a third of the viewport so context shows.
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    setTextCursor(c);
    ensureCursorVisible();
    // The scroll bar counts lines here, not pixels: a few lines of context above.
    verticalScrollBar()->setValue(verticalScrollBar()->value() - 3);
}

void TextView::reveal(qsizetype start, qsizetype end) {
    set_mark(Layer::Citation, start, end);
    scroll_to(start);
    auto* pulse = new QVariantAnimation(this);
    pulse->setStartValue(0.0);
    pulse->setEndValue(1.0);
    pulse->setDuration(1200);
    connect(pulse, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        flash_ = std::abs(std::sin(v.toDouble() * 3 * M_PI));
        refresh_marks();
    });
    connect(pulse, &QVariantAnimation::finished, this, [this] {
        flash_ = 0;
        refresh_marks();
    });
    pulse->start(QAbstractAnimation::DeleteWhenStopped);
}

qsizetype TextView::top_offset() const {
    return cursorForPosition(QPoint(0, 0)).position();
}

qsizetype TextView::bottom_offset() const {
    const QRect r = viewport()->rect();
    return cursorForPosition(QPoint(r.right(), r.bottom())).position();
}

bool TextView::is_visible(qsizetype offset) const {
    QTextCursor c(document());
    c.setPosition(int(std::clamp<qsizetype>(offset, 0, document()->characterCount() - 1)));
    return viewport()->rect().intersects(cursorRect(c));
}

void TextView::zoom(int steps) {
    if (steps > 0) zoomIn(steps);
    if (steps < 0) zoomOut(-steps);
}

void TextView::contextMenuEvent(QContextMenuEvent* event) {
    std::unique_ptr<QMenu> menu(createStandardContextMenu(event->pos()));
    menu->addSeparator();
    // QPlainTextEdit gives paragraph breaks as U+2029: plain line breaks for the question.
    const QString selected = textCursor().selectedText().replace(QChar(0x2029), u'\n');
    QAction* ask = menu->addAction(tr("Ask About Selection"));
    ask->setEnabled(!selected.trimmed().isEmpty());
    connect(ask, &QAction::triggered, this, [this, selected] { emit ask_about(selected); });
    menu->exec(event->globalPos());
}

}  // namespace ll
