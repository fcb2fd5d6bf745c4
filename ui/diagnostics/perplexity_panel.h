// The Perplexity view of the Diagnostics dock: NLL per chunk along the open document under
// the loaded model's configuration, optionally beside no position scaling on the same
// spans, as a chart with the trained window marked. A background job on the model's worker
// with progress and cancel; the last result per (document, configuration) is kept.
#pragma once

#include <QWidget>

#include <memory>

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace ll {

class ChartView;
class PerplexityJobs;
class ReadingSession;
struct PerplexityView;

class PerplexityPanel : public QWidget {
    Q_OBJECT
  public:
    explicit PerplexityPanel(ReadingSession* session, QWidget* parent = nullptr);

    ChartView* chart_view() const { return chart_; }
    QSpinBox* chunk_box() const { return chunk_; }
    QSpinBox* limit_box() const { return limit_; }
    QCheckBox* beside_none_box() const { return beside_none_; }
    QPushButton* run_button() const { return run_; }
    QPushButton* cancel_button() const { return cancel_; }
    PerplexityJobs* jobs() const { return jobs_; }
    QString summary_text() const;

  public slots:
    void start();

  private:
    void show_view(const PerplexityView& view);
    void show_error(const QString& message);
    void set_running(bool running);

    ReadingSession* session_;
    PerplexityJobs* jobs_;
    QSpinBox* chunk_;
    QSpinBox* limit_;
    QCheckBox* beside_none_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    ChartView* chart_;
    QLabel* summary_;
};

}  // namespace ll
