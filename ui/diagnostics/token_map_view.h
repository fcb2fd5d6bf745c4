// Draws a TokenMap (app/service/attention_report.h): the answer's tokens down the left, the
// passages they looked at most across the top, each cell shaded by the token's share of
// attention on that passage (one sequential scale from the palette's base to its highlight,
// so it reads in both themes). Tall answers scroll; a click on a column header or cell goes
// to that passage.
#pragma once

#include <QWidget>

#include "attention_report.h"

namespace ll {

class TokenMapView : public QWidget {
    Q_OBJECT
  public:
    explicit TokenMapView(QWidget* parent = nullptr);

    void set_map(const TokenMap& map);
    const TokenMap& map() const { return map_; }
    QSize sizeHint() const override;
    // Where cell (row, column) is drawn; for tests and tooltips.
    QRectF cell_rect(int row, int column) const;

  signals:
    void passage_clicked(qsizetype start);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

  private:
    int column_at(QPointF at) const;
    int row_at(QPointF at) const;
    double label_width() const;

    TokenMap map_;
};

}  // namespace ll
