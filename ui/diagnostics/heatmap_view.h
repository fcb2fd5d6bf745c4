// Draws a Heatmap (app/diagnostics/heatmap.h) with QPainter in the window's palette: panels
// side by side, depth rows, length columns, each cell in its outcome's colour with its mark,
// pending cells in the palette's mid tone, and the cell's answer under the pointer. The same
// Heatmap exports as SVG (heatmap_svg.h) or as this widget's PNG.
#pragma once

#include <QWidget>

#include "diagnostics/heatmap.h"

namespace ll {

class HeatmapView : public QWidget {
    Q_OBJECT
  public:
    explicit HeatmapView(QWidget* parent = nullptr);

    void set_heatmap(const Heatmap& map);
    const Heatmap& heatmap() const { return map_; }

    QSize sizeHint() const override { return {720, 420}; }
    QSize minimumSizeHint() const override { return {320, 220}; }

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    // The cell rectangle of (panel, row, column) at the current size.
    QRectF cell_rect(size_t panel, int row, int column) const;

    Heatmap map_;
};

}  // namespace ll
