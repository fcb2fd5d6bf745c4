#include "diagnostics/attention_panel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "diagnostics/chart_view.h"
#include "diagnostics/token_map_view.h"
#include "question_answerer.h"
#include "save_file.h"

namespace ll {

AttentionPanel::AttentionPanel(QuestionAnswerer* answerer, QWidget* parent) : QWidget(parent) {
    auto* column = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Layer:"), this));
    layer_ = new QComboBox(this);
    layer_->setToolTip(tr("The captured layers averaged, or one of them"));
    controls->addWidget(layer_);
    controls->addWidget(new QLabel(tr("Head:"), this));
    layer_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    head_ = new QComboBox(this);
    head_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    head_->setToolTip(tr("Every query head averaged, or one of them"));
    controls->addWidget(head_);
    controls->addStretch(1);
    export_ = new QPushButton(tr("Export…"), this);
    export_->setToolTip(tr("Save the chart as SVG, PNG or CSV, or the numbers as JSON"));
    controls->addWidget(export_);
    column->addLayout(controls);

    auto* charts = new QHBoxLayout;
    along_ = new ChartView(this);
    along_->setToolTip(tr("Click to go to that place in the document"));
    side_ = new QTabWidget(this);
    side_->setDocumentMode(true);
    depth_ = new ChartView(side_);
    side_->addTab(depth_, tr("By depth"));
    // The map is kept for every captured layer and head together (the answer keeps no
    // per-head token rows), so it says so rather than seem to follow the Layer/Head choice.
    auto* token_page = new QWidget;
    auto* token_column = new QVBoxLayout(token_page);
    auto* caption = new QLabel(tr("Each answer token (row) against the passages the answer "
                                  "looked at most (columns), all captured layers and heads. "
                                  "Click a column to go there."),
                               token_page);
    caption->setWordWrap(true);
    caption->setForegroundRole(QPalette::PlaceholderText);
    tokens_ = new TokenMapView;
    token_column->addWidget(caption);
    token_column->addWidget(tokens_, 1);
    auto* scroll = new QScrollArea(side_);
    scroll->setWidget(token_page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    side_->addTab(scroll, tr("Tokens × passages"));
    charts->addWidget(along_, 3);
    charts->addWidget(side_, 2);
    column->addLayout(charts, 1);
    summary_ = new QLabel(tr("Ask a question: where its answer looked is shown here."), this);
    summary_->setWordWrap(true);
    column->addWidget(summary_);
    for (QWidget* w : {static_cast<QWidget*>(layer_), static_cast<QWidget*>(head_),
                       static_cast<QWidget*>(export_)})
        w->setEnabled(false);

    connect(answerer, &QuestionAnswerer::attention_ready, this, &AttentionPanel::show_report);
    connect(layer_, &QComboBox::currentIndexChanged, this, &AttentionPanel::show_selection);
    connect(head_, &QComboBox::currentIndexChanged, this, &AttentionPanel::show_selection);
    connect(export_, &QPushButton::clicked, this, &AttentionPanel::export_requested);
    connect(along_, &ChartView::clicked_at, this, [this](double x) {
        if (report_) emit go_to(report_->offset_at(std::max(0.0, x)));
    });
    connect(tokens_, &TokenMapView::passage_clicked, this, &AttentionPanel::go_to);
}

void AttentionPanel::show_report(std::shared_ptr<const AttentionReport> report) {
    report_ = std::move(report);
    const QSignalBlocker block_layer(layer_), block_head(head_);
    const int layer = layer_->currentIndex(), head = head_->currentIndex();
    layer_->clear();
    layer_->addItem(tr("All captured"));
    for (int l : report_->layers()) layer_->addItem(tr("Layer %1").arg(l));
    head_->clear();
    head_->addItem(tr("All heads"));
    for (int h = 0; h < report_->heads(); ++h) head_->addItem(tr("Head %1").arg(h));
    // The same choice for the next answer, when it still exists.
    layer_->setCurrentIndex(layer > 0 && layer < layer_->count() ? layer : 0);
    head_->setCurrentIndex(head > 0 && head < head_->count() ? head : 0);
    for (QWidget* w : {static_cast<QWidget*>(layer_), static_cast<QWidget*>(head_),
                       static_cast<QWidget*>(export_)})
        w->setEnabled(true);
    tokens_->set_map(report_->tokens());
    show_selection();
}

void AttentionPanel::show_selection() {
    if (!report_) return;
    const int layer = layer_->currentIndex() - 1, head = head_->currentIndex() - 1;
    along_->set_chart(report_->along(layer, head));
    depth_->set_chart(report_->by_depth(layer, head));
    summary_->setText(report_->summary(layer, head));
    emit strip_changed(report_->strip(layer, head));
}

bool AttentionPanel::select(int layer, int head) {
    if (!report_ || layer < -1 || layer + 1 >= layer_->count() || head < -1 ||
        head + 1 >= head_->count())
        return false;
    const QSignalBlocker block(head_);
    head_->setCurrentIndex(head + 1);
    layer_->setCurrentIndex(layer + 1);
    show_selection();
    return true;
}

QString AttentionPanel::summary_text() const {
    return summary_->text();
}

bool AttentionPanel::export_to(const QString& path, QString* error) const {
    if (QFileInfo(path).suffix().toLower() != "json") return along_->export_to(path, error);
    if (!report_) {
        if (error) *error = tr("%1: no answer to export yet").arg(path);
        return false;
    }
    const QByteArray bytes = report_->json(layer_->currentIndex() - 1, head_->currentIndex() - 1);
    const QString problem = save_file(path, bytes);
    if (problem.isEmpty()) return true;
    if (error) *error = problem;
    return false;
}

void AttentionPanel::export_requested() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Attention"), "attention.svg",
        tr("SVG image (*.svg);;PNG image (*.png);;CSV numbers (*.csv);;JSON numbers (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!export_to(path, &error)) summary_->setText(error.toHtmlEscaped());
}

}  // namespace ll
