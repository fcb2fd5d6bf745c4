#include "diagnostics/perplexity_panel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

#include "app_error.h"
#include "diagnostics/chart_view.h"
#include "diagnostics_views.h"
#include "model_service.h"
#include "reading_session.h"

namespace ll {

PerplexityPanel::PerplexityPanel(ReadingSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    jobs_ = new PerplexityJobs(session->model_service(), this);
    auto* column = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Chunks of"), this));
    chunk_ = new QSpinBox(this);
    chunk_->setObjectName("perplexity_chunk");
    chunk_->setRange(16, 65536);
    chunk_->setValue(256);
    chunk_->setSuffix(tr(" tokens"));
    controls->addWidget(chunk_);
    controls->addWidget(new QLabel(tr("Score"), this));
    limit_ = new QSpinBox(this);
    limit_->setObjectName("perplexity_limit");
    limit_->setRange(0, 100'000'000);
    limit_->setSingleStep(1024);
    limit_->setSpecialValueText(tr("the whole document"));
    limit_->setPrefix(tr("the first "));
    limit_->setSuffix(tr(" tokens"));
    controls->addWidget(limit_);
    beside_none_ = new QCheckBox(tr("Beside no scaling"), this);
    beside_none_->setToolTip(
        tr("Also score the same spans without position scaling: where positions pass the "
           "trained window, the difference is the scaling's work"));
    controls->addWidget(beside_none_);
    controls->addStretch();
    run_ = new QPushButton(tr("Measure"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    controls->addWidget(run_);
    controls->addWidget(cancel_);
    column->addLayout(controls);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumHeight(6);
    column->addWidget(progress_);
    chart_ = new ChartView(this);
    column->addWidget(chart_, 1);
    summary_ = new QLabel(
        tr("Perplexity per chunk along the open document with the model's configuration: a "
           "rise where positions pass the trained window shows they run out."),
        this);
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(summary_);
    set_running(false);

    connect(run_, &QPushButton::clicked, this, &PerplexityPanel::start);
    connect(cancel_, &QPushButton::clicked, jobs_, &PerplexityJobs::cancel);
    connect(jobs_, &PerplexityJobs::progress, this,
            [this](double f) { progress_->setValue(static_cast<int>(f * 1000)); });
    connect(jobs_, &PerplexityJobs::finished, this, &PerplexityPanel::show_view);
    connect(jobs_, &PerplexityJobs::failed, this, &PerplexityPanel::show_error);
}

void PerplexityPanel::set_running(bool running) {
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    progress_->setVisible(running);
}

void PerplexityPanel::start() {
    PerplexityRequest request;
    request.document = session_->document();
    request.chunk = chunk_->value();
    request.limit = limit_->value();
    request.beside_none = beside_none_->isChecked();
    try {
        progress_->setValue(0);
        set_running(true);
        jobs_->start(request);
    } catch (const AppError& e) {
        show_error(QString::fromStdString(e.what()));
    }
}

void PerplexityPanel::show_view(const PerplexityView& view) {
    set_running(false);
    chart_->set_chart(view.chart);
    QStringList lines;
    for (const QString& r : view.runs) lines << r.toHtmlEscaped();
    if (view.cancelled)
        lines << "<i>" + tr("Cancelled: the chunks measured before are shown.") + "</i>";
    for (const QString& w : view.warnings)
        lines << "<span style='color:#c0392b'>" + w.toHtmlEscaped() + "</span>";
    summary_->setText(lines.join("<br>"));
}

void PerplexityPanel::show_error(const QString& message) {
    set_running(false);
    summary_->setText("<span style='color:#c0392b'>" + message.toHtmlEscaped() + "</span>");
}

QString PerplexityPanel::summary_text() const {
    QTextDocument doc;
    doc.setHtml(summary_->text());
    return doc.toPlainText();
}

}  // namespace ll
