#include "attention_variant.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "error.h"

namespace ll {
namespace {

std::map<std::string, int64_t> parse_keys(std::string_view body, const std::string& where,
                                          std::string_view text) {
    std::map<std::string, int64_t> keys;
    while (!body.empty()) {
        const size_t comma = body.find(',');
        std::string_view item = body.substr(0, comma);
        body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
        const size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            throw EngineError(where, "expected key=value in '" + std::string(text) + "'");
        int64_t value = 0;
        std::string_view v = item.substr(eq + 1);
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
        if (ec != std::errc() || end != v.data() + v.size() || value <= 0)
            throw EngineError(where, "'" + std::string(item.substr(0, eq)) +
                                         "' must be a positive whole number, got '" +
                                         std::string(v) + "'");
        keys[std::string(item.substr(0, eq))] = value;
    }
    return keys;
}

int64_t take(std::map<std::string, int64_t>& keys, const std::string& name, int64_t fallback,
             const std::string& where, const std::string& kind) {
    auto it = keys.find(name);
    if (it == keys.end()) {
        if (fallback > 0) return fallback;
        throw EngineError(where, kind + " needs " + name + "=N");
    }
    int64_t v = it->second;
    keys.erase(it);
    return v;
}

}  // namespace

const std::vector<AttentionVariant::Description>& AttentionVariant::describe_all() {
    static const std::vector<Description> all = {
        {Kind::Full, "full", "Full causal", "Every token sees all the tokens before it.", {}},
        {Kind::SlidingWindow,
         "window",
         "Sliding window",
         "Each token sees only the last W tokens (Mistral's sliding window).",
         {{"size", "Window", "How many of the latest tokens each token sees", 512}}},
        {Kind::Sinks,
         "sinks",
         "Attention sinks + window",
         "The first S tokens stay visible beside the last W (StreamingLLM).",
         {{"sinks", "Sinks", "How many first tokens stay visible to every token", 4},
          {"window", "Window", "How many of the latest tokens each token sees", 2000}}},
        {Kind::ShiftedSparse,
         "s2",
         "Shifted sparse (LongLoRA S²-Attn)",
         "Causal within groups of G tokens, half the heads shifted by G/2; a training-time "
         "method, offered for comparison.",
         {{"group", "Group", "Tokens per attention group (even: half are shifted)", 512, 2}}},
    };
    return all;
}

AttentionVariant AttentionVariant::parse(std::string_view text, const std::string& where) {
    const size_t colon = text.find(':');
    const std::string kind(text.substr(0, colon));
    auto keys = parse_keys(
        colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1), where, text);
    AttentionVariant v;
    if (kind == "full") {
        v.kind = Kind::Full;
    } else if (kind == "window") {
        v.kind = Kind::SlidingWindow;
        v.window = take(keys, "size", 0, where, kind);
    } else if (kind == "sinks") {
        v.kind = Kind::Sinks;
        v.sinks = take(keys, "sinks", 4, where, kind);
        v.window = take(keys, "window", 2000, where, kind);
    } else if (kind == "s2") {
        v.kind = Kind::ShiftedSparse;
        v.group = take(keys, "group", 0, where, kind);
        if (v.group % 2) throw EngineError(where, "s2 group must be even (it is shifted by half)");
    } else {
        throw EngineError(where, "unknown attention variant '" + kind +
                                     "' (full, window:size=W, sinks:sinks=S,window=W, s2:group=G)");
    }
    if (!keys.empty())
        throw EngineError(where, "unknown key '" + keys.begin()->first + "' for " + kind);
    return v;
}

std::string AttentionVariant::to_string() const {
    switch (kind) {
        case Kind::Full:
            return "full";
        case Kind::SlidingWindow:
            return "window:size=" + std::to_string(window);
        case Kind::Sinks:
            return "sinks:sinks=" + std::to_string(sinks) + ",window=" + std::to_string(window);
        case Kind::ShiftedSparse:
            return "s2:group=" + std::to_string(group);
    }
    return "full";
}

int64_t AttentionVariant::first_key(int64_t pos, int head, int n_heads) const {
    switch (kind) {
        case Kind::Full:
            return 0;
        case Kind::SlidingWindow:
            return std::max<int64_t>(0, pos - window + 1);
        case Kind::Sinks: {
            // While the window still starts among the sinks nothing has been evicted: the
            // sinks and the window are one contiguous range from key 0.
            const int64_t start = pos - window + 1;
            return start <= sinks ? 0 : start;
        }
        case Kind::ShiftedSparse: {
            if (head < n_heads / 2) return pos / group * group;
            const int64_t shift = group / 2;
            return pos < shift ? 0 : (pos - shift) / group * group + shift;
        }
    }
    return 0;
}

}  // namespace ll
