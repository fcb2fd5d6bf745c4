#include "outline_panel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ll {
namespace {
constexpr int kStartRole = Qt::UserRole;
constexpr int kHeadingRole = Qt::UserRole + 1;  // a heading's own start: what follow() uses
}  // namespace

OutlinePanel::OutlinePanel(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter headings"));
    filter_->setClearButtonEnabled(true);
    tree_ = new QTreeWidget(this);
    tree_->setHeaderHidden(true);
    tree_->setUniformRowHeights(true);
    tree_->header()->setStretchLastSection(true);
    column->addWidget(filter_);
    column->addWidget(tree_, 1);
    connect(filter_, &QLineEdit::textChanged, this, &OutlinePanel::filter);
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        emit entry_chosen(item->data(0, kStartRole).toLongLong());
    });
    connect(tree_, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        emit entry_chosen(item->data(0, kStartRole).toLongLong());
    });
}

void OutlinePanel::set_outline(const Outline& outline) {
    tree_->clear();
    // The outline is flat in reading order with levels: a stack of open parents rebuilds it.
    QList<QPair<int, QTreeWidgetItem*>> open;
    for (const OutlineNode& node : outline) {
        while (!open.isEmpty() && open.last().first >= node.level) open.removeLast();
        auto* item =
            open.isEmpty() ? new QTreeWidgetItem(tree_) : new QTreeWidgetItem(open.last().second);
        item->setText(0, node.title);
        item->setToolTip(0, node.title);
        const bool linked = node.target >= 0 && node.target < outline.size();
        item->setData(0, kStartRole, qlonglong(linked ? outline[node.target].start : node.start));
        if (!linked && node.kind != StructureKind::Contents &&
            node.kind != StructureKind::ContentsEntry)
            item->setData(0, kHeadingRole, qlonglong(node.start));
        open.append({node.level, item});
    }
    // Expand the top levels only: a code with 1260 articles would otherwise be a wall.
    for (int i = 0; i < tree_->topLevelItemCount(); ++i)
        tree_->topLevelItem(i)->setExpanded(outline.size() < 200);
    filter(filter_->text());
}

void OutlinePanel::add_paper_parts(const PaperStructure& paper) {
    auto branch = [this](const QString& title) {
        auto* item = new QTreeWidgetItem(tree_);
        item->setText(0, title);
        item->setFlags(item->flags() & ~Qt::ItemIsSelectable);
        return item;
    };
    auto leaf = [](QTreeWidgetItem* parent, const QString& text, qsizetype start) {
        auto* item = new QTreeWidgetItem(parent);
        item->setText(0, text.left(90));
        item->setToolTip(0, text.left(400));
        item->setData(0, kStartRole, qlonglong(start));
    };
    if (!paper.captions.isEmpty()) {
        QTreeWidgetItem* captions =
            branch(tr("Figures and tables (%1)").arg(paper.captions.size()));
        captions->setData(0, kStartRole, qlonglong(paper.captions.first().span.start));
        for (const PaperCaption& c : paper.captions) leaf(captions, c.text, c.span.start);
    }
    if (!paper.references.isEmpty()) {
        QTreeWidgetItem* refs = branch(tr("Reference entries (%1)").arg(paper.references.size()));
        refs->setData(0, kStartRole, qlonglong(paper.references.first().span.start));
        for (const PaperReference& r : paper.references) {
            const QString who = r.authors.isEmpty()
                                    ? QString()
                                    : r.authors.first() + (r.authors.size() > 1 ? " et al." : "");
            leaf(refs, QString("%1 %2 — %3").arg(r.label, who, r.title).simplified(), r.span.start);
        }
    }
    filter(filter_->text());
}

void OutlinePanel::set_document(const Document& document) {
    if (!document.outline.isEmpty()) {
        set_outline(document.outline);
        return;
    }
    tree_->clear();
    auto* note = new QTreeWidgetItem(tree_);
    note->setText(0, document.page_count > 0 ? tr("No headings found — go by page")
                                             : tr("No headings found — go by paragraph"));
    note->setFlags(Qt::NoItemFlags);
    if (document.page_count > 0) {
        // The first character of each page that has text.
        int page = -1;
        for (qsizetype i = 0; i < document.boxes.size(); ++i) {
            if (document.boxes[i].page == page) continue;
            page = document.boxes[i].page;
            auto* item = new QTreeWidgetItem(tree_);
            item->setText(0, tr("%1 (page %2 of %3)")
                                 .arg(document.page_reference(page))
                                 .arg(page + 1)
                                 .arg(document.page_count));
            item->setData(0, kStartRole, qlonglong(i));
        }
    } else {
        // Every tenth paragraph, named by its first words.
        int paragraph = 0;
        for (qsizetype i = 0; i >= 0 && i < document.text.size();) {
            const qsizetype next = document.text.indexOf(QLatin1String("\n\n"), i);
            if (paragraph++ % 10 == 0) {
                auto* item = new QTreeWidgetItem(tree_);
                item->setText(
                    0, tr("¶ %1 · %2")
                           .arg(paragraph)
                           .arg(document.text
                                    .mid(i, std::min<qsizetype>(
                                                40, (next < 0 ? document.text.size() : next) - i))
                                    .simplified()));
                item->setData(0, kStartRole, qlonglong(i));
            }
            i = next < 0 ? -1 : next + 2;
            while (i > 0 && i < document.text.size() && document.text[i] == QLatin1Char('\n')) ++i;
        }
    }
    filter(filter_->text());
}

void OutlinePanel::follow(qsizetype start, qsizetype end) {
    auto heading_start = [](QTreeWidgetItem* item) {
        const QVariant v = item ? item->data(0, kHeadingRole) : QVariant();
        return v.isValid() ? qsizetype(v.toLongLong()) : qsizetype(-1);
    };
    const qsizetype current = heading_start(tree_->currentItem());
    if (current >= start && current < end) return;  // what the reader chose is in view
    // The last heading that starts before the view (pre-order: a child after its parent), or
    // else the first one inside it.
    QTreeWidgetItem *before = nullptr, *inside = nullptr;
    for (QTreeWidgetItemIterator it(tree_); *it; ++it) {
        const qsizetype at = heading_start(*it);
        if (at < 0) continue;
        if (at <= start)
            before = *it;
        else if (at < end && !inside)
            inside = *it;
    }
    QTreeWidgetItem* item = before ? before : inside;
    if (!item || item == tree_->currentItem()) return;
    const QSignalBlocker quiet(tree_);
    tree_->setCurrentItem(item);
    tree_->scrollToItem(item);
}

QString OutlinePanel::current_title() const {
    return tree_->currentItem() ? tree_->currentItem()->text(0) : QString();
}

int OutlinePanel::entry_count() const {
    int n = 0;
    for (QTreeWidgetItemIterator it(tree_); *it; ++it) ++n;
    return n;
}

void OutlinePanel::filter(const QString& text) {
    for (QTreeWidgetItemIterator it(tree_); *it; ++it) {
        const bool match = text.isEmpty() || (*it)->text(0).contains(text, Qt::CaseInsensitive);
        (*it)->setHidden(!match);
        if (match && !text.isEmpty())
            for (QTreeWidgetItem* p = (*it)->parent(); p; p = p->parent()) {
                p->setHidden(false);
                p->setExpanded(true);
            }
    }
}

}  // namespace ll
