// The Attention view of the Diagnostics dock: after each answer, where its tokens looked
// along the document (the model's weights and, for all layers and heads, attribution's
// above-distance mass, the cited passages marked; per page for PDFs), by depth in the
// prompt ("lost in the middle", beside the conversation's mean), and each answer token
// against the passages it looked at most. Layer and head are chosen here; the choice also
// drives the attention strip beside the document. A click on a chart or a passage goes
// there. The CLI twin: `longlens-cli diagnose attention`.
#pragma once

#include <QWidget>

#include <memory>

#include "attention_report.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;

namespace ll {

class ChartView;
class QuestionAnswerer;
class TokenMapView;

class AttentionPanel : public QWidget {
    Q_OBJECT
  public:
    explicit AttentionPanel(QuestionAnswerer* answerer, QWidget* parent = nullptr);

    ChartView* along_view() const { return along_; }
    ChartView* depth_view() const { return depth_; }
    TokenMapView* token_view() const { return tokens_; }
    QString summary_text() const;
    // Selects a captured layer (index into the report's layers) and head; -1: all. False
    // when there is no answer yet or the choice is out of range.
    bool select(int layer, int head);
    // The along-the-document chart as .svg/.png/.csv, or the selection's numbers as .json.
    bool export_to(const QString& path, QString* error = nullptr) const;
    const std::shared_ptr<const AttentionReport>& report() const { return report_; }

  signals:
    void go_to(qsizetype offset);
    // The strip beside the document for the current answer and selection.
    void strip_changed(const ll::AttentionStrip& strip);

  private:
    void show_report(std::shared_ptr<const AttentionReport> report);
    void show_selection();
    void export_requested();

    std::shared_ptr<const AttentionReport> report_;  // the last answer's (what is shown)
    QComboBox* layer_;
    QComboBox* head_;
    QPushButton* export_;
    ChartView* along_;
    QTabWidget* side_;
    ChartView* depth_;
    TokenMapView* tokens_;
    QLabel* summary_;
};

}  // namespace ll
