// The library: documents the user has imported, most recent first, persisted in QSettings
// so they come back on restart. Files dropped on it are imported; Delete removes an entry
// (the file on disk is never touched).
#pragma once

#include <QListWidget>

namespace ll {

struct LibraryEntry {
    QString path;
    QString title;
    QString detail;  // "PDF · 612 pages · 1260 articles"
};

class LibraryPanel : public QListWidget {
    Q_OBJECT
  public:
    explicit LibraryPanel(QWidget* parent = nullptr);

    void add_or_update(const LibraryEntry& entry);  // moves it to the top
    void remove(const QString& path);
    QStringList paths() const;
    void mark_open(const QString& path);

    void save() const;
    void restore();

  signals:
    void open_requested(const QString& path);
    void import_requested(const QStringList& paths);

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
