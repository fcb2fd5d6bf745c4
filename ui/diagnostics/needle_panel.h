// The Needle grid view of the Diagnostics dock: the needle probe over depths × context
// lengths on the open document under the loaded model's configuration (optionally beside no
// position scaling), as a heatmap whose cells fill in as they finish. A background job on
// the model's worker with progress and cancel; the cells finished before a cancel stay.
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace ll {

class HeatmapView;
class NeedleGridJobs;
class ReadingSession;
struct NeedleGridView;

class NeedlePanel : public QWidget {
    Q_OBJECT
  public:
    explicit NeedlePanel(ReadingSession* session, QWidget* parent = nullptr);

    HeatmapView* heatmap_view() const { return view_; }
    QLineEdit* depths_edit() const { return depths_; }
    QLineEdit* lengths_edit() const { return lengths_; }
    QCheckBox* beside_none_box() const { return beside_none_; }
    QPushButton* run_button() const { return run_; }
    QPushButton* cancel_button() const { return cancel_; }
    QPushButton* export_button() const { return export_; }
    NeedleGridJobs* jobs() const { return jobs_; }
    QString summary_text() const;
    // Writes the heatmap as .svg, .png or .csv by the name's suffix; false and `error` set
    // when it cannot.
    bool export_to(const QString& path, QString* error = nullptr) const;

  public slots:
    void start();

  private:
    void show_view(const NeedleGridView& view);
    void show_error(const QString& message);
    void set_running(bool running);
    void export_requested();

    ReadingSession* session_;
    NeedleGridJobs* jobs_;
    QLineEdit* depths_;
    QLineEdit* lengths_;
    QCheckBox* beside_none_;
    QPushButton* run_;
    QPushButton* cancel_;
    QPushButton* export_;
    QProgressBar* progress_;
    HeatmapView* view_;
    QLabel* summary_;
};

}  // namespace ll
