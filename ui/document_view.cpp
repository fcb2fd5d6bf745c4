#include "document_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "attention_strip.h"
#include "find_bar.h"
#include "pdf_view.h"
#include "text_view.h"

namespace ll {

DocumentView::DocumentView(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    stack_ = new QStackedWidget(this);
    placeholder_ =
        new QLabel(tr("<h3>No document open</h3><p>Open a PDF, EPUB, Markdown or text file with "
                      "<b>Ctrl+O</b>, drop one onto the window, or pick one from the library.</p>"),
                   this);
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    pdf_ = new PdfView(this);
    text_ = new TextView(this);
    stack_->addWidget(placeholder_);
    stack_->addWidget(pdf_);
    stack_->addWidget(text_);
    find_bar_ = new FindBar(this);
    find_bar_->hide();
    strip_ = new AttentionStripView(this);
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    row->addWidget(stack_, 1);
    row->addWidget(strip_);
    column->addLayout(row, 1);
    column->addWidget(find_bar_);

    connect(find_bar_, &FindBar::match_selected, this, &DocumentView::show_find_match);
    connect(find_bar_, &FindBar::closed, this, [this] {
        show_find_match(0, 0);
        stack_->currentWidget()->setFocus();
    });
    connect(pdf_, &PdfView::zoom_changed, this, &DocumentView::zoom_changed);
    connect(pdf_, &PdfView::current_page_changed, this, [this](int page) {
        // A PDF with printed page labels shows them first ("p. 30"), then the physical page.
        if (page >= 0 && document_ && !document_->page_labels.isEmpty())
            emit position_changed(tr("p. %1 · page %2 of %3")
                                      .arg(document_->page_label(page))
                                      .arg(page + 1)
                                      .arg(pdf_->page_count()));
        else if (page >= 0)
            emit position_changed(tr("Page %1 of %2").arg(page + 1).arg(pdf_->page_count()));
        const AttentionStrip& s = strip_->strip();
        if (s.pages && page >= 0 && page < s.starts.size()) strip_->set_reading_at(s.starts[page]);
    });
    connect(strip_, &AttentionStripView::clicked, this, &DocumentView::go_to);
    connect(text_, &TextView::ask_about, this, &DocumentView::ask_about);
    connect(pdf_, &PdfView::ask_about, this, &DocumentView::ask_about);
    // The line at the top is read once scrolling has settled and the layout is current.
    auto* line_timer = new QTimer(this);
    line_timer->setSingleShot(true);
    line_timer->setInterval(30);
    connect(text_->verticalScrollBar(), &QScrollBar::valueChanged, line_timer,
            qOverload<>(&QTimer::start));
    connect(line_timer, &QTimer::timeout, this, [this] {
        if (!document_ || is_pdf()) return;
        emit position_changed(tr("Line %1").arg(document_->position_of(text_->top_offset()).line));
        strip_->set_reading_at(text_->top_offset());
        emit visible_range_changed(text_->top_offset(), text_->bottom_offset() + 1);
    });
    // On a PDF the outline follows the line at the view's top, not the page's first line (a
    // page can hold the end of one article and three more).
    auto* pdf_timer = new QTimer(this);
    pdf_timer->setSingleShot(true);
    pdf_timer->setInterval(30);
    connect(pdf_->verticalScrollBar(), &QScrollBar::valueChanged, pdf_timer,
            qOverload<>(&QTimer::start));
    connect(pdf_->verticalScrollBar(), &QScrollBar::rangeChanged, pdf_timer,
            qOverload<>(&QTimer::start));
    connect(pdf_timer, &QTimer::timeout, this, [this] {
        if (!document_ || !is_pdf()) return;
        const qsizetype top = pdf_->top_character();
        // Notes moved in the text can put `top` past the next page's first character.
        if (top >= 0)
            emit visible_range_changed(
                top, std::max(top + 1, page_start(document_->boxes[top].page + 1)));
    });
}

qsizetype DocumentView::page_start(int page) const {
    // Boxes follow the text, so their pages never decrease: the first box on `page`.
    const auto& boxes = document_->boxes;
    const auto it = std::lower_bound(boxes.begin(), boxes.end(), page,
                                     [](const CharBox& b, int p) { return b.page < p; });
    return it == boxes.end() ? document_->text.size() : qsizetype(it - boxes.begin());
}

bool DocumentView::is_pdf() const {
    return stack_->currentWidget() == pdf_;
}

void DocumentView::set_attention_strip(const AttentionStrip& strip) {
    strip_->set_strip(strip);
    if (!document_) return;
    if (is_pdf()) {
        const int page = pdf_->current_page();
        if (strip.pages && page >= 0 && page < strip.starts.size())
            strip_->set_reading_at(strip.starts[page]);
    } else {
        strip_->set_reading_at(text_->top_offset());
    }
}

void DocumentView::set_document(std::shared_ptr<const Document> document) {
    document_ = std::move(document);
    strip_->set_strip({});
    find_bar_->set_text(document_->text);
    QString error;
    if (document_->format == DocumentFormat::Pdf && pdf_->open(document_->path, &error)) {
        text_->set_text({});
        pdf_->set_text(document_);
        stack_->setCurrentWidget(pdf_);
        emit position_changed(tr("Page 1 of %1").arg(pdf_->page_count()));
    } else {
        pdf_->close();
        text_->set_text(document_->text);
        stack_->setCurrentWidget(text_);
        emit position_changed(tr("Line 1"));
    }
}

void DocumentView::clear() {
    document_.reset();
    strip_->set_strip({});
    pdf_->close();
    text_->set_text({});
    find_bar_->set_text({});
    find_bar_->hide();
    stack_->setCurrentWidget(placeholder_);
}

void DocumentView::show_range(qsizetype start, qsizetype end) {
    if (!document_) return;
    start = std::clamp<qsizetype>(start, 0, document_->text.size());
    end = std::clamp<qsizetype>(end, start, document_->text.size());
    if (is_pdf()) {
        const QList<PageRect> rects = document_->rects_for(start, end);
        pdf_->set_highlights(PdfView::Layer::Citation, rects);
        pdf_->reveal(rects);
    } else {
        text_->reveal(start, end);
    }
}

void DocumentView::set_coloured_ranges(const QList<ColouredRange>& ranges) {
    if (!document_) return;
    if (is_pdf()) {
        QList<QPair<PageRect, QColor>> rects;
        for (const ColouredRange& r : ranges)
            for (const PageRect& rect : document_->rects_for(r.start, r.end))
                rects.append({rect, r.colour});
        pdf_->set_coloured_highlights(rects);
    } else {
        QList<TextView::ColouredRange> marks;
        for (const ColouredRange& r : ranges) marks.append({r.start, r.end, r.colour});
        text_->set_coloured_marks(marks);
    }
}

int DocumentView::coloured_range_count() const {
    if (!document_) return 0;
    return is_pdf() ? pdf_->coloured_highlight_count() : text_->coloured_mark_count();
}

void DocumentView::go_to(qsizetype offset) {
    if (!document_) return;
    if (is_pdf()) {
        const QList<PageRect> rects = document_->rects_for(offset, offset + 1);
        if (!rects.isEmpty()) pdf_->scroll_to_page(rects.first().page);
    } else {
        text_->scroll_to(offset);
    }
}

bool DocumentView::range_is_visible(qsizetype start, qsizetype end) const {
    if (!document_) return false;
    if (!is_pdf()) return text_->is_visible(start) && text_->citation_start() == start;
    const QList<PageRect> rects = document_->rects_for(start, end);
    return !rects.isEmpty() && pdf_->is_visible(rects.first());
}

int DocumentView::current_page() const {
    return is_pdf() ? pdf_->current_page() : -1;
}

void DocumentView::find() {
    if (document_) find_bar_->activate();
}
void DocumentView::find_next() {
    find_bar_->find_next();
}
void DocumentView::find_previous() {
    find_bar_->find_previous();
}

void DocumentView::show_find_match(qsizetype start, qsizetype end) {
    if (!document_) return;
    if (is_pdf()) {
        const QList<PageRect> rects =
            end > start ? document_->rects_for(start, end) : QList<PageRect>{};
        pdf_->set_highlights(PdfView::Layer::Find, rects);
        if (!rects.isEmpty() && !pdf_->is_visible(rects.first())) pdf_->reveal(rects, false);
    } else {
        text_->set_mark(TextView::Layer::Find, start, end);
        if (end > start && !text_->is_visible(start)) text_->scroll_to(start);
    }
}

void DocumentView::zoom_in() {
    if (is_pdf())
        pdf_->set_zoom(pdf_->zoom() * 1.2);
    else
        text_->zoom(1);
}

void DocumentView::zoom_out() {
    if (is_pdf())
        pdf_->set_zoom(pdf_->zoom() / 1.2);
    else
        text_->zoom(-1);
}

void DocumentView::set_zoom(double zoom) {
    pdf_->set_zoom(zoom);
}
void DocumentView::fit_width() {
    pdf_->set_fit(PdfView::Fit::Width);
}
void DocumentView::fit_page() {
    const int page = pdf_->current_page();
    pdf_->set_fit(PdfView::Fit::Page);
    pdf_->scroll_to_page(page);  // the whole page, from its top
}
bool DocumentView::go_to_page_named(const QString& name) {
    if (!document_ || document_->page_count <= 0) return false;
    const QString wanted = name.trimmed();
    int page = int(document_->page_labels.indexOf(wanted));
    bool number = false;
    if (page < 0) page = wanted.toInt(&number) - 1;
    if (page < 0 || page >= document_->page_count) return false;
    go_to_page(page);
    return true;
}

void DocumentView::go_to_page(int page) {
    pdf_->scroll_to_page(page);
}
double DocumentView::zoom() const {
    return pdf_->zoom();
}

}  // namespace ll
