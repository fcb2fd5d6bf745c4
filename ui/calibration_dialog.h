// Model ▸ Calibrate Citations…: whether the loaded model's citations are calibrated (and how
// well the fit predicts ablations), and a run of the calibration on the open document with
// progress and cancel. The work and the files live in app/ (CitationCalibration); this shows
// them and sends the user's choices.
#pragma once

#include <QDialog>

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace ll {

class CitationCalibration;
class ReadingSession;

class CalibrationDialog : public QDialog {
    Q_OBJECT
  public:
    explicit CalibrationDialog(ReadingSession* session, QWidget* parent = nullptr);

    CitationCalibration* calibration() const { return calibration_; }
    QString status_text() const;
    void start();  // as the Calibrate button does

  signals:
    void message(const QString& text);

  private:
    void refresh();

    ReadingSession* session_;
    CitationCalibration* calibration_;
    QLabel* status_;
    QLabel* document_;
    QSpinBox* examples_;
    QProgressBar* progress_;
    QLabel* stage_;
    QPushButton* start_;
    QPushButton* cancel_;
};

}  // namespace ll
