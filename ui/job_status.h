// The status-bar part that shows the running job: what it is, a progress bar with its
// numbers (tokens done, tokens/s, ETA) and a cancel button. Idle, it shows the last result.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QProgressBar;
class QToolButton;

namespace ll {

class JobStatus : public QWidget {
    Q_OBJECT
  public:
    explicit JobStatus(QWidget* parent = nullptr);

    // A job begins; `cancel` (may be empty) runs when the user presses the button.
    void begin(const QString& title, std::function<void()> cancel = {});
    // Indeterminate progress with a message.
    void busy(const QString& message);
    // Token progress: done of total, seconds so far; shows tokens/s and the ETA.
    void tokens(const QString& stage, qint64 done, qint64 total, double seconds);
    void end(const QString& message);
    bool running() const { return running_; }
    QString text() const;
    int percent() const;

  signals:
    void cancel_clicked();

  private:
    QLabel* label_;
    QProgressBar* bar_;
    QToolButton* cancel_;
    std::function<void()> on_cancel_;
    QString title_;
    bool running_ = false;
};

// "3 s", "1 min 20 s" for ETAs.
QString format_duration(double seconds);

}  // namespace ll
