#include "kv_type_picker.h"

#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

#include "model_summary.h"

namespace ll {
namespace {

struct KvChoice {
    const char* key;
    const char* name;
    const char* trade_off;  // against f32; the figures are bench/README's, on ref-mini
};

// The types of engine/kv_cache.h, the default first.
constexpr KvChoice kChoices[] = {
    {"f16", QT_TRANSLATE_NOOP("ll::KvTypePicker", "f16 — default"),
     QT_TRANSLATE_NOOP("ll::KvTypePicker",
                       "half of f32's memory; perplexity within 0.01 % of f32")},
    {"f32", QT_TRANSLATE_NOOP("ll::KvTypePicker", "f32 — exact"),
     QT_TRANSLATE_NOOP("ll::KvTypePicker", "exact; twice the memory of f16")},
    {"q8_0", QT_TRANSLATE_NOOP("ll::KvTypePicker", "q8_0 — smallest"),
     QT_TRANSLATE_NOOP("ll::KvTypePicker",
                       "about a quarter of f32's memory; perplexity ~0.15 % above f32")},
};

// "2.0 KiB per token: <trade-off>" for the loaded model, or why it cannot use the type.
QString tooltip(const KvChoice& choice, const QMap<QString, double>& bytes) {
    const QString key = QString::fromLatin1(choice.key);
    if (bytes.isEmpty())
        return KvTypePicker::tr(choice.trade_off);  // no model yet: no size to give
    if (!bytes.contains(key))
        return KvTypePicker::tr(
            "Not for this model: its key/value rows are not whole 32-value blocks");
    return KvTypePicker::tr("%1 per token: %2")
        .arg(format_bytes(bytes[key]), KvTypePicker::tr(choice.trade_off));
}

}  // namespace

KvTypePicker::KvTypePicker(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    types_ = new QComboBox(this);
    types_->setObjectName("kv_type");
    for (const KvChoice& c : kChoices) types_->addItem(tr(c.name), QString::fromLatin1(c.key));
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #c0392b;");
    error_->hide();
    column->addWidget(types_);
    column->addWidget(error_);
    set_bytes_per_token({});
    connect(types_, &QComboBox::currentIndexChanged, this, &KvTypePicker::picked);
}

void KvTypePicker::set_bytes_per_token(const QMap<QString, double>& bytes) {
    for (int i = 0; i < types_->count(); ++i)
        types_->setItemData(i, tooltip(kChoices[i], bytes), Qt::ToolTipRole);
    types_->setToolTip(types_->currentData(Qt::ToolTipRole).toString());
}

void KvTypePicker::set_type(const QString& name) {
    setting_ = true;
    types_->setCurrentIndex(std::max(0, types_->findData(name.trimmed())));
    setting_ = false;
    types_->setToolTip(types_->currentData(Qt::ToolTipRole).toString());
}

QString KvTypePicker::type() const {
    return types_->currentData().toString();
}

void KvTypePicker::set_error(const QString& message) {
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
}

void KvTypePicker::picked() {
    types_->setToolTip(types_->currentData(Qt::ToolTipRole).toString());
    if (!setting_) emit changed(type());
}

}  // namespace ll
