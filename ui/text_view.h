// A flowing document (novel, legal text, Markdown) as read-only text with marked ranges:
// the cited passage (flashing briefly when revealed) and find matches.
#pragma once

#include <QColor>

#include <QPlainTextEdit>

namespace ll {

class TextView : public QPlainTextEdit {
    Q_OBJECT
  public:
    explicit TextView(QWidget* parent = nullptr);

    void set_text(const QString& text);
    enum class Layer { Citation, Find };
    void set_mark(Layer layer, qsizetype start, qsizetype end);  // empty range clears
    // Ranges in colours of their own, under the citation (the Compare view's runs); their
    // translucent fills add up where they overlap. Replaces the previous ones.
    struct ColouredRange {
        qsizetype start = 0, end = 0;
        QColor colour;
    };
    void set_coloured_marks(const QList<ColouredRange>& marks);
    int coloured_mark_count() const { return int(coloured_.size()); }
    // Scrolls [start, end) to a third from the top and flashes the citation mark.
    void reveal(qsizetype start, qsizetype end);
    void scroll_to(qsizetype offset);
    // The first character in the viewport.
    qsizetype top_offset() const;
    qsizetype bottom_offset() const;  // the last character in view
    // Whether a character is inside the viewport; for tests.
    bool is_visible(qsizetype offset) const;
    qsizetype citation_start() const { return citation_.first; }

    void zoom(int steps);

  signals:
    // The context menu's "Ask About Selection" with the selected text.
    void ask_about(const QString& text);

  protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

  private:
    void refresh_marks();

    QPair<qsizetype, qsizetype> citation_{0, 0}, find_{0, 0};
    QList<ColouredRange> coloured_;
    double flash_ = 0;
};

}  // namespace ll
