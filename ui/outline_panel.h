// The document's structure (parts, chapters, articles) as a tree; choosing an entry moves
// the view there (a contents entry: to the heading it names).
#pragma once

#include <QWidget>

#include "documents/document.h"

class QLineEdit;
class QTreeWidget;

namespace ll {

class OutlinePanel : public QWidget {
    Q_OBJECT
  public:
    explicit OutlinePanel(QWidget* parent = nullptr);
    void set_outline(const Outline& outline);
    // The document's outline; without one, a line saying so and its pages (a PDF) or its
    // paragraphs every so often (text) to move through it.
    void set_document(const Document& document);
    int entry_count() const;

  signals:
    void entry_chosen(qsizetype start);

  private:
    void filter(const QString& text);

    QLineEdit* filter_;
    QTreeWidget* tree_;
};

}  // namespace ll
