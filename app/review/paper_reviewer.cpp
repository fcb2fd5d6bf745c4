#include "paper_reviewer.h"

#include <QFileInfo>
#include <QLocale>

#include <algorithm>
#include <numeric>

#include "app_error.h"
#include "review_context.h"

namespace ll {

struct PaperReviewer::Pass {
    std::unique_ptr<Excerpt> excerpt;  // the answerer's document: kept in place
    std::unique_ptr<DocumentAnswerer> answerer;
    AnswerOptions options;
    QString question;
    Answer answer;
};

namespace {

// The name of a section piece for the notes: its heading line, shortened.
QString piece_name(const Document& doc, const TextSpan& span) {
    const qsizetype nl = doc.text.indexOf('\n', span.start);
    const qsizetype end = nl < 0 || nl > span.end ? span.end : nl;
    return doc.text.mid(span.start, std::min<qsizetype>(end - span.start, 60)).simplified();
}

// `ranges` cut at every section heading inside them: the pieces a long paper is read in.
QList<TextSpan> section_pieces(const PaperStructure& paper, const QList<TextSpan>& ranges) {
    QList<TextSpan> out;
    for (const TextSpan& r : ranges) {
        qsizetype from = r.start;
        for (const PaperSection& s : paper.sections) {
            if (s.span.start <= from || s.span.start >= r.end) continue;
            out << TextSpan{from, s.span.start};
            from = s.span.start;
        }
        out << TextSpan{from, r.end};
    }
    return out;
}

// Consecutive pieces packed into at most `most` groups of about `target` tokens each.
QList<QList<TextSpan>> pack(const QList<TextSpan>& pieces, const QList<int>& sizes, int target,
                            int most) {
    const int total = std::accumulate(sizes.begin(), sizes.end(), 0);
    target = std::max(target, (total + most - 1) / std::max(1, most));
    // Greedy packing can leave more groups than `most` (pieces of uneven size): the target
    // grows until it does not.
    for (;; target += std::max(1, target / 4)) {
        QList<QList<TextSpan>> groups;
        int filled = 0;
        for (qsizetype i = 0; i < pieces.size(); ++i) {
            if (groups.isEmpty() || (filled + sizes[i] > target && filled > 0)) {
                groups << QList<TextSpan>{};
                filled = 0;
            }
            groups.back() << pieces[i];
            filled += sizes[i];
        }
        if (groups.size() <= std::max(1, most)) return groups;
    }
}

QString thousands(int n) {
    return QLocale(QLocale::English).toString(n);
}

}  // namespace

PaperReviewer::PaperReviewer(const ModelRun& run, const Document& doc, ReviewOptions options)
    : run_(run), doc_(doc), options_(std::move(options)), paper_(detect_paper_structure(doc)) {
    frame_ = options_.frame.value_or(frame_for(choose_chat_template(run_.model->path()).kind));
}

QString PaperReviewer::title() const {
    return paper_.title.isEmpty() ? QFileInfo(doc_.path).fileName() : paper_.title;
}

int PaperReviewer::tokens(const QString& text) const {
    return static_cast<int>(run_.model->tokenizer().encode(text.toUtf8().toStdString()).size());
}

int PaperReviewer::overhead(const QString& question, int answer_tokens) const {
    const int answer_room = static_cast<int>(std::min<int64_t>(answer_tokens, run_.window / 4));
    return 8 + tokens(frame_.before) + tokens(frame_.between + question + frame_.after) +
           answer_room;
}

PaperReviewer::Pass PaperReviewer::ask(const QList<TextSpan>& ranges, const QString& question,
                                       int answer_tokens, const AnswerCallbacks& callbacks,
                                       const std::atomic<bool>* cancel,
                                       const QString& forced) const {
    Pass p;
    p.excerpt = std::make_unique<Excerpt>(make_excerpt(doc_, ranges));
    p.answerer = run_.answerer(p.excerpt->doc, options_.cache_dir);
    p.options.mode = ContextMode::Auto;  // the excerpt when it fits, else its best passages
    p.options.frame = frame_;
    p.options.max_answer_tokens = answer_tokens;
    p.options.attention_layers = options_.attention_layers;
    p.question = question;
    AnswerOptions first = p.options;
    first.forced_answer = forced;
    p.answer = p.answerer->ask(question, first, callbacks, cancel);
    return p;
}

PaperReviewer::Pass PaperReviewer::read_by_sections(
    const ReviewPartSpec& spec, const QList<TextSpan>& ranges, const QString& question,
    const ReviewCallbacks& callbacks, const std::atomic<bool>* cancel, ReviewPart& part) const {
    const QString note_q =
        fill_prompt(load_review_prompt("notes", options_.prompt_dir).text, {{"part", spec.title}});
    const int note_tokens = std::min(options_.note_tokens, options_.max_tokens);
    const QList<TextSpan> pieces = section_pieces(paper_, ranges);
    QList<int> sizes;
    for (const TextSpan& s : pieces) sizes << tokens(doc_.text.mid(s.start, s.end - s.start));
    const int room = std::max<int>(64, int(run_.window) - overhead(note_q, note_tokens));
    const QList<QList<TextSpan>> groups = pack(pieces, sizes, room, options_.max_notes);

    QStringList notes;
    QList<TextSpan> evidence;  // the paper text the notes cite: the combining pass's context
    for (qsizetype g = 0; g < groups.size(); ++g) {
        if (cancel && cancel->load()) break;
        const QString name = piece_name(doc_, groups[g].front());
        if (callbacks.on_stage)
            callbacks.on_stage(
                QString("Notes on %1 (%2 of %3)").arg(name).arg(g + 1).arg(groups.size()));
        AnswerCallbacks cb;
        cb.on_prefill = callbacks.on_prefill;
        const Pass note = ask(groups[g], note_q, note_tokens, cb, cancel);
        if (note.answer.text.isEmpty()) continue;
        notes << "- " + name + ": " + note.answer.text.simplified();
        int kept = 0;
        for (const Citation& c : note.answer.citations) {
            if (kept == 2) break;  // the note's two best sources
            if (const auto s = note.excerpt->to_source(c.start, c.end)) {
                evidence << *s;
                ++kept;
            }
        }
    }
    std::sort(evidence.begin(), evidence.end(),
              [](const TextSpan& a, const TextSpan& b) { return a.start < b.start; });
    QList<TextSpan> merged;
    for (const TextSpan& s : evidence) {
        if (!merged.isEmpty() && s.start <= merged.back().end)
            merged.back().end = std::max(merged.back().end, s.end);
        else
            merged << s;
    }
    if (merged.isEmpty()) merged = ranges;  // no note cited anything: retrieve from the whole
    // The notes go into the question, so they are cut to leave the window room for text.
    QString joined = notes.join('\n');
    joined.truncate(std::max<qsizetype>(200, run_.window));
    const QString combine = fill_prompt(load_review_prompt("combine", options_.prompt_dir).text,
                                        {{"prompt", question}, {"notes", joined}});
    if (callbacks.on_stage) callbacks.on_stage("Combining the notes");
    AnswerCallbacks cb;
    cb.on_prefill = callbacks.on_prefill;
    cb.on_text = callbacks.on_text;
    Pass final_pass = ask(merged, combine, options_.max_tokens, cb, cancel, options_.forced_text);
    part.context = QString(
                       "read section by section (%1 notes on %2 pieces), then combined over "
                       "the %3 cited passages (%4)")
                       .arg(notes.size())
                       .arg(groups.size())
                       .arg(merged.size())
                       .arg(final_pass.answer.plan.mode == ContextMode::Full
                                ? QString("%1 tokens").arg(final_pass.answer.plan.tokens)
                                : describe_plan(final_pass.answer.plan));
    return final_pass;
}

void PaperReviewer::attribute_sentences(Pass& pass, ReviewPart& part,
                                        const std::atomic<bool>* cancel) const {
    part.sentences = split_sentences(part.text);
    auto cite_index = [&](const Citation& c) -> int {
        const auto s = pass.excerpt->to_source(c.start, c.end);
        if (!s) return -1;
        for (qsizetype i = 0; i < part.citations.size(); ++i)
            if (part.citations[i].start == s->start && part.citations[i].end == s->end)
                return int(i);
        AnswerCitation a = make_citation(doc_, s->start, s->end);
        a.score = c.score;
        part.citations << a;
        return int(part.citations.size() - 1);
    };
    auto add = [&](ReviewSentence& sentence, const std::vector<Citation>& cites) {
        for (const Citation& c : cites)
            if (const int i = cite_index(c); i >= 0 && !sentence.cites.contains(i))
                sentence.cites << i;
    };
    // One sentence (or attribution cut short): the answer's own citations are the sentence's.
    const bool each = part.sentences.size() > 1 && !(cancel && cancel->load());
    for (qsizetype i = 0; i < part.sentences.size(); ++i) {
        ReviewSentence& s = part.sentences[i];
        if (!each || i >= options_.max_sentences || (cancel && cancel->load())) {
            add(s, pass.answer.citations);
            continue;
        }
        AnswerOptions forced = pass.options;
        forced.forced_answer = part.text.mid(s.start, s.end - s.start);
        const Answer a = pass.answerer->ask(pass.question, forced, {}, cancel);
        add(s, a.citations.empty() ? pass.answer.citations : a.citations);
    }
    distinguish_labels(doc_, part.citations);
}

ReviewPart PaperReviewer::write(const ReviewPartSpec& spec, const ReviewCallbacks& callbacks,
                                const std::atomic<bool>* cancel,
                                const QList<std::pair<QString, QString>>& values) const {
    ReviewPart part;
    part.id = spec.id;
    part.title = spec.title;
    part.status = PartStatus::Running;
    try {
        const ReviewPrompt prompt = load_review_prompt(spec.id, options_.prompt_dir);
        part.prompt_source = prompt.source;
        const QString question = fill_prompt(prompt.text, values);
        const QList<TextSpan> ranges = part_ranges(doc_, paper_, spec);
        int excerpt_tokens = 0;
        for (const TextSpan& r : ranges)
            excerpt_tokens += tokens(doc_.text.mid(r.start, r.end - r.start));
        const QString sections = part_section_names(paper_, spec).join(" · ");
        Pass pass;
        if (excerpt_tokens + overhead(question, options_.max_tokens) <= run_.window) {
            if (callbacks.on_stage)
                callbacks.on_stage("Reading " + (sections.isEmpty() ? "the paper" : sections));
            AnswerCallbacks cb;
            cb.on_prefill = callbacks.on_prefill;
            cb.on_text = callbacks.on_text;
            pass = ask(ranges, question, options_.max_tokens, cb, cancel, options_.forced_text);
            part.context = QString("%1: whole, %2 tokens")
                               .arg(sections.isEmpty() ? "the paper" : sections)
                               .arg(thousands(excerpt_tokens));
        } else {
            pass = read_by_sections(spec, ranges, question, callbacks, cancel, part);
            part.context = (sections.isEmpty() ? "the paper" : sections) +
                           QString(" (%1 tokens), ").arg(thousands(excerpt_tokens)) + part.context;
        }
        part.text = pass.answer.text;
        if (pass.answer.end == AnswerEnd::Cancelled || (cancel && cancel->load())) {
            part.status = PartStatus::Cancelled;
        } else if (pass.answer.plan.passages.empty()) {
            part.status = PartStatus::Failed;
            part.error =
                "no text of the paper fits the window beside the prompt" +
                (pass.answer.plan.thin.isEmpty() ? QString() : ": " + pass.answer.plan.thin);
            return part;
        } else {
            part.status = PartStatus::Done;
        }
        if (callbacks.on_stage && part.status == PartStatus::Done)
            callbacks.on_stage("Citing each sentence");
        if (!part.text.isEmpty()) attribute_sentences(pass, part, cancel);
    } catch (const std::exception& e) {
        part.status = PartStatus::Failed;
        part.error = QString::fromUtf8(e.what());
    }
    return part;
}

}  // namespace ll
