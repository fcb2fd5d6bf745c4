#include "diagnostics/positions_panel.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

#include "app_error.h"
#include "diagnostics/chart_view.h"
#include "diagnostics_views.h"
#include "model_service.h"

namespace ll {

PositionsPanel::PositionsPanel(ModelService* service, QWidget* parent)
    : QWidget(parent), service_(service) {
    auto* column = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Context:"), this));
    context_ = new QSpinBox(this);
    context_->setObjectName("positions_context");
    context_->setRange(0, 100'000'000);
    context_->setSingleStep(1024);
    context_->setSuffix(tr(" tokens"));
    context_->setSpecialValueText(tr("effective window"));
    context_->setToolTip(tr("The context length the wavelengths are judged against"));
    controls->addWidget(context_);
    controls->addStretch();
    export_ = new QPushButton(tr("Export…"), this);
    export_->setToolTip(tr("Save the chart as SVG or PNG, or its numbers as CSV"));
    controls->addWidget(export_);
    column->addLayout(controls);
    chart_ = new ChartView(this);
    column->addWidget(chart_, 1);
    facts_ = new QLabel(this);
    facts_->setWordWrap(true);
    facts_->setTextFormat(Qt::RichText);
    facts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    column->addWidget(facts_);

    connect(context_, &QSpinBox::valueChanged, this, &PositionsPanel::refresh);
    connect(export_, &QPushButton::clicked, this, &PositionsPanel::export_requested);
    connect(service_, &ModelService::loaded, this, &PositionsPanel::refresh);
    connect(service_, &ModelService::summary_changed, this, &PositionsPanel::refresh);
    refresh();
}

void PositionsPanel::refresh() {
    export_->setEnabled(false);
    if (!service_->has_model()) {
        chart_->set_chart({});
        facts_->setText(tr("Load a model to see what its positions do."));
        return;
    }
    try {
        const PositionsView view = positions_view(*service_, context_->value());
        chart_->set_chart(view.chart);
        QStringList lines;
        for (const QString& f : view.facts) lines << f.toHtmlEscaped();
        if (!view.classes.isEmpty()) lines << view.classes.join(" · ").toHtmlEscaped();
        for (const QString& w : view.warnings)
            lines << "<span style='color:#c0392b'>" + w.toHtmlEscaped() + "</span>";
        for (const QString& n : view.notes) lines << "<i>" + n.toHtmlEscaped() + "</i>";
        facts_->setText(lines.join("<br>"));
        export_->setEnabled(true);
    } catch (const AppError& e) {
        chart_->set_chart({});
        facts_->setText("<span style='color:#c0392b'>" +
                        QString::fromStdString(e.what()).toHtmlEscaped() + "</span>");
    }
}

QString PositionsPanel::facts_text() const {
    QTextDocument doc;
    doc.setHtml(facts_->text());
    return doc.toPlainText();
}

bool PositionsPanel::export_to(const QString& path, QString* error) const {
    return chart_->export_to(path, error);
}

void PositionsPanel::export_requested() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Positions Chart"), "positions.svg",
        tr("SVG image (*.svg);;PNG image (*.png);;CSV numbers (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!export_to(path, &error)) facts_->setText(error.toHtmlEscaped());
}

}  // namespace ll
