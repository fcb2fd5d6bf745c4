#include "attention_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include "attention_catalog.h"

namespace ll {
namespace {

constexpr int kMaxTokens = 1 << 24;

// The value of `key` in "kind:key=value,..." or `fallback`.
int value_of(const QString& spec, const QString& key, int fallback) {
    for (const QString& pair : spec.section(':', 1).split(',', Qt::SkipEmptyParts))
        if (pair.section('=', 0, 0).trimmed() == key) {
            bool ok = false;
            const int v = pair.section('=', 1).trimmed().toInt(&ok);
            return ok ? v : fallback;
        }
    return fallback;
}

}  // namespace

AttentionEditor::AttentionEditor(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    kind_ = new QComboBox(this);
    explanation_ = new QLabel(this);
    explanation_->setWordWrap(true);
    explanation_->setForegroundRole(QPalette::PlaceholderText);
    params_ = new QFormLayout;
    params_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const AttentionKind& k : attention_kinds()) {
        kind_->addItem(k.label, k.name);
        kind_->setItemData(kind_->count() - 1, k.explanation, Qt::ToolTipRole);
        for (const AttentionSize& size : k.sizes) add_size(k.name, size);
    }
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #c0392b;");
    error_->hide();
    column->addWidget(kind_);
    column->addWidget(explanation_);
    column->addLayout(params_);
    column->addWidget(error_);
    connect(kind_, &QComboBox::currentIndexChanged, this, &AttentionEditor::kind_changed);
    kind_changed();
}

void AttentionEditor::add_size(const QString& kind, const AttentionSize& size) {
    auto* box = new QSpinBox(this);
    box->setRange(1, kMaxTokens);
    box->setSingleStep(static_cast<int>(size.step));
    box->setValue(static_cast<int>(size.initial));
    box->setSuffix(tr(" tokens"));
    box->setToolTip(size.meaning);
    // Apply when a value is complete (Enter, focus out, arrows), not at every keystroke.
    box->setKeyboardTracking(false);
    auto* name = new QLabel(size.label + ':', this);
    name->setToolTip(size.meaning);
    params_->addRow(name, box);
    sizes_.append({kind, size.key, box});
    connect(box, &QSpinBox::valueChanged, this, &AttentionEditor::edited);
}

void AttentionEditor::kind_changed() {
    const QString kind = kind_->currentData().toString();
    explanation_->setText(kind_->currentData(Qt::ToolTipRole).toString());
    for (const Size& size : sizes_) params_->setRowVisible(size.box, size.kind == kind);
    edited();
}

void AttentionEditor::edited() {
    set_error(check_attention_spec(spec()));
    if (!setting_ && is_valid()) emit changed(spec());
}

QString AttentionEditor::spec() const {
    const QString kind = kind_->currentData().toString();
    QStringList values;
    for (const Size& size : sizes_)
        if (size.kind == kind)
            values << QStringLiteral("%1=%2").arg(size.key).arg(size.box->value());
    return values.isEmpty() ? kind : kind + ':' + values.join(',');
}

void AttentionEditor::set_spec(const QString& spec) {
    setting_ = true;
    const QString kind = spec.section(':', 0, 0).trimmed();
    const int index = kind_->findData(kind);
    for (const Size& size : sizes_)
        if (size.kind == kind) size.box->setValue(value_of(spec, size.key, size.box->value()));
    kind_->setCurrentIndex(std::max(0, index));
    kind_changed();
    setting_ = false;
}

bool AttentionEditor::is_valid() const {
    return error_->isHidden();
}

void AttentionEditor::set_error(const QString& message) {
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
}

}  // namespace ll
