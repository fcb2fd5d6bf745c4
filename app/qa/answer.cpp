#include "answer.h"

#include <algorithm>
#include <chrono>

#include "memory_estimate.h"
#include "stop_scanner.h"

namespace ll {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

TokenCounter counter_for(const Tokenizer& tok) {
    return [&tok](QStringView text) {
        return static_cast<int>(tok.encode(text.toUtf8().toStdString()).size());
    };
}

// Tokens of the whole text, from its passages (plus a blank line between each two) rather
// than a second pass of the tokenizer over a whole book.
int whole_text_tokens(const PassageIndex& index) {
    int total = 0;
    for (const Passage& p : index.passages()) total += p.tokens + (total > 0 ? 1 : 0);
    return total;
}

// Passages for a window: at most `passage_tokens`, and small enough that a window of a few
// hundred tokens still holds more than one (a quarter of it, at least 48 tokens).
int passage_size(int passage_tokens, int64_t window) {
    return static_cast<int>(std::min<int64_t>(passage_tokens, std::max<int64_t>(48, window / 4)));
}

size_t common_prefix(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
    const size_t n = std::min(a.size(), b.size());
    size_t i = 0;
    while (i < n && a[i] == b[i]) ++i;
    return i;
}

}  // namespace

QString end_name(AnswerEnd end) {
    switch (end) {
        case AnswerEnd::Eos:
            return "eos";
        case AnswerEnd::Stop:
            return "stop";
        case AnswerEnd::Length:
            return "length";
        case AnswerEnd::Cancelled:
            return "cancelled";
    }
    return "eos";
}

QString cache_use_name(CacheUse use) {
    switch (use) {
        case CacheUse::Off:
            return "off";
        case CacheUse::InMemory:
            return "in-memory";
        case CacheUse::Loaded:
            return "loaded";
        case CacheUse::Saved:
            return "saved";
        case CacheUse::Rebuilt:
            return "rebuilt";
    }
    return "off";
}

DocumentAnswerer::DocumentAnswerer(const Model& model, PositionEncoding positions, int64_t window,
                                   const Document& doc, int passage_tokens)
    : model_(model),
      positions_(std::move(positions)),
      window_(window),
      doc_(doc),
      index_(doc, passage_size(passage_tokens, window), counter_for(model.tokenizer())),
      document_tokens_(whole_text_tokens(index_)) {}

PromptFrame DocumentAnswerer::default_frame() const {
    return frame_for(choose_chat_template(model_.path()).kind);
}

std::vector<int> DocumentAnswerer::capture_layers(const AnswerOptions& options) const {
    if (!options.attention_layers.empty()) return options.attention_layers;
    // Copying (induction) heads sit above the first layer; four layers spread over the rest
    // are enough to see where the answer came from.
    const int n = model_.config().n_layers;
    std::vector<int> layers;
    const int first = n > 1 ? 1 : 0;
    const int count = std::min(4, n - first);
    for (int i = 0; i < count; ++i) {
        const int layer = first + (count > 1 ? i * (n - 1 - first) / (count - 1) : 0);
        if (layers.empty() || layers.back() != layer) layers.push_back(layer);
    }
    return layers;
}

QString DocumentAnswerer::attention_layers_text() const {
    QStringList layers;
    for (int l : capture_layers({})) layers << QString::number(l);
    return layers.join(", ");
}

Session& DocumentAnswerer::session() {
    if (!session_) {
        session_ = std::make_unique<Session>(model_, positions_, window_, kv_type_);
        if (variant_) session_->set_attention_variant(*variant_);
    }
    return *session_;
}

void DocumentAnswerer::set_attention_variant(const AttentionVariant& variant) {
    // The cached keys and values were computed under the old variant.
    if (session_ && session_->attention_variant().to_string() != variant.to_string())
        session_.reset();
    variant_ = variant;
}

void DocumentAnswerer::set_kv_type(KvType type) {
    if (session_ && session_->kv_type() != type) session_.reset();
    kv_type_ = type;
}

void DocumentAnswerer::set_prefix_cache(const QString& dir) {
    cache_ = dir.isEmpty() ? nullptr : std::make_unique<PrefixCache>(dir);
}

CacheUse DocumentAnswerer::try_load_prefix(std::span<const int32_t> prefix, QString* why) {
    Session& s = session();
    switch (cache_->load(s, session_config(s), prefix, why)) {
        case PrefixCache::Load::Loaded:
            return CacheUse::Loaded;
        case PrefixCache::Load::Rejected:
            return CacheUse::Rebuilt;
        case PrefixCache::Load::Missing:
            break;
    }
    return CacheUse::Saved;
}

