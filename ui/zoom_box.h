// The toolbar's zoom chooser: "Fit Width", "Fit Page" and fixed percentages; it follows the view's
// zoom when that changes by keyboard or Ctrl+wheel.
#pragma once

#include <QComboBox>

#include "pdf_view.h"

namespace ll {

class ZoomBox : public QComboBox {
    Q_OBJECT
  public:
    explicit ZoomBox(QWidget* parent = nullptr);
    // Reflects the view's zoom (or its fit) without emitting.
    void show_zoom(double zoom, PdfView::Fit fit = PdfView::Fit::None);

  signals:
    void zoom_chosen(double zoom);  // 0: fit width; -1: fit page
};

}  // namespace ll
