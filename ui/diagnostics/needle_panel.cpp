#include "diagnostics/needle_panel.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTextDocument>
#include <QVBoxLayout>

#include "app_error.h"
#include "diagnostics/heatmap_svg.h"
#include "diagnostics/heatmap_view.h"
#include "diagnostics_views.h"
#include "model_service.h"
#include "reading_session.h"
#include "save_file.h"

namespace ll {

NeedlePanel::NeedlePanel(ReadingSession* session, QWidget* parent)
    : QWidget(parent), session_(session) {
    jobs_ = new NeedleGridJobs(session->model_service(), this);
    auto* column = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Depths"), this));
    depths_ = new QLineEdit("0,0.25,0.5,0.75,1", this);
    depths_->setObjectName("needle_depths");
    depths_->setToolTip(tr("Where to plant the needle: fractions from 0 (start) to 1 (end)"));
    controls->addWidget(depths_);
    controls->addWidget(new QLabel(tr("Lengths"), this));
    lengths_ = new QLineEdit("512,1024,2048,4096", this);
    lengths_->setObjectName("needle_lengths");
    lengths_->setToolTip(tr("Haystack sizes in tokens: the document's first N tokens"));
    controls->addWidget(lengths_);
    beside_none_ = new QCheckBox(tr("Beside no scaling"), this);
    beside_none_->setToolTip(tr("Also run the grid without position scaling"));
    controls->addWidget(beside_none_);
    controls->addStretch();
    run_ = new QPushButton(tr("Run"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    export_ = new QPushButton(tr("Export…"), this);
    export_->setToolTip(tr("Save the heatmap as SVG or PNG, or its cells as CSV"));
    controls->addWidget(run_);
    controls->addWidget(cancel_);
    controls->addWidget(export_);
    column->addLayout(controls);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumHeight(6);
    column->addWidget(progress_);
    view_ = new HeatmapView(this);
    column->addWidget(view_, 1);
    summary_ = new QLabel(
        tr("A pass-key sentence planted at each depth of the document's first N tokens: "
           "green when the answer holds it and the top citation lies in it, amber when only "
           "one of the two, red when neither."),
        this);
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::RichText);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(summary_);
    set_running(false);
    export_->setEnabled(false);

    connect(run_, &QPushButton::clicked, this, &NeedlePanel::start);
    connect(cancel_, &QPushButton::clicked, jobs_, &NeedleGridJobs::cancel);
    connect(export_, &QPushButton::clicked, this, &NeedlePanel::export_requested);
    connect(jobs_, &NeedleGridJobs::cell_finished, this, [this](const Heatmap& map, double f) {
        view_->set_heatmap(map);
        progress_->setValue(static_cast<int>(f * 1000));
    });
    connect(jobs_, &NeedleGridJobs::finished, this, &NeedlePanel::show_view);
    connect(jobs_, &NeedleGridJobs::failed, this, &NeedlePanel::show_error);
}

void NeedlePanel::set_running(bool running) {
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    progress_->setVisible(running);
}

void NeedlePanel::start() {
    NeedleGridRequest request;
    request.document = session_->document();
    request.depths = depths_->text();
    request.lengths = lengths_->text();
    request.beside_none = beside_none_->isChecked();
    try {
        progress_->setValue(0);
        set_running(true);
        jobs_->start(request);
    } catch (const AppError& e) {
        show_error(QString::fromStdString(e.what()));
    }
}

void NeedlePanel::show_view(const NeedleGridView& view) {
    set_running(false);
    view_->set_heatmap(view.heatmap);
    export_->setEnabled(true);
    QStringList lines;
    for (const QString& r : view.runs) lines << r.toHtmlEscaped();
    if (view.cancelled)
        lines << "<i>" + tr("Cancelled: the cells finished before are shown.") + "</i>";
    summary_->setText(lines.join("<br>"));
}

void NeedlePanel::show_error(const QString& message) {
    set_running(false);
    summary_->setText("<span style='color:#c0392b'>" + message.toHtmlEscaped() + "</span>");
}

QString NeedlePanel::summary_text() const {
    QTextDocument doc;
    doc.setHtml(summary_->text());
    return doc.toPlainText();
}

bool NeedlePanel::export_to(const QString& path, QString* error) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == "svg") {
        bytes = heatmap_svg(view_->heatmap());
    } else if (suffix == "csv") {
        bytes = heatmap_csv(view_->heatmap());
    } else if (suffix == "png") {
        if (view_->grab().save(path, "PNG")) return true;
        if (error) *error = tr("%1: could not write the PNG image").arg(path);
        return false;
    } else {
        if (error) *error = tr("%1: choose a name ending in .svg, .png or .csv").arg(path);
        return false;
    }
    const QString problem = save_file(path, bytes);
    if (problem.isEmpty()) return true;
    if (error) *error = problem;
    return false;
}

void NeedlePanel::export_requested() {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export Needle Grid"), "needle-grid.svg",
                                     tr("SVG image (*.svg);;PNG image (*.png);;CSV cells (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!export_to(path, &error)) summary_->setText(error.toHtmlEscaped());
}

}  // namespace ll
