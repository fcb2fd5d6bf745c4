// The model: what the loaded file is (as `longlens-cli info` reports it), the effective
// position configuration with its warnings, the scaling editor and the answering settings
// (context, attention variant, KV cache type).
#pragma once

#include <QWidget>

#include "model_summary.h"

class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QPushButton;

namespace ll {

class AttentionEditor;
class KvTypePicker;
class ModelService;
class ScalingEditor;

class ModelPanel : public QWidget {
    Q_OBJECT
  public:
    ModelPanel(ModelService* service, QWidget* parent = nullptr);

    QString context_mode() const;  // auto, full or retrieve
    ScalingEditor* scaling_editor() const { return editor_; }
    AttentionEditor* attention_editor() const { return attention_; }
    KvTypePicker* kv_type_picker() const { return kv_type_; }
    QString warnings_text() const;

  signals:
    void open_requested();
    void scaling_applied(const QString& spec);

  private:
    void show_summary(const ModelSummary& s);
    void show_loading(const QString& path);
    void show_error(const QString& message);
    void apply_scaling(const QString& spec);
    void apply_attention(const QString& spec);
    void apply_kv_type(const QString& name);

    ModelService* service_;
    QPushButton* open_;
    QLabel* path_;
    QLabel* status_;
    QGroupBox* facts_box_;
    QFormLayout* facts_;
    QGroupBox* effective_box_;
    QFormLayout* effective_;
    QLabel* warnings_;
    ScalingEditor* editor_;
    QComboBox* context_mode_;
    AttentionEditor* attention_;
    KvTypePicker* kv_type_;
};

}  // namespace ll