bool DocumentAnswerer::prefill(const PromptTokens& prompt, const AnswerOptions& options,
                               const AnswerCallbacks& callbacks, const std::atomic<bool>* cancel,
                               Answer& answer) {
    const std::vector<int32_t>& ids = prompt.ids;
    const auto t0 = Clock::now();
    // The KV cache grows as the prompt is read, so a prompt whose cache cannot fit would
    // only fail (or swap) minutes in; refuse it now, for what this prompt and its answer use.
    const int64_t needed =
        std::min<int64_t>(window_, static_cast<int64_t>(ids.size()) + options.max_answer_tokens);
    check_memory(estimate_memory(model_, needed, options.prefill_chunk, kv_type_), needed);
    Session& s = session();
    // The document prefix goes through the disk cache unless the frequencies depend on the
    // whole prompt's length (dynamic NTK): then no prefix state is reusable on its own.
    const size_t doc_end = static_cast<size_t>(prompt.document_end);
    const bool cached =
        cache_ && !positions_.depends_on_length() && doc_end > 0 && doc_end < ids.size();
    const auto prefix = std::span(ids).first(cached ? doc_end : 0);
    AnswerTiming& timing = answer.timing;
    if (cached) {
        timing.cache = common_prefix(s.tokens(), ids) >= doc_end
                           ? CacheUse::InMemory
                           : try_load_prefix(prefix, &timing.cache_note);
    }
    // Keep the longest prefix the session holds (the document, when the plan is the same); at
    // least the last prompt token is evaluated again, for its logits.
    const size_t keep = std::min(common_prefix(s.tokens(), ids), ids.size() - 1);
    s.truncate(static_cast<int64_t>(keep));

    int64_t offset = 0;  // progress covers the whole prompt, over both evals below
    const int64_t total = static_cast<int64_t>(ids.size() - keep);
    EvalOptions eval;
    eval.chunk = options.prefill_chunk;
    // Length-dependent scaling (dynamic NTK) uses one set of frequencies for the whole prompt,
    // as one forward pass over it would.
    eval.rope_length = static_cast<int64_t>(ids.size());
    eval.cancel = cancel;
    if (callbacks.on_prefill)
        eval.on_progress = [&](const EvalProgress& p) {
            callbacks.on_prefill({offset + p.done, total, seconds_since(t0)});
        };
    bool done = true;
    if (cached && keep < doc_end) {
        done = s.eval(prefix.subspan(keep), eval);
        // Retrieved passages differ from question to question: their state is saved only
        // when the same plan comes back, not for every question.
        if (done && answer.plan.mode == ContextMode::Retrieve && timing.cache == CacheUse::Saved &&
            !cache_->seen_before(session_config(s), prefix)) {
            timing.cache = CacheUse::Off;
            timing.cache_note = QStringLiteral("passages asked once: saved when asked again");
        } else if (done && !cache_->save(s, session_config(s), prefix, &timing.cache_note)) {
            timing.cache = CacheUse::Off;  // the question goes on; the note says why
        }
        offset = static_cast<int64_t>(doc_end - keep);
    }
    if (done) done = s.eval(std::span(ids).subspan(static_cast<size_t>(s.position())), eval);
    timing.prefill_s = seconds_since(t0);
    timing.reused_tokens = static_cast<int64_t>(keep);
    timing.prefill_tokens = s.position() - static_cast<int64_t>(keep);
    return done;
}

