// The document's structure (parts, chapters, articles) as a tree; choosing an entry moves
// the view there.
#pragma once

#include <QWidget>

#include "documents/outline.h"

class QLineEdit;
class QTreeWidget;

namespace ll {

class OutlinePanel : public QWidget {
    Q_OBJECT
  public:
    explicit OutlinePanel(QWidget* parent = nullptr);
    void set_outline(const Outline& outline);
    int entry_count() const;

  signals:
    void entry_chosen(qsizetype start);

  private:
    void filter(const QString& text);

    QLineEdit* filter_;
    QTreeWidget* tree_;
};

}  // namespace ll
