// The library: the documents of the library store (app/service/library_store), most recent
// first. It holds no state of its own: MainWindow gives it the store's list after each
// change. Files dropped on it are imported; Delete asks to remove an entry (the file on disk
// and the document's conversation are kept).
#pragma once

#include <QListWidget>

#include "library_store.h"

namespace ll {

class LibraryPanel : public QListWidget {
    Q_OBJECT
  public:
    explicit LibraryPanel(QWidget* parent = nullptr);

    // Shows `documents` (most recent first), keeping the current entry.
    void show_documents(const QList<LibraryDocument>& documents);
    QStringList paths() const;
    void mark_open(const QString& path);

  signals:
    void open_requested(const QString& path);
    void import_requested(const QStringList& paths);
    void remove_requested(qint64 document_id);

  protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

  private:
    QListWidgetItem* find(const QString& path) const;
};

// Local files among dropped URLs.
QStringList local_files(const QMimeData* mime);

}  // namespace ll
