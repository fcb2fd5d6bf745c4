#include "compare/run_column.h"

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "compare_session.h"
#include "flow_layout.h"

namespace ll {

RunColumn::RunColumn(int index, const QColor& colour, QWidget* parent)
    : QWidget(parent), index_(index), colour_(colour) {
    setMinimumWidth(260);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(6, 6, 6, 6);
    auto* title = new QLabel(
        QString("<span style='color:%1; font-size:large'>■</span> <b>%2</b>")
            .arg(colour.name(), tr("Run %1").arg(index + 1)),
        this);
    column->addWidget(title);
    spec_ = new QLabel(this);
    spec_->setWordWrap(true);
    spec_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    spec_->setStyleSheet("font-family: monospace;");
    column->addWidget(spec_);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    column->addWidget(status_);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setMaximumHeight(6);
    column->addWidget(progress_);
    answer_ = new QTextBrowser(this);
    answer_->setMinimumHeight(48);
    answer_->setMaximumHeight(84);  // the chips and numbers stay in view below it
    column->addWidget(answer_);
    chips_ = new QWidget(this);
    chip_layout_ = new FlowLayout(chips_, 4);
    column->addWidget(chips_);
    numbers_ = new QLabel(this);
    numbers_->setWordWrap(true);
    numbers_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    numbers_->setForegroundRole(QPalette::PlaceholderText);
    column->addWidget(numbers_);
    column->addStretch(1);
}

void RunColumn::show_column(const CompareColumn& c) {
    spec_->setText(c.spec.isEmpty() ? tr("defaults") : c.spec);
    spec_->setToolTip(c.scaling_in_force.isEmpty() ? QString()
                                                   : tr("Scaling in force: %1").arg(c.scaling_in_force));
    const bool working = c.status == "loading" || c.status == "reading" || c.status == "answering";
    QString status = working ? c.stage_text : c.status;
    if (c.status == "failed") status = tr("Failed: %1").arg(c.error);
    if (c.status == "cancelled") status = c.error.isEmpty() ? tr("Cancelled") : tr("Cancelled: %1").arg(c.error);
    if (c.status == "done") status = tr("Done");
    if (c.status == "waiting") status = tr("Waiting for the runs before it");
    status_->setText(status);
    status_->setStyleSheet(c.status == "failed" ? "color: #c0392b;" : QString());
    progress_->setVisible(working);
    progress_->setValue(int(c.fraction * 1000));
    if (answer_->toPlainText() != c.answer) answer_->setPlainText(c.answer);

    // The chips are made once the run has its citations.
    if (citation_count() != c.citations.size()) {
        while (QLayoutItem* item = chip_layout_->takeAt(0)) {
            delete item->widget();
            delete item;
        }
        for (int i = 0; i < c.citations.size(); ++i) {
            const CompareCitation& cited = c.citations[i];
            auto* chip = new QPushButton(
                cited.page >= 0 ? tr("[%1] p. %2").arg(i + 1).arg(cited.page + 1)
                                : tr("[%1]").arg(i + 1),
                chips_);
            chip->setToolTip(cited.text.left(400));
            chip->setStyleSheet(QString("QPushButton { border: 2px solid %1; border-radius: 9px; "
                                        "padding: 1px 8px; }")
                                    .arg(colour_.name()));
            connect(chip, &QPushButton::clicked, this,
                    [this, cited] { emit citation_clicked(cited.start, cited.end); });
            chip_layout_->addWidget(chip);
        }
    }
    QStringList facts;
    if (!c.plan.isEmpty()) facts << tr("Context: %1").arg(c.plan);
    if (!c.numbers.isEmpty()) facts << c.numbers;
    numbers_->setText(facts.join("\n"));
}

QString RunColumn::answer_text() const { return answer_->toPlainText(); }
QString RunColumn::status_text() const { return status_->text(); }
QString RunColumn::numbers_text() const { return numbers_->text(); }
int RunColumn::citation_count() const { return chip_layout_->count(); }

}  // namespace ll
