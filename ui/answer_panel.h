// Questions and answers about the open document: the conversation as the library store
// holds it (reloaded per document), the question box, streaming answers with citation chips,
// and navigation through the citations of the latest answer (F8 / Shift+F8). Each answer is
// stored when its question is asked and again when it ends; a failed write is shown on the
// card and reported (save_failed), and retried at the next write.
#pragma once

#include <QWidget>

#include <memory>

#include "library_store.h"
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
    // `store` outlives the panel.
    AnswerPanel(LibraryStore* store, QWidget* parent = nullptr);

    void set_answerer(QuestionAnswerer* answerer);
    // Shows the conversation about the library's document `document_id` (0 = no document).
    void set_document(qint64 document_id);
    // Starts an answer card for `question`, made under `run_config`; the caller then asks
    // the answerer.
    void begin_answer(const QString& question, const QJsonObject& run_config);
    // Whether the latest answer is stored as it stands.
    bool saved() const { return saved_; }
    const Conversation& conversation() const { return conversation_; }
    void set_question(const QString& question);
    void focus_question();  // the question box takes the keyboard, cursor at its end
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
    // An answer could not be stored: the message names the file and the problem.
    void save_failed(const QString& message);

  private:
    AnswerCard* add_card(const AnswerRecord& record);
    void copy_answer(qsizetype index, bool json) const;
    void submit();
    void on_text(const QString& text);
    void on_answered(const QList<AnswerCitation>& citations, const AnswerTimes& timing);
    void on_failed(const QString& message);
    void finish(bool complete, const QString& note);
    void save();
    void step_citation(int delta);
    void scroll_to_bottom();

    LibraryStore* store_;
    qint64 document_ = 0;
    Conversation conversation_;
    bool saved_ = true;
    int pieces_unsaved_ = 0;  // streamed since the last write
    QuestionAnswerer* answerer_ = nullptr;
    bool answering_ = false;
    QString plan_;     // what the current answer reads ("2 retrieved passages, 180 tokens")
    QString warning_;  // why the current answer's context is thin, or ""
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
