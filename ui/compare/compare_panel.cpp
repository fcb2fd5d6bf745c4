#include "compare/compare_panel.h"

#include <algorithm>

#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

#include "app_error.h"
#include "compare/run_column.h"
#include "compare_session.h"
#include "library_store.h"
#include "model_service.h"
#include "reading_session.h"

namespace ll {

namespace {

// One colour per run, colour-blind-safe (Okabe-Ito), distinct from the citation highlight.
const QColor kRunColours[] = {QColor("#0072B2"), QColor("#D55E00"), QColor("#009E73"),
                              QColor("#CC79A7")};

}  // namespace

ComparePanel::ComparePanel(ReadingSession* session, LibraryStore* store, QWidget* parent)
    : QWidget(parent), session_(session) {
    compare_ = new CompareSession(store, this);
    auto* column = new QVBoxLayout(this);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Question:"), this));
    question_ = new QLineEdit(this);
    question_->setObjectName("compare_question");
    question_->setPlaceholderText(tr("The question every run answers"));
    top->addWidget(question_, 1);
    top->addWidget(new QLabel(tr("Runs:"), this));
    count_ = new QSpinBox(this);
    count_->setRange(2, 4);
    top->addWidget(count_);
    preset_ = new QComboBox(this);
    preset_->addItem(tr("Fill with…"));
    preset_->addItem(tr("Scaling methods for this model"));
    preset_->addItem(tr("KV cache types"));
    preset_->addItem(tr("Attention variants"));
    preset_->setToolTip(tr("Fill the runs with one setting varied, for the loaded model"));
    top->addWidget(preset_);
    start_ = new QPushButton(tr("Compare"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setEnabled(false);
    top->addWidget(start_);
    top->addWidget(cancel_);
    earlier_ = new QComboBox(this);
    earlier_->setObjectName("compare_earlier");
    earlier_->setToolTip(tr("Comparisons kept in the library for this document: open one to "
                            "see it again or run it again"));
    top->addWidget(earlier_);
    export_ = new QPushButton(tr("Export…"), this);
    export_->setToolTip(tr("Save the comparison as Markdown, an HTML page or JSON"));
    export_->setEnabled(false);
    top->addWidget(export_);
    column->addLayout(top);

    // Two runs a row: the columns below get the height.
    auto* spec_grid = new QGridLayout;
    for (int i = 0; i < 4; ++i) {
        auto* spec = new QLineEdit(this);
        spec->setObjectName(QString("run_spec_%1").arg(i));
        spec->setPlaceholderText(
            tr("defaults: the bundled model, its own scaling — or e.g. "
               "model=/path/model.gguf;scaling=yarn:factor=8;kv=f16"));
        spec->setToolTip(tr("key=value pairs joined by ';' — model, scaling, rope_theta, "
                            "attention, kv, context, window, threads (as longlens-cli takes them)"));
        specs_ << spec;
        auto* label = new QLabel(QString("<span style='color:%1'>■</span> %2")
                                     .arg(kRunColours[i].name(), tr("Run %1").arg(i + 1)),
                                 this);
        spec_grid->addWidget(label, i / 2, (i % 2) * 2);
        spec_grid->addWidget(spec, i / 2, (i % 2) * 2 + 1);
    }
    spec_grid->setColumnStretch(1, 1);
    spec_grid->setColumnStretch(3, 1);
    column->addLayout(spec_grid);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto* row = new QWidget(scroll);
    column_row_ = new QHBoxLayout(row);
    column_row_->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < 4; ++i) {
        auto* c = new RunColumn(i, kRunColours[i], row);
        columns_ << c;
        column_row_->addWidget(c, 1);
        connect(c, &RunColumn::citation_clicked, this, &ComparePanel::citation_clicked);
    }
    scroll->setWidget(row);
    column->addWidget(scroll, 1);

    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setTextFormat(Qt::RichText);
    column->addWidget(message_);
    diff_ = new QTextBrowser(this);
    diff_->setMaximumHeight(72);
    diff_->hide();
    column->addWidget(diff_);

    show_count(2);
    connect(count_, &QSpinBox::valueChanged, this, &ComparePanel::show_count);
    connect(preset_, &QComboBox::activated, this, [this](int index) {
        if (index > 0) apply_preset(index - 1);
        preset_->setCurrentIndex(0);
    });
    connect(start_, &QPushButton::clicked, this, &ComparePanel::start);
    connect(earlier_, &QComboBox::activated, this, &ComparePanel::open_earlier);
    connect(export_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export Comparison"), "comparison.html",
            tr("HTML page (*.html);;Markdown (*.md);;JSON (*.json)"));
        if (!path.isEmpty()) export_to(path);
    });
    connect(session_, &ReadingSession::document_changed, this, &ComparePanel::refresh_earlier);
    refresh_earlier();
    connect(cancel_, &QPushButton::clicked, compare_, &CompareSession::cancel);
    connect(compare_, &CompareSession::column_changed, this, &ComparePanel::column_changed);
    connect(compare_, &CompareSession::finished, this, &ComparePanel::finished);
}

void ComparePanel::show_count(int count) {
    for (int i = 0; i < 4; ++i) {
        specs_[i]->setEnabled(i < count);
        columns_[i]->setVisible(i < count);
    }
}

