#include "scaling_editor.h"

#include <QComboBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "scaling_catalog.h"

namespace ll {

ScalingEditor::ScalingEditor(QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    method_ = new QComboBox(this);
    method_->addItem(tr("As the model file says"), QString());
    for (const QString& m : scaling_method_names()) method_->addItem(m, m);
    explanation_ = new QLabel(this);
    explanation_->setWordWrap(true);
    explanation_->setForegroundRole(QPalette::PlaceholderText);
    params_ = new QFormLayout;
    params_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    preview_ = new QLabel(this);
    preview_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setStyleSheet("color: #c0392b;");
    error_->hide();
    apply_ = new QPushButton(tr("Apply"), this);
    apply_->setToolTip(tr("Use this scaling for the next questions"));
    auto* row = new QHBoxLayout;
    row->addWidget(preview_, 1);
    row->addWidget(apply_);
    column->addWidget(method_);
    column->addWidget(explanation_);
    column->addLayout(params_);
    column->addLayout(row);
    column->addWidget(error_);
    connect(method_, &QComboBox::currentIndexChanged, this, &ScalingEditor::method_changed);
    connect(apply_, &QPushButton::clicked, this, [this] { emit apply_requested(spec()); });
    method_changed();
}

void ScalingEditor::method_changed() {
    while (params_->rowCount() > 0) params_->removeRow(0);
    fields_.clear();
    const QString method = method_->currentData().toString();
    explanation_->setText(method.isEmpty()
                              ? tr("No override: the scaling stored in the model file applies.")
                              : scaling_method_explanation(method));
    for (const ScalingParameter& p : scaling_parameters(method)) {
        auto* field = new QLineEdit(this);
        field->setValidator(new QDoubleValidator(field));
        field->setPlaceholderText(p.required ? tr("required")
                                  : p.default_value ? tr("default %1").arg(*p.default_value)
                                                    : tr("automatic"));
        field->setToolTip(p.meaning);
        auto* label = new QLabel(p.name + ":", this);
        label->setToolTip(p.meaning);
        params_->addRow(label, field);
        fields_.append({p.name, field});
        connect(field, &QLineEdit::textChanged, this, &ScalingEditor::validate);
        connect(field, &QLineEdit::returnPressed, apply_, &QPushButton::click);
    }
    validate();
}

QString ScalingEditor::spec() const {
    const QString method = method_->currentData().toString();
    if (method.isEmpty()) return {};
    QList<QPair<QString, QString>> values;
    for (const auto& [name, field] : fields_) values.append({name, field->text()});
    return compose_scaling_spec(method, values);
}

void ScalingEditor::set_spec(const QString& spec) {
    const QString method = spec.section(':', 0, 0).trimmed();
    const int index = method_->findData(method);
    method_->setCurrentIndex(std::max(0, index));
    const QStringList pairs = spec.section(':', 1).split(',', Qt::SkipEmptyParts);
    for (const QString& pair : pairs) {
        const QString key = pair.section('=', 0, 0).trimmed();
        for (const auto& [name, field] : fields_)
            if (name == key) field->setText(pair.section('=', 1).trimmed());
    }
    validate();
}

void ScalingEditor::validate() {
    const QString text = spec();
    preview_->setText(text.isEmpty() ? QString() : QStringLiteral("<code>%1</code>").arg(text.toHtmlEscaped()));
    set_error(text.isEmpty() ? QString() : check_scaling_spec(text));
}

void ScalingEditor::set_error(const QString& message) {
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
    apply_->setEnabled(message.isEmpty());
}

bool ScalingEditor::is_valid() const { return error_->text().isEmpty(); }

}  // namespace ll
