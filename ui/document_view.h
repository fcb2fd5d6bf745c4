// The centre of the window: the open document as PDF pages or flowing text, with a find
// bar. Everything outside speaks in character ranges of the Document; this view turns them
// into page rectangles or text marks.
#pragma once

#include <QColor>

#include <QWidget>

#include <memory>

#include "attention_report.h"
#include "documents/document.h"
#include "pdf_view.h"

class QLabel;
class QStackedWidget;

namespace ll {

class AttentionStripView;
class FindBar;
class TextView;

class DocumentView : public QWidget {
    Q_OBJECT
  public:
    explicit DocumentView(QWidget* parent = nullptr);

    // Shows `document`; a PDF whose pages Poppler cannot render falls back to its text.
    void set_document(std::shared_ptr<const Document> document);
    void clear();
    const std::shared_ptr<const Document>& document() const { return document_; }

    // Scrolls to [start, end), highlights it and flashes it. Citations call this.
    void show_range(qsizetype start, qsizetype end);
    // Marks ranges in colours of their own without scrolling (the Compare view: each run's
    // citations in its colour; overlaps show). An empty list clears them.
    struct ColouredRange {
        qsizetype start = 0, end = 0;
        QColor colour;
    };
    void set_coloured_ranges(const QList<ColouredRange>& ranges);
    int coloured_range_count() const;
    // The last answer's attention along the document, beside it (empty: hidden). A new
    // document hides it.
    void set_attention_strip(const AttentionStrip& strip);
    AttentionStripView* attention_strip() const { return strip_; }
    // Scrolls to a character without highlighting (outline navigation).
    void go_to(qsizetype offset);
    // Whether the start of [start, end) is inside the viewport and highlighted; for tests.
    bool range_is_visible(qsizetype start, qsizetype end) const;
    int current_page() const;  // 0-based; -1 for text

    void find();
    void find_next();
    void find_previous();
    void zoom_in();
    void zoom_out();
    void set_zoom(double zoom);  // PDF scale; 1 = 100 %
    void fit_width();
    void fit_page();            // the page at the top, whole
    void go_to_page(int page);  // 0-based
    // A page by its printed label ("xii", "30") or, failing that, its number (1-based);
    // false when the document has no such page (or no pages).
    bool go_to_page_named(const QString& name);
    double zoom() const;
    PdfView::Fit fit() const { return pdf_->fit(); }
    bool is_pdf() const;

    PdfView* pdf_view() const { return pdf_; }
    TextView* text_view() const { return text_; }

  signals:
    void zoom_changed(double zoom);
    void position_changed(const QString& where);  // "Page 3 of 120" / "Line 400"
    // The part of the text in view: from the line at the top to the end of its page (a PDF),
    // the lines shown (text).
    void visible_range_changed(qsizetype start, qsizetype end);
    // The reader asked about the selected text (the context menu of the text or the pages).
    void ask_about(const QString& text);

  private:
    qsizetype page_start(int page) const;  // first character of a PDF page; text size past the end
    void show_find_match(qsizetype start, qsizetype end);

    std::shared_ptr<const Document> document_;
    QStackedWidget* stack_;
    QLabel* placeholder_;
    PdfView* pdf_;
    TextView* text_;
    FindBar* find_bar_;
    AttentionStripView* strip_;
};

}  // namespace ll
