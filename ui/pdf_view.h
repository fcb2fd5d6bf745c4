// Continuous-scrolling PDF pages at a chosen zoom. Pages are rendered by Poppler on a
// background thread only when they come into view, and kept in a small cache; until a page
// arrives a blank sheet stands in, so scrolling never waits for rendering. Highlights are
// rectangles in page points drawn over the rendered image. Dragging over the text selects
// it (in the order the text reads, through the Document's character boxes); the context
// menu copies the selection or asks about it.
#pragma once

#include <QAbstractScrollArea>
#include <QHash>
#include <QImage>
#include <QList>
#include <QSet>
#include <QSizeF>
#include <QThreadPool>

#include <memory>

#include "documents/document.h"

namespace Poppler {
class Document;
}

namespace ll {

class PdfView : public QAbstractScrollArea {
    Q_OBJECT
  public:
    explicit PdfView(QWidget* parent = nullptr);
    ~PdfView() override;

    // Opens `path` for rendering; false (with *error) when Poppler cannot.
    bool open(const QString& path, QString* error);
    void close();
    int page_count() const { return page_sizes_.size(); }

    double zoom() const { return zoom_; }
    // Fit Width / Fit Page: fits now and again whenever the view is resized, until a zoom is
    // set by hand.
    enum class Fit { None, Width, Page };
    void set_fit(Fit fit);
    Fit fit() const { return fit_; }
    void set_zoom(double zoom);
    // The zoom at which the widest page fills the viewport's width.
    double fit_width_zoom() const;
    // The zoom at which the page at the top shows whole, its width and its height.
    double fit_page_zoom() const;

    // The document's text and character boxes, for selecting text on the pages (none: no
    // selection).
    void set_text(std::shared_ptr<const Document> document);
    // The selected characters [start, end) of the document's text; start == end: none.
    QPair<qsizetype, qsizetype> selection() const { return {selection_start_, selection_end_}; }
    QString selected_text() const;
    void select(qsizetype start, qsizetype end);

    // Highlight kinds, drawn in different colours; setting one replaces its rectangles.
    enum class Layer { Citation, Find, Selection };
    void set_highlights(Layer layer, const QList<PageRect>& rects);
    // Rectangles in colours of their own, under the citation layer (the Compare view's
    // runs); translucent, so overlaps show. Replaces the previous ones.
    void set_coloured_highlights(const QList<QPair<PageRect, QColor>>& rects);
    int coloured_highlight_count() const { return int(coloured_.size()); }
    // Scrolls so the first rectangle is in view (a third from the top); `flash` pulses the
    // citation layer to draw the eye.
    void reveal(const QList<PageRect>& rects, bool flash = true);
    void scroll_to_page(int page);
    // The page at the top of the viewport.
    int current_page() const;
    // The first character in reading order on the top line of the viewport (a line cut by the
    // top edge counts); -1 without text. What the outline follows.
    qsizetype top_character() const;
    // Whether `rect` (page points) is inside the viewport; for tests.
    bool is_visible(const PageRect& rect) const;
    // Where `rect`'s centre is drawn, in viewport pixels; for tests.
    QPoint view_point(const PageRect& rect) const;
    int cached_pages() const { return int(cache_.size()); }
    bool rendering() const { return !pending_.isEmpty(); }
    int highlight_count(Layer layer) const { return int(highlights_.value(layer).size()); }

  signals:
    void current_page_changed(int page);
    void zoom_changed(double zoom);
    // The context menu's "Ask About Selection" with the selected text.
    void ask_about(const QString& text);

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

  private:
    double pixels_per_point() const;
    void apply_zoom(double zoom);
    QRect page_rect(int page) const;  // in content coordinates
    QRectF to_view(const PageRect& r) const;
    void relayout();
    void request_visible_pages();
    void render_page(int page);
    void page_rendered(int page, int generation, const QImage& image);
    void trim_cache(int first_visible, int last_visible);
    void report_page();  // current_page_changed when the page at the top is another
    // The character of the text nearest to a viewport point on a page; -1 off the pages.
    qsizetype character_at(const QPoint& point) const;

    std::shared_ptr<Poppler::Document> pdf_;
    QList<QSizeF> page_sizes_;  // points
    QList<int> page_tops_;      // pixels, at the current zoom
    int content_height_ = 0, content_width_ = 0;
    double zoom_ = 1.0;
    Fit fit_ = Fit::None;
    int generation_ = 0;  // bumped on every zoom change; older renders are dropped
    QHash<int, QImage> cache_;
    QSet<int> pending_;
    QThreadPool renderer_;
    QHash<Layer, QList<PageRect>> highlights_;
    QList<QPair<PageRect, QColor>> coloured_;
    double flash_ = 0;  // 0..1, extra opacity of the citation layer while flashing
    int last_reported_page_ = -1;
    bool rezooming_ = false;
    std::shared_ptr<const Document> text_;
    QList<QList<qsizetype>> page_chars_;  // per page, the characters drawn on it
    qsizetype anchor_ = -1, selection_start_ = 0, selection_end_ = 0;
};

}  // namespace ll