Answer DocumentAnswerer::ask(const QString& question, const AnswerOptions& options,
                             const AnswerCallbacks& callbacks, const std::atomic<bool>* cancel) {
    const Tokenizer& tok = model_.tokenizer();
    const TokenCounter count = counter_for(tok);
    const PromptFrame frame = options.frame.value_or(default_frame());
    Answer a;
    a.question = question;

    const int fixed = 1 + count(frame.before) + count(frame.between + question + frame.after);
    // The answer's room is at most a quarter of the window: a small window's document first.
    const int answer_room =
        static_cast<int>(std::min<int64_t>(options.max_answer_tokens, window_ / 4));
    const int budget = context_budget(window_, fixed + 4, answer_room);
    a.plan =
        plan_context(index_, doc_.text.size(), document_tokens_, question, budget, options.mode);
    if (callbacks.on_plan) callbacks.on_plan(a.plan);
    const PromptTokens prompt = build_prompt(tok, frame, doc_.text, a.plan, question, budget);
    fit_plan_to_prompt(a.plan, prompt);
    a.prompt_tokens = static_cast<int64_t>(prompt.ids.size());

    AttentionCapture capture;
    capture.layers = capture_layers(options);
    // A calibrated model's weighted heads are read from their own layers.
    const auto& calibration = options.attribution.calibration;
    if (calibration) {
        for (int l : calibration->layers())
            if (l < model_.config().n_layers &&
                std::find(capture.layers.begin(), capture.layers.end(), l) == capture.layers.end())
                capture.layers.push_back(l);
        std::sort(capture.layers.begin(), capture.layers.end());
    }
    capture.heads = options.attention_heads;
    capture.from_position = a.prompt_tokens - 1;  // its row predicts the first answer token
    capture.per_head = true;  // the Attention view selects one layer or one head
    session().set_attention_capture(&capture);
    struct Detach {  // the capture lives on this stack frame only
        Session& s;
        ~Detach() { s.set_attention_capture(nullptr); }
    } detach{*session_};

    // Nothing of the document fits: no answer from nothing (the plan's `thin` says why).
    if (a.plan.passages.empty() && !doc_.text.isEmpty()) {
        a.end = AnswerEnd::Length;
        return a;
    }
    if (!prefill(prompt, options, callbacks, cancel, a)) {
        a.end = AnswerEnd::Cancelled;
        return a;
    }
    if (options.forced_answer.isEmpty())
        generate(frame, options, callbacks, cancel, a);
    else
        feed_forced(options, callbacks, a);
    // Attention above its distance's baseline, once: citations rank by it, the view bins it.
    const std::vector<double> mass = document_attention(prompt, capture);
    std::vector<double> calibrated;
    if (calibration) calibrated = calibrated_token_scores(prompt, capture, *calibration);
    a.citations = attribute(doc_, a.plan, prompt, mass, a.text, options.attribution, question,
                            calibration ? &calibrated : nullptr);
    a.attention = attention_along(doc_, prompt, capture, mass, options.attention_bins,
                                  index_.passages(), a.pieces);
    return a;
}

void DocumentAnswerer::generate(const PromptFrame& frame, const AnswerOptions& options,
                                const AnswerCallbacks& callbacks, const std::atomic<bool>* cancel,
                                Answer& a) {
    const Tokenizer& tok = model_.tokenizer();
    Sampler sampler(options.sampling);
    TokenStreamDecoder decoder(tok);
    StopScanner stops(frame.stops + options.extra_stops);
    // End-of-turn tokens decode to no text, so they stop by id, not as stop strings.
    const std::vector<int32_t> end_ids = end_of_turn_ids(tok, frame, model_.path());
    auto stream = [&](const QString& text) {
        if (!text.isEmpty() && callbacks.on_text) callbacks.on_text(text);
    };
    const auto t0 = Clock::now();
    a.end = AnswerEnd::Length;
    for (int n = 0; n < options.max_answer_tokens; ++n) {
        if (cancel && cancel->load()) {
            a.end = AnswerEnd::Cancelled;
            break;
        }
        const int32_t next = sampler.sample(session_->logits());
        if (std::find(end_ids.begin(), end_ids.end(), next) != end_ids.end()) {
            a.end = AnswerEnd::Eos;
            break;
        }
        ++a.timing.decode_tokens;
        if (callbacks.on_token) callbacks.on_token(a.timing.decode_tokens);
        a.pieces << QString::fromStdString(decoder.push(next));
        stream(stops.push(a.pieces.back()));
        if (stops.stopped()) {
            a.end = AnswerEnd::Stop;
            break;
        }
        if (session_->position() >= window_) break;
        session_->eval(std::span(&next, 1));
    }
    if (!stops.stopped()) {
        stream(stops.push(QString::fromStdString(decoder.finish())));
        stream(stops.finish());
    }
    a.timing.decode_s = seconds_since(t0);
    a.text = stops.text().trimmed();
}

void DocumentAnswerer::feed_forced(const AnswerOptions& options, const AnswerCallbacks& callbacks,
                                   Answer& a) {
    const auto ids = model_.tokenizer().encode(options.forced_answer.toUtf8().toStdString());
    const int64_t room = std::max<int64_t>(0, window_ - session_->position());
    const auto fed = std::span(ids).first(std::min<size_t>(ids.size(), size_t(room)));
    const auto t0 = Clock::now();
    session_->eval(fed);
    a.timing.decode_s = seconds_since(t0);
    a.timing.decode_tokens = static_cast<int64_t>(fed.size());
    TokenStreamDecoder decoder(model_.tokenizer());
    for (int32_t id : fed) a.pieces << QString::fromStdString(decoder.push(id));
    a.text = options.forced_answer.trimmed();
    a.end = fed.size() == ids.size() ? AnswerEnd::Eos : AnswerEnd::Length;
    if (callbacks.on_text) callbacks.on_text(a.text);
}

}  // namespace ll
