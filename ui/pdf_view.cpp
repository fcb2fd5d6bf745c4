#include "pdf_view.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QVariantAnimation>
#include <QWheelEvent>
#include <QtMath>

#include <poppler-qt6.h>

namespace ll {
namespace {

constexpr int kGap = 16;         // pixels between pages and around them
constexpr int kCachePages = 16;  // rendered pages kept beyond the visible ones
constexpr double kMinZoom = 0.25, kMaxZoom = 6.0;

QColor layer_color(PdfView::Layer layer, const QPalette& palette) {
    if (layer == PdfView::Layer::Find) return QColor(255, 200, 0);
    if (layer == PdfView::Layer::Selection) return QColor(60, 130, 230);
    return palette.color(QPalette::Highlight);
}

}  // namespace

PdfView::PdfView(QWidget* parent) : QAbstractScrollArea(parent) {
    // Poppler documents are not safe to render from several threads at once: one worker.
    renderer_.setMaxThreadCount(1);
    viewport()->setBackgroundRole(QPalette::Dark);
    viewport()->setAutoFillBackground(true);
    setFocusPolicy(Qt::StrongFocus);
    verticalScrollBar()->setSingleStep(40);
}

PdfView::~PdfView() {
    renderer_.clear();
    renderer_.waitForDone();
}

bool PdfView::open(const QString& path, QString* error) {
    close();
    std::unique_ptr<Poppler::Document> doc = Poppler::Document::load(path);
    if (!doc || doc->isLocked()) {
        if (error)
            *error = doc ? tr("%1 is encrypted; LongLens cannot show it.").arg(path)
                         : tr("%1 cannot be opened as a PDF.").arg(path);
        return false;
    }
    doc->setRenderHint(Poppler::Document::Antialiasing);
    doc->setRenderHint(Poppler::Document::TextAntialiasing);
    doc->setRenderHint(Poppler::Document::TextHinting);
    for (int i = 0; i < doc->numPages(); ++i) {
        std::unique_ptr<Poppler::Page> page = doc->page(i);
        page_sizes_ << (page ? page->pageSizeF() : QSizeF(595, 842));
    }
    pdf_ = std::move(doc);
    relayout();
    verticalScrollBar()->setValue(0);
    viewport()->update();
    return true;
}

void PdfView::close() {
    renderer_.clear();
    renderer_.waitForDone();
    pdf_.reset();
    page_sizes_.clear();
    page_tops_.clear();
    cache_.clear();
    pending_.clear();
    highlights_.clear();
    coloured_.clear();
    set_text(nullptr);
    ++generation_;
    relayout();
}

double PdfView::pixels_per_point() const {
    return zoom_ * logicalDpiX() / 72.0;
}

void PdfView::set_zoom(double zoom) {
    fit_ = Fit::None;
    apply_zoom(zoom);
}

void PdfView::set_fit(Fit fit) {
    fit_ = fit;
    if (fit != Fit::None) apply_zoom(fit == Fit::Width ? fit_width_zoom() : fit_page_zoom());
}

void PdfView::apply_zoom(double zoom) {
    zoom = std::clamp(zoom, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(zoom, zoom_)) {
        emit zoom_changed(zoom_);  // the zoom box shows the fit even when the zoom stays
        return;
    }
    // Keep the point at the top of the viewport where it is.
    const double anchor = verticalScrollBar()->value() / std::max(1.0, double(content_height_));
    zoom_ = zoom;
    ++generation_;
    renderer_.clear();
    pending_.clear();
    {
        // The new range may clamp the old value for a moment (a page near the end): only
        // the page the view settles on is reported, or the outline would follow it there.
        const QScopedValueRollback quiet(rezooming_, true);
        relayout();
        verticalScrollBar()->setValue(qRound(anchor * content_height_));
    }
    report_page();
    viewport()->update();
    emit zoom_changed(zoom_);
}

double PdfView::fit_width_zoom() const {
    double widest = 0;
    for (const QSizeF& s : page_sizes_) widest = std::max(widest, s.width());
    if (widest <= 0) return zoom_;
    const double available = viewport()->width() - 2 * kGap;
    return std::clamp(available / (widest * logicalDpiX() / 72.0), kMinZoom, kMaxZoom);
}

double PdfView::fit_page_zoom() const {
    const int page = current_page();
    if (page < 0) return zoom_;
    const QSizeF s = page_sizes_[page];
    if (s.width() <= 0 || s.height() <= 0) return zoom_;
    const double points_to_pixels = logicalDpiX() / 72.0;
    const double across = (viewport()->width() - 2 * kGap) / (s.width() * points_to_pixels);
    const double down = (viewport()->height() - kGap) / (s.height() * points_to_pixels);
    return std::clamp(std::min(across, down), kMinZoom, kMaxZoom);
}

void PdfView::set_text(std::shared_ptr<const Document> document) {
    text_ = std::move(document);
    page_chars_.clear();
    anchor_ = -1;
    selection_start_ = selection_end_ = 0;
    highlights_.remove(Layer::Selection);
    if (!text_ || text_->boxes.size() != text_->text.size()) return;
    // Footnotes moved after the paragraph they interrupted sit later in the text than the
    // next page's first lines, so each page keeps its own list.
    page_chars_.resize(std::max(text_->page_count, 0));
    for (qsizetype i = 0; i < text_->boxes.size(); ++i) {
        const int page = text_->boxes[i].page;
        if (page >= 0 && page < page_chars_.size() && !text_->text[i].isSpace())
            page_chars_[page].append(i);
    }
}

QString PdfView::selected_text() const {
    if (!text_ || selection_end_ <= selection_start_) return {};
    return text_->text.mid(selection_start_, selection_end_ - selection_start_);
}

void PdfView::select(qsizetype start, qsizetype end) {
    selection_start_ = std::min(start, end);
    selection_end_ = std::max(start, end);
    set_highlights(Layer::Selection, text_ && selection_end_ > selection_start_
                                         ? text_->rects_for(selection_start_, selection_end_)
                                         : QList<PageRect>{});
}

qsizetype PdfView::character_at(const QPoint& point) const {
    const QPoint content =
        point + QPoint(horizontalScrollBar()->value(), verticalScrollBar()->value());
    for (int page = 0; page < std::min(page_chars_.size(), page_sizes_.size()); ++page) {
        const QRect r = page_rect(page);
        if (content.y() < r.top() - kGap / 2 || content.y() > r.bottom() + kGap / 2) continue;
        const double ppp = pixels_per_point();
        const QPointF at((content.x() - r.x()) / ppp, (content.y() - r.y()) / ppp);
        // The nearest box, lines counting before columns: a point right of a line's end
        // selects up to that line's last character, not the next line's.
        qsizetype best = -1;
        double best_distance = 0;
        for (qsizetype i : page_chars_[page]) {
            const CharBox& b = text_->boxes[i];
            const double dx = at.x() < b.x0 ? b.x0 - at.x() : at.x() > b.x1 ? at.x() - b.x1 : 0;
            const double dy = at.y() < b.y0 ? b.y0 - at.y() : at.y() > b.y1 ? at.y() - b.y1 : 0;
            const double distance = 4 * dy + dx;
            if (best < 0 || distance < best_distance) best = i, best_distance = distance;
        }
        return best;
    }
    return -1;
}

void PdfView::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || page_chars_.isEmpty()) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    anchor_ = character_at(event->position().toPoint());
    select(0, 0);
    event->accept();
}

