#include "answer_panel.h"

#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include <QApplication>
#include <QClipboard>
#include <QJsonDocument>

#include "answer_card.h"
#include "answer_records.h"
#include "citation_chip.h"
#include "qa/conversation_export.h"

namespace ll {
namespace {

// How many streamed pieces of an answer may be shown before they are stored: a write (one
// synchronous SQLite commit) per few tokens costs little next to the tokens themselves.
constexpr int kPiecesPerSave = 8;

// Ctrl+Return in the question box asks; plain Return makes a new line as in any editor.
class QuestionBox : public QPlainTextEdit {
  public:
    using QPlainTextEdit::QPlainTextEdit;
    std::function<void()> on_submit;

  protected:
    void keyPressEvent(QKeyEvent* e) override {
        if ((e->key() == Qt::Key_Return || e->key() == Qt::Key_Enter) &&
            (e->modifiers() & Qt::ControlModifier)) {
            if (on_submit) on_submit();
            return;
        }
        QPlainTextEdit::keyPressEvent(e);
    }
};

QString timing_note(const AnswerTimes& t) {
    const double tps = t.decode_seconds > 0 ? t.answer_tokens / t.decode_seconds : 0;
    // Say where a reused document came from: that is why a second question starts at once.
    const QString reused = t.reused_tokens <= 0 ? QString()
                           : t.reused_from_disk
                               ? QObject::tr(" (%1 from the document cache)").arg(t.reused_tokens)
                               : QObject::tr(" (%1 already read)").arg(t.reused_tokens);
    return QObject::tr("prompt %1 tokens%2, read in %3 s · answer %4 tokens at %5 tok/s")
        .arg(t.prompt_tokens)
        .arg(reused)
        .arg(t.prefill_seconds, 0, 'f', t.prefill_seconds < 1 ? 2 : 1)
        .arg(t.answer_tokens)
        .arg(tps, 0, 'f', 1);
}

}  // namespace

AnswerPanel::AnswerPanel(LibraryStore* store, QWidget* parent) : QWidget(parent), store_(store) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(4, 4, 4, 4);
    mode_ = new QLabel(this);
    mode_->setWordWrap(true);
    mode_->setForegroundRole(QPalette::PlaceholderText);
    cards_ = new QWidget;
    card_column_ = new QVBoxLayout(cards_);
    card_column_->setContentsMargins(0, 0, 0, 0);
    empty_ = new QLabel(tr("Ask a question about the open document."), cards_);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setForegroundRole(QPalette::PlaceholderText);
    card_column_->addWidget(empty_);
    card_column_->addStretch(1);
    scroll_ = new QScrollArea(this);
    scroll_->setWidget(cards_);
    scroll_->setWidgetResizable(true);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* box = new QuestionBox(this);
    box->on_submit = [this] { submit(); };
    question_ = box;
    question_->setPlaceholderText(tr("Your question (Ctrl+Return to ask)"));
    question_->setMaximumHeight(question_->fontMetrics().lineSpacing() * 4 + 12);
    ask_ = new QPushButton(tr("Ask"), this);
    ask_->setDefault(true);
    ask_->setToolTip(tr("Ask (Ctrl+Return)"));
    stop_ = new QPushButton(tr("Stop"), this);
    stop_->setEnabled(false);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(stop_);
    buttons->addWidget(ask_);

    column->addWidget(mode_);
    column->addWidget(scroll_, 1);
    column->addWidget(question_);
    column->addLayout(buttons);
    connect(ask_, &QPushButton::clicked, this, &AnswerPanel::submit);
    connect(stop_, &QPushButton::clicked, this, &AnswerPanel::cancel_requested);
}

void AnswerPanel::set_answerer(QuestionAnswerer* answerer) {
    if (answerer_) disconnect(answerer_, nullptr, this, nullptr);
    answerer_ = answerer;
    mode_->setText(answerer ? answerer->description() : QString());
    if (!answerer) return;
    connect(answerer, &QuestionAnswerer::context_planned, this, [this](const QString& description) {
        plan_ = description;
        if (answering_) last_card()->set_status(tr("Context: %1 · reading…").arg(description));
    });
    connect(answerer, &QuestionAnswerer::context_warning, this, [this](const QString& warning) {
        warning_ = warning;
        if (answering_) last_card()->set_warning(warning);
    });
    connect(answerer, &QuestionAnswerer::answer_text, this, &AnswerPanel::on_text);
    connect(answerer, &QuestionAnswerer::answered, this, &AnswerPanel::on_answered);
    connect(answerer, &QuestionAnswerer::failed, this, &AnswerPanel::on_failed);
}

void AnswerPanel::set_document(qint64 document_id) {
    if (answering_) finish(false, tr("Interrupted: another document was opened."));
    for (AnswerCard* card : cards_->findChildren<AnswerCard*>()) delete card;
    document_ = document_id;
    conversation_ = document_id ? store_->conversation(document_id) : Conversation{};
    for (AnswerRecord& a : conversation_.answers) {
        if (!a.complete && a.note.isEmpty()) a.note = tr("Interrupted before the answer ended.");
        add_card(a);
    }
    empty_->setVisible(conversation_.answers.isEmpty());
    current_citation_ = -1;
    QTimer::singleShot(0, this, &AnswerPanel::scroll_to_bottom);
}

AnswerCard* AnswerPanel::add_card(const AnswerRecord& record) {
    auto* card = new AnswerCard(record, cards_);
    card_column_->insertWidget(card_column_->count() - 1, card);
    connect(card, &AnswerCard::citation_activated, this, &AnswerPanel::citation_activated);
    const qsizetype index = card_count() - 1;
    connect(card, &AnswerCard::copy_requested, this,
            [this, index](bool json) { copy_answer(index, json); });
    empty_->hide();
    return card;
}

