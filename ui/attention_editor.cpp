#include "attention_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ll {
namespace {

constexpr int kMaxTokens = 1 << 24;

struct Variant {
    const char* key;
    const char* name;
    const char* explanation;
};

// The variants of engine/attention_variant.h, in the order the drop-down offers them.
constexpr Variant kVariants[] = {
    {"full", QT_TRANSLATE_NOOP("ll::AttentionEditor", "Full causal"),
     QT_TRANSLATE_NOOP("ll::AttentionEditor", "Every token sees all the tokens before it.")},
    {"window", QT_TRANSLATE_NOOP("ll::AttentionEditor", "Sliding window"),
     QT_TRANSLATE_NOOP("ll::AttentionEditor",
                       "Each token sees only the last W tokens (Mistral's sliding window).")},
    {"sinks", QT_TRANSLATE_NOOP("ll::AttentionEditor", "Attention sinks + window"),
     QT_TRANSLATE_NOOP("ll::AttentionEditor",
                       "The first S tokens stay visible beside the last W (StreamingLLM).")},
    {"s2", QT_TRANSLATE_NOOP("ll::AttentionEditor", "Shifted sparse (LongLoRA S²-Attn)"),
     QT_TRANSLATE_NOOP("ll::AttentionEditor",
                       "Causal within groups of G tokens, half the heads shifted by G/2; a "
                       "training-time method, offered for comparison.")},
};

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
    for (const Variant& v : kVariants) {
        kind_->addItem(tr(v.name), QString::fromLatin1(v.key));
        kind_->setItemData(kind_->count() - 1, tr(v.explanation), Qt::ToolTipRole);
    }
    explanation_ = new QLabel(this);
    explanation_->setWordWrap(true);
    explanation_->setForegroundRole(QPalette::PlaceholderText);
    params_ = new QFormLayout;
    params_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    window_ = add_size(tr("Window:"), tr("How many of the latest tokens each token sees"), 512);
    sinks_ = add_size(tr("Sinks:"), tr("How many first tokens stay visible to every token"), 4);
    sink_window_ =
        add_size(tr("Window:"), tr("How many of the latest tokens each token sees"), 508);
    group_ =
        add_size(tr("Group:"), tr("Tokens per attention group (even: half are shifted)"), 512, 2);
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

QSpinBox* AttentionEditor::add_size(const QString& label, const QString& meaning, int value,
                                    int step) {
    auto* box = new QSpinBox(this);
    box->setRange(1, kMaxTokens);
    box->setSingleStep(step);
    box->setValue(value);
    box->setSuffix(tr(" tokens"));
    box->setToolTip(meaning);
    // Apply when a value is complete (Enter, focus out, arrows), not at every keystroke.
    box->setKeyboardTracking(false);
    auto* name = new QLabel(label, this);
    name->setToolTip(meaning);
    params_->addRow(name, box);
    connect(box, &QSpinBox::valueChanged, this, &AttentionEditor::edited);
    return box;
}

void AttentionEditor::kind_changed() {
    const QString kind = kind_->currentData().toString();
    explanation_->setText(kind_->currentData(Qt::ToolTipRole).toString());
    params_->setRowVisible(window_, kind == "window");
    params_->setRowVisible(sinks_, kind == "sinks");
    params_->setRowVisible(sink_window_, kind == "sinks");
    params_->setRowVisible(group_, kind == "s2");
    edited();
}

void AttentionEditor::edited() {
    set_error(check());
    if (!setting_ && is_valid()) emit changed(spec());
}

QString AttentionEditor::check() const {
    if (kind_->currentData().toString() == "s2" && group_->value() % 2 != 0)
        return tr("The group must be even: half the heads are shifted by half a group.");
    return {};
}

QString AttentionEditor::spec() const {
    const QString kind = kind_->currentData().toString();
    if (kind == "window") return QStringLiteral("window:size=%1").arg(window_->value());
    if (kind == "sinks")
        return QStringLiteral("sinks:sinks=%1,window=%2")
            .arg(sinks_->value())
            .arg(sink_window_->value());
    if (kind == "s2") return QStringLiteral("s2:group=%1").arg(group_->value());
    return QStringLiteral("full");
}

void AttentionEditor::set_spec(const QString& spec) {
    setting_ = true;
    const QString kind = spec.section(':', 0, 0).trimmed();
    window_->setValue(value_of(spec, "size", window_->value()));
    sinks_->setValue(value_of(spec, "sinks", sinks_->value()));
    sink_window_->setValue(value_of(spec, "window", sink_window_->value()));
    group_->setValue(value_of(spec, "group", group_->value()));
    kind_->setCurrentIndex(std::max(0, kind_->findData(kind)));
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
