#include "needle_probe.h"

#include <algorithm>
#include <cmath>

#include "passage_chunker.h"

namespace ll {

namespace {

// The character offset where the first `tokens` tokens of text end (or the text's end).
qsizetype prefix_for_tokens(const Tokenizer& tok, const QString& text, int tokens) {
    // Tokenize a generous prefix only: a book has far more text than the probe needs.
    const qsizetype guess = std::min<qsizetype>(text.size(), qsizetype(tokens) * 8 + 64);
    std::vector<int32_t> ids;
    std::vector<CharSpan> spans;
    tokenize_span(tok, text, 0, guess, ids, spans);
    if (ids.size() <= size_t(tokens)) return guess;
    for (size_t i = size_t(tokens); i-- > 0;)
        if (spans[i].end >= 0) return spans[i].end;
    return 0;
}

// Splits the needle at the word boundary nearest its middle.
std::pair<QString, QString> halves(const QString& needle) {
    const qsizetype mid = needle.size() / 2;
    qsizetype best = -1;
    for (qsizetype i = 1; i < needle.size(); ++i)
        if (needle[i] == u' ' && (best < 0 || std::abs(i - mid) < std::abs(best - mid))) best = i;
    if (best < 0) best = mid;  // no spaces (CJK): cut in the middle
    return {needle.left(best).trimmed(), needle.mid(best).trimmed()};
}

}  // namespace

PlantedNeedle plant_needle(const Document& source, const NeedleSpec& spec, const Tokenizer& tok) {
    const int needle_tokens =
        static_cast<int>(tok.encode(spec.needle.toUtf8().toStdString()).size());
    const qsizetype limit =
        prefix_for_tokens(tok, source.text, std::max(0, spec.context_tokens - needle_tokens - 2));
    // End the haystack at a sentence end, then pick the sentence boundary nearest the depth.
    const auto sentences = sentence_ranges(source.text, 0, limit);
    const qsizetype hay_end = sentences.size() > 1 ? sentences.back().first : limit;
    std::vector<qsizetype> bounds{0};
    for (const auto& s : sentences)
        if (s.second <= hay_end) bounds.push_back(s.second);
    const double target = std::clamp(spec.depth, 0.0, 1.0) * double(hay_end);
    const qsizetype at =
        *std::min_element(bounds.begin(), bounds.end(), [&](qsizetype a, qsizetype b) {
            return std::abs(double(a) - target) < std::abs(double(b) - target);
        });

    PlantedNeedle p;
    const QString before = source.text.left(at);
    const QString glue = at == 0 ? QString() : QStringLiteral(" ");
    p.doc.path = source.path;
    p.doc.format = DocumentFormat::PlainText;
    p.doc.text =
        before + glue + spec.needle + (at == 0 ? " " : "") + source.text.mid(at, hay_end - at);
    p.doc.index_lines();
    p.start = at + glue.size();
    p.end = p.start + spec.needle.size();
    std::tie(p.first_half, p.second_half) = halves(spec.needle);
    return p;
}

NeedleResult run_needle(const Model& model, const PositionEncoding& positions, int64_t window,
                        const Document& source, const NeedleSpec& spec, AnswerOptions options,
                        const std::atomic<bool>* cancel) {
    const Tokenizer& tok = model.tokenizer();
    NeedleResult r;
    r.planted = plant_needle(source, spec, tok);
    const PlantedNeedle& p = r.planted;
    DocumentAnswerer answerer(model, positions, window, p.doc);
    if (spec.attention) answerer.set_attention_variant(*spec.attention);
    answerer.set_kv_type(spec.kv);
    options.mode = ContextMode::Full;
    const QString expected = spec.expected.isEmpty() ? p.second_half : spec.expected;
    const int expected_tokens =
        static_cast<int>(tok.encode(expected.toUtf8().toStdString()).size());
    options.max_answer_tokens = expected_tokens + 8;
    QString question;
    if (spec.probe == NeedleProbe::Forced) options.forced_answer = expected;
    if (spec.probe != NeedleProbe::Question) {
        // A base model reads the text, then sees the needle's start again and copies the rest.
        options.frame = PromptFrame{spec.intro, "\n\n", {}, {"\n"}};
        question = spec.probe_text.isEmpty() ? p.first_half : spec.probe_text;
    } else {
        question = "Complete this sentence from the document: \"" + p.first_half + " ...\"";
    }
    r.answer = answerer.ask(question, options, {}, cancel);
    r.answer_contains_needle = r.answer.text.simplified().contains(expected.simplified());
    if (!r.answer.citations.empty()) {
        const Citation& top = r.answer.citations.front();
        r.top_citation_covers_needle = top.start >= p.start && top.end <= p.end;
    }
    return r;
}

}  // namespace ll