void AnswerPanel::copy_answer(qsizetype index, bool json) const {
    if (index < 0 || index >= conversation_.answers.size()) return;
    const AnswerRecord& a = conversation_.answers[index];
    QApplication::clipboard()->setText(
        json ? QString::fromUtf8(
                   QJsonDocument(answer_json(conversation_, a)).toJson(QJsonDocument::Indented))
             : answer_markdown(conversation_, a));
}

int AnswerPanel::card_count() const {
    return int(cards_->findChildren<AnswerCard*>().size());
}

AnswerCard* AnswerPanel::last_card() const {
    // Cards sit in the column in order; the one before the stretch is the newest.
    for (int i = card_column_->count() - 1; i >= 0; --i)
        if (auto* card = qobject_cast<AnswerCard*>(card_column_->itemAt(i)->widget())) return card;
    return nullptr;
}

void AnswerPanel::set_question(const QString& question) {
    question_->setPlainText(question);
}

void AnswerPanel::focus_question() {
    question_->setFocus();
    question_->moveCursor(QTextCursor::End);
}

void AnswerPanel::suggest_question(const QString& question) {
    const QString typed = question_->toPlainText();
    if (!typed.isEmpty() && typed != suggestion_) return;  // the reader's own words stay
    suggestion_ = question;
    question_->setPlainText(question);
    question_->selectAll();
}
QString AnswerPanel::question() const {
    return question_->toPlainText().trimmed();
}

void AnswerPanel::submit() {
    const QString q = question();
    if (q.isEmpty() || answering_) return;
    emit question_submitted(q);
}

void AnswerPanel::begin_answer(const QString& question, const QJsonObject& run_config) {
    AnswerRecord a;
    a.question = question;
    a.run_config = run_config;
    a.asked = QDateTime::currentDateTimeUtc();
    a.note = tr("Reading the document…");
    conversation_.answers << a;
    add_card(a);
    conversation_.answers.last().note.clear();  // stored without: a kill leaves "interrupted"
    answering_ = true;
    plan_.clear();
    warning_.clear();
    current_citation_ = -1;
    ask_->setEnabled(false);
    stop_->setEnabled(true);
    question_->clear();
    save();  // the question survives even if the app dies mid-answer
    scroll_to_bottom();
}

void AnswerPanel::on_text(const QString& text) {
    if (!answering_) return;
    AnswerCard* card = last_card();
    if (card->answer_text().isEmpty())
        card->set_status(plan_.isEmpty() ? tr("Answering…")
                                         : tr("Context: %1 · answering…").arg(plan_));
    card->append_text(text);
    conversation_.answers.last().answer = card->answer_text();
    // Stored as it streams too, every few pieces: a kill keeps what was already shown.
    if (++pieces_unsaved_ >= kPiecesPerSave) save();
    scroll_to_bottom();
}

void AnswerPanel::on_answered(const QList<AnswerCitation>& citations, const AnswerTimes& timing) {
    if (!answering_) return;
    last_card()->set_citations(citations);
    QList<CitedPassage>& cited = conversation_.answers.last().citations;
    cited.clear();
    for (const AnswerCitation& c : citations) cited << cited_passage(c);
    QString note = timing_note(timing);
    if (!plan_.isEmpty()) note = tr("Context: %1 · %2").arg(plan_, note);
    // Kept with the answer: a reader of it later must know what it rested on.
    if (!warning_.isEmpty()) note = QStringLiteral("⚠ ") + warning_ + "\n" + note;
    finish(!timing.cancelled, timing.cancelled ? tr("Stopped. ") + note : note);
}

void AnswerPanel::on_failed(const QString& message) {
    if (!answering_) return;
    finish(false, tr("Failed: %1").arg(message));
}

void AnswerPanel::finish(bool complete, const QString& note) {
    answering_ = false;
    conversation_.answers.last().complete = complete;
    conversation_.answers.last().note = note;
    last_card()->set_status(note);
    ask_->setEnabled(true);
    stop_->setEnabled(false);
    save();
    scroll_to_bottom();
}

// Stores the latest answer as it stands: added the first time (or when adding failed
// before), rewritten after. The answer stays on screen whatever happens to the write.
void AnswerPanel::save() {
    if (!document_ || conversation_.answers.isEmpty()) return;
    AnswerRecord& a = conversation_.answers.last();
    pieces_unsaved_ = 0;
    saved_ = a.id ? store_->update_answer(a) : store_->add_answer(document_, a);
    if (saved_) return;
    last_card()->set_status(a.note + "\n" + tr("Not saved: %1").arg(store_->error()));
    emit save_failed(store_->error());
}

void AnswerPanel::scroll_to_bottom() {
    QTimer::singleShot(0, this, [this] {
        scroll_->verticalScrollBar()->setValue(scroll_->verticalScrollBar()->maximum());
    });
}

void AnswerPanel::next_citation() {
    step_citation(+1);
}
void AnswerPanel::previous_citation() {
    step_citation(-1);
}

void AnswerPanel::step_citation(int delta) {
    AnswerCard* card = last_card();
    if (!card || card->chips().isEmpty()) return;
    const int n = int(card->chips().size());
    current_citation_ =
        current_citation_ < 0 ? (delta > 0 ? 0 : n - 1) : (current_citation_ + delta + n) % n;
    card->chips()[current_citation_]->click();
}

}  // namespace ll
