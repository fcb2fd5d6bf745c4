#include "calibration_dialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "citation_calibration.h"
#include "documents/document.h"
#include "model_service.h"
#include "reading_session.h"

namespace ll {

CalibrationDialog::CalibrationDialog(ReadingSession* session, QWidget* parent)
    : QDialog(parent),
      session_(session),
      calibration_(new CitationCalibration(session->model_service(), this)) {
    setWindowTitle(tr("Calibrate Citations"));
    setMinimumSize(600, 380);
    auto* intro = new QLabel(
        tr("Citations come from where the model looked while answering. Calibration learns "
           "which of this model's attention heads point at the sentences an answer really "
           "depends on: it asks the model about stretches of your document, drops random "
           "halves of their sentences, measures how much the answer's probability falls, and "
           "fits a weight per head. It is kept for this model file."),
        this);
    intro->setWordWrap(true);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    document_ = new QLabel(this);
    examples_ = new QSpinBox(this);
    examples_->setRange(1, 200);
    examples_->setValue(8);
    examples_->setAccessibleName(tr("Examples"));
    examples_->setToolTip(
        tr("Each example is a stretch of the document, a question about it "
           "and 33 passes of the model over it."));
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    stage_ = new QLabel(this);

    stage_->setWordWrap(true);
    // The wrapped sentences sit outside the form, whose rows do not grow to wrapped text.
    auto* form = new QFormLayout;
    form->addRow(tr("Calibrate on:"), document_);
    form->addRow(tr("Examples:"), examples_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    start_ = buttons->addButton(tr("Calibrate"), QDialogButtonBox::ActionRole);
    cancel_ = buttons->addButton(tr("Cancel Calibration"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(start_, &QPushButton::clicked, this, &CalibrationDialog::start);
    connect(cancel_, &QPushButton::clicked, calibration_, &CitationCalibration::cancel);

    connect(calibration_, &CitationCalibration::progress, this,
            [this](int example, int examples, int pass, int passes) {
                const double done =
                    (example + double(pass) / std::max(1, passes)) / std::max(1, examples);
                progress_->setValue(int(1000 * done));
                stage_->setText(tr("Example %1 of %2: pass %3 of %4")
                                    .arg(example + 1)
                                    .arg(examples)
                                    .arg(pass)
                                    .arg(passes));
            });
    connect(calibration_, &CitationCalibration::finished, this, [this](const QString& summary) {
        progress_->setValue(1000);
        stage_->setText(tr("Done: %1.").arg(summary));
        emit message(tr("Citations calibrated: %1").arg(summary));
        refresh();
    });
    connect(calibration_, &CitationCalibration::failed, this, [this](const QString& text) {
        stage_->setText(text);
        emit message(text);
        refresh();
    });
    connect(calibration_, &CitationCalibration::cancelled, this, [this] {
        stage_->setText(tr("Cancelled: nothing was changed."));
        refresh();
    });
    connect(calibration_, &CitationCalibration::running_changed, this, [this] { refresh(); });
    ModelService* service = session_->model_service();
    connect(service, &ModelService::loaded, this, [this] { refresh(); });
    connect(service, &ModelService::busy_changed, this, [this] { refresh(); });
    connect(session_, &ReadingSession::document_changed, this, [this] { refresh(); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(status_);
    layout->addLayout(form);
    layout->addWidget(progress_);
    layout->addWidget(stage_);
    layout->addStretch();
    layout->addWidget(buttons);
    refresh();
}

QString CalibrationDialog::status_text() const {
    return status_->text();
}

void CalibrationDialog::start() {
    progress_->setValue(0);
    stage_->setText(tr("Starting…"));
    calibration_->start(session_->document(), examples_->value());
}

void CalibrationDialog::refresh() {
    status_->setText(calibration_->status());
    const auto doc = session_->document();
    document_->setText(doc ? QFileInfo(doc->path).fileName() : tr("(no document open)"));
    const bool running = calibration_->running();
    const bool idle = !session_->model_service()->busy();
    start_->setEnabled(!running && idle && doc && session_->model_service()->has_model());
    cancel_->setEnabled(running);
    examples_->setEnabled(!running);
}

}  // namespace ll