void ComparePanel::suggest_question(const QString& question) {
    if (question_->text().trimmed().isEmpty()) question_->setText(question);
}

void ComparePanel::apply_preset(int preset) {
    if (!session_->document()) return show_message(tr("Open a document first."));
    try {
        const QStringList specs = CompareSession::preset(
            static_cast<CompareSession::Preset>(preset), *session_->model_service(),
            *session_->document());
        const int n = std::min<int>(4, int(specs.size()));
        count_->setValue(n);
        for (int i = 0; i < n; ++i) specs_[i]->setText(specs[i]);
        show_message({});
    } catch (const AppError& e) {
        show_message("<span style='color:#c0392b'>" + QString(e.what()).toHtmlEscaped() + "</span>");
    }
}

void ComparePanel::start() {
    QStringList specs;
    for (int i = 0; i < count_->value(); ++i) specs << specs_[i]->text().trimmed();
    try {
        compare_->start(session_->document(), question_->text(), specs);
    } catch (const AppError& e) {
        show_message("<span style='color:#c0392b'>" + QString(e.what()).toHtmlEscaped() + "</span>");
        return;
    }
    start_->setEnabled(false);
    cancel_->setEnabled(true);
    diff_->hide();
    show_message(tr("Running %1 runs one after another…").arg(specs.size()));
    emit marks_changed({});
    for (int i = 0; i < compare_->columns().size(); ++i) column_changed(i);
}

void ComparePanel::column_changed(int run) {
    if (run >= 0 && run < compare_->columns().size())
        columns_[run]->show_column(compare_->columns()[run]);
}

void ComparePanel::finished() {
    start_->setEnabled(true);
    cancel_->setEnabled(false);
    export_->setEnabled(true);
    for (int i = 0; i < 4; ++i) columns_[i]->setVisible(i < compare_->columns().size());
    refresh_earlier();
    const QList<CompareColumn>& columns = compare_->columns();
    QList<DocumentView::ColouredRange> marks;
    for (int i = 0; i < columns.size(); ++i)
        for (const CompareCitation& c : columns[i].citations)
            marks.append({c.start, c.end, kRunColours[i]});
    emit marks_changed(marks);

    QString message = compare_->agreement().toHtmlEscaped();
    if (compare_->saved_id() > 0)
        message += " · " + tr("saved in the library as comparison %1").arg(compare_->saved_id());
    else if (!compare_->save_error().isEmpty())
        message += " · <span style='color:#c0392b'>" +
                   tr("not saved: %1").arg(compare_->save_error()).toHtmlEscaped() + "</span>";
    show_message(message);
    // Each later run's answer against the first one's, word by word.
    QStringList diffs;
    for (int i = 1; i < columns.size(); ++i)
        if (!columns[0].answer.isEmpty() || !columns[i].answer.isEmpty())
            diffs << QString("<b>1 → %1</b>: %2").arg(i + 1).arg(compare_->diff_html(0, i));
    diff_->setHtml(diffs.join("<br>"));
    diff_->setVisible(!diffs.isEmpty());
}

void ComparePanel::show_message(const QString& html) { message_->setText(html); }

void ComparePanel::refresh_earlier() {
    earlier_->clear();
    const auto document = session_->document();
    const QList<ComparisonEntry> kept =
        document ? compare_->earlier(*document) : QList<ComparisonEntry>{};
    earlier_->addItem(kept.isEmpty() ? tr("No earlier comparisons")
                                     : tr("Earlier comparisons (%1)").arg(kept.size()));
    for (const ComparisonEntry& e : kept)
        earlier_->addItem(QString("%1 — %2 (%3 runs)")
                              .arg(e.created.toLocalTime().toString("yyyy-MM-dd HH:mm"),
                                   e.question.left(60))
                              .arg(e.specs.size()),
                          e.id);
    earlier_->setEnabled(!kept.isEmpty());
}

void ComparePanel::open_earlier(int index) {
    if (index <= 0) return;
    try {
        compare_->open(earlier_->itemData(index).toLongLong());
    } catch (const AppError& e) {
        show_message("<span style='color:#c0392b'>" + QString(e.what()).toHtmlEscaped() + "</span>");
        return;
    }
    question_->setText(compare_->question());
    const QStringList specs = compare_->specs();
    count_->setValue(std::clamp<int>(int(specs.size()), 2, 4));
    for (int i = 0; i < specs.size() && i < 4; ++i) specs_[i]->setText(specs[i]);
    earlier_->setCurrentIndex(0);
}

bool ComparePanel::export_to(const QString& path) {
    try {
        compare_->export_to(path);
    } catch (const AppError& e) {
        show_message("<span style='color:#c0392b'>" + QString(e.what()).toHtmlEscaped() + "</span>");
        return false;
    }
    show_message(tr("Exported to %1").arg(path).toHtmlEscaped());
    return true;
}

QString ComparePanel::message_text() const {
    QTextDocument doc;
    doc.setHtml(message_->text());
    return doc.toPlainText();
}

QString ComparePanel::diff_text() const { return diff_->toPlainText(); }

}  // namespace ll
