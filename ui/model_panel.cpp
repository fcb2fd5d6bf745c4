#include "model_panel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>

#include "app_error.h"
#include "attention_editor.h"
#include "bundled.h"
#include "kv_type_picker.h"
#include "model_service.h"
#include "scaling_editor.h"

namespace ll {
namespace {

// Makes one change to the service's run configuration: "" when it took, else the service's
// AppError as the text shown under the setting (the old value stays in force).
QString refused(const std::function<void()>& change) {
    try {
        change();
    } catch (const AppError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString number(double v) { return QString::number(v, 'g', 6); }
QString count(qint64 v) { return QLocale().toString(v); }

// Specs like yarn:factor=8,original=512 have no space to wrap at; a zero-width space after
// each comma lets them wrap in a narrow dock instead of widening the panel past its edge.
QString breakable(QString text) {
    return text.replace(',', QStringLiteral(",\u200B"));
}

void set_rows(QFormLayout* form, const QList<QPair<QString, QString>>& rows) {
    while (form->rowCount() > 0) form->removeRow(0);
    for (const auto& [name, value] : rows) {
        auto* label = new QLabel(value);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(name, label);
    }
}

// The scaling's warnings (⚠), then notes on settings that do not work as chosen (ⓘ), as HTML.
QStringList warning_lines(const ModelSummary& s) {
    QStringList lines;
    for (const QString& w : s.warnings)
        lines << QStringLiteral("⚠ %1").arg(breakable(w).toHtmlEscaped());
    for (const QString& note : {s.attention_note, s.kv_note})
        if (!note.isEmpty()) lines << QStringLiteral("ⓘ %1").arg(note.toHtmlEscaped());
    return lines;
}

}  // namespace

ModelPanel::ModelPanel(ModelService* service, QWidget* parent)
    : QWidget(parent), service_(service) {
    auto* inner = new QWidget;
    auto* column = new QVBoxLayout(inner);
    open_ = new QPushButton(tr("Open Model…"), inner);
    open_->setToolTip(tr("A GGUF file or a Hugging Face model directory"));
    path_ = new QLabel(tr("No model loaded"), inner);
    path_->setWordWrap(true);
    path_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_ = new QLabel(inner);
    status_->setWordWrap(true);
    status_->hide();
    column->addWidget(open_);
    column->addWidget(path_);
    column->addWidget(status_);

    facts_box_ = new QGroupBox(tr("Model"), inner);
    facts_ = new QFormLayout(facts_box_);
    effective_box_ = new QGroupBox(tr("Effective configuration"), inner);
    auto* eff_column = new QVBoxLayout(effective_box_);
    effective_ = new QFormLayout;
    warnings_ = new QLabel(inner);
    warnings_->setWordWrap(true);
    warnings_->setTextFormat(Qt::RichText);
    warnings_->setStyleSheet(
        "QLabel { background: rgba(240, 173, 78, 0.22); border: 1px solid rgba(240,173,78,0.8);"
        " border-radius: 4px; padding: 6px; }");
    warnings_->hide();
    eff_column->addLayout(effective_);
    eff_column->addWidget(warnings_);
    facts_box_->hide();
    effective_box_->hide();

    auto* scaling_box = new QGroupBox(tr("Position scaling"), inner);
    auto* scaling_column = new QVBoxLayout(scaling_box);
    editor_ = new ScalingEditor(scaling_box);
    scaling_column->addWidget(editor_);

    auto* answer_box = new QGroupBox(tr("Answering"), inner);
    auto* answer_form = new QFormLayout(answer_box);
    context_mode_ = new QComboBox(answer_box);
    context_mode_->setObjectName("context_mode");
    context_mode_->addItem(tr("Auto: whole document if it fits"), "auto");
    context_mode_->addItem(tr("Full document"), "full");
    context_mode_->addItem(tr("Retrieve passages"), "retrieve");
    context_mode_->setToolTip(tr("How much of the document the model reads for a question"));
    answer_form->addRow(tr("Context:"), context_mode_);
    attention_ = new AttentionEditor(answer_box);
    attention_->setToolTip(tr("Which earlier tokens each token of the prompt and answer sees"));
    answer_form->addRow(tr("Attention:"), attention_);
    kv_type_ = new KvTypePicker(answer_box);
    answer_form->addRow(tr("KV cache:"), kv_type_);

    column->addWidget(facts_box_);
    column->addWidget(effective_box_);
    column->addWidget(scaling_box);
    column->addWidget(answer_box);
    column->addStretch(1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(inner);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    QSettings settings;
    context_mode_->setCurrentIndex(
        std::max(0, context_mode_->findData(settings.value("qa/context_mode", "auto"))));
    const QString scaling = settings.value("model/scaling").toString();
    editor_->set_spec(scaling);
    // Kept in the run configuration for the model that loads; validated against it then. A
    // remembered value the service refuses is shown under its setting.
    if (!scaling.isEmpty())
        editor_->set_error(refused([&] { service_->set_scaling(scaling); }));
    refused([&] { service_->set_context_mode(context_mode()); });  // one of the box's own
    // "" (never chosen): the model's own variant, shown once a model is loaded.
    const QString attention = settings.value("model/attention").toString();
    attention_->set_spec(attention);
    if (!attention.isEmpty())
        attention_->set_error(refused([&] { service_->set_attention(attention); }));
    // Checked against each model as it loads; one that cannot hold it runs the default
    // (the run configuration's, as the service starts) and says so.
    kv_type_->set_type(settings.value("model/kv_type", service_->kv_choice()).toString());
    kv_type_->set_error(refused([&] { service_->set_kv_type(kv_type_->type()); }));

    connect(open_, &QPushButton::clicked, this, &ModelPanel::open_requested);
    connect(context_mode_, &QComboBox::currentIndexChanged, this, [this] {
        refused([&] { service_->set_context_mode(context_mode()); });  // the box's own names
        QSettings().setValue("qa/context_mode", context_mode());
    });
    connect(editor_, &ScalingEditor::apply_requested, this, &ModelPanel::apply_scaling);
    connect(attention_, &AttentionEditor::changed, this, &ModelPanel::apply_attention);
    connect(kv_type_, &KvTypePicker::changed, this, &ModelPanel::apply_kv_type);
    connect(service_, &ModelService::loading, this, &ModelPanel::show_loading);
    connect(service_, &ModelService::loaded, this, &ModelPanel::show_summary);
    connect(service_, &ModelService::summary_changed, this, &ModelPanel::show_summary);
    connect(service_, &ModelService::load_failed, this, &ModelPanel::show_error);
}

QString ModelPanel::context_mode() const { return context_mode_->currentData().toString(); }
QString ModelPanel::warnings_text() const { return warnings_->isVisible() ? warnings_->text() : QString(); }

void ModelPanel::show_loading(const QString& path) {
    status_->setText(tr("Loading %1…").arg(bundled::model_name(path)));
    status_->setStyleSheet({});
    status_->show();
    open_->setEnabled(false);
}

void ModelPanel::show_error(const QString& message) {
    open_->setEnabled(true);
    status_->setText(tr("<b>Could not load the model.</b><br>%1").arg(message.toHtmlEscaped()));
    status_->setStyleSheet("color: #c0392b;");
    status_->show();
}

void ModelPanel::show_summary(const ModelSummary& s) {
    open_->setEnabled(true);
    status_->hide();
    path_->setText(QStringLiteral("<b>%1</b><br><small>%2</small>")
                       .arg(bundled::model_name(s.path).toHtmlEscaped(), s.path.toHtmlEscaped()));
    QStringList types;
    for (auto it = s.tensor_types.begin(); it != s.tensor_types.end(); ++it)
        types << QStringLiteral("%1 ×%2").arg(it.key()).arg(it.value());
    set_rows(facts_, {
        {tr("Architecture:"), tr("%1 (%2), %3 layers, dim %4, FFN %5, heads %6/%7 × %8")
                                  .arg(s.architecture, s.format).arg(s.layers).arg(s.dim)
                                  .arg(s.ffn_dim).arg(s.heads).arg(s.kv_heads).arg(s.head_dim)},
        {tr("Differs from Llama:"),
         s.architecture_notes.isEmpty() ? tr("nothing") : s.architecture_notes.join("; ")},
        {tr("Size:"), tr("%1 of weights (%2)").arg(format_bytes(s.weight_bytes), types.join(", "))},
        {tr("Trained window:"), tr("%1 tokens, rope base %2, %3").arg(count(s.trained_window))
                                    .arg(number(s.rope_theta), s.rope_layout)},
        {tr("Tokenizer:"), s.tokenizer},
        {tr("Chat template:"), s.chat_template},
        {tr("File scaling:"), breakable(s.file_scaling)},
        {tr("Memory:"), tr("%1 weights + %2 KV per token (%3) = %4 at %5 tokens")
                            .arg(format_bytes(s.weight_bytes), format_bytes(s.kv_bytes_per_token),
                                 s.kv_type, format_bytes(s.total_bytes()), count(s.context_len))},
    });
    QStringList params;
    for (auto it = s.params.begin(); it != s.params.end(); ++it)
        params << QStringLiteral("%1 = %2").arg(it.key(), number(it.value()));
    set_rows(effective_, {
        {tr("Method:"), tr("%1 (%2)").arg(s.method, s.source)},
        {tr("Parameters:"), params.isEmpty() ? tr("none") : params.join(", ")},
        {tr("Effective window:"), s.effective_window > 0 ? tr("%1 tokens").arg(count(s.effective_window))
                                                         : tr("no fixed limit")},
        {tr("Attention factor:"), tr("%1 (logits × %2)").arg(number(s.attention_factor), number(s.logit_factor))},
        {tr("LongRoPE factors:"), s.longrope_factors.isEmpty() ? tr("—") : breakable(s.longrope_factors)},
        {tr("Rope base in force:"), s.theta > 0 ? number(s.theta) : tr("— (ALiBi)")},
        {tr("Attention:"), tr("%1 (%2)").arg(breakable(s.attention), s.attention_source)},
        {tr("KV cache:"), tr("%1 (%2 per token)").arg(s.kv_type, format_bytes(s.kv_bytes_per_token))},
    });
    if (s.attention_source != "user") attention_->set_spec(s.attention);
    kv_type_->set_bytes_per_token(s.kv_bytes_per_type);
    kv_type_->set_type(s.kv_type);
    kv_type_->set_error({});
    const QStringList warnings = warning_lines(s);
    warnings_->setText(warnings.join("<br>"));
    warnings_->setVisible(!warnings.isEmpty());
    facts_box_->show();
    effective_box_->show();
}

void ModelPanel::apply_scaling(const QString& spec) {
    // Without a model it is kept for the next one, and validated against it when it loads.
    if (const QString error = refused([&] { service_->set_scaling(spec); }); !error.isEmpty()) {
        editor_->set_error(error);
        return;
    }
    QSettings().setValue("model/scaling", spec);
    emit scaling_applied(spec);
}

void ModelPanel::apply_attention(const QString& spec) {
    if (const QString error = refused([&] { service_->set_attention(spec); }); !error.isEmpty()) {
        attention_->set_error(error);
        return;
    }
    QSettings().setValue("model/attention", spec);
}

void ModelPanel::apply_kv_type(const QString& name) {
    if (const QString error = refused([&] { service_->set_kv_type(name); }); !error.isEmpty()) {
        // The picker goes back to the type that still runs, with the reason beneath it.
        kv_type_->set_type(service_->summary().kv_type);
        kv_type_->set_error(error);
        return;
    }
    kv_type_->set_error({});
    QSettings().setValue("model/kv_type", name);
}

}  // namespace ll
