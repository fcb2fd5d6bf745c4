// One run's column in the Compare view: its colour and configuration, what it is doing, the
// answer as it streams, its citations as chips in its colour, the context it read and what
// it cost, or its error. Draws a CompareColumn (app/service/compare_session.h).
#pragma once

#include <QColor>
#include <QWidget>

class QLabel;
class QProgressBar;
class QTextBrowser;

namespace ll {

class FlowLayout;
struct CompareColumn;

class RunColumn : public QWidget {
    Q_OBJECT
  public:
    RunColumn(int index, const QColor& colour, QWidget* parent = nullptr);

    void show_column(const CompareColumn& column);
    QColor colour() const { return colour_; }
    QString answer_text() const;
    QString status_text() const;
    QString numbers_text() const;
    int citation_count() const;

  signals:
    void citation_clicked(qsizetype start, qsizetype end);

  private:
    int index_;
    QColor colour_;
    QLabel* spec_;
    QLabel* status_;
    QProgressBar* progress_;
    QTextBrowser* answer_;
    QWidget* chips_;
    FlowLayout* chip_layout_;
    QLabel* numbers_;
};

}  // namespace ll
