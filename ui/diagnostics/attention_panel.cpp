#include "diagnostics/attention_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

#include "diagnostics/chart_view.h"
#include "question_answerer.h"

namespace ll {

AttentionPanel::AttentionPanel(QuestionAnswerer* answerer, QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    auto* charts = new QHBoxLayout;
    along_ = new ChartView(this);
    along_->setToolTip(tr("Click to go to that place in the document"));
    depth_ = new ChartView(this);
    charts->addWidget(along_, 3);
    charts->addWidget(depth_, 1);
    column->addLayout(charts, 1);
    summary_ = new QLabel(tr("Ask a question: where its answer looked is shown here."), this);
    summary_->setWordWrap(true);
    column->addWidget(summary_);
    connect(answerer, &QuestionAnswerer::attention_ready, this, &AttentionPanel::show_attention);
    connect(along_, &ChartView::clicked_at, this,
            [this](double x) { emit go_to(static_cast<qsizetype>(std::max(0.0, x))); });
}

void AttentionPanel::show_attention(const Chart& along, const Chart& by_depth,
                                    const QString& summary) {
    along_->set_chart(along);
    depth_->set_chart(by_depth);
    summary_->setText(summary);
}

QString AttentionPanel::summary_text() const { return summary_->text(); }

}  // namespace ll
