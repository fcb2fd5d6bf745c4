// Editor for the attention variant, i.e. which earlier tokens each query sees: a drop-down of
// the variants the engine describes (attention_catalog.h), only the chosen one's sizes (spin
// boxes), a one-line explanation and the engine's validation. It edits a spec as
// AttentionVariant::parse reads it.
#pragma once

#include <QList>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace ll {

struct AttentionSize;

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
    struct Size {
        QString kind;  // the variant it belongs to
        QString key;
        QSpinBox* box;
    };
    void add_size(const QString& kind, const AttentionSize& size);
    void kind_changed();
    void edited();

    QComboBox* kind_;
    QLabel* explanation_;
    QFormLayout* params_;
    QList<Size> sizes_;  // every variant's, in the catalog's order
    QLabel* error_;
    bool setting_ = false;  // inside set_spec: no changed()
};

}  // namespace ll
