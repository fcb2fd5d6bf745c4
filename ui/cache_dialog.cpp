#include "cache_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

#include "reading_session.h"

namespace ll {
namespace {

constexpr double kGiB = double(qint64(1) << 30);

}  // namespace

DocumentCacheDialog::DocumentCacheDialog(ReadingSession* session, QWidget* parent)
    : QDialog(parent), session_(session) {
    setWindowTitle(tr("Document Cache"));
    setMinimumWidth(480);
    auto* intro = new QLabel(
        tr("Each document a model has read is kept here as the model's state after reading it, "
           "so that later questions — also after a restart, and from longlens-cli — start at "
           "once. Past the limit the least recently used readings are dropped."),
        this);
    intro->setWordWrap(true);
    where_ = new QLabel(this);
    where_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    usage_ = new QLabel(this);
    fill_ = new QProgressBar(this);
    fill_->setRange(0, 1000);
    fill_->setTextVisible(false);
    limit_ = new QDoubleSpinBox(this);
    const ReadingSession::CacheContents range = session_->document_cache();
    limit_->setRange(double(range.smallest_limit) / kGiB, double(range.largest_limit) / kGiB);
    limit_->setDecimals(2);
    limit_->setSingleStep(0.25);
    limit_->setSuffix(tr(" GiB"));
    limit_->setKeyboardTracking(false);  // apply when the number is complete, not per digit
    limit_->setAccessibleName(tr("Cache size limit"));
    limit_note_ = new QLabel(this);
    limit_note_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Location:"), where_);
    form->addRow(tr("Holds:"), usage_);
    form->addRow(QString(), fill_);
    form->addRow(tr("Size limit:"), limit_);
    form->addRow(QString(), limit_note_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    clear_ = buttons->addButton(tr("Clear Cache…"), QDialogButtonBox::DestructiveRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(clear_, &QPushButton::clicked, this, [this] { clear(true); });
    connect(limit_, &QDoubleSpinBox::valueChanged, this, &DocumentCacheDialog::apply_limit);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    refresh();
}

qint64 DocumentCacheDialog::limit() const {
    return std::llround(limit_->value() * kGiB);
}

void DocumentCacheDialog::set_limit(qint64 bytes) {
    limit_->setValue(double(bytes) / kGiB);
}

QString DocumentCacheDialog::usage_text() const {
    return usage_->text();
}

void DocumentCacheDialog::refresh() {
    const ReadingSession::CacheContents c = session_->document_cache();
    where_->setText(QDir::toNativeSeparators(c.dir));
    const QString count = c.files == 1 ? tr("1 reading") : tr("%1 readings").arg(c.files);
    usage_->setText(
        tr("%1, %2 of %3")
            .arg(count, locale().formattedDataSize(c.bytes), locale().formattedDataSize(c.limit)));
    fill_->setValue(c.limit > 0 ? int(std::min<qint64>(1000, c.bytes * 1000 / c.limit)) : 0);
    const QSignalBlocker quiet(limit_);
    limit_->setValue(double(c.limit) / kGiB);
    limit_->setEnabled(!c.limit_from_environment);
    limit_note_->setText(c.limit_from_environment
                             ? tr("Set by $LONGLENS_CACHE_LIMIT_MIB for this run.")
                             : tr("Kept for LongLens and longlens-cli alike."));
    clear_->setEnabled(c.files > 0);
}

void DocumentCacheDialog::apply_limit() {
    const ReadingSession::CacheContents before = session_->document_cache();
    const ReadingSession::CacheContents after = session_->set_document_cache_limit(limit());
    refresh();
    if (after.files < before.files)
        emit message(
            tr("Dropped %n older reading(s) to stay under %1.", nullptr, before.files - after.files)
                .arg(locale().formattedDataSize(after.limit)));
}

int DocumentCacheDialog::clear(bool confirm) {
    const ReadingSession::CacheContents c = session_->document_cache();
    if (confirm) {
        const QString question =
            tr("Delete the %n saved document reading(s) (%1) in %2?\n\nLater questions about "
               "those documents will read them again.",
               nullptr, c.files)
                .arg(locale().formattedDataSize(c.bytes), QDir::toNativeSeparators(c.dir));
        if (QMessageBox::question(this, tr("Clear Document Cache"), question) != QMessageBox::Yes)
            return -1;
    }
    const int removed = session_->clear_document_cache();
    refresh();
    emit message(tr("Deleted %n cached document reading(s).", nullptr, removed));
    return removed;
}

}  // namespace ll
