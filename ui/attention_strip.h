// A minimap beside the document: the last answer's attention along the whole document
// (one cell per bin of characters, or per page for PDFs), shaded from the palette's base
// to its highlight, with the answer's citations marked and the place being read outlined.
// A click goes there. It shows an AttentionStrip value and holds nothing else.
#pragma once

#include <QWidget>

#include "attention_report.h"

namespace ll {

class AttentionStripView : public QWidget {
    Q_OBJECT
  public:
    explicit AttentionStripView(QWidget* parent = nullptr);

    void set_strip(const AttentionStrip& strip);  // empty: hidden
    const AttentionStrip& strip() const { return strip_; }
    // The character being read (the top of the view), outlined on the strip.
    void set_reading_at(qsizetype offset);
    // The y of a document offset on the strip; for tests.
    double y_of(qsizetype offset) const;

    QSize sizeHint() const override { return {14, 200}; }

  signals:
    void clicked(qsizetype offset);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    qsizetype offset_at(double y) const;
    int cell_at(qsizetype offset) const;

    AttentionStrip strip_;
    qsizetype reading_ = -1;
};

}  // namespace ll
