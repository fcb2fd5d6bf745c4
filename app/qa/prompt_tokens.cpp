#include "prompt_tokens.h"

#include <algorithm>

namespace ll {

namespace {

// For each byte of the UTF-8 form of text[start, end): the character range (UTF-16
// offsets into text) of the character it belongs to.
struct ByteMap {
    std::string utf8;
    std::vector<qsizetype> char_start, char_end;
    size_t text_bytes = 0;  // bytes of the mapped text; any after it follow it in the prompt
};

ByteMap map_bytes(const QString& text, qsizetype start, qsizetype end) {
    ByteMap m;
    for (qsizetype at = start; at < end;) {
        const bool pair =
            text[at].isHighSurrogate() && at + 1 < end && text[at + 1].isLowSurrogate();
        const qsizetype after = at + (pair ? 2 : 1);
        const QByteArray bytes = QStringView(text).sliced(at, after - at).toUtf8();
        m.utf8.append(bytes.constData(), static_cast<size_t>(bytes.size()));
        m.char_start.insert(m.char_start.end(), static_cast<size_t>(bytes.size()), at);
        m.char_end.insert(m.char_end.end(), static_cast<size_t>(bytes.size()), after);
        at = after;
    }
    m.text_bytes = m.utf8.size();
    return m;
}

std::vector<int32_t> encode_piece(const Tokenizer& tok, const std::string& utf8, bool continuation);

// Appends the tokens of m.utf8 with the character range each token came from: tokens that
// start in the mapped text get its characters, tokens of bytes after it none.
void encode_mapped(const Tokenizer& tok, const ByteMap& m, bool continuation,
                   std::vector<int32_t>& ids, std::vector<CharSpan>& spans) {
    const size_t n = m.utf8.size();
    size_t pos = 0;
    for (const int32_t id : encode_piece(tok, m.utf8, continuation)) {
        const size_t first = pos;
        // Walk the token's bytes against the text: the dummy-prefix space (and any space the
        // normaliser added) is in the token but not in the text.
        for (const char c : tok.token_bytes(id)) {
            if (pos < n && m.utf8[pos] == c)
                ++pos;
            else if (c != ' ' && pos < n)
                ++pos;  // normalised differently: stay in step
        }
        ids.push_back(id);
        const size_t last = std::min(pos, m.text_bytes);
        if (pos > first && first < m.text_bytes)
            spans.push_back({m.char_start[first], m.char_end[last - 1]});
        else
            spans.push_back({});
    }
}

// Token ids of `utf8` as they come in the middle of a text, without the space sentencepiece
// puts in front of every text it encodes (its dummy prefix): a prompt is assembled from
// pieces but must read as one text. Encodes "\n" + text and drops the tokens of " \n" (a
// byte token no merge crosses in Llama-family vocabularies); when that does not hold, the
// plain encoding is used.
std::vector<int32_t> encode_continuation(const Tokenizer& tok, const std::string& utf8) {
    if (tok.kind() != "sentencepiece") return tok.encode(utf8);  // no dummy prefix to avoid
    std::vector<int32_t> ids = tok.encode("\n" + utf8);
    std::string lead;
    size_t drop = 0;
    while (drop < ids.size() && lead.size() < 2) lead += tok.token_bytes(ids[drop++]);
    if (lead != " \n") return tok.encode(utf8);
    ids.erase(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(drop));
    return ids;
}

std::vector<int32_t> encode_piece(const Tokenizer& tok, const std::string& utf8,
                                  bool continuation) {
    return continuation ? encode_continuation(tok, utf8) : tok.encode(utf8);
}

// A piece of the prompt outside the document: frame text, in which special tokens written
// as text ("<|im_start|>") are those tokens, or the user's question, in which they are not.
struct Part {
    QString text;
    bool frame;
};

// The special token written at frame[at] ("<|eot_id|>", "[INST]" where the vocabulary has
// it as a control token), as {id, length}; length 0 for none.
std::pair<int32_t, qsizetype> special_at(const Tokenizer& tok, const QString& frame, qsizetype at) {
    const QChar open = frame[at];
    if (open != u'<' && open != u'[') return {-1, 0};
    const QChar close = open == u'<' ? u'>' : u']';
    const qsizetype end = frame.indexOf(close, at + 1);
    if (end < 0 || end - at > 64) return {-1, 0};
    const auto id = tok.find_token(frame.sliced(at, end + 1 - at).toStdString());
    if (!id || !tok.is_special(*id)) return {-1, 0};
    return {*id, end + 1 - at};
}

// Tokens of the parts as one text, as a chat template renders it and HF tokenizes it:
// plain text runs across part boundaries (so "Question: " and the question merge as in one
// string); only special tokens written in frame parts split it.
// With `lead`, the first run starts with that mapped document text, whose tokens keep
// their characters.
void append_parts(const Tokenizer& tok, const std::vector<Part>& parts, bool continuation,
                  std::vector<int32_t>& ids, std::vector<CharSpan>& spans,
                  const ByteMap* lead = nullptr) {
    QString run;
    auto flush = [&] {
        if (run.isEmpty() && !lead) return;
        ByteMap m = lead ? *lead : ByteMap{};
        m.utf8 += run.toUtf8().toStdString();
        m.char_start.resize(m.utf8.size(), -1);
        m.char_end.resize(m.utf8.size(), -1);
        encode_mapped(tok, m, continuation, ids, spans);
        lead = nullptr;
        run.clear();
        continuation = true;
    };
    for (const Part& part : parts) {
        if (!part.frame) {
            run += part.text;
            continue;
        }
        for (qsizetype at = 0; at < part.text.size();) {
            const auto [id, length] = special_at(tok, part.text, at);
            if (length == 0) {
                run += part.text[at++];
                continue;
            }
            flush();
            ids.push_back(id);
            spans.push_back({});
            continuation = true;
            at += length;
        }
    }
    flush();
}

}  // namespace

void tokenize_span(const Tokenizer& tok, const QString& text, qsizetype start, qsizetype end,
                   std::vector<int32_t>& ids, std::vector<CharSpan>& spans, bool continuation) {
    encode_mapped(tok, map_bytes(text, start, end), continuation, ids, spans);
}

PromptTokens build_prompt(const Tokenizer& tok, const PromptFrame& frame, const QString& text,
                          const ContextPlan& plan, QStringView question,
                          int64_t max_document_tokens) {
    PromptTokens p;
    if (tok.add_bos()) {
        p.ids.push_back(tok.bos());
        p.spans.push_back({});
    }
    // Only the first piece of the prompt gets sentencepiece's leading space, as one text would.
    const size_t lead = p.ids.size();
    auto continuation = [&] { return p.ids.size() > lead; };
    append_parts(tok, {{frame.before, true}}, continuation(), p.ids, p.spans);
    p.document_begin = static_cast<int64_t>(p.ids.size());
    qsizetype previous_end = 0;
    size_t last_passage_begin = p.ids.size();
    for (const Passage& passage : plan.passages) {
        if (p.ids.size() > size_t(p.document_begin)) {
            const bool gap = !QStringView(text)
                                  .sliced(previous_end, passage.start - previous_end)
                                  .trimmed()
                                  .isEmpty();
            append_parts(tok, {{gap ? QStringLiteral("\n…\n") : QStringLiteral("\n\n"), false}},
                         true, p.ids, p.spans);
        }
        last_passage_begin = p.ids.size();
        tokenize_span(tok, text, passage.start, passage.end, p.ids, p.spans, continuation());
        previous_end = passage.end;
    }
    const size_t limit =
        static_cast<size_t>(p.document_begin + std::max<int64_t>(0, max_document_tokens));
    const std::vector<Part> tail{
        {frame.between, true}, {question.toString(), false}, {frame.after, true}};
    if (p.ids.size() > limit || plan.passages.empty() || tok.kind() == "sentencepiece") {
        // Cut to the window (the frame then follows the cut), or sentencepiece, whose pieces
        // never run from a passage into the frame's newline.
        if (p.ids.size() > limit) {
            p.ids.resize(limit);
            p.spans.resize(limit);
        }
        p.document_end = static_cast<int64_t>(p.ids.size());
        append_parts(tok, tail, continuation(), p.ids, p.spans);
        return p;
    }
    // Byte-level BPE: the last passage and the text after it are one text, as the template
    // renders them (a passage's final "." and the frame's "\n\n" are one token), so the last
    // passage is tokenized again with what follows it, up to the frame's next special token.
    p.ids.resize(last_passage_begin);
    p.spans.resize(last_passage_begin);
    const Passage& last = plan.passages.back();
    const ByteMap last_text = map_bytes(text, last.start, last.end);
    append_parts(tok, tail, continuation(), p.ids, p.spans, &last_text);
    p.document_end = static_cast<int64_t>(last_passage_begin);
    for (size_t i = last_passage_begin; i < p.ids.size() && p.spans[i].start >= 0; ++i)
        p.document_end = static_cast<int64_t>(i + 1);
    return p;
}

void fit_plan_to_prompt(ContextPlan& plan, const PromptTokens& prompt) {
    const int kept = static_cast<int>(prompt.document_end - prompt.document_begin);
    if (kept >= plan.tokens) return;
    plan.tokens = kept;
    qsizetype cut = 0;
    for (int64_t i = prompt.document_begin; i < prompt.document_end; ++i)
        cut = std::max(cut, prompt.spans[size_t(i)].end);
    std::erase_if(plan.passages, [&](const Passage& p) { return p.start >= cut; });
    if (plan.passages.empty()) return;
    Passage& last = plan.passages.back();
    last.end = std::min(last.end, cut);
    int before = 0;  // tokens of the passages before the last, with their separators
    for (size_t i = 0; i + 1 < plan.passages.size(); ++i) before += plan.passages[i].tokens + 2;
    last.tokens = std::max(0, kept - before);
}

namespace {

int unit_holding(const std::vector<std::pair<qsizetype, qsizetype>>& units, qsizetype pos) {
    auto it = std::upper_bound(units.begin(), units.end(), pos,
                               [](qsizetype p, const auto& r) { return p < r.first; });
    if (it == units.begin()) return -1;
    --it;
    return pos < it->second ? static_cast<int>(it - units.begin()) : -1;
}

}  // namespace

int unit_of_token(const CharSpan& span, const std::vector<std::pair<qsizetype, qsizetype>>& units) {
    if (span.start < 0) return -1;
    const int u = unit_holding(units, span.start);
    return u >= 0 || span.end <= span.start ? u : unit_holding(units, span.end - 1);
}

}  // namespace ll
