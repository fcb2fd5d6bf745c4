#include "library_panel.h"

#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QUrl>

namespace ll {
namespace {
constexpr int kPathRole = Qt::UserRole;
constexpr int kDetailRole = Qt::UserRole + 1;
constexpr int kMaxEntries = 50;
}  // namespace

QStringList local_files(const QMimeData* mime) {
    QStringList files;
    if (!mime || !mime->hasUrls()) return files;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile()) files << url.toLocalFile();
    return files;
}

LibraryPanel::LibraryPanel(QWidget* parent) : QListWidget(parent) {
    setAcceptDrops(true);
    setDropIndicatorShown(true);
    setWordWrap(true);
    setAlternatingRowColors(true);
    setTextElideMode(Qt::ElideMiddle);
    setToolTip(tr("Imported documents. Drop files here to import them; Delete removes one."));
    connect(this, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        emit open_requested(item->data(kPathRole).toString());
    });
}

QListWidgetItem* LibraryPanel::find(const QString& path) const {
    for (int i = 0; i < count(); ++i)
        if (item(i)->data(kPathRole).toString() == path) return item(i);
    return nullptr;
}

void LibraryPanel::add_or_update(const LibraryEntry& entry) {
    delete find(entry.path);
    auto* item = new QListWidgetItem;
    item->setText(entry.title + (entry.detail.isEmpty() ? QString() : "\n" + entry.detail));
    item->setToolTip(entry.path);
    item->setData(kPathRole, entry.path);
    item->setData(kDetailRole, entry.detail);
    item->setData(Qt::UserRole + 2, entry.title);
    if (!QFileInfo::exists(entry.path)) item->setForeground(palette().brush(QPalette::PlaceholderText));
    insertItem(0, item);
    while (count() > kMaxEntries) delete takeItem(count() - 1);
}

void LibraryPanel::remove(const QString& path) { delete find(path); }

QStringList LibraryPanel::paths() const {
    QStringList out;
    for (int i = 0; i < count(); ++i) out << item(i)->data(kPathRole).toString();
    return out;
}

void LibraryPanel::mark_open(const QString& path) {
    if (QListWidgetItem* item = find(path)) setCurrentItem(item);
}

void LibraryPanel::save() const {
    QSettings settings;
    settings.beginWriteArray("library");
    for (int i = 0; i < count(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue("path", item(i)->data(kPathRole));
        settings.setValue("title", item(i)->data(Qt::UserRole + 2));
        settings.setValue("detail", item(i)->data(kDetailRole));
    }
    settings.endArray();
}

void LibraryPanel::restore() {
    clear();
    QSettings settings;
    const int n = settings.beginReadArray("library");
    QList<LibraryEntry> entries;
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        entries << LibraryEntry{settings.value("path").toString(), settings.value("title").toString(),
                                settings.value("detail").toString()};
    }
    settings.endArray();
    // Stored most recent first; adding each to the top reverses, so add from the end.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
        if (!it->path.isEmpty()) add_or_update(*it);
}

void LibraryPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (!local_files(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void LibraryPanel::dragMoveEvent(QDragMoveEvent* event) {
    if (!local_files(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void LibraryPanel::dropEvent(QDropEvent* event) {
    const QStringList files = local_files(event->mimeData());
    if (files.isEmpty()) return;
    event->acceptProposedAction();
    emit import_requested(files);
}

void LibraryPanel::keyPressEvent(QKeyEvent* event) {
    if ((event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) && currentItem()) {
        delete currentItem();
        save();
        return;
    }
    QListWidget::keyPressEvent(event);
}

void LibraryPanel::contextMenuEvent(QContextMenuEvent* event) {
    QListWidgetItem* item = itemAt(event->pos());
    if (!item) return;
    const QString path = item->data(kPathRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Open"), this, [this, path] { emit open_requested(path); });
    menu.addAction(tr("Show in File Manager"), this, [path] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
    });
    menu.addSeparator();
    menu.addAction(tr("Remove from Library"), this, [this, path] {
        remove(path);
        save();
    });
    menu.exec(event->globalPos());
}

}  // namespace ll
