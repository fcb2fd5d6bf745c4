#include "prompt_tokens.h"

#include <algorithm>

namespace ll {

namespace {

// For each byte of the UTF-8 form of text[start, end): the character range (UTF-16
// offsets into text) of the character it belongs to.
struct ByteMap {
    std::string utf8;
    std::vector<qsizetype> char_start, char_end;
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
    return m;
}

// Token ids of `utf8` as they come in the middle of a text, without the space sentencepiece
// puts in front of every text it encodes (its dummy prefix): a prompt is assembled from
// pieces but must read as one text. Encodes "\n" + text and drops the tokens of " \n" (a
// byte token no merge crosses in Llama-family vocabularies); when that does not hold, the
// plain encoding is used.
std::vector<int32_t> encode_continuation(const Tokenizer& tok, const std::string& utf8) {
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

void append_plain(const Tokenizer& tok, QStringView text, bool continuation,
                  std::vector<int32_t>& ids, std::vector<CharSpan>& spans) {
    if (text.isEmpty()) return;
    for (const int32_t id : encode_piece(tok, text.toUtf8().toStdString(), continuation)) {
        ids.push_back(id);
        spans.push_back({});
    }
}

}  // namespace

void tokenize_span(const Tokenizer& tok, const QString& text, qsizetype start, qsizetype end,
                   std::vector<int32_t>& ids, std::vector<CharSpan>& spans, bool continuation) {
    const ByteMap m = map_bytes(text, start, end);
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
        if (pos > first)
            spans.push_back({m.char_start[first], m.char_end[pos - 1]});
        else
            spans.push_back({});
    }
}

PromptTokens build_prompt(const Tokenizer& tok, const PromptFrame& frame, const QString& text,
                          const ContextPlan& plan, QStringView question,
                          int64_t max_document_tokens) {
    PromptTokens p;
    p.ids.push_back(tok.bos());
    p.spans.push_back({});
    // Only the first piece of the prompt gets sentencepiece's leading space, as one text would.
    auto continuation = [&] { return p.ids.size() > 1; };
    append_plain(tok, frame.before, continuation(), p.ids, p.spans);
    p.document_begin = static_cast<int64_t>(p.ids.size());
    qsizetype previous_end = 0;
    for (const Passage& passage : plan.passages) {
        if (p.ids.size() > size_t(p.document_begin)) {
            const bool gap = !QStringView(text)
                                  .sliced(previous_end, passage.start - previous_end)
                                  .trimmed()
                                  .isEmpty();
            append_plain(tok, gap ? u"\n…\n" : u"\n\n", true, p.ids, p.spans);
        }
        tokenize_span(tok, text, passage.start, passage.end, p.ids, p.spans, continuation());
        previous_end = passage.end;
    }
    const size_t limit =
        static_cast<size_t>(p.document_begin + std::max<int64_t>(0, max_document_tokens));
    if (p.ids.size() > limit) {
        p.ids.resize(limit);
        p.spans.resize(limit);
    }
    p.document_end = static_cast<int64_t>(p.ids.size());
    append_plain(tok, frame.between + question.toString() + frame.after, continuation(), p.ids,
                 p.spans);
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

}  // namespace ll
