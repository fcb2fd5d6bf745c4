#include "zoom_box.h"

#include <QSignalBlocker>

namespace ll {

namespace {
constexpr int kFixedItems = 10;  // Fit Width, Fit Page and eight percentages
}

ZoomBox::ZoomBox(QWidget* parent) : QComboBox(parent) {
    setToolTip(tr("Zoom (Ctrl+= / Ctrl+-)"));
    setFocusPolicy(Qt::ClickFocus);
    addItem(tr("Fit Width"), 0.0);
    addItem(tr("Fit Page"), -1.0);
    for (int percent : {50, 75, 100, 125, 150, 200, 300, 400})
        addItem(QStringLiteral("%1%").arg(percent), percent / 100.0);
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(this, &QComboBox::activated, this,
            [this](int index) { emit zoom_chosen(itemData(index).toDouble()); });
}

void ZoomBox::show_zoom(double zoom, PdfView::Fit fit) {
    const QSignalBlocker quiet(this);
    if (fit != PdfView::Fit::None) return setCurrentIndex(fit == PdfView::Fit::Width ? 0 : 1);
    const QString text = QStringLiteral("%1%").arg(qRound(zoom * 100));
    int index = findText(text);
    if (index < 0) {
        // An in-between zoom (Ctrl+wheel) is shown as its own, last entry.
        if (count() > kFixedItems) removeItem(kFixedItems);
        addItem(text, zoom);
        index = count() - 1;
    }
    setCurrentIndex(index);
}

}  // namespace ll
