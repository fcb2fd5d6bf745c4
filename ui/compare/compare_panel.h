// The Compare view (issue 16): one question about the open document, two to four runs (each
// a run configuration in its text form, typed or filled in by a preset), run one after
// another with a column each; at the end, which passages the runs agree on and how their
// answers differ word by word. Each run's citations are marked in its colour on the
// document view. The comparison itself lives in CompareSession (app/service).
#pragma once

#include <QList>
#include <QWidget>

#include "document_view.h"

class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTextBrowser;

namespace ll {

class CompareSession;
class LibraryStore;
class ReadingSession;
class RunColumn;

class ComparePanel : public QWidget {
    Q_OBJECT
  public:
    ComparePanel(ReadingSession* session, LibraryStore* store, QWidget* parent = nullptr);

    CompareSession* compare_session() const { return compare_; }
    QLineEdit* question_box() const { return question_; }
    QSpinBox* run_count_box() const { return count_; }
    QComboBox* preset_box() const { return preset_; }
    QLineEdit* spec_box(int run) const { return specs_.value(run); }
    QPushButton* compare_button() const { return start_; }
    QPushButton* cancel_button() const { return cancel_; }
    QPushButton* export_button() const { return export_; }
    QComboBox* earlier_box() const { return earlier_; }
    RunColumn* column(int run) const { return columns_.value(run); }
    QString message_text() const;
    QString diff_text() const;

    // Puts `question` in the box if the reader has not typed one.
    void suggest_question(const QString& question);
    // Fills the runs with a preset: 0 scaling methods, 1 KV types, 2 attention variants.
    void apply_preset(int preset);
    // Shows the kept comparison at `index` of the Earlier list (0 is the list's title).
    void open_earlier(int index);
    // Writes what is shown to `path` (.md, .html, .json); false with the reason shown.
    bool export_to(const QString& path);

  public slots:
    void start();

  signals:
    void citation_clicked(qsizetype start, qsizetype end);
    void marks_changed(const QList<ll::DocumentView::ColouredRange>& marks);

  private:
    void show_count(int count);
    void column_changed(int run);
    void finished();
    void show_message(const QString& html);
    void refresh_earlier();

    ReadingSession* session_;
    CompareSession* compare_;
    QLineEdit* question_;
    QComboBox* preset_;
    QSpinBox* count_;
    QList<QLineEdit*> specs_;
    QPushButton* start_;
    QPushButton* cancel_;
    QPushButton* export_;
    QComboBox* earlier_;
    QHBoxLayout* column_row_;
    QList<RunColumn*> columns_;
    QLabel* message_;
    QTextBrowser* diff_;
};

}  // namespace ll
