// Picker for the KV cache's element type: a drop-down of f16 (the default), f32 and q8_0,
// each with a one-line tooltip giving its memory per token for the loaded model, and a line
// saying why the service refused one (q8_0 on a model whose rows are not whole blocks).
#pragma once

#include <QMap>
#include <QWidget>

class QComboBox;
class QLabel;

namespace ll {

class KvTypePicker : public QWidget {
    Q_OBJECT
  public:
    explicit KvTypePicker(QWidget* parent = nullptr);

    // f32, f16 or q8_0; unknown text: f16. Does not emit changed(): only the reader's picks do.
    void set_type(const QString& name);
    QString type() const;
    // Bytes per token of each type for the loaded model; a type missing cannot hold its rows.
    void set_bytes_per_token(const QMap<QString, double>& bytes);
    void set_error(const QString& message);  // "" hides it

  signals:
    void changed(const QString& name);

  private:
    void picked();

    QComboBox* types_;
    QLabel* error_;
    bool setting_ = false;  // inside set_type: no changed()
};

}  // namespace ll
