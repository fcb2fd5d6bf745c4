#include "job_status.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>

namespace ll {

QString format_duration(double seconds) {
    if (seconds < 60) return QObject::tr("%1 s").arg(qMax(0, qRound(seconds)));
    const int s = qRound(seconds);
    return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
}

JobStatus::JobStatus(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    label_ = new QLabel(this);
    bar_ = new QProgressBar(this);
    bar_->setFixedWidth(180);
    bar_->setTextVisible(false);
    bar_->hide();
    cancel_ = new QToolButton(this);
    cancel_->setText(tr("Cancel"));
    cancel_->setToolTip(tr("Cancel the running job"));
    cancel_->setAutoRaise(true);
    cancel_->hide();
    row->addWidget(label_);
    row->addWidget(bar_);
    row->addWidget(cancel_);
    row->addStretch(1);
    connect(cancel_, &QToolButton::clicked, this, [this] {
        cancel_->setEnabled(false);
        label_->setText(tr("%1 — cancelling…").arg(title_));
        if (on_cancel_) on_cancel_();
        emit cancel_clicked();
    });
}

void JobStatus::begin(const QString& title, std::function<void()> cancel) {
    running_ = true;
    title_ = title;
    on_cancel_ = std::move(cancel);
    label_->setText(title + QStringLiteral("…"));
    bar_->setRange(0, 0);
    bar_->show();
    cancel_->setVisible(bool(on_cancel_));
    cancel_->setEnabled(true);
}

void JobStatus::busy(const QString& message) {
    label_->setText(message);
    bar_->setRange(0, 0);
}

void JobStatus::tokens(const QString& stage, qint64 done, qint64 total, double seconds) {
    const QLocale locale;
    const double rate = seconds > 0 ? done / seconds : 0;
    QString text = total > 0 ? tr("%1: %2 / %3 tokens").arg(stage, locale.toString(done), locale.toString(total))
                             : tr("%1: %2 tokens").arg(stage, locale.toString(done));
    if (rate > 0) text += tr(" · %1 tok/s").arg(rate, 0, 'f', rate < 10 ? 1 : 0);
    if (rate > 0 && total > done) text += tr(" · ETA %1").arg(format_duration((total - done) / rate));
    label_->setText(text);
    if (total > 0) {
        bar_->setRange(0, 1000);
        bar_->setValue(int(1000.0 * done / total));
    } else {
        bar_->setRange(0, 0);
    }
}

void JobStatus::end(const QString& message) {
    running_ = false;
    on_cancel_ = {};
    label_->setText(message);
    bar_->hide();
    cancel_->hide();
}

QString JobStatus::text() const { return label_->text(); }
int JobStatus::percent() const { return bar_->maximum() > 0 ? bar_->value() / 10 : -1; }

}  // namespace ll
