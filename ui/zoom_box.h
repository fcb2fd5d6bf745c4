// The toolbar's zoom chooser: "Fit Width", "Fit Page" and fixed percentages; it follows the view's
// zoom when that changes by keyboard or Ctrl+wheel.
#pragma once

#include <QComboBox>

namespace ll {

class ZoomBox : public QComboBox {
    Q_OBJECT
  public:
    explicit ZoomBox(QWidget* parent = nullptr);
    void show_zoom(double zoom);  // reflects the view's zoom without emitting

  signals:
    void zoom_chosen(double zoom);  // 0: fit width; -1: fit page
};

}  // namespace ll
