// The document's structure (parts, chapters, articles) as a tree; choosing an entry moves
// the view there (a contents entry: to the heading it names).
#pragma once

#include <QWidget>

#include "documents/document.h"
#include "documents/outline.h"
#include "documents/paper_structure.h"

class QLineEdit;
class QTreeWidget;

namespace ll {

class OutlinePanel : public QWidget {
    Q_OBJECT
  public:
    explicit OutlinePanel(QWidget* parent = nullptr);
    void set_outline(const Outline& outline);
    // A paper's figure and table captions and its reference entries, as two more branches
    // after the sections (collapsed); choosing one moves the view there.
    void add_paper_parts(const PaperStructure& paper);
    // The document's outline; without one, a line saying so and its pages (a PDF) or its
    // paragraphs every so often (text) to move through it.
    void set_document(const Document& document);
    int entry_count() const;
    // The view shows [start, end) of the text: the heading being read becomes the current
    // entry (the one chosen last stays while it is in view), without moving the view.
    void follow(qsizetype start, qsizetype end);
    QString current_title() const;

  signals:
    void entry_chosen(qsizetype start);

  private:
    void filter(const QString& text);

    QLineEdit* filter_;
    QTreeWidget* tree_;
};

}  // namespace ll
