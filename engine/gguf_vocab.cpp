#include "gguf_vocab.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "error.h"
#include "pretokenizer.h"

namespace ll {

Vocab read_gguf_vocab(const GgufFile& f) {
    Vocab v;
    v.model = f.get_string("tokenizer.ggml.model").value_or("");
    if (v.model.empty())
        throw EngineError(f.path(), "no tokenizer.ggml.model: the file carries no tokenizer");
    auto pieces = f.get_string_array("tokenizer.ggml.tokens");
    if (!pieces) throw EngineError(f.path(), "no tokenizer.ggml.tokens");
    v.pieces = std::move(*pieces);
    if (auto scores = f.get_float_array("tokenizer.ggml.scores")) v.scores = std::move(*scores);
    if (auto types = f.get_int_array("tokenizer.ggml.token_type")) {
        v.types.reserve(types->size());
        for (const int64_t t : *types)
            v.types.push_back(static_cast<int32_t>(std::clamp<int64_t>(t, -1, 1000)));
    }
    // Sentencepiece's ids default to Llama's; byte-level vocabularies have no such
    // convention, so a missing id means none.
    const bool bpe = v.model == "gpt2";
    const auto id = [&](const char* key, int32_t fallback) {
        const auto value = f.get_int(key);
        if (!value) return fallback;
        if (*value < -1 || *value > INT32_MAX)
            throw EngineError(
                f.path(), std::string(key) + " = " + std::to_string(*value) + " is not a token id");
        return static_cast<int32_t>(*value);
    };
    v.bos = id("tokenizer.ggml.bos_token_id", bpe ? -1 : 1);
    v.eos = id("tokenizer.ggml.eos_token_id", bpe ? -1 : 2);
    v.unk = id("tokenizer.ggml.unknown_token_id", bpe ? -1 : 0);
    v.eot = id("tokenizer.ggml.eot_token_id", -1);
    bool add_bos_default = true;
    if (bpe) {
        v.pre = f.get_string("tokenizer.ggml.pre").value_or("");
        if (auto merges = f.get_string_array("tokenizer.ggml.merges"))
            v.merges = std::move(*merges);
        const auto pre = pretokenizer_for_gguf(v.pre.empty() ? "default" : v.pre);
        add_bos_default = pre && pre->add_bos;
    }
    v.add_bos = f.get_bool("tokenizer.ggml.add_bos_token").value_or(add_bos_default);
    return v;
}

}  // namespace ll
