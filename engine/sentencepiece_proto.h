// Just enough of sentencepiece's ModelProto (sentencepiece_model.proto) in protobuf wire
// format to rebuild a model from a GGUF vocabulary and to sanity-check a tokenizer.model,
// because Debian ships libsentencepiece without its protobuf headers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "tokenizer.h"

namespace ll::spm {

// A serialised ModelProto for a sentencepiece BPE model with `vocab`'s pieces, scores and
// types, llama's normaliser settings (identity, dummy prefix, whitespace kept and escaped)
// and byte fallback when the vocabulary has byte pieces. `vocab` must be validated first.
std::string build_model_proto(const Vocab& vocab);

// What a serialised ModelProto holds at its top level, as far as loading cares.
struct ModelProtoSummary {
    size_t pieces = 0;
    bool has_trainer_spec = false;
    bool has_normalizer_spec = false;
    // NormalizerSpec fields that change decoding (proto defaults when absent).
    bool add_dummy_prefix = true;
    bool remove_extra_whitespaces = true;
};

// Walks the wire format of a serialised ModelProto; throws EngineError(source, ...) when
// the bytes are not well-formed protobuf.
ModelProtoSummary summarize_model_proto(std::string_view bytes, const std::string& source);

}  // namespace ll::spm
