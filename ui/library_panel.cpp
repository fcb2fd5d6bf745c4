#include "library_panel.h"

#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QMenu>
#include <QMimeData>
#include <QUrl>

namespace ll {
namespace {
constexpr int kPathRole = Qt::UserRole;
constexpr int kIdRole = Qt::UserRole + 1;
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

void LibraryPanel::show_documents(const QList<LibraryDocument>& documents) {
    const QString current = currentItem() ? currentItem()->data(kPathRole).toString() : QString();
    clear();
    for (const LibraryDocument& d : documents) {
        auto* item = new QListWidgetItem(this);
        const QString title = d.title.isEmpty() ? QFileInfo(d.path).fileName() : d.title;
        item->setText(title + (d.detail.isEmpty() ? QString() : "\n" + d.detail));
        item->setToolTip(d.answers > 0 ? tr("%1\n%n answer(s)", nullptr, d.answers).arg(d.path)
                                       : d.path);
        item->setData(kPathRole, d.path);
        item->setData(kIdRole, d.id);
        if (!QFileInfo::exists(d.path))
            item->setForeground(palette().brush(QPalette::PlaceholderText));
    }
    mark_open(current);
}

QStringList LibraryPanel::paths() const {
    QStringList out;
    for (int i = 0; i < count(); ++i) out << item(i)->data(kPathRole).toString();
    return out;
}

void LibraryPanel::mark_open(const QString& path) {
    if (QListWidgetItem* item = find(path)) setCurrentItem(item);
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
        emit remove_requested(currentItem()->data(kIdRole).toLongLong());
        return;
    }
    QListWidget::keyPressEvent(event);
}

void LibraryPanel::contextMenuEvent(QContextMenuEvent* event) {
    QListWidgetItem* item = itemAt(event->pos());
    if (!item) return;
    const QString path = item->data(kPathRole).toString();
    const qint64 id = item->data(kIdRole).toLongLong();
    QMenu menu(this);
    menu.addAction(tr("Open"), this, [this, path] { emit open_requested(path); });
    menu.addAction(tr("Show in File Manager"), this, [path] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(path).absolutePath()));
    });
    menu.addSeparator();
    menu.addAction(tr("Remove from Library"), this, [this, id] { emit remove_requested(id); });
    menu.exec(event->globalPos());
}

}  // namespace ll
