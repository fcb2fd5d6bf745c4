#include "flow_layout.h"

#include <QWidget>

namespace ll {

FlowLayout::FlowLayout(QWidget* parent, int spacing) : QLayout(parent), spacing_(spacing) {
    setContentsMargins(0, 0, 0, 0);
}

FlowLayout::~FlowLayout() {
    while (QLayoutItem* item = takeAt(0)) delete item;
}

void FlowLayout::addItem(QLayoutItem* item) { items_.append(item); }

QLayoutItem* FlowLayout::takeAt(int index) {
    return index >= 0 && index < items_.size() ? items_.takeAt(index) : nullptr;
}

QSize FlowLayout::minimumSize() const {
    QSize size;
    // Narrow enough for any side panel: an item wider than the row is squeezed (elided).
    constexpr int kNarrowest = 120;
    for (const QLayoutItem* item : items_) {
        const QSize m = item->minimumSize();
        size = size.expandedTo(QSize(std::min(m.width(), kNarrowest), m.height()));
    }
    const QMargins m = contentsMargins();
    return size + QSize(m.left() + m.right(), m.top() + m.bottom());
}

void FlowLayout::setGeometry(const QRect& rect) {
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::arrange(const QRect& rect, bool apply) const {
    const QRect area = rect.marginsRemoved(contentsMargins());
    int x = area.x(), y = area.y(), row_height = 0;
    for (QLayoutItem* item : items_) {
        const QSize hint = item->sizeHint();
        if (x > area.x() && x + hint.width() > area.right() + 1) {
            x = area.x();
            y += row_height + spacing_;
            row_height = 0;
        }
        if (apply) item->setGeometry(QRect(QPoint(x, y), QSize(std::min(hint.width(), area.width()), hint.height())));
        x += hint.width() + spacing_;
        row_height = std::max(row_height, hint.height());
    }
    return y + row_height - rect.y() + contentsMargins().bottom();
}

}  // namespace ll
