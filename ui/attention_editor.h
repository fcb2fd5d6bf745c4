// Editor for the attention variant, i.e. which earlier tokens each query sees: a drop-down of
// the variants the engine has, only the chosen one's sizes (spin boxes), a one-line
// explanation and validation. It edits a spec as AttentionVariant::parse reads it.
#pragma once

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace ll {

class AttentionEditor : public QWidget {
    Q_OBJECT
  public:
    explicit AttentionEditor(QWidget* parent = nullptr);

    // full, window:size=W, sinks:sinks=S,window=W or s2:group=G; "" and unknown text: full.
    // Does not emit changed(): only the reader's edits do.
    void set_spec(const QString& spec);
    QString spec() const;  // what the fields say now
    void set_error(const QString& message);
    bool is_valid() const;

  signals:
    // A valid spec the reader chose.
    void changed(const QString& spec);

  private:
    QSpinBox* add_size(const QString& label, const QString& meaning, int value, int step = 1);
    void kind_changed();
    void edited();
    QString check() const;  // why the fields are not a valid variant, or ""

    QComboBox* kind_;
    QLabel* explanation_;
    QFormLayout* params_;
    QSpinBox* window_;
    QSpinBox* sinks_;
    QSpinBox* sink_window_;
    QSpinBox* group_;
    QLabel* error_;
    bool setting_ = false;  // inside set_spec: no changed()
};

}  // namespace ll
