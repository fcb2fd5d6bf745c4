// Writes the parts of a paper review (or one side of a comparison) with the question-
// answering pipeline: each part is a grounded answer whose document is the part's excerpt
// (review_context: exactly the sections it needs) and whose question is the part's prompt
// file. When the excerpt does not fit the window, the part is read section by section — a
// note per section (the "notes" prompt) — and the notes are combined in a last pass whose
// context is the paper text the notes cite, so the final text is still attributed to the
// paper. Then every sentence of the part is attributed on its own (fed to the model as the
// answer, the prompt kept in the session), so each sentence carries its own citations.
//
// Synchronous, like DocumentAnswerer; callers run it off the GUI thread with a cancel flag.
#pragma once

#include <QString>

#include <atomic>
#include <functional>
#include <optional>

#include "documents/paper_structure.h"
#include "qa/model_run.h"
#include "review.h"
#include "review_parts.h"
#include "review_prompts.h"

namespace ll {

struct ReviewOptions {
    int max_tokens = 256;              // of each part's text
    std::optional<PromptFrame> frame;  // unset: the model file's template
    QString prompt_dir = review_prompt_dir();
    QString cache_dir;       // the document prefix cache ("": none)
    int max_notes = 6;       // sections read one at a time, at most, for a long paper
    int note_tokens = 48;    // the longest note
    int max_sentences = 12;  // sentences attributed one by one; the rest share
    // When set, this is the part's text, fed to the model instead of generated (teacher
    // forcing, as AnswerOptions::forced_answer) and attributed sentence by sentence: tests
    // the attribution with models too small to write several sentences.
    QString forced_text;
    std::vector<int> attention_layers;  // whose attention attributes the text; empty: default
};

struct ReviewCallbacks {
    std::function<void(const QString&)> on_stage;  // "Notes on 3 Methodology (2 of 5)"
    std::function<void(const EvalProgress&)> on_prefill;
    std::function<void(const QString&)> on_text;  // the part's text as it is generated
};

class PaperReviewer {
  public:
    // `run` and `doc` must outlive the reviewer.
    PaperReviewer(const ModelRun& run, const Document& doc, ReviewOptions options = {});

    const PaperStructure& paper() const { return paper_; }
    // The paper's title, else its file name.
    QString title() const;

    // Writes one part. `values` fill the prompt's placeholders ("{other}" in a comparison).
    // Never throws for the model's doing: a part that cannot be written is Failed with why.
    ReviewPart write(const ReviewPartSpec& spec, const ReviewCallbacks& callbacks = {},
                     const std::atomic<bool>* cancel = nullptr,
                     const QList<std::pair<QString, QString>>& values = {}) const;

  private:
    struct Pass;  // one grounded answer over one excerpt
    int tokens(const QString& text) const;
    // Tokens the frame, the question and the answer take beside the document.
    int overhead(const QString& question, int answer_tokens) const;
    Pass ask(const QList<TextSpan>& ranges, const QString& question, int answer_tokens,
             const AnswerCallbacks& callbacks, const std::atomic<bool>* cancel,
             const QString& forced = {}) const;
    // The long paper's way: notes per section, then the combining pass. Fills part.context.
    Pass read_by_sections(const ReviewPartSpec& spec, const QList<TextSpan>& ranges,
                          const QString& question, const ReviewCallbacks& callbacks,
                          const std::atomic<bool>* cancel, ReviewPart& part) const;
    void attribute_sentences(Pass& pass, ReviewPart& part, const std::atomic<bool>* cancel) const;

    const ModelRun& run_;
    const Document& doc_;
    ReviewOptions options_;
    PaperStructure paper_;
    PromptFrame frame_;
};

}  // namespace ll