void PdfView::mouseMoveEvent(QMouseEvent* event) {
    if (!(event->buttons() & Qt::LeftButton) || anchor_ < 0) {
        QAbstractScrollArea::mouseMoveEvent(event);
        return;
    }
    const qsizetype at = character_at(event->position().toPoint());
    if (at >= 0) select(std::min(anchor_, at), std::max(anchor_, at) + 1);
    event->accept();
}

void PdfView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    const QString selected = selected_text();
    QAction* copy = menu.addAction(tr("&Copy"));
    copy->setEnabled(!selected.isEmpty());
    connect(copy, &QAction::triggered, this,
            [selected] { QApplication::clipboard()->setText(selected); });
    menu.addSeparator();
    QAction* ask = menu.addAction(tr("Ask About Selection"));
    ask->setEnabled(!selected.trimmed().isEmpty());
    connect(ask, &QAction::triggered, this, [this, selected] { emit ask_about(selected); });
    menu.exec(event->globalPos());
}

void PdfView::relayout() {
    page_tops_.clear();
    const double ppp = pixels_per_point();
    int y = kGap, widest = 0;
    for (const QSizeF& s : page_sizes_) {
        page_tops_ << y;
        y += qCeil(s.height() * ppp) + kGap;
        widest = std::max(widest, qCeil(s.width() * ppp));
    }
    content_height_ = y;
    content_width_ = widest + 2 * kGap;
    verticalScrollBar()->setRange(0, std::max(0, content_height_ - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
    horizontalScrollBar()->setRange(0, std::max(0, content_width_ - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

QRect PdfView::page_rect(int page) const {
    const double ppp = pixels_per_point();
    const QSizeF s = page_sizes_[page];
    const int w = qCeil(s.width() * ppp), h = qCeil(s.height() * ppp);
    // Centre pages narrower than the viewport.
    const int x = std::max(kGap, (std::max(content_width_, viewport()->width()) - w) / 2);
    return QRect(x, page_tops_[page], w, h);
}

QRectF PdfView::to_view(const PageRect& r) const {
    const QRect page = page_rect(r.page);
    const double ppp = pixels_per_point();
    return QRectF(page.x() + r.rect.x() * ppp, page.y() + r.rect.y() * ppp, r.rect.width() * ppp,
                  r.rect.height() * ppp)
        .translated(-horizontalScrollBar()->value(), -verticalScrollBar()->value());
}

int PdfView::current_page() const {
    if (page_tops_.isEmpty()) return -1;
    const int y = verticalScrollBar()->value() + viewport()->height() / 4;
    auto it = std::upper_bound(page_tops_.begin(), page_tops_.end(), y);
    return std::max(0, int(it - page_tops_.begin()) - 1);
}

qsizetype PdfView::top_character() const {
    if (page_tops_.isEmpty() || page_chars_.isEmpty()) return -1;
    const int y = verticalScrollBar()->value();
    auto it = std::upper_bound(page_tops_.begin(), page_tops_.end(), y);
    const int first = std::max(0, int(it - page_tops_.begin()) - 1);
    const int pages = int(std::min(page_chars_.size(), page_sizes_.size()));
    for (int page = first; page < pages; ++page) {
        // Points from the page's top to the viewport's top; negative on the pages below.
        const double top = (y - page_tops_[page]) / pixels_per_point();
        // Footnotes and floats are moved in the text, so the lowest index below the edge
        // is where reading goes on (in two columns: the left one's first visible line).
        qsizetype best = -1;
        for (qsizetype i : page_chars_[page])
            if (text_->boxes[i].y1 > top && (best < 0 || i < best)) best = i;
        if (best >= 0) return best;
    }
    return -1;
}

void PdfView::scroll_to_page(int page) {
    if (page < 0 || page >= page_tops_.size()) return;
    verticalScrollBar()->setValue(page_tops_[page] - kGap / 2);
}

bool PdfView::is_visible(const PageRect& rect) const {
    if (rect.page < 0 || rect.page >= page_sizes_.size()) return false;
    return viewport()->rect().intersects(to_view(rect).toAlignedRect());
}

QPoint PdfView::view_point(const PageRect& rect) const {
    if (rect.page < 0 || rect.page >= page_sizes_.size()) return {};
    return to_view(rect).center().toPoint();
}

void PdfView::set_coloured_highlights(const QList<QPair<PageRect, QColor>>& rects) {
    coloured_ = rects;
    viewport()->update();
}

void PdfView::set_highlights(Layer layer, const QList<PageRect>& rects) {
    highlights_[layer] = rects;
    viewport()->update();
}

void PdfView::reveal(const QList<PageRect>& rects, bool flash) {
    if (rects.isEmpty()) return;
    const PageRect& first = rects.first();
    if (first.page < 0 || first.page >= page_sizes_.size()) return;
    const double ppp = pixels_per_point();
    const int y = page_tops_[first.page] + qRound(first.rect.y() * ppp);
    verticalScrollBar()->setValue(y - viewport()->height() / 3);
    const int x = page_rect(first.page).x() + qRound(first.rect.x() * ppp);
    if (x < horizontalScrollBar()->value() ||
        x > horizontalScrollBar()->value() + viewport()->width())
        horizontalScrollBar()->setValue(x - kGap);
    if (!flash) return;
    // A short pulse draws the eye to the passage, then it stays highlighted.
    auto* pulse = new QVariantAnimation(this);
    pulse->setStartValue(0.0);
    pulse->setEndValue(1.0);
    pulse->setDuration(1200);
    connect(pulse, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
        flash_ = std::abs(std::sin(v.toDouble() * 3 * M_PI));
        viewport()->update();
    });
    connect(pulse, &QVariantAnimation::finished, this, [this] {
        flash_ = 0;
        viewport()->update();
    });
    pulse->start(QAbstractAnimation::DeleteWhenStopped);
}

void PdfView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    relayout();
    set_fit(fit_);
}

void PdfView::scrollContentsBy(int, int) {
    viewport()->update();
    if (!rezooming_) report_page();
}

void PdfView::report_page() {
    const int page = current_page();
    if (page != last_reported_page_) {
        last_reported_page_ = page;
        emit current_page_changed(page);
    }
}

void PdfView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        set_zoom(zoom_ * (event->angleDelta().y() > 0 ? 1.1 : 1 / 1.1));
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void PdfView::keyPressEvent(QKeyEvent* event) {
    QScrollBar* v = verticalScrollBar();
    switch (event->key()) {
        case Qt::Key_PageDown:
            v->setValue(v->value() + v->pageStep() * 9 / 10);
            break;
        case Qt::Key_PageUp:
            v->setValue(v->value() - v->pageStep() * 9 / 10);
            break;
        case Qt::Key_Home:
            v->setValue(0);
            break;
        case Qt::Key_End:
            v->setValue(v->maximum());
            break;
        case Qt::Key_Down:
            v->setValue(v->value() + v->singleStep());
            break;
        case Qt::Key_Up:
            v->setValue(v->value() - v->singleStep());
            break;
        default:
            QAbstractScrollArea::keyPressEvent(event);
            return;
    }
    event->accept();
}

void PdfView::paintEvent(QPaintEvent*) {
    QPainter painter(viewport());
    const int top = verticalScrollBar()->value(), left = horizontalScrollBar()->value();
    const QRect visible(left, top, viewport()->width(), viewport()->height());
    int first = -1, last = -1;
    for (int i = 0; i < page_sizes_.size(); ++i) {
        const QRect r = page_rect(i);
        if (!r.intersects(visible)) {
            if (first >= 0) break;
            continue;
        }
        if (first < 0) first = i;
        last = i;
        const QRect target = r.translated(-left, -top);
        painter.fillRect(target.adjusted(2, 2, 2, 2), QColor(0, 0, 0, 60));  // shadow
        auto it = cache_.constFind(i);
        if (it != cache_.constEnd() && !it->isNull()) {
            painter.drawImage(target, *it);
        } else {
            painter.fillRect(target, Qt::white);
        }
    }
    painter.setRenderHint(QPainter::Antialiasing);
    for (const auto& [r, colour] : coloured_) {
        if (r.page < first || r.page > last) continue;
        QColor fill = colour;
        fill.setAlphaF(0.28);
        painter.fillRect(to_view(r).adjusted(-1, -1, 1, 1), fill);
    }
    for (Layer layer : {Layer::Selection, Layer::Find, Layer::Citation}) {
        QColor fill = layer_color(layer, palette());
        fill.setAlphaF(layer == Layer::Citation ? 0.28 + 0.35 * flash_
                       : layer == Layer::Find   ? 0.45
                                                : 0.3);
        QColor edge = layer_color(layer, palette());
        for (const PageRect& r : highlights_.value(layer)) {
            if (r.page < first || r.page > last) continue;
            const QRectF box = to_view(r).adjusted(-1, -1, 1, 1);
            painter.fillRect(box, fill);
            if (layer == Layer::Citation) {
                painter.setPen(QPen(edge, 1));
                painter.drawLine(box.bottomLeft(), box.bottomRight());
            }
        }
    }
    if (first >= 0) {
        trim_cache(first, last);
        request_visible_pages();
    }
}

void PdfView::request_visible_pages() {
    const int top = verticalScrollBar()->value();
    const QRect visible(0, top, std::max(content_width_, viewport()->width()),
                        viewport()->height());
    // The visible pages and one on each side, so ordinary scrolling finds them ready.
    const QRect wanted = visible.adjusted(0, -viewport()->height() / 2, 0, viewport()->height());
    for (int i = 0; i < page_sizes_.size(); ++i) {
        if (page_rect(i).intersects(wanted) && !cache_.contains(i) && !pending_.contains(i))
            render_page(i);
    }
}

void PdfView::render_page(int page) {
    pending_.insert(page);
    const double dpi = 72.0 * pixels_per_point() * devicePixelRatioF();
    const double ratio = devicePixelRatioF();
    const int generation = generation_;
    std::shared_ptr<Poppler::Document> pdf = pdf_;
    renderer_.start([this, pdf, page, dpi, ratio, generation] {
        QImage image;
        if (std::unique_ptr<Poppler::Page> p = pdf->page(page)) image = p->renderToImage(dpi, dpi);
        image.setDevicePixelRatio(ratio);
        QMetaObject::invokeMethod(
            this, [this, page, generation, image] { page_rendered(page, generation, image); },
            Qt::QueuedConnection);
    });
}

void PdfView::page_rendered(int page, int generation, const QImage& image) {
    if (generation != generation_) return;  // rendered for an old zoom
    pending_.remove(page);
    cache_.insert(page, image.isNull() ? QImage() : image);
    viewport()->update(
        page_rect(page).translated(-horizontalScrollBar()->value(), -verticalScrollBar()->value()));
}

void PdfView::trim_cache(int first_visible, int last_visible) {
    if (cache_.size() <= kCachePages) return;
    for (auto it = cache_.begin(); it != cache_.end();) {
        const int distance = std::max(first_visible - it.key(), it.key() - last_visible);
        it = distance > kCachePages / 2 ? cache_.erase(it) : std::next(it);
    }
}

}  // namespace ll
