// Which keys a query may attend to, beyond plain causal attention (scaling-methods.md §10):
//   full            every earlier key;
//   window:size=W   Mistral's sliding window: keys j with 0 <= i - j < W;
//   sinks:sinks=S,window=W   StreamingLLM: the first S keys plus the last W, positions
//                   counted by index in that kept cache, so no distance exceeds S + W - 1;
//   s2:group=G      LongLoRA's shifted sparse attention: causal within groups of G tokens,
//                   the second half of the heads with group boundaries shifted by G/2
//                   (the flash-attention form, no wrap-around). Training-time in LongLoRA;
//                   offered at inference for comparison.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ll {

struct AttentionVariant {
    enum class Kind { Full, SlidingWindow, Sinks, ShiftedSparse };

    // One size a variant takes, as an editor offers it: a positive whole number of tokens.
    struct Param {
        std::string key;      // as the spec writes it: size, sinks, window, group
        std::string label;    // "Window"
        std::string meaning;  // one line for a tooltip
        int64_t initial = 1;  // what an editor starts from (parse's default where it has one)
        int64_t step = 1;     // group: 2, since it must be even
    };
    // One variant as the engine describes it, so front ends list them without copies.
    struct Description {
        Kind kind;
        std::string name;         // the spec's name: full, window, sinks, s2
        std::string label;        // "Sliding window"
        std::string explanation;  // what a query sees, in one sentence
        std::vector<Param> params;
    };
    // Every variant, in the order a drop-down offers them.
    static const std::vector<Description>& describe_all();

    Kind kind = Kind::Full;
    int64_t window = 0;  // SlidingWindow, Sinks
    int64_t sinks = 0;   // Sinks
    int64_t group = 0;   // ShiftedSparse

    // Parses the forms above; throws EngineError(where, ...) on anything else.
    static AttentionVariant parse(std::string_view text, const std::string& where = "--attention");
    std::string to_string() const;
    bool operator==(const AttentionVariant&) const = default;

    // First key visible to a query at `pos` in head `head` of `n_heads` (contiguous part;
    // Sinks adds keys [0, sinks) before it when they are not already inside).
    int64_t first_key(int64_t pos, int head, int n_heads) const;
    bool has_sinks_apart(int64_t pos) const { return kind == Kind::Sinks && pos - window + 1 > sinks; }
};

}  // namespace ll
