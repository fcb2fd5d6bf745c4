// Questions and answers about the open document: the conversation (reloaded per
// document), the question box, streaming answers with citation chips, and navigation
// through the citations of the latest answer (F8 / Shift+F8).
#pragma once

#include <QWidget>

#include <memory>

#include "conversation_store.h"
#include "question_answerer.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace ll {

class AnswerCard;

class AnswerPanel : public QWidget {
    Q_OBJECT
  public:
    AnswerPanel(ConversationStore store, QWidget* parent = nullptr);

    void set_answerer(QuestionAnswerer* answerer);
    // Shows the conversation about `path` ("" = no document).
    void set_document(const QString& path);
    // Starts an answer card for `question`; the caller then asks the answerer.
    void begin_answer(const QString& question, const QString& model, const QString& scaling);
    void set_question(const QString& question);
    // Puts `question` in an empty question box, selected, so Ctrl+Return asks it and typing
    // replaces it; an empty `question` takes back an earlier suggestion nobody edited.
    void suggest_question(const QString& question);
    QString question() const;
    bool answering() const { return answering_; }

    int card_count() const;
    AnswerCard* last_card() const;
    void next_citation();
    void previous_citation();

  signals:
    void question_submitted(const QString& question);
    void cancel_requested();
    void citation_activated(const ll::AnswerCitation& citation);

  private:
    AnswerCard* add_card(const Exchange& exchange);
    void submit();
    void on_text(const QString& text);
    void on_answered(const QList<AnswerCitation>& citations, const AnswerTimes& timing);
    void on_failed(const QString& message);
    void finish(bool complete, const QString& note);
    void save();
    void step_citation(int delta);
    void scroll_to_bottom();

    ConversationStore store_;
    QString document_;
    QList<Exchange> exchanges_;
    QuestionAnswerer* answerer_ = nullptr;
    bool answering_ = false;
    QString plan_;  // what the current answer reads ("2 retrieved passages, 180 tokens")
    int current_citation_ = -1;

    QLabel* mode_;
    QScrollArea* scroll_;
    QWidget* cards_;
    QVBoxLayout* card_column_;
    QLabel* empty_;
    QPlainTextEdit* question_;
    QString suggestion_;  // what suggest_question() last put in the box
    QPushButton* ask_;
    QPushButton* stop_;
};

}  // namespace ll
