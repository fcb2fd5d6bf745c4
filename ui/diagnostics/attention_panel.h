// The Attention view of the Diagnostics dock: after each answer, where its tokens looked
// along the document (the model's weights and attribution's above-distance mass, the cited
// passages marked) and by depth in the prompt ("lost in the middle"). A click on the chart
// goes to that place in the document. Layers and heads: `longlens-cli diagnose attention`.
#pragma once

#include <QWidget>

class QLabel;

namespace ll {

class ChartView;
class QuestionAnswerer;
struct Chart;

class AttentionPanel : public QWidget {
    Q_OBJECT
  public:
    explicit AttentionPanel(QuestionAnswerer* answerer, QWidget* parent = nullptr);

    ChartView* along_view() const { return along_; }
    ChartView* depth_view() const { return depth_; }
    QString summary_text() const;

  signals:
    void go_to(qsizetype offset);

  private:
    void show_attention(const Chart& along, const Chart& by_depth, const QString& summary);

    ChartView* along_;
    ChartView* depth_;
    QLabel* summary_;
};

}  // namespace ll
