// The find-in-document strip under the view: a search field, previous/next, a match count.
// Searching happens on the document's text, so it works the same for PDFs and text.
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;

namespace ll {

class FindBar : public QWidget {
    Q_OBJECT
  public:
    explicit FindBar(QWidget* parent = nullptr);
    void set_text(const QString& text);  // the text searched
    void activate();                      // show, focus and select the field
    QString query() const;

  signals:
    void match_selected(qsizetype start, qsizetype end);  // end == start: none
    void closed();

  public slots:
    void find_next();
    void find_previous();

  protected:
    void keyPressEvent(QKeyEvent* event) override;

  private:
    void search_changed();
    void select(int index);

    QString text_;
    QLineEdit* field_;
    QLabel* count_;
    QList<qsizetype> matches_;
    int current_ = -1;
};

}  // namespace ll
