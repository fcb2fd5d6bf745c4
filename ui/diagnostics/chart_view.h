// Draws a Chart (app/diagnostics/chart.h) with QPainter in the window's palette, so a plot
// follows the light or dark theme, stays crisp at any size and scale factor, and names the
// value under the pointer. The same Chart exports as SVG (chart_svg.h) or as this PNG.
#pragma once

#include <QWidget>

#include "diagnostics/chart.h"

namespace ll {

class ChartView : public QWidget {
    Q_OBJECT
  public:
    explicit ChartView(QWidget* parent = nullptr);

    void set_chart(const Chart& chart);
    const Chart& chart() const { return chart_; }

    // Writes the chart as .svg, .png or .csv (by the name's suffix); false with a message
    // naming the file otherwise.
    bool export_to(const QString& path, QString* error) const;

    QSize sizeHint() const override { return {720, 380}; }
    QSize minimumSizeHint() const override { return {360, 220}; }

  signals:
    // A click inside the plot, as a value on the x axis (e.g. a character of the document).
    void clicked_at(double x);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    QRectF plot_rect() const;
    QPointF to_screen(double x, double y) const;

    Chart chart_;
    ChartRange range_;
    double legend_ = 190;  // pixels right of the plot
};

}  // namespace ll
