// The tokenizer vocabulary a GGUF file carries (tokenizer.ggml.*), for model files and
// vocab-only files alike.
#pragma once

#include "gguf_reader.h"
#include "tokenizer.h"

namespace ll {

// Throws EngineError naming the file when it carries no tokenizer.
Vocab read_gguf_vocab(const GgufFile& file);

}  // namespace ll
