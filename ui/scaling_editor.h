// Editor for a position-scaling override: a method drop-down, only that method's
// parameters (defaults as placeholders, meanings as tooltips), a one-line explanation of the
// method and live validation. The first entry keeps the model file's own setting.
#pragma once

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ll {

class ScalingEditor : public QWidget {
    Q_OBJECT
  public:
    explicit ScalingEditor(QWidget* parent = nullptr);

    // "" = the file's setting; otherwise METHOD[:key=value,...]. Invalid text is shown as is.
    void set_spec(const QString& spec);
    QString spec() const;  // what the fields say now
    void set_error(const QString& message);
    bool is_valid() const;

  signals:
    void apply_requested(const QString& spec);

  private:
    void method_changed();
    void validate();

    QComboBox* method_;
    QLabel* explanation_;
    QFormLayout* params_;
    QList<QPair<QString, QLineEdit*>> fields_;
    QLabel* preview_;
    QLabel* error_;
    QPushButton* apply_;
};

}  // namespace ll
