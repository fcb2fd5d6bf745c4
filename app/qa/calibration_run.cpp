#include "calibration_run.h"

#include <QDateTime>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

#include "app_error.h"
#include "passage_chunker.h"
#include "prompt_tokens.h"

namespace ll {

namespace {

using Range = std::pair<qsizetype, qsizetype>;

// One calibration example's material: a stretch of a document, its sentences (offsets into
// the stretch) and the question asked about it.
struct Stretch {
    QString text;
    std::vector<Range> units;
    QString question;
};

int token_count(const Tokenizer& tok, QStringView text) {
    return static_cast<int>(tok.encode(text.toUtf8().toStdString()).size());
}

// A few words of `sentence` to ask about: a run of up to six words, or for text without
// spaces (Chinese) up to ten characters from its middle.
QString phrase_of(QStringView sentence, std::mt19937_64& rng) {
    static const QRegularExpression space(QStringLiteral("\\s+"));
    const QStringList words = sentence.toString().split(space, Qt::SkipEmptyParts);
    QString phrase;
    if (words.size() >= 4) {
        const qsizetype n = std::min<qsizetype>(6, words.size());
        const qsizetype start = qsizetype(rng() % uint64_t(words.size() - n + 1));
        phrase = words.mid(start, n).join(u' ');
    } else {
        const QString s = sentence.toString().simplified();
        const qsizetype n = std::min<qsizetype>(10, s.size());
        phrase = s.mid((s.size() - n) / 2, n);
    }
    while (!phrase.isEmpty() && !phrase.back().isLetterOrNumber()) phrase.chop(1);
    while (!phrase.isEmpty() && !phrase.front().isLetterOrNumber()) phrase.remove(0, 1);
    return phrase;
}

// A stretch of whole sentences from a random place in the document, up to `max_tokens`
// tokens, with at least three sentences; nullopt when none is found in a few tries.
std::optional<Stretch> pick_stretch(const QString& text, const std::vector<Range>& sentences,
                                    const Tokenizer& tok, int max_tokens, std::mt19937_64& rng) {
    if (sentences.size() < 3) return std::nullopt;
    for (int attempt = 0; attempt < 20; ++attempt) {
        const size_t first = size_t(rng() % uint64_t(sentences.size()));
        size_t last = first;
        int tokens = 0;
        while (last < sentences.size()) {
            const Range& s = sentences[last];
            const int t = token_count(tok, QStringView(text).sliced(s.first, s.second - s.first));
            if (tokens + t > max_tokens) break;
            tokens += t + 1;
            ++last;
        }
        if (last - first < 3) continue;
        Stretch s;
        const qsizetype base = sentences[first].first;
        s.text = text.mid(base, sentences[last - 1].second - base);
        for (size_t i = first; i < last; ++i)
            s.units.emplace_back(sentences[i].first - base, sentences[i].second - base);
        const Range& asked = s.units[size_t(rng() % uint64_t(s.units.size()))];
        const QString phrase =
            phrase_of(QStringView(s.text).sliced(asked.first, asked.second - asked.first), rng);
        if (phrase.size() < 3) continue;
        s.question = QStringLiteral("What does the text say about \u201C%1\u201D?").arg(phrase);
        return s;
    }
    return std::nullopt;
}

// The stretch with only the kept sentences (each with the space after it).
QString kept_text(const Stretch& s, const std::vector<uint8_t>& kept) {
    QString out = s.text.left(s.units.front().first);
    for (size_t u = 0; u < s.units.size(); ++u) {
        if (!kept[u]) continue;
        const qsizetype end = u + 1 < s.units.size() ? s.units[u + 1].first : s.text.size();
        out += QStringView(s.text).sliced(s.units[u].first, end - s.units[u].first);
    }
    return out;
}

PromptTokens prompt_for(const Tokenizer& tok, const PromptFrame& frame, const QString& text,
                        const QString& question) {
    ContextPlan plan;
    if (!text.isEmpty()) plan.passages.push_back({0, text.size(), 0, {}});
    return build_prompt(tok, frame, text, plan, question, int64_t(1) << 30);
}

double log_softmax_at(const float* logits, size_t vocab, int32_t id) {
    const float top = *std::max_element(logits, logits + vocab);
    double sum = 0;
    for (size_t i = 0; i < vocab; ++i) sum += std::exp(double(logits[i] - top));
    return double(logits[id] - top) - std::log(sum);
}

// The answer's log-probability after `prompt` (teacher forcing), reusing the prefix the
// session holds; nullopt when cancelled.
std::optional<double> answer_log_prob(Session& s, const std::vector<int32_t>& prompt,
                                      const std::vector<int32_t>& answer, bool reuse,
                                      const std::atomic<bool>* cancel) {
    std::vector<int32_t> ids = prompt;
    ids.insert(ids.end(), answer.begin(), answer.end());
    size_t keep = 0;
    if (reuse)
        while (keep < s.tokens().size() && keep < ids.size() && s.tokens()[keep] == ids[keep])
            ++keep;
    keep = std::min(keep, prompt.size() - 1);  // the last prompt token's logits are needed
    s.truncate(int64_t(keep));
    const size_t vocab = size_t(s.model().config().vocab_size);
    double log_prob = 0;
    EvalOptions eval;
    eval.rope_length = int64_t(ids.size());
    eval.cancel = cancel;
    eval.on_logits = [&](int64_t first, const float* logits, int64_t rows) {
        for (int64_t r = 0; r < rows; ++r) {
            const size_t at = keep + size_t(first + r);  // the token these logits follow
            if (at + 1 >= prompt.size() && at + 1 < ids.size())
                log_prob += log_softmax_at(logits + size_t(r) * vocab, vocab, ids[at + 1]);
        }
    };
    if (!s.eval(std::span(ids).subspan(keep), eval)) return std::nullopt;
    return log_prob;
}

// Which sentences each ablation keeps: each dropped once for short stretches, else random
// halves (never all kept, never none).
std::vector<std::vector<uint8_t>> ablation_masks(size_t units, int count, std::mt19937_64& rng) {
    std::vector<std::vector<uint8_t>> masks;
    if (units <= size_t(kLeaveOneOut)) {
        for (size_t u = 0; u < units; ++u) {
            masks.emplace_back(units, 1);
            masks.back()[u] = 0;
        }
        return masks;
    }
    while (int(masks.size()) < count) {
        std::vector<uint8_t> m(units);
        size_t kept = 0;
        for (auto& k : m) kept += (k = uint8_t(rng() & 1));
        if (kept > 0 && kept < units) masks.push_back(std::move(m));
    }
    return masks;
}

// features[h][u]: head h's share of the answer's attention on the document that fell on
// sentence u of the full pass.
std::vector<std::vector<double>> unit_features(const PromptTokens& prompt,
                                               const AttentionCapture& capture,
                                               const std::vector<Range>& units) {
    const std::vector<std::vector<double>> shares = head_document_shares(prompt, capture);
    std::vector<std::vector<double>> features(shares.size(),
                                              std::vector<double>(units.size(), 0.0));
    for (size_t k = 0; k < prompt.ids.size(); ++k) {
        const int u = unit_of_token(prompt.spans[k], units);
        if (u < 0) continue;
        for (size_t h = 0; h < shares.size(); ++h) features[h][size_t(u)] += shares[h][k];
    }
    return features;
}

// The weights fitted on all examples with the ridge that cross-validates best (4 folds:
// example i held out in fold i % 4), and that ridge's held-out correlation beside the head
// average's on the same folds.
void fit_into(const std::vector<CalibrationExample>& examples, int n_heads,
              AttributionCalibration& c) {
    const RidgeChoice choice = choose_ridge(examples, {1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0});
    c.held_out_correlation = choice.score;
    c.head_average_correlation = choice.average_score;
    const std::vector<double> w = fit_head_weights(examples, {choice.ridge, 4000});
    const double top = w.empty() ? 0.0 : *std::max_element(w.begin(), w.end());
    for (size_t h = 0; h < w.size(); ++h)
        if (top > 0 && w[h] > 1e-6 * top)
            c.heads.push_back({int(h) / n_heads, int(h) % n_heads, w[h] / top});
    c.method = QStringLiteral(
                   "non-negative least squares (projected gradient) on per-example standardised "
                   "ablation effects, ridge %1 toward the head average chosen by 4-fold "
                   "cross-validation (correlations: held-out folds)")
                   .arg(choice.ridge);
}

}  // namespace

QString calibration_not_better(const AttributionCalibration& c) {
    if (c.heads.empty()) return QObject::tr("the ablations supported no attention head");
    if (c.held_out_correlation <= std::max(0.0, c.head_average_correlation))
        return QObject::tr(
                   "on held-out examples the fitted heads predict ablation effects no "
                   "better than the head average (correlation %1 against %2)")
            .arg(c.held_out_correlation, 0, 'f', 3)
            .arg(c.head_average_correlation, 0, 'f', 3);
    return {};
}

CalibrationResult calibrate_attribution(
    const ModelRun& run, const std::vector<const Document*>& docs,
    const CalibrationOptions& options,
    const std::function<void(const CalibrationProgress&)>& progress,
    const std::atomic<bool>* cancel) {
    CalibrationResult result;
    if (docs.empty()) throw AppError(QString(), QObject::tr("no document to calibrate on"));
    const Model& model = *run.model;
    const Tokenizer& tok = model.tokenizer();
    const int n_layers = model.config().n_layers, n_heads = model.config().n_heads;
    const int context_tokens =
        int(std::max<int64_t>(32, std::min<int64_t>(options.context_tokens, run.window / 2)));
    std::mt19937_64 rng(options.seed);
    std::vector<std::vector<Range>> sentences;
    for (const Document* d : docs) sentences.push_back(sentence_ranges(d->text, 0, d->text.size()));

    const std::unique_ptr<Session> session = run.session(
        std::min<int64_t>(run.window, context_tokens * 2 + options.answer_tokens + 256));
    const bool reuse = !run.positions().depends_on_length();
    auto cancelled = [&] { return cancel && cancel->load(); };

    for (int e = 0; e < options.examples && !cancelled(); ++e) {
        const size_t d = size_t(e) % docs.size();
        const std::optional<Stretch> stretch =
            pick_stretch(docs[d]->text, sentences[d], tok, context_tokens, rng);
        if (!stretch) {
            ++result.skipped;
            continue;
        }
        // The model's own answer, as the app would give it for this stretch and question.
        Document sub;
        sub.path = docs[d]->path;
        sub.text = stretch->text;
        sub.index_lines();
        const std::unique_ptr<DocumentAnswerer> answerer = run.answerer(sub);
        AnswerOptions ask;
        ask.mode = ContextMode::Full;
        ask.max_answer_tokens = options.answer_tokens;
        const PromptFrame frame = answerer->default_frame();
        ask.frame = frame;
        const Answer answer = answerer->ask(stretch->question, ask, {}, cancel);
        if (answer.end == AnswerEnd::Cancelled) break;
        const std::vector<int32_t> answer_ids = tok.encode(answer.text.toUtf8().toStdString());
        if (answer_ids.empty()) {
            ++result.skipped;
            continue;
        }
        std::vector<std::vector<uint8_t>> masks =
            ablation_masks(stretch->units.size(), options.ablations, rng);
        CalibrationProgress p{e, options.examples, 0, int(masks.size()) + 1};
        if (progress) progress(p);

        // The full pass, with every head of every layer captured on the answer's tokens.
        const PromptTokens full = prompt_for(tok, frame, stretch->text, stretch->question);
        AttentionCapture capture;
        for (int l = 0; l < n_layers; ++l) capture.layers.push_back(l);
        capture.per_head = true;
        capture.from_position = int64_t(full.ids.size()) - 1;
        session->set_attention_capture(&capture);
        const std::optional<double> full_log_prob =
            answer_log_prob(*session, full.ids, answer_ids, false, cancel);
        session->set_attention_capture(nullptr);
        if (!full_log_prob) break;
        CalibrationExample example;
        example.features = unit_features(full, capture, stretch->units);
        if (progress) progress({e, options.examples, ++p.pass, p.passes});

        for (std::vector<uint8_t>& kept : masks) {
            const PromptTokens ablated =
                prompt_for(tok, frame, kept_text(*stretch, kept), stretch->question);
            const std::optional<double> log_prob =
                answer_log_prob(*session, ablated.ids, answer_ids, reuse, cancel);
            if (!log_prob) break;
            example.ablations.push_back({std::move(kept), *full_log_prob - *log_prob});
            if (progress) progress({e, options.examples, ++p.pass, p.passes});
        }
        if (cancelled()) break;
        result.calibration.ablations += int(example.ablations.size());
        result.examples.push_back(std::move(example));
    }
    if (cancelled()) {
        result.cancelled = true;
        return result;
    }
    if (result.examples.empty())
        throw AppError(docs.empty() ? QString() : docs.front()->path,
                       QObject::tr("no calibration example could be made (the documents need "
                                   "stretches of at least three sentences the model answers "
                                   "about)"));
    AttributionCalibration& c = result.calibration;
    c.model = identify_model(QString::fromStdString(model.path()));
    c.n_layers = n_layers;
    c.n_heads = n_heads;
    c.examples = int(result.examples.size());
    for (const Document* d : docs) c.documents << QFileInfo(d->path).fileName();
    c.created = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    fit_into(result.examples, n_heads, c);
    return result;
}

}  // namespace ll
